/**
 * A file's writing habits, read from its text: its quote, its indentation unit and whether it
 * ends statements with semicolons. What `add` and `migrate` write into someone's file follows
 * them, as a person editing it would.
 */
import ts from "typescript";

export type Quote = '"' | "'";

/** The quote the file's first import uses (the one choice nearly every file makes the same way). */
export function quoteOf(text: string): Quote {
  return /^import\b[^;'"]*(['"])/m.exec(text)?.[1] === "'" ? "'" : '"';
}

/**
 * One level of the file's indentation: a tab, or the step by which its lines most often go in
 * (comment lines such as a doc comment's " * " are not code, and a stray line, say of a template
 * literal's text, is outvoted). Two spaces when nothing is indented.
 */
export function indentUnitOf(text: string): string {
  const steps = new Map<number, number>();
  let previous = 0;
  for (const [, lead] of text.matchAll(/^([ \t]*)[^\s*]/gm)) {
    if (lead!.startsWith("\t")) return "\t";
    const step = lead!.length - previous;
    if (step > 0) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = lead!.length;
  }
  // The most frequent step; of equally frequent ones, the smallest.
  const [best] = [...steps].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return best ? " ".repeat(best[0]) : "  ";
}

/**
 * `code` with its double-quoted string literals in `quote`, read by TypeScript's parser so that
 * template literals, regular expressions and comments are never mistaken for strings; only within
 * `ranges` (offsets into `code`) when given, for the parts of a file this tool wrote. A string
 * holding a quote or an escape is left as written: re-escaping would only make it harder to read.
 * `file` names the language (`.tsx`, `.js`…); JSX attributes keep their double quotes.
 */
export function requote(code: string, quote: Quote, ranges?: ReadonlyArray<readonly [number, number]>, file = "code.ts"): string {
  if (quote === '"' || !code.includes('"')) return code;
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const found: ts.StringLiteral[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) && !ts.isJsxAttribute(node.parent)) found.push(node);
    node.forEachChild(visit);
  };
  visit(source);
  let out = code;
  for (const literal of found.reverse()) {
    const start = literal.getStart(source);
    const raw = literal.getText(source);
    if (!raw.startsWith('"') || /['\\]/.test(raw)) continue;
    if (ranges && !ranges.some(([from, to]) => from <= start && literal.getEnd() <= to)) continue;
    out = `${out.slice(0, start)}'${raw.slice(1, -1)}'${out.slice(literal.getEnd())}`;
  }
  return out;
}

/** Nodes a semicolon may end, and that a file without semicolons ends with a line break instead. */
const STATEMENT_ENDS = new Set([
  ts.SyntaxKind.VariableStatement, ts.SyntaxKind.ExpressionStatement, ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.ThrowStatement, ts.SyntaxKind.BreakStatement, ts.SyntaxKind.ContinueStatement,
  ts.SyntaxKind.DoStatement, ts.SyntaxKind.DebuggerStatement, ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration, ts.SyntaxKind.ExportDeclaration, ts.SyntaxKind.ExportAssignment,
  ts.SyntaxKind.TypeAliasDeclaration,
]);
const MEMBER_ENDS = new Set([
  ts.SyntaxKind.PropertyDeclaration, ts.SyntaxKind.PropertySignature, ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.IndexSignature, ts.SyntaxKind.CallSignature, ts.SyntaxKind.ConstructSignature,
]);

/** The statements (or also class fields and type members) of `code`, with whether each ends in a semicolon. */
function statementEnds(source: ts.SourceFile, withMembers: boolean): Array<{ node: ts.Node; semicolon: boolean }> {
  const found: Array<{ node: ts.Node; semicolon: boolean }> = [];
  const visit = (node: ts.Node) => {
    if (STATEMENT_ENDS.has(node.kind) || (withMembers && MEMBER_ENDS.has(node.kind))) {
      found.push({ node, semicolon: node.getLastToken(source)?.kind === ts.SyntaxKind.SemicolonToken });
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

/** Whether the file ends its statements with semicolons: most of them do, or there are none to tell by. */
export function semicolonsOf(text: string, file = "code.ts"): boolean {
  const ends = statementEnds(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true), false);
  return ends.filter((end) => end.semicolon).length * 2 >= ends.length;
}

/** Tokens that, starting the next line, would continue a statement whose semicolon is gone. */
const CONTINUES = new Set([
  ts.SyntaxKind.OpenParenToken, ts.SyntaxKind.OpenBracketToken, ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead, ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.CommaToken, ts.SyntaxKind.DotToken,
  ts.SyntaxKind.QuestionDotToken, ts.SyntaxKind.LessThanToken,
]);

/**
 * `code` without the semicolons that end its statements, class fields and type members, as a
 * file without semicolons writes them: only one that ends its line (a comment may follow), and
 * not before a line that starts with a token that would continue the statement, such as ( [ or
 * a template. Only within `ranges` when given.
 */
export function withoutSemicolons(code: string, ranges?: ReadonlyArray<readonly [number, number]>, file = "code.ts"): string {
  if (!code.includes(";")) return code;
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, source.languageVariant, code);
  const endsItsLine = (at: number) => {
    scanner.resetTokenState(at + 1);
    const next = scanner.scan();
    return next === ts.SyntaxKind.EndOfFileToken || (scanner.hasPrecedingLineBreak() && !CONTINUES.has(next));
  };
  const removable = statementEnds(source, true)
    .filter((end) => end.semicolon)
    .map((end) => end.node.getEnd() - 1)
    .filter((at) => (!ranges || ranges.some(([from, to]) => from <= at && at < to)) && endsItsLine(at));
  // From the end backwards (a statement nests in another's function body), so offsets hold.
  let out = code;
  for (const at of removable.sort((a, b) => b - a)) out = out.slice(0, at) + out.slice(at + 1);
  return out;
}

/**
 * Text this tool wrote (two spaces a level, no string spanning lines) in a file's habits: its
 * indentation unit, its quote and its semicolons.
 */
export function inStyle(text: string, style: { quote: Quote; unit: string; semicolons: boolean }): string {
  const indented = style.unit === "  " ? text : text.replace(/^((?:  )+)/gm, (lead) => style.unit.repeat(lead.length / 2));
  const requoted = requote(indented, style.quote);
  return style.semicolons ? requoted : withoutSemicolons(requoted);
}
