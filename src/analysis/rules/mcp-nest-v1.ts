/**
 * `McpModule.forRoot(…)` is @rekog/mcp-nest 1.x, built on SDK v1 (2.x, on SDK v2, replaced it
 * with `McpStrategy` and `@McpController` classes and serves 2026-07-28 without sessions). Read
 * in 1.9.9: `transport` defaults to SSE, Streamable HTTP and stdio; the legacy SSE transport keeps
 * a session per connection, and Streamable HTTP is stateless only by default: the options are
 * merged one level deep, so a `streamableHttp` object without `statelessMode: true` turns
 * sessions on. Reported where the module is configured, never rewritten.
 */
import ts from "typescript";
import { importedName, propertyNameText, walk, type Rule } from "../rule.ts";

export const mcpNestV1: Rule = {
  id: "mcp-nest-v1",
  prefilter: /["']@rekog\/mcp-nest["']/,
  fix: "move to @rekog/mcp-nest 2.x, which is on SDK v2 and serves 2026-07-28 without sessions: tools, resources and prompts on @McpController() classes served by McpStrategy, in place of McpModule.forRoot and providers (its docs/migration-to-strategy.md); until then pass transport: [McpTransportType.STREAMABLE_HTTP] with streamableHttp: { statelessMode: true }, so no instance keeps a session (not migrated automatically)",
  analyze(source, report) {
    const name = importedName(source, "@rekog/mcp-nest", "McpModule");
    if (!name) return;
    walk(source, (node) => {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
      const { expression: receiver, name: method } = node.expression;
      if (!ts.isIdentifier(receiver) || receiver.text !== name || !/^forRoot(?:Async)?$/.test(method.text)) return;
      // forRootAsync's options come from a factory, which this rule does not follow.
      const [options] = node.arguments;
      const sessions = method.text === "forRoot" && options && ts.isObjectLiteralExpression(options) ? sessionTransports(options) : [];
      const kept = sessions.map((clause) => `, and ${clause}`).join("");
      report(node, `McpModule.${method.text} is @rekog/mcp-nest 1.x, which serves only the handshake-based protocol (2025-11-25 and earlier, on SDK v1)${kept}; 2026-07-28 clients get none of it`);
    });
  },
};

/** What keeps sessions among the module's HTTP transports, as its options configure them. */
function sessionTransports(options: ts.ObjectLiteralExpression): string[] {
  const option = (key: string) => options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyNameText(p.name) === key)?.initializer;
  const transport = option("transport");
  // Without `transport`, all three are served.
  const served = (member: string, literal: string) => transport === undefined || new RegExp(`\\.${member}\\b|["']${literal}["']`).test(transport.getText());
  // A `streamableHttp` the rule cannot read (a variable) is not taken for stateful.
  const streamable = option("streamableHttp");
  const statefulHttp = streamable !== undefined && ts.isObjectLiteralExpression(streamable) && !/\bstatelessMode\s*:\s*true\b/.test(streamable.getText());
  return [
    ...(served("SSE", "sse") ? ["its SSE transport keeps a session per connection"] : []),
    ...(served("STREAMABLE_HTTP", "streamable-http") && statefulHttp ? ["its Streamable HTTP keeps a session per client (streamableHttp replaces the stateless defaults whole, and this one has no statelessMode: true)"] : []),
  ];
}
