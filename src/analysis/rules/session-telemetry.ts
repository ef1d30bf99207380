/** Shape 7: telemetry or rate limits keyed on the session id. */
import ts from "typescript";
import { SESSION_ID, isHandlerContextSessionId, isMcpCode, walk, type Rule } from "../rule.ts";

/** Calls that count, limit, trace or log: `rateLimiter.consume`, `metrics.increment`, `span.setAttribute`, `logger.info`. */
export const TELEMETRY_CALL = /(limit|metric|counter|increment|track|telemetry|span|attribute|histogram|gauge|logger|\blog\b|consume)/i;

export const sessionTelemetry: Rule = {
  id: "session-telemetry",
  prefilter: /session_?id/i,
  fix: "run `mcp-stateless migrate` (session-telemetry): key it on the caller (ctx.http?.authInfo?.clientId) or the request instead; sessions no longer exist to count by",
  analyze(source, report) {
    // Outside MCP code, `metrics.increment("page", { sessionId })` is a web session's count; a
    // helper handed a bare id there is reported where a tool passes it `extra.sessionId`.
    const keyedOnSession = isMcpCode(source) ? namesSessionId : readsHandlerContextSessionId;
    walk(source, (node) => {
      if (!ts.isCallExpression(node) || !TELEMETRY_CALL.test(node.expression.getText(source))) return;
      if (node.arguments.some(keyedOnSession)) {
        report(node, `${node.expression.getText(source)}(…) is keyed on the session id`);
      }
    });
  },
};

/** A session id named in code (`sessionId`, `{ sessionId }`, `${extra.sessionId}`), not only in text a string holds. */
function namesSessionId(node: ts.Node): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return false;
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return SESSION_ID.test(node.text);
  // `{ "session_id": sid }`: a key written as a string is still the field's name.
  if (ts.isPropertyAssignment(node) && ts.isStringLiteral(node.name) && SESSION_ID.test(node.name.text)) return true;
  return node.forEachChild((child) => namesSessionId(child) || undefined) ?? false;
}

function readsHandlerContextSessionId(node: ts.Node): boolean {
  return isHandlerContextSessionId(node) || (node.forEachChild((child) => readsHandlerContextSessionId(child) || undefined) ?? false);
}
