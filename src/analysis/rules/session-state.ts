/** Shape 3: application state keyed by the session id (a Map, a Record, a cache, Redis). */
import ts from "typescript";
import { walk, type Rule } from "../rule.ts";
import { TELEMETRY_CALL } from "./session-telemetry.ts";

const MCP_CODE = /@modelcontextprotocol\/|\.(?:registerTool|tool)\s*\(/;
const HANDLER_CONTEXT = /^(?:extra|ctx|context|\w*(?:Extra|Ctx|Context))$/;

export const sessionState: Rule = {
  id: "session-state",
  prefilter: /sessionId/,
  fix: "run `mcp-stateless migrate` (session-state): a create_* tool returns a handle, consumers take it as a parameter, state is kept by handle",
  analyze(source, report) {
    // Outside MCP code (no MCP import, no tool registered) a `sessionId` is more often a web or
    // analytics session's (`view.sessionId`, `req.cookies.sessionId`): there only a handler
    // context's counts, as when a helper is handed a tool's `extra`.
    const mcpCode = MCP_CODE.test(source.text);
    walk(source, (node) => {
      if (!ts.isPropertyAccessExpression(node) || node.name.text !== "sessionId") return;
      if (!mcpCode && !(ts.isIdentifier(node.expression) && HANDLER_CONTEXT.test(node.expression.text))) return;
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
