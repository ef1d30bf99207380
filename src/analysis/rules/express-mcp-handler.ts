/**
 * express-mcp-handler (0.3.0, on SDK v1) serves an McpServer factory from Express through SDK v1
 * transports of its own. `statelessHandler` makes one per request: the 2025-era protocol only
 * (an SDK v2 server runs behind it, tried with express 5, but only in that era), which `migrate`
 * rewrites to createMcpHandler. `statefulHandlers` keeps one per session, routed by
 * `Mcp-Session-Id`, and `sseHandlers` serves the legacy SSE transport: reported, never
 * rewritten (their session callbacks are the app's own code), and their file waits for them.
 */
import type ts from "typescript";
import { importedCalls, type Rule } from "../rule.ts";

const MODULE = "express-mcp-handler";

/** What a route on createMcpHandler looks like in Express: the one handler, handed the body express.json() has read. */
const ROUTE_FIX = "const mcpHandler = toNodeHandler(createMcpHandler(createServer)) (toNodeHandler from @modelcontextprotocol/node), routed as app.post(path, (req, res) => mcpHandler(req, res, req.body)) since express.json() has read the body";

export const expressMcpHandler: Rule = {
  id: "express-mcp-handler",
  prefilter: /["']express-mcp-handler["']/,
  fix: `run \`mcp-stateless migrate\` (express-mcp-handler): ${ROUTE_FIX}, which serves both eras`,
  analyze(source, report) {
    for (const call of statelessHandlerCalls(source)) {
      report(call, "express-mcp-handler's statelessHandler serves only the 2025-era protocol (an SDK v1 transport per request); createMcpHandler serves each request, in both eras");
    }
  },
};

const SESSIONFUL: Record<string, string> = {
  statefulHandlers: "statefulHandlers keeps an SDK v1 transport per session, routed by Mcp-Session-Id, in the 2025-era protocol only",
  sseHandlers: "sseHandlers serves the legacy SSE transport: a stream per client, its messages routed back by session id",
};

export const expressMcpSessions: Rule = {
  id: "express-mcp-sessions",
  prefilter: /["']express-mcp-handler["']/,
  fix: `serve the same factory with SDK v2's createMcpHandler, which answers both eras without sessions: ${ROUTE_FIX}, GET and DELETE answered 405; move what the session callbacks did, then drop express-mcp-handler (not migrated automatically)`,
  analyze(source, report) {
    for (const { call, exported } of importedCalls(source, Object.keys(SESSIONFUL).map((name) => [MODULE, name] as const))) {
      report(call, `express-mcp-handler's ${SESSIONFUL[exported]}; createMcpHandler serves each request, in both eras`);
    }
  },
};

/** `statelessHandler(…)` calls, under whatever name the file imports it. */
export function statelessHandlerCalls(source: ts.SourceFile): ts.CallExpression[] {
  return importedCalls(source, [[MODULE, "statelessHandler"]]).map(({ call }) => call);
}
