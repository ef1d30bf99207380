/**
 * SDK v1 handed a tool the request's headers as Node's object (`extra.requestInfo?.headers["x-api-key"]`);
 * the official codemod renames the road (`ctx.http?.req?.headers["x-api-key"]`) but v2's request
 * is a web `Request`, whose `Headers` have no such keys: the read is undefined at run time (an
 * API key never seen, every caller anonymous) and a type error under strict TypeScript, or no
 * error at all where a cast to a record hid it. Each such read becomes `.get(…)`, with
 * `?? undefined` so that it stays `string | undefined` as it was (a missing header is null to
 * `get`): read on the road itself, through a variable holding the headers, or destructured.
 * Where the headers go on to code this cannot follow (a helper, a return, a spread) a note says
 * so. The session header is left to the session-state rule. Pure: text in, text out.
 */
import ts from "typescript";
import type { Finding } from "../analysis/rule.ts";
import { quoteOf } from "../style.ts";
import { apply } from "./imports.ts";
import { isValueReference, standsAlone, type TextEdit } from "./rule.ts";

export function headerReadsByGet(file: string, text: string): { text: string; notes: Finding[] } {
  if (!/\.http\??\.req\??\.headers/.test(text)) return { text, notes: [] };
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits: TextEdit[] = [];
  const notes: Finding[] = [];
  const quote = quoteOf(text);

  /**
   * Rewrites the reads of `at`, an expression holding the request's headers whose text (with no
   * cast around it) is `headers`; `optional` when it may be undefined where the code read it as
   * a record it had cast it to.
   */
  const follow = (at: ts.Expression, headers: string, optional: boolean, depth: number): void => {
    const { holder, fallback, cast } = wrappersOf(at);
    const parent = holder.parent;
    const get = (read: { questionDotToken?: ts.QuestionDotToken }) => `${headers}${fallback || optional || read.questionDotToken ? "?." : "."}get`;
    if ((ts.isElementAccessExpression(parent) || ts.isPropertyAccessExpression(parent)) && parent.expression === holder) {
      // `headers["x-api-key"]`, or `headers.authorization` (a name Headers has no member by).
      const name = ts.isElementAccessExpression(parent) ? parent.argumentExpression.getText(source) : HEADERS_MEMBERS.has(parent.name.text) ? undefined : `${quote}${parent.name.text}${quote}`;
      if (name === undefined || !isRead(parent) || /^["'`]mcp-session-id["'`]$/i.test(name)) return;
      const read = `${get(parent)}(${name})`;
      const text = onlyTruthiness(parent) ? read : standsAlone(parent) ? `${read} ?? undefined` : `(${read} ?? undefined)`;
      edits.push({ start: parent.getStart(source), end: parent.getEnd(), text });
      return;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === holder && depth < 3) {
      const held = fallback ? `${headers} ?? new Headers()` : headers;
      if (ts.isIdentifier(parent.name)) {
        // A cast to a record, or a type written on the variable, is dropped: they were what the reads needed.
        if (holder !== at) edits.push({ start: holder.getStart(source), end: holder.getEnd(), text: held });
        if (parent.type) edits.push({ start: parent.name.getEnd(), end: parent.type.getEnd(), text: "" });
        const nowOptional = !fallback && (optional || (cast && headers.includes("?.")));
        for (const use of referencesTo(parent.name)) follow(use, parent.name.text, nowOptional, depth + 1);
        return;
      }
      const reads = ts.isObjectBindingPattern(parent.name) ? destructured(parent.name, source) : undefined;
      if (reads) {
        const declared = reads.map(({ local, name, otherwise }) => `${local} = ${get({})}(${name}) ?? ${otherwise ?? "undefined"}`);
        edits.push({ start: parent.getStart(source), end: parent.getEnd(), text: declared.join(", ") });
        return;
      }
    }
    const where = escapesTo(holder, source);
    if (where === undefined) return;
    const { line, character } = source.getLineAndCharacterOfPosition(holder.getStart(source));
    notes.push({
      rule: "sdk-v1",
      file,
      line: line + 1,
      column: character + 1,
      message: `the request's headers (${holder.getText(source)}) are handed to ${where} as in v1, where they were Node's plain object: in SDK v2 they are a web Headers, whose headers["name"] is undefined`,
      fix: `read each header there with .get(name), or hand it Object.fromEntries(${headers}) for a plain object`,
    });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && isRequestHeaders(node)) return follow(node, node.getText(source), false, 0);
    node.forEachChild(visit);
  };
  visit(source);
  return { text: edits.length ? apply(text, edits) : text, notes };
}

/** What a web `Headers` has by name: these are never a header read. */
const HEADERS_MEMBERS = new Set(["get", "has", "set", "append", "delete", "forEach", "entries", "keys", "values", "getSetCookie"]);

/** `….http?.req?.headers`, however its links are chained. */
function isRequestHeaders(node: ts.Expression): boolean {
  const names: string[] = [];
  for (let link: ts.Expression = node; ts.isPropertyAccessExpression(link) && names.length < 3; link = link.expression) names.push(link.name.text);
  return names.join(".") === "headers.req.http";
}

/**
 * The expression the code used for the headers: `at` inside its parentheses, casts, `!`, and a
 * `?? {}` (or `|| {}`) fallback, which on v2 becomes `?? new Headers()`.
 */
function wrappersOf(at: ts.Expression): { holder: ts.Expression; fallback: boolean; cast: boolean } {
  let holder = at;
  let fallback = false;
  let cast = false;
  for (;;) {
    const parent = holder.parent;
    if (ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isSatisfiesExpression(parent)) cast = true;
    else if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) {
      // Only the wrapper changes.
    } else if (ts.isBinaryExpression(parent) && parent.left === holder && isFallbackOperator(parent.operatorToken.kind) && ts.isObjectLiteralExpression(parent.right) && parent.right.properties.length === 0) fallback = true;
    else return { holder, fallback, cast };
    holder = parent;
  }
}

function isFallbackOperator(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.BarBarToken;
}

/** `{ host, "x-api-key": key, accept = "*\/*" }`: each binding's header name, local name and default; none for rest or nested patterns. */
function destructured(pattern: ts.ObjectBindingPattern, source: ts.SourceFile): Array<{ local: string; name: string; otherwise?: string }> | undefined {
  const quote = quoteOf(source.text);
  const reads: Array<{ local: string; name: string; otherwise?: string }> = [];
  for (const element of pattern.elements) {
    if (element.dotDotDotToken || !ts.isIdentifier(element.name)) return undefined;
    const key = element.propertyName ?? element.name;
    const name = ts.isIdentifier(key) ? `${quote}${key.text}${quote}` : ts.isStringLiteral(key) ? key.getText(source) : undefined;
    if (name === undefined) return undefined;
    reads.push({ local: element.name.text, name, otherwise: element.initializer?.getText(source) });
  }
  return reads.length ? reads : undefined;
}

/** Where the headers leave for code this cannot follow, said for a person; undefined where they do not. */
function escapesTo(holder: ts.Expression, source: ts.SourceFile): string | undefined {
  const parent = holder.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(holder)) {
    const callee = parent.expression.getText(source);
    return TAKES_HEADERS.has(callee) ? undefined : `${ts.isNewExpression(parent) ? "new " : ""}${callee}()`;
  }
  if (ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent)) return "a spread";
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === holder)) return "the function's caller";
  if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) return `the property ${parent.name.getText(source)}`;
  if (ts.isArrayLiteralExpression(parent)) return "an array";
  if (ts.isForInStatement(parent) && parent.expression === holder) return "a for…in loop (over a Headers it sees nothing)";
  if (ts.isBinaryExpression(parent) && parent.right === holder && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return `${parent.left.getText(source)}`;
  if (ts.isConditionalExpression(parent) && parent.condition !== holder) return "a conditional expression";
  if (ts.isVariableDeclaration(parent)) return `${parent.name.getText(source)}`;
  return undefined;
}

/** Callees that take a web Headers as it is. */
const TAKES_HEADERS = new Set(["Headers", "Object.fromEntries", "Array.from", "Map"]);

/**
 * The identifiers naming the variable `name` declares, in its scope, but not in a nested
 * function or block that declares a variable of the same name.
 */
function referencesTo(name: ts.Identifier): ts.Identifier[] {
  const scope = scopeOf(name);
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== scope && declaresOwn(node, name.text)) return;
    if (ts.isIdentifier(node) && node !== name && node.text === name.text && isValueReference(node)) found.push(node);
    node.forEachChild(visit);
  };
  visit(scope);
  return found;
}

function scopeOf(name: ts.Identifier): ts.Node {
  let node: ts.Node = name.parent;
  while (!ts.isBlock(node) && !ts.isSourceFile(node) && !ts.isModuleBlock(node) && !ts.isCaseBlock(node) && !ts.isForStatement(node) && !ts.isForOfStatement(node) && !ts.isForInStatement(node)) node = node.parent;
  return node;
}

/** Does this function, block or loop declare `name` itself (a parameter, a variable, a function)? */
function declaresOwn(node: ts.Node, name: string): boolean {
  const binds = (binding: ts.BindingName): boolean => (ts.isIdentifier(binding) ? binding.text === name : binding.elements.some((element) => !ts.isOmittedExpression(element) && binds(element.name)));
  if (ts.isFunctionLike(node)) return node.parameters.some((parameter) => binds(parameter.name));
  if (ts.isCatchClause(node)) return node.variableDeclaration !== undefined && binds(node.variableDeclaration.name);
  if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) return node.initializer.declarations.some((d) => binds(d.name));
  if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
    return node.statements.some((statement) => (ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => binds(d.name))) || ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name));
  }
  return false;
}


/** Not the target of an assignment or a delete, nor called: those were never reads of a header. */
function isRead(node: ts.ElementAccessExpression | ts.PropertyAccessExpression): boolean {
  const parent = node.parent;
  if (ts.isDeleteExpression(parent) || (ts.isCallExpression(parent) && parent.expression === node)) return false;
  return !(ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment);
}

/** Where only whether the read is truthy counts, so null does as well as undefined: a condition, `!x`, `x || y`. */
function onlyTruthiness(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isPrefixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isBinaryExpression(parent)) return parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.BarBarToken;
  if (ts.isConditionalExpression(parent)) return parent.condition === node;
  return (ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && parent.expression === node;
}
