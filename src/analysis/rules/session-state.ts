/** Shape 3: application state keyed by the session id (a Map, a Record, a cache, Redis). */
import ts from "typescript";
import { isHandlerContextName, isHandlerContextSessionId, isMcpCode, isTypedAsProjectOwn, propertyNameText, sessionHeaderRead, walk, type Rule } from "../rule.ts";
import { TELEMETRY_CALL } from "./session-telemetry.ts";

export const sessionState: Rule = {
  id: "session-state",
  prefilter: /sessionId|mcp-session-id/i,
  fix: "run `mcp-stateless migrate` (session-state): a create_* tool returns a handle, consumers take it as a parameter, state is kept by handle",
  analyze(source, report) {
    const mcpCode = isMcpCode(source);
    // A tool taking a `sessionId` of its own (a tracing service's, an analytics session): reads of it off anything but a context are that.
    const parameter = declaresSessionIdParameter(source);
    walk(source, (node) => {
      // The Mcp-Session-Id header read off a handler's context, unless it is the fallback of an `X.sessionId` reported already.
      const header = sessionHeaderRead(node);
      if (header) {
        if (!isFallbackOfSessionId(header.read) && !inTelemetryCall(source, header.read)) report(header.read, `${header.read.getText(source)} ties state to the client's session`);
        return;
      }
      if (!ts.isPropertyAccessExpression(node) || node.name.text !== "sessionId") return;
      if (!mcpCode && !isHandlerContextSessionId(node)) return;
      if (ts.isIdentifier(node.expression) && isTypedAsProjectOwn(node.expression)) return;
      if (parameter && ts.isIdentifier(node.expression) && !isHandlerContextName(node.expression.text)) return;
      // The transport's own id belongs to routing; ids passed to telemetry are the telemetry rule's.
      if (ts.isIdentifier(node.expression) && /^transport$/i.test(node.expression.text)) return;
      if (ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) return;
      if (inTelemetryCall(source, node)) return;
      report(node, `${node.getText(source)} ties state to the client's session`);
    });
  },
};

/** Whether the file declares `sessionId` as a field of an input schema: zod's (`sessionId: z.string()`) or JSON Schema's (`sessionId: { type: "string" }`). */
function declaresSessionIdParameter(source: ts.SourceFile): boolean {
  let found = false;
  walk(source, (node) => {
    if (found || !ts.isPropertyAssignment(node) || propertyNameText(node.name) !== "sessionId") return;
    const value = node.initializer;
    found = (ts.isCallExpression(value) && /^z\s*\./.test(value.getText(source))) || (ts.isObjectLiteralExpression(value) && value.properties.some((p) => propertyNameText(p.name) === "type"));
  });
  return found;
}

function inTelemetryCall(source: ts.SourceFile, node: ts.Node): boolean {
  for (let up: ts.Node | undefined = node.parent; up && !ts.isFunctionLike(up); up = up.parent) {
    if (ts.isCallExpression(up) && TELEMETRY_CALL.test(up.expression.getText(source))) return true;
  }
  return false;
}

/** `extra.sessionId ?? extra.requestInfo?.headers["mcp-session-id"]` (or `||`): the header is the id's fallback. */
function isFallbackOfSessionId(read: ts.Expression): boolean {
  let up: ts.Node = read;
  while (ts.isParenthesizedExpression(up.parent) || ts.isAsExpression(up.parent) || ts.isNonNullExpression(up.parent)) up = up.parent;
  const parent = up.parent;
  if (!ts.isBinaryExpression(parent) || parent.right !== up) return false;
  if (parent.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken && parent.operatorToken.kind !== ts.SyntaxKind.BarBarToken) return false;
  let readsId = false;
  walk(parent.left, (node) => {
    readsId ||= ts.isPropertyAccessExpression(node) && node.name.text === "sessionId";
  });
  return readsId;
}
