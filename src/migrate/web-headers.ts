/**
 * SDK v1 handed a tool the request's headers as Node's object (`extra.requestInfo?.headers["x-api-key"]`);
 * the official codemod renames the road (`ctx.http?.req?.headers["x-api-key"]`) but v2's request
 * is a web `Request`, whose `Headers` have no such keys: the read is undefined at run time (an
 * API key never seen, every caller anonymous) and a type error under strict TypeScript. Each such
 * read becomes `.get(…)`, with `?? undefined` so that it stays `string | undefined` as it was (a
 * missing header is null to `get`). The session header is left to the session-state rule.
 * Pure: text in, text out.
 */
import ts from "typescript";
import { quoteOf } from "../style.ts";
import { apply } from "./imports.ts";
import type { TextEdit } from "./rule.ts";

export function headerReadsByGet(file: string, text: string): string {
  if (!/\.http\??\.req\??\.headers/.test(text)) return text;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits: TextEdit[] = [];
  const quote = quoteOf(text);
  const visit = (node: ts.Node) => {
    // `headers["x-api-key"]`, or `headers.authorization` (a name Headers has no member by).
    const name = ts.isElementAccessExpression(node) ? node.argumentExpression.getText(source) : ts.isPropertyAccessExpression(node) && !HEADERS_MEMBERS.has(node.name.text) ? `${quote}${node.name.text}${quote}` : undefined;
    if (name !== undefined && (ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) && isRequestHeaders(node.expression) && isRead(node) && !/^["'`]mcp-session-id["'`]$/i.test(name)) {
      const headers = node.expression.getText(source);
      const optional = node.questionDotToken ? "?." : ".";
      const read = `${headers}${optional}get(${name}) ?? undefined`;
      edits.push({ start: node.getStart(source), end: node.getEnd(), text: standsAlone(node) ? read : `(${read})` });
      return;
    }
    node.forEachChild(visit);
  };
  visit(source);
  return edits.length ? apply(text, edits) : text;
}

/** What a web `Headers` has by name: these are never a header read. */
const HEADERS_MEMBERS = new Set(["get", "has", "set", "append", "delete", "forEach", "entries", "keys", "values", "getSetCookie"]);

/** `….http?.req?.headers`, however its links are chained. */
function isRequestHeaders(node: ts.Expression): boolean {
  const names: string[] = [];
  for (let link: ts.Expression = node; ts.isPropertyAccessExpression(link) && names.length < 3; link = link.expression) names.push(link.name.text);
  return names.join(".") === "headers.req.http";
}

/** Not the target of an assignment or a delete, nor called: those were never reads of a header. */
function isRead(node: ts.ElementAccessExpression | ts.PropertyAccessExpression): boolean {
  const parent = node.parent;
  if (ts.isDeleteExpression(parent) || (ts.isCallExpression(parent) && parent.expression === node)) return false;
  return !(ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment);
}

/** Where `a ?? b` needs no parentheses: a whole initializer, argument, return value or template part. */
function standsAlone(node: ts.Expression): boolean {
  const parent = node.parent;
  return (
    (ts.isVariableDeclaration(parent) && parent.initializer === node) ||
    (ts.isPropertyAssignment(parent) && parent.initializer === node) ||
    ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && (parent.arguments ?? ([] as readonly ts.Expression[])).includes(node)) ||
    ts.isReturnStatement(parent) ||
    ts.isTemplateSpan(parent) ||
    ts.isParenthesizedExpression(parent)
  );
}

