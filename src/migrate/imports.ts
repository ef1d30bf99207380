/**
 * Import bookkeeping around a rewrite: the names a rewrite needs are added (to an existing
 * import of the module when there is one), and what the rewrite left unused is removed:
 * imports, and module-level session plumbing such as a `transports` map. Only names that
 * were used before and are not after go: what a person left unused stays theirs.
 */
import ts from "typescript";
import { quoteOf, requote, semicolonsOf, withoutSemicolons } from "../style.ts";
import { allStatements, type ImportNeed, type TextEdit } from "./rule.ts";

export function addImports(source: ts.SourceFile, needs: readonly ImportNeed[]): TextEdit[] {
  const imported = new Set<string>();
  const declarations = source.statements.filter(ts.isImportDeclaration);
  for (const declaration of declarations) for (const name of boundNames(declaration)) imported.add(name);
  const byModule = new Map<string, string[]>();
  for (const need of needs) {
    if (imported.has(need.name)) continue;
    imported.add(need.name);
    byModule.set(need.module, [...(byModule.get(need.module) ?? []), need.name]);
  }
  const edits: TextEdit[] = [];
  const last = declarations.at(-1);
  for (const [i, [module, names]] of [...byModule].entries()) {
    const existing = declarations.find((d) => moduleOf(d) === module && !d.importClause?.isTypeOnly && d.importClause?.namedBindings && ts.isNamedImports(d.importClause.namedBindings));
    if (existing) {
      const elements = (existing.importClause!.namedBindings as ts.NamedImports).elements;
      const at = elements.length ? elements.at(-1)!.getEnd() : existing.importClause!.namedBindings!.getStart(source) + 1;
      edits.push({ start: at, end: at, text: `${elements.length ? ", " : " "}${names.join(", ")}${elements.length ? "" : " "}` });
    } else {
      const at = last ? lineEnd(source.text, last.getEnd()) : firstCodeLine(source);
      // A file's first imports stand apart from its code by a blank line, as imports do.
      const apart = !last && i === byModule.size - 1 ? "\n" : "";
      edits.push({ start: at, end: at, text: `import { ${names.join(", ")} } from "${module}";\n${apart}`, before: true });
    }
  }
  return edits;
}

/** Removes imports and session plumbing that `after` no longer uses but `before` did. */
export function dropOrphans(file: string, before: string, after: string): string {
  const used = references(parse(file, before));
  let text = after;
  // Removing a declaration can orphan the imports its type annotation used: go round until still.
  for (let round = 0; round < 4; round++) {
    const source = parse(file, text);
    const now = references(source);
    const orphaned = (name: string) => (used.get(name) ?? 0) > 0 && (now.get(name) ?? 0) === 0;
    const edits: TextEdit[] = [];
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement)) edits.push(...dropImports(source, statement, orphaned));
    }
    // Plumbing lives at module level, or in a main() that sets the whole server up; what goes
    // inside plumbing that goes is not removed twice.
    const plumbing = [...allStatements(source), ...typesAndPrivateMembers(source)].filter((statement) => isSessionPlumbing(source, statement) && declaredNames(statement).every(orphaned));
    const inside = (statement: ts.Node) => plumbing.some((outer) => outer !== statement && outer.pos <= statement.pos && statement.end <= outer.end);
    for (const statement of plumbing) if (!inside(statement)) edits.push(wholeLines(source, statement, true));
    if (edits.length === 0) break;
    text = apply(text, edits);
  }
  return text;
}

/**
 * Leftovers of session routing: `const transports = {}`, a `handleSessionRequest`
 * function, the `eventStore` that only the per-session transports replayed from, the
 * `interface SessionEntry` a sessions map held.
 */
function isSessionPlumbing(source: ts.SourceFile, statement: ts.Statement | PrivateMember): boolean {
  if (!(ts.isVariableStatement(statement) || ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || isPrivateMember(statement))) return false;
  if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return false;
  return declaredNames(statement).length > 0 && /transport|session|eventstore/i.test(statement.getText(source));
}

/**
 * Interfaces and type aliases, wherever they stand, and a class's private fields and methods
 * (`private transports = new Map()`, the `private handleSession(req, res)` only its GET route called).
 */
function typesAndPrivateMembers(source: ts.SourceFile): Array<ts.Statement | PrivateMember> {
  const found: Array<ts.Statement | PrivateMember> = [];
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || isPrivateMember(node)) found.push(node);
    else node.forEachChild(visit);
  };
  visit(source);
  return found;
}

type PrivateMember = ts.PropertyDeclaration | ts.MethodDeclaration;

/** A field or method nothing outside its class can use: `private` or `#name`, so its uses are all in this file. */
function isPrivateMember(node: ts.Node): node is PrivateMember {
  return (ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node)) && (ts.isPrivateIdentifier(node.name) || (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword));
}

function declaredNames(statement: ts.Statement | PrivateMember): string[] {
  if (ts.isPropertyDeclaration(statement) || ts.isMethodDeclaration(statement)) return ts.isIdentifier(statement.name) || ts.isPrivateIdentifier(statement.name) ? [statement.name.text] : [];
  if (ts.isFunctionDeclaration(statement)) return statement.name ? [statement.name.text] : [];
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return [statement.name.text];
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : "")).filter(Boolean);
  }
  return [];
}

function dropImports(source: ts.SourceFile, declaration: ts.ImportDeclaration, orphaned: (name: string) => boolean): TextEdit[] {
  const clause = declaration.importClause;
  if (!clause) return [];
  const names = boundNames(declaration);
  if (names.length && names.every(orphaned)) return [wholeLines(source, declaration)];
  const bindings = clause.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return [];
  const keep = bindings.elements.filter((e) => !orphaned(e.name.text));
  if (keep.length === bindings.elements.length) return [];
  return [{ start: bindings.getStart(source), end: bindings.getEnd(), text: `{ ${keep.map((e) => e.getText(source)).join(", ")} }` }];
}

function boundNames(declaration: ts.ImportDeclaration): string[] {
  const clause = declaration.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name.text));
  return names;
}

/** How often each identifier is used, not counting the places that declare it. */
function references(source: ts.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) return;
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && !isDeclarationName(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
    node.forEachChild(visit);
  };
  visit(source);
  return counts;
}

function isDeclarationName(node: ts.Identifier | ts.PrivateIdentifier): boolean {
  const parent = node.parent;
  return (ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === node;
}

function moduleOf(declaration: ts.ImportDeclaration): string {
  return ts.isStringLiteral(declaration.moduleSpecifier) ? declaration.moduleSpecifier.text : "";
}

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

/** The lines a node stands on; with `comments`, the comment lines right above it too. */
function wholeLines(source: ts.SourceFile, node: ts.Node, comments = false): TextEdit {
  const text = source.text;
  const leading = comments ? ts.getLeadingCommentRanges(text, node.getFullStart()) : undefined;
  // A blank line separates a statement's own comment from the one above it (a file header).
  const own = leading?.filter((range) => !/\n\s*\n/.test(text.slice(range.end, node.getStart(source))));
  const from = own?.length ? own[0]!.pos : node.getStart(source);
  const start = text.lastIndexOf("\n", from - 1) + 1;
  let end = lineEnd(text, node.getEnd());
  // Between two blank lines, one of them goes too; so does one it would leave opening a block.
  if (comments && text[end] === "\n" && (text.slice(start - 2, start) === "\n\n" || /\{[ \t]*\n$/.test(text.slice(0, start)))) end += 1;
  // And a blank line it would leave closing one (the last method of a class).
  else if (comments && text.slice(start - 2, start) === "\n\n" && /^[ \t]*\}/.test(text.slice(end))) return { start: start - 1, end, text: "" };
  return { start, end, text: "" };
}

function lineEnd(text: string, at: number): number {
  const newline = text.indexOf("\n", at);
  return newline === -1 ? text.length : newline + 1;
}

/** Below a leading comment block and shebang, where a first import goes. */
function firstCodeLine(source: ts.SourceFile): number {
  const first = source.statements[0];
  return first ? source.text.lastIndexOf("\n", first.getStart(source) - 1) + 1 : source.text.length;
}

/** Applies non-overlapping edits, last first so earlier offsets stay valid. */
export function apply(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  // From the end back; at one offset an insertion marked `before` goes in last, so it lands first.
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end || Number(a.before ?? false) - Number(b.before ?? false))) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

/** The edits applied, what they wrote in the file's quotes and semicolons; the file's own text is left as it is. */
export function applyInFileStyle(file: string, text: string, edits: readonly TextEdit[]): string {
  const ranges = insertedRanges(edits);
  const requoted = requote(apply(text, edits), quoteOf(text), ranges, file);
  return semicolonsOf(text, file) ? requoted : withoutSemicolons(requoted, ranges, file);
}

/**
 * Where the edits' texts land in the edited file: offsets shift by what earlier edits changed.
 * Edits at one offset land side by side, so they make one range together.
 */
function insertedRanges(edits: readonly TextEdit[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let shift = 0;
  let previousStart = -1;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const last = ranges.at(-1);
    if (last && edit.start === previousStart) last[1] += edit.text.length;
    else ranges.push([edit.start + shift, edit.start + shift + edit.text.length]);
    previousStart = edit.start;
    shift += edit.text.length - (edit.end - edit.start);
  }
  return ranges;
}
