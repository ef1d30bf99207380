/**
 * A migration rule rewrites what one `check` rule finds, where that can be done without
 * guessing: it returns minimal text edits for the findings it handles, and leaves the rest
 * to be reported (and, with --insert-todos, marked) for a person.
 */
import ts from "typescript";
import type { Finding } from "../analysis/rule.ts";

// The rules' analysis unwraps expressions, and finds a node's function, the same way.
export { declaredNames, enclosingFunction, unwrap, withoutCasts } from "../analysis/rule.ts";

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** An insertion that lands before an edit starting where it does (a new import above the statement a rule rewrites), not inside it. */
  before?: boolean;
}

/** A named import the edited file needs: `import { name } from "module"`. */
export interface ImportNeed {
  module: string;
  name: string;
}

export interface MigrationResult {
  edits: TextEdit[];
  /** The findings these edits resolve; the rest stay reported. */
  handled: Finding[];
  imports?: ImportNeed[];
  /** Tools that now take as a parameter (a handle, a value) what they used to wait for. */
  parameterised?: ts.CallExpression[];
  /**
   * Why the rule's findings in this file stay, when it can say: what a person does first. It
   * stands in for the rule's fix on every finding of the rule left in the file, so a rule gives
   * one only when it holds for all of them.
   */
  unmoved?: string;
  /** Why each of these findings stays, where findings of one rule stay for different reasons (before `unmoved`). */
  unmovedEach?: Array<[Finding, string]>;
}

/** What a rule may ask of the file it edits, beyond its text. */
export interface MigrationContext {
  /** The module specifier that imports the handle runtime from this file. */
  handleRuntime: string;
  /** What the rules before this one parameterised (filled as they run: list-mutation reads it). */
  parameterised: Set<ts.CallExpression>;
  /** What an import of this file names, when it is a module of the project. */
  importedText?: ImportedText;
}

/**
 * What an import names: the module's text when the run read it, null when it is a module of the
 * project (relative, or through a tsconfig path alias) the run did not read, undefined otherwise.
 */
export type ImportedText = (specifier: string) => string | null | undefined;

export interface Migration {
  /** The `check` rule whose findings this rewrites. */
  rule: string;
  migrate(source: ts.SourceFile, findings: Finding[], context: MigrationContext): MigrationResult;
}

/**
 * The whole line(s) a node stands on, newline included, when nothing else shares them; with
 * `comments`, the comment lines right above it too (they speak of what goes).
 */
export function ownLines(source: ts.SourceFile, node: ts.Node, comments = false): TextEdit | undefined {
  const text = source.text;
  const leading = comments ? (ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) : [];
  const own = leading.filter((range) => !/\n\s*\n/.test(text.slice(range.end, node.getStart(source))));
  const start = text.lastIndexOf("\n", (own[0]?.pos ?? node.getStart(source)) - 1) + 1;
  let end = node.getEnd();
  if (text[end] === ",") end += 1;
  if (text[end] === ";") end += 1;
  const newline = text.indexOf("\n", end);
  const lineEnd = newline === -1 ? text.length : newline + 1;
  const before = text.slice(start, own[0]?.pos ?? node.getStart(source));
  const after = text.slice(end, lineEnd);
  if (before.trim() !== "" || (after.trim() !== "" && !after.trim().startsWith("//"))) return undefined;
  return { start, end: lineEnd, text: "" };
}

/**
 * Each statement's lines (given in the order they stand, with the comments on the lines above
 * them) taken out, with a blank line below that would be left doubled or leading (what is above
 * counts as it will be, without the statements taken out before it); undefined where one shares
 * its lines.
 */
export function removals(source: ts.SourceFile, statements: readonly ts.Statement[]): TextEdit[] | undefined {
  const text = source.text;
  const edits: TextEdit[] = [];
  for (const statement of statements) {
    const lines = ownLines(source, statement, true);
    if (!lines) return undefined;
    let above = lines.start;
    for (const earlier of [...edits].reverse()) if (earlier.end === above) above = earlier.start;
    // Nothing but a blank line or a block's opening above.
    const blankBefore = above === 0 || /(\{|\n)[ \t]*\n$/.test(text.slice(0, above));
    const next = text.indexOf("\n", lines.end);
    edits.push(blankBefore && next !== -1 && text.slice(lines.end, next).trim() === "" ? { ...lines, end: next + 1 } : lines);
  }
  return edits;
}

/**
 * A migration whose findings each stand alone: `rewrite` gives the edits for one finding, or
 * nothing when that one is not for it to move.
 */
export function perFinding(findings: readonly Finding[], rewrite: (finding: Finding) => TextEdit[] | TextEdit | undefined): MigrationResult {
  const edits: TextEdit[] = [];
  const handled: Finding[] = [];
  for (const finding of findings) {
    const result = rewrite(finding);
    if (!result || (Array.isArray(result) && result.length === 0)) continue;
    edits.push(...(Array.isArray(result) ? result : [result]));
    handled.push(finding);
  }
  return { edits, handled };
}

/** The offset of a finding in its file. */
export function offsetOf(source: ts.SourceFile, finding: Finding): number {
  return source.getPositionOfLineAndCharacter(finding.line - 1, finding.column - 1);
}

/** The finding that starts where a node does. */
export function findingAt(source: ts.SourceFile, findings: readonly Finding[], node: ts.Node): Finding | undefined {
  return findings.find((f) => offsetOf(source, f) === node.getStart(source));
}

/** Properties taken out of an object literal: whole lines where each has its own, else with their commas; all of them, `{}`. */
export function withoutProperties(source: ts.SourceFile, object: ts.ObjectLiteralExpression, gone: ReadonlySet<ts.ObjectLiteralElementLike>): TextEdit[] {
  if (gone.size === object.properties.length) return [{ start: object.getStart(source) + 1, end: object.getEnd() - 1, text: "" }];
  const lines = [...gone].map((p) => ownLines(source, p, true));
  if (lines.every((edit): edit is TextEdit => edit !== undefined)) return lines;
  const edits: TextEdit[] = [];
  const properties = object.properties;
  for (let i = 0; i < properties.length; i++) {
    if (!gone.has(properties[i]!)) continue;
    let last = i;
    while (last + 1 < properties.length && gone.has(properties[last + 1]!)) last++;
    const next = properties[last + 1];
    // A run up to the next property's start; a run at the end from the comma after the property
    // before it; every property: the braces left empty.
    const before = properties[i - 1];
    if (next) edits.push({ start: properties[i]!.getStart(source), end: next.getStart(source), text: "" });
    else if (before) edits.push({ start: before.getEnd(), end: properties[last]!.getEnd(), text: "" });
    else edits.push({ start: object.getStart(source) + 1, end: object.getEnd() - 1, text: "" });
    i = last;
  }
  return edits;
}

/** The innermost node starting exactly at `position` that satisfies `test`. */
export function nodeStartingAt<T extends ts.Node>(source: ts.SourceFile, position: number, test: (node: ts.Node) => node is T): T | undefined {
  let found: T | undefined;
  const visit = (node: ts.Node) => {
    if (node.getStart(source) === position && test(node)) found = node;
    if (node.getStart(source) <= position && position < node.getEnd()) node.forEachChild(visit);
  };
  visit(source);
  return found;
}

/** The whitespace a line starts with. */
export function indentOf(source: ts.SourceFile, node: ts.Node): string {
  const text = source.text;
  const lineStart = text.lastIndexOf("\n", node.getStart(source) - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Text written for module level, indented by `indent` (lines of nothing but it left empty). */
export function indentedBy(text: string, indent: string): string {
  return indent ? text.replace(/^(?=.)/gm, indent).replace(/^[ \t]+$/gm, "") : text;
}

/** Declarations written for module level, inserted above a statement (and its comments), indented as it is. */
export function insertedAbove(source: ts.SourceFile, statement: ts.Statement, text: string): TextEdit {
  const at = source.text.lastIndexOf("\n", attachedStart(source, statement) - 1) + 1;
  return { start: at, end: at, text: indentedBy(text, indentOf(source, statement)) };
}

/** A node's first line, quoted in a message: at most 60 characters. */
export function firstLineOf(source: ts.SourceFile, node: ts.Node): string {
  const [first] = node.getText(source).split("\n") as [string];
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

/** The statement of the source file that holds a node. */
export function topLevelStatement(node: ts.Node): ts.Statement {
  let up = node;
  while (up.parent && !ts.isSourceFile(up.parent)) up = up.parent;
  return up as ts.Statement;
}

/** The statement holding a node, in whatever block it sits. */
export function statementOf(node: ts.Node): ts.Statement {
  let up: ts.Node = node;
  while (up.parent && !ts.isBlock(up.parent) && !ts.isSourceFile(up.parent)) up = up.parent;
  return ts.isSourceFile(up.parent) ? topLevelStatement(node) : (up as ts.Statement);
}

/** Where a statement begins with the comments written on the lines right above it (no blank line between). */
export function attachedStart(source: ts.SourceFile, statement: ts.Statement): number {
  let start = statement.getStart(source);
  const comments = ts.getLeadingCommentRanges(source.text, statement.getFullStart()) ?? [];
  for (const comment of [...comments].reverse()) {
    if (source.text.slice(comment.end, start).split("\n").length > 2) break;
    start = comment.pos;
  }
  return start;
}


/** Whether code awaits in its own body (`await`, `for await`), not in a function it holds. */
export function awaits(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
  if (ts.isFunctionLike(node)) return false;
  return node.forEachChild((child) => awaits(child) || undefined) ?? false;
}

/** The last variable of this name declared with a value anywhere within `scope`. */
export function declarationIn(scope: ts.Node, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) found = node;
    node.forEachChild(visit);
  };
  visit(scope);
  return found;
}

/** A function declared at module level by name: `function f(…) {…}`, or `const f = (…) => …` (or a function expression). */
export function moduleFunction(source: ts.SourceFile, name: string): ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | undefined {
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) return statement;
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      const init = d.initializer;
      if (ts.isIdentifier(d.name) && d.name.text === name && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
    }
  }
  return undefined;
}

/** Every identifier in a subtree with this text (a cheap, scope-blind reference test). */
export function mentions(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (child: ts.Node) => {
    if (found) return;
    if (ts.isIdentifier(child) && child.text === name) found = true;
    else child.forEachChild(visit);
  };
  visit(node);
  return found;
}

/** Whether any of these nodes reads one of `names` (a member `x.name` is no read of `name`). */
export function readsAny(nodes: readonly ts.Node[], names: ReadonlySet<string>): boolean {
  const reads = (node: ts.Node): boolean =>
    (ts.isIdentifier(node) && names.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) || (node.forEachChild((child) => reads(child) || undefined) ?? false);
  return nodes.some(reads);
}

/** Every statement in the file, at any depth. */
export function allStatements(source: ts.SourceFile): ts.Statement[] {
  const found: ts.Statement[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableStatement(node) || ts.isFunctionDeclaration(node)) found.push(node);
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

/** Whether a statement declares one of `names` (a function, or a variable). */
export function declaresAny(statement: ts.Statement, names: ReadonlySet<string>): boolean {
  if (ts.isFunctionDeclaration(statement)) return names.has(statement.name?.text ?? "");
  return ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && names.has(d.name.text));
}

/** Every use of `name` as an identifier in `scope` (a file, a function), its declaration included; not `x.name` members. */
export function references(scope: ts.Node, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === name && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !namesTypeParameter(node) && !namesMember(node)) found.push(node);
    node.forEachChild(visit);
  };
  visit(scope);
  return found;
}

/** A member's name (`{ server: x }`, `interface I { server: S }`, a method's, an enum member's, `{ server: s } = o`): no variable's. */
function namesMember(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isBindingElement(parent)) return parent.propertyName === id;
  const named = ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodSignature(parent) || ts.isMethodDeclaration(parent) || ts.isGetAccessorDeclaration(parent) || ts.isSetAccessorDeclaration(parent) || ts.isEnumMember(parent);
  return named && parent.name === id;
}

/** A parameter's name in a signature with no body (`setup: (server: McpServer) => void`): it names nothing outside. */
function namesTypeParameter(id: ts.Identifier): boolean {
  const parameter = id.parent;
  if (!ts.isParameter(parameter) || parameter.name !== id) return false;
  const signature = parameter.parent;
  return ts.isFunctionTypeNode(signature) || ts.isConstructorTypeNode(signature) || ts.isMethodSignature(signature) || ts.isCallSignatureDeclaration(signature) || ts.isConstructSignatureDeclaration(signature) || ts.isIndexSignatureDeclaration(signature);
}

/** Whether a file is JavaScript (`.js`, `.mjs`, `.cjs`, `.jsx`): no types to read or to write. */
export function isJavaScript(file: string): boolean {
  return /\.[cm]?jsx?$/.test(file);
}

/** Calls `visit` on each `x.<name>(…)` call under `node`. */
export function walkCalls(node: ts.Node, name: string, visit: (call: ts.CallExpression) => void): void {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === name) visit(node);
  node.forEachChild((child) => walkCalls(child, name, visit));
}

/** Where `a ?? b` needs no parentheses: a whole initializer, argument, return value, array element or template part. */
export function standsAlone(node: ts.Expression): boolean {
  const parent = node.parent;
  return (
    (ts.isVariableDeclaration(parent) && parent.initializer === node) ||
    (ts.isPropertyAssignment(parent) && parent.initializer === node) ||
    ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && (parent.arguments ?? ([] as readonly ts.Expression[])).includes(node)) ||
    ts.isReturnStatement(parent) ||
    ts.isArrayLiteralExpression(parent) ||
    (ts.isArrowFunction(parent) && parent.body === node) ||
    ts.isTemplateSpan(parent) ||
    ts.isParenthesizedExpression(parent)
  );
}

/** Whether a variable is declared `const`. */
export function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** Calls `visit` on each identifier read as a value under a node. */
export function walkIdentifiers(node: ts.Node, visit: (id: ts.Identifier) => void): void {
  if (ts.isIdentifier(node) && isValueReference(node)) visit(node);
  node.forEachChild((child) => walkIdentifiers(child, visit));
}

/** An identifier used as a value: not a property's name, nor a declaration's. */
export function isValueReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isBindingElement(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  return !(ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isImportSpecifier(parent) || ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent)) || (ts.isVariableDeclaration(parent) && parent.initializer === node);
}

/** `import { server } from "./mcp"` (or `{ mcp as server }`): the module, and the name it exports the value by. */
export function importOf(source: ts.SourceFile, local: string): { specifier: string; name: string } | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.importClause?.isTypeOnly) continue;
    const bindings = statement.importClause?.namedBindings;
    const element = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => e.name.text === local && !e.isTypeOnly) : undefined;
    if (element) return { specifier: statement.moduleSpecifier.text, name: (element.propertyName ?? element.name).text };
  }
  return undefined;
}

/** The local name a module exports as `exported`: `export function exported`, `export const exported`, `export { local as exported }`. */
export function exportedLocal(module: ts.SourceFile, exported: string): string | undefined {
  for (const statement of module.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    const element = statement.exportClause.elements.find((e) => e.name.text === exported);
    if (element) return (element.propertyName ?? element.name).text;
  }
  const exporting = (s: ts.Statement) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const declares = (s: ts.Statement) =>
    ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === exported) || (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === exported));
  return module.statements.some((s) => exporting(s) && declares(s)) ? exported : undefined;
}
