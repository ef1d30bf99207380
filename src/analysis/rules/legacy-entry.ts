/**
 * An entry that serves only the 2025-era protocol. In SDK v2 a server connected to a transport
 * of its own speaks what it always did: a Streamable HTTP transport made per request without
 * session ids (v1's stateless hosting), or `server.connect(new StdioServerTransport())`.
 * 2026-07-28 is served by the SDK's entries, `createMcpHandler` and `serveStdio`, which serve
 * 2025-era clients too (the SDK's migration guide, "Support 2026-07-28").
 */
import ts from "typescript";
import { calleeName, enclosingFunction, importedName, nearestDeclaration, propertyNameText, walk, type Rule } from "../rule.ts";

export const legacyEntry: Rule = {
  id: "legacy-entry",
  prefilter: /StreamableHTTPServerTransport|StdioServerTransport|@hono\/mcp|\.handleRequest\b/,
  fix: "run `mcp-stateless migrate` (legacy-entry): createMcpHandler serves HTTP, serveStdio serves stdio, each in both eras",
  analyze(source, report) {
    // A file that tells 2025-era requests apart (the SDK's isLegacyRequest) serves them its own way on purpose.
    const routesEras = /\bisLegacyRequest\b/.test(source.text);
    walk(source, (node) => {
      if (ts.isNewExpression(node) && !routesEras && isPerRequestHttpTransport(node)) {
        report(node, "a Streamable HTTP transport per request serves only the 2025-era protocol; createMcpHandler serves 2026-07-28 too");
      } else if (ts.isNewExpression(node) && !routesEras && isHonoMcpTransport(source, node)) {
        report(node, "@hono/mcp's transport serves only the 2025-era protocol, its server connected once for every request; createMcpHandler serves each request, in both eras");
      } else if (ts.isNewExpression(node) && !routesEras && (sharedHttpTransport(node) || exportedHttpTransport(node))) {
        report(node, "one stateless Streamable HTTP transport for every request: the SDK refuses it from the second request on (\"cannot be reused across requests\"), and it serves only the 2025-era protocol; createMcpHandler serves each request, in both eras");
      } else if (ts.isCallExpression(node) && !routesEras && madeForRequest(node)) {
        report(node, `a transport from ${node.expression.getText(source)}(), connected and handed the request here, serves only the 2025-era protocol (v1's way of serving, with session ids or without); createMcpHandler serves 2026-07-28 too`);
      } else if (stdioConnect(node)) {
        report(node, "connecting a server to a StdioServerTransport serves only the 2025-era protocol; serveStdio serves 2026-07-28 too");
      } else if (ts.isNewExpression(node) && stdioHandedOn(node)) {
        const call = stdioHandedOn(node)!;
        report(node, `a StdioServerTransport handed to ${call.expression.getText(source).replace(/\s+/g, "")}(…), which connects a server to it, serves only the 2025-era protocol; serveStdio serves 2026-07-28 too`, STDIO_HANDED_ON_FIX);
      }
    });
  },
};

/**
 * `new …StreamableHTTPServerTransport({ sessionIdGenerator: undefined })` (or with no generator)
 * in a function that hands it a request: v1's stateless hosting. One that mints session ids is
 * transport-routing's; one made where no request is routed is left to where it is used.
 */
function isPerRequestHttpTransport(node: ts.NewExpression): boolean {
  return isStatelessHttpTransport(node) && !sharedHttpTransport(node) && (enclosingFunction(node)?.getText().includes(".handleRequest(") ?? false);
}

/**
 * The same transport made once, outside the functions that hand it requests (`const transport =
 * new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })` at module level, used as
 * `transport.handleRequest(…)` in a route): its name, when the file uses it so.
 */
export function sharedHttpTransport(node: ts.NewExpression): string | undefined {
  if (!isStatelessHttpTransport(node) || !ts.isVariableDeclaration(node.parent) || !ts.isIdentifier(node.parent.name)) return undefined;
  const name = node.parent.name.text;
  const scope = enclosingFunction(node) ?? node.getSourceFile();
  let used = false;
  walk(scope, (child) => {
    if (ts.isCallExpression(child) && ts.isPropertyAccessExpression(child.expression) && child.expression.name.text === "handleRequest" && ts.isIdentifier(child.expression.expression) && child.expression.expression.text === name) {
      // Handed requests in a function of its own: a route, not the code that made it.
      used ||= enclosingFunction(child) !== enclosingFunction(node);
    }
  });
  return used ? name : undefined;
}

/**
 * A stateless transport made once at module level and exported (`export const transport = new
 * StreamableHTTPServerTransport({ sessionIdGenerator: undefined })`): whichever module serves
 * with it, it is one transport for every request.
 */
export function exportedHttpTransport(node: ts.NewExpression): boolean {
  const declaration = node.parent;
  if (!isStatelessHttpTransport(node) || !ts.isVariableDeclaration(declaration)) return false;
  const statement = declaration.parent.parent;
  return ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * `const transport = createTransport()` (a helper of the project's, here or imported) in a
 * function that connects a server to it and hands it the request: v1's way of serving, whether
 * the helper's transport mints session ids or not (one that does is also reported where it is
 * made), judged here because the helper routes nothing.
 */
function madeForRequest(call: ts.CallExpression): boolean {
  const declaration = call.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== call || !ts.isIdentifier(declaration.name) || !ts.isIdentifier(call.expression)) return false;
  const name = declaration.name.text;
  const fn = enclosingFunction(call);
  if (!fn) return false;
  let connected = false;
  let handed = false;
  walk(fn, (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const method = node.expression.name.text;
    const [first] = node.arguments;
    if (method === "connect" && first && ts.isIdentifier(first) && first.text === name) connected = true;
    if (method === "handleRequest" && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === name) handed = true;
  });
  return connected && handed;
}

/** `new StreamableHTTPTransport(…)` of `@hono/mcp` (a transport of its own, taking Hono's Context) that mints no session ids. */
export function isHonoMcpTransport(source: ts.SourceFile, node: ts.NewExpression): boolean {
  return ts.isIdentifier(node.expression) && node.expression.text === importedName(source, "@hono/mcp", "StreamableHTTPTransport") && statelessOptions(node);
}

/** `new …StreamableHTTPServerTransport(…)` that mints no session ids (`sessionIdGenerator: undefined`, or none). */
function isStatelessHttpTransport(node: ts.NewExpression): boolean {
  return ts.isIdentifier(node.expression) && /StreamableHTTPServerTransport$/.test(node.expression.text) && statelessOptions(node);
}

/** Whether a transport's options mint no session ids: `sessionIdGenerator: undefined`, or none. */
export function statelessOptions(node: ts.NewExpression): boolean {
  const [options] = node.arguments ?? [];
  if (options && !ts.isObjectLiteralExpression(options)) return false;
  const generator = options?.properties.find((p) => propertyNameText(p.name) === "sessionIdGenerator");
  return !generator || (ts.isPropertyAssignment(generator) && ts.isIdentifier(generator.initializer) && generator.initializer.text === "undefined");
}

/** `x.connect(new StdioServerTransport())`, or `x.connect(t)` with `t` made so in this file. */
export function stdioConnect(node: ts.Node): ts.CallExpression | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== "connect") return undefined;
  const [transport] = node.arguments;
  if (!transport) return undefined;
  if (isStdioTransport(transport)) return node;
  if (!ts.isIdentifier(transport)) return undefined;
  const initializer = nearestDeclaration(transport)?.initializer;
  return initializer && isStdioTransport(initializer) ? node : undefined;
}

/** What to do with a stdio transport handed to code that connects it, which migrate does not follow. */
export const STDIO_HANDED_ON_FIX =
  "by hand: where that code connects its server to the transport, serve it with serveStdio(() => server) instead (a wrapper hands serveStdio the McpServer or Server it holds), and drop the transport here";

/**
 * `new StdioServerTransport()` handed to a call other than a connect, directly or through the
 * variable holding it (`await server.start(transport)`, a wrapper's method that connects it),
 * where nothing here connects it: that call. Not the transport serveStdio's options take.
 */
export function stdioHandedOn(node: ts.NewExpression): ts.CallExpression | undefined {
  if (!isStdioTransport(node)) return undefined;
  const handedTo = (use: ts.Node) => (ts.isCallExpression(use.parent) && use.parent.arguments.includes(use as ts.Expression) ? use.parent : undefined);
  let uses: ts.Node[] = [node];
  const declared = node.parent;
  if (ts.isVariableDeclaration(declared) && ts.isIdentifier(declared.name)) {
    const name = declared.name;
    uses = [];
    walk(enclosingFunction(node) ?? node.getSourceFile(), (child) => void (ts.isIdentifier(child) && child.text === name.text && child !== name && uses.push(child)));
  }
  const calls = uses.map(handedTo);
  if (calls.some((call) => call && calleeName(call) === "connect")) return undefined;
  return calls.find((call) => call !== undefined);
}

/** `new StdioServerTransport(…)`, or a subclass named for it (`new FilteredStdioServerTransport()`). */
function isStdioTransport(node: ts.Node): node is ts.NewExpression {
  return ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /StdioServerTransport$/.test(node.expression.text);
}
