/**
 * mcp-framework (its `MCPServer`, tools as `MCPTool` classes loaded from a folder) is built on
 * SDK v1 and takes zod 3 as a peer, so it serves only the handshake-based revisions. Over HTTP,
 * `start()` with its `http-stream` (or `sse`) transport keeps every client's transport in a map
 * in this process, keyed by `Mcp-Session-Id`, whatever `session.enabled` says (read in 0.2.22);
 * its `handleRequest(request)` and `createLambdaHandler()` build a transport and server per
 * request instead. Reported at the server it makes, never rewritten, like FastMCP.
 */
import ts from "typescript";
import { importedName, propertyNameText, walk, type Rule } from "../rule.ts";

export const mcpFramework: Rule = {
  id: "mcp-framework",
  prefilter: /["']mcp-framework["']/,
  fix: "mcp-framework has no 2026-07-28 support and needs SDK v1 and zod 3: move its tools (MCPTool classes: name, description, schema, execute) to the SDK's McpServer (server.registerTool(name, { description, inputSchema }, handler)) served by createMcpHandler, or write them as a spec for `mcp-stateless generate`; until then serve it with server.handleRequest(request) or server.createLambdaHandler(), which keep no session (not migrated automatically)",
  analyze(source, report) {
    const name = importedName(source, "mcp-framework", "MCPServer");
    if (!name) return;
    // The transport may be chosen at run time (`type: env === "stdio" ? … : …`): any HTTP type the file names counts.
    let http = false;
    let started = false;
    const servers: ts.NewExpression[] = [];
    walk(source, (node) => {
      if (ts.isPropertyAssignment(node) && propertyNameText(node.name) === "type") http ||= namesHttpType(node.initializer);
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "start" && node.arguments.length === 0) started = true;
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) servers.push(node);
    });
    const sessions = http && started ? ", with a session per client over HTTP (start() on its http-stream or sse transport keeps each client's transport in this process)" : "";
    for (const server of servers) report(server, `mcp-framework serves only the handshake-based protocol (2025-11-25 and earlier, on SDK v1)${sessions}; 2026-07-28 clients get none of it`);
  },
};

/** `"http-stream"`, `cond ? "stdio" : "sse"` and the like: a string literal of an HTTP transport's type anywhere in the value. */
function namesHttpType(value: ts.Expression): boolean {
  let found = false;
  walk(value, (node) => {
    found ||= ts.isStringLiteralLike(node) && (node.text === "http-stream" || node.text === "sse");
  });
  return found;
}
