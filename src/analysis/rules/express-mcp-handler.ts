/**
 * express-mcp-handler (0.3.0, on SDK v1) serves an McpServer factory from Express through SDK v1
 * transports of its own: `statelessHandler` makes one per request (the 2025-era protocol only),
 * `statefulHandlers` keeps one per session, routed by `Mcp-Session-Id`, and `sseHandlers` serves
 * the legacy SSE transport. An SDK v2 server runs behind them (tried with express 5), but only in
 * the 2025 era. Reported at each call, never rewritten: the route it becomes takes the body
 * express.json() has read, which the handler passed to a route does not show.
 */
import { importedCalls, type Rule } from "../rule.ts";

const WHAT: Record<string, string> = {
  statelessHandler: "statelessHandler serves only the 2025-era protocol (an SDK v1 transport per request)",
  statefulHandlers: "statefulHandlers keeps an SDK v1 transport per session, routed by Mcp-Session-Id, in the 2025-era protocol only",
  sseHandlers: "sseHandlers serves the legacy SSE transport: a stream per client, its messages routed back by session id",
};

export const expressMcpHandler: Rule = {
  id: "express-mcp-handler",
  prefilter: /["']express-mcp-handler["']/,
  fix: "serve the same factory with SDK v2's createMcpHandler, which answers both eras without sessions: const mcpHandler = toNodeHandler(createMcpHandler(createServer)) (toNodeHandler from @modelcontextprotocol/node), routed as app.post(path, (req, res) => mcpHandler(req, res, req.body)) since express.json() has read the body, GET and DELETE answered 405; then drop express-mcp-handler (not migrated automatically)",
  analyze(source, report) {
    for (const { call, exported } of importedCalls(source, Object.keys(WHAT).map((name) => ["express-mcp-handler", name] as const))) {
      report(call, `express-mcp-handler's ${WHAT[exported]}; createMcpHandler serves each request, in both eras`);
    }
  },
};
