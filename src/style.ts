/**
 * A file's writing habits, read from its text: its quote and its indentation unit. What `add`
 * and `migrate` write into someone's file follows them, as a person editing it would.
 */
import ts from "typescript";

export type Quote = '"' | "'";

/** The quote the file's first import uses (the one choice nearly every file makes the same way). */
export function quoteOf(text: string): Quote {
  return /^import\b[^;'"]*(['"])/m.exec(text)?.[1] === "'" ? "'" : '"';
}

/**
 * One level of the file's indentation: a tab, or the fewest spaces a line of code is indented
 * by (comment lines such as a doc comment's " * " are not code). Two spaces when nothing is.
 */
export function indentUnitOf(text: string): string {
  let unit: string | undefined;
  for (const [, lead] of text.matchAll(/^([ \t]+)[^\s*]/gm)) {
    if (lead!.startsWith("\t")) return "\t";
    if (unit === undefined || lead!.length < unit.length) unit = lead!;
  }
  return unit ?? "  ";
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

/**
 * Text this tool wrote (two spaces a level, no string spanning lines) in a file's habits: its
 * indentation unit and its quote.
 */
export function inStyle(text: string, style: { quote: Quote; unit: string }): string {
  const indented = style.unit === "  " ? text : text.replace(/^((?:  )+)/gm, (lead) => style.unit.repeat(lead.length / 2));
  return requote(indented, style.quote);
}
