/**
 * FastMCP (the `fastmcp` package) serves only the handshake-based revisions (2025-11-25 and
 * earlier, on SDK v1), as its own README says: over HTTP it keeps a session per client unless it
 * is started with `httpStream: { stateless: true }`, and a current client gets no 2026-07-28 at
 * all. Reported at the server it makes, never rewritten: its tools (`addTool({ name, parameters,
 * execute })`, answers as strings, `context.session`) have no one-to-one form in SDK v2.
 */
import ts from "typescript";
import { importedName, propertyNameText, walk, type Rule } from "../rule.ts";

export const fastMcp: Rule = {
  id: "fastmcp",
  prefilter: /["']fastmcp["']/,
  fix: "FastMCP has no 2026-07-28 support: move its tools to the SDK's McpServer (server.registerTool(name, { description, inputSchema }, handler), answers as content) served by createMcpHandler, or write them as a spec for `mcp-stateless generate`; until then start it with httpStream: { stateless: true }, so no instance keeps a session (not migrated automatically)",
  analyze(source, report) {
    const name = importedName(source, "fastmcp", "FastMCP");
    if (!name) return;
    let statelessStart = false;
    walk(source, (node) => {
      statelessStart ||= ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "start" && startsStateless(node);
    });
    walk(source, (node) => {
      if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== name) return;
      report(node, `FastMCP serves only the handshake-based protocol (2025-11-25 and earlier, SDK v1)${statelessStart ? "" : ", with a session per client over HTTP (it is not started stateless)"}; 2026-07-28 clients get none of it`);
    });
  },
};

/** `server.start({ transportType: "httpStream", httpStream: { stateless: true } })`. */
function startsStateless(call: ts.CallExpression): boolean {
  const [options] = call.arguments;
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  const http = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyNameText(p.name) === "httpStream");
  return !!http && ts.isObjectLiteralExpression(http.initializer) && /\bstateless\s*:\s*true\b/.test(http.initializer.getText());
}
