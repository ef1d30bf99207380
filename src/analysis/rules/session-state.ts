/** Shape 3: application state keyed by the session id (a Map, a Record, a cache, Redis). */
import ts from "typescript";
import { isHandlerContextSessionId, isMcpCode, walk, type Rule } from "../rule.ts";
import { TELEMETRY_CALL } from "./session-telemetry.ts";

export const sessionState: Rule = {
  id: "session-state",
  prefilter: /sessionId/,
  fix: "run `mcp-stateless migrate` (session-state): a create_* tool returns a handle, consumers take it as a parameter, state is kept by handle",
  analyze(source, report) {
    const mcpCode = isMcpCode(source);
    walk(source, (node) => {
      if (!ts.isPropertyAccessExpression(node) || node.name.text !== "sessionId") return;
      if (!mcpCode && !isHandlerContextSessionId(node)) return;
      // The transport's own id belongs to routing; ids passed to telemetry are the telemetry rule's.
      if (ts.isIdentifier(node.expression) && /^transport$/i.test(node.expression.text)) return;
      if (ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) return;
      for (let up: ts.Node | undefined = node.parent; up && !ts.isFunctionLike(up); up = up.parent) {
        if (ts.isCallExpression(up) && TELEMETRY_CALL.test(up.expression.getText(source))) return;
      }
      report(node, `${node.getText(source)} ties state to the client's session`);
    });
  },
};
