/**
 * Per-session transports → one stateless handler. The function that routed requests to a
 * transport by Mcp-Session-Id keeps whatever it did before routing (a path check, parsing
 * the body) and then hands every POST to `toNodeHandler(createMcpHandler(factory))`; GET
 * (session streams) and DELETE (session teardown) are answered 405. The factory is the
 * function the old code called to build the server it connected to each transport; when
 * there is none to find, nothing is rewritten and the findings stay for a person.
 */
import ts from "typescript";
import { indentUnitOf } from "../../style.ts";
import { reindented } from "../indentation.ts";
import { allStatements, attachedStart, awaits, declaredNames, declaresAny, enclosingFunction, indentOf, mentions, readsAny, removals, topLevelStatement, unwrap, type Migration, type TextEdit } from "../rule.ts";
import { frameworkOf, handlerNames, nameOf, notAllowed, postRouteOf, postRoutes, refusalRoutes, sessionRoutes } from "./mcp-routes.ts";
import { factoryOf, moduleServerFactory, serverFactory, whyNotPerRequest, type ImportedText, type ModuleServer } from "./module-server.ts";
import { sharedHttpTransport } from "../../analysis/rules/legacy-entry.ts";
import { moveSessionServerState, serverBuiltFrom } from "./session-server-state.ts";
import { shutdownLoops } from "./shutdown-loops.ts";
import { sseToHandler } from "./sse-routing.ts";

/** Why a file with no routing left keeps its findings: the sessions' bookkeeping (see relative-imports.ts). */
export const BOOKKEEPING_LEFT = "no request is routed through a transport here, but the per-session bookkeeping is still used (a transports map, a loop over it at shutdown that does more than close them): with one handler there is nothing per session to keep or close, so remove it by hand";

export const transportRoutingMigration: Migration = {
  rule: "transport-routing",
  migrate(source, findings, context) {
    const none = { edits: [], handled: [] };
    const routes = sessionRoutes(source);
    // A function that only GET and DELETE call goes with them; one that POST calls too is the router.
    const posted = new Set(handlerNames(postRoutes(source)));
    const onlySessionRoutes = new Set(handlerNames(routes).filter((name) => !posted.has(name)));
    const routers = dispatchers(source).filter((f) => !onlySessionRoutes.has(nameOf(f) ?? ""));
    // The legacy SSE transport routes by its own calls (handlePostMessage): its GET route is its
    // stream, which a 405 alone would only break. Streamable HTTP takes its place, or nothing moves.
    if (routers.length === 0 && mentions(source, "SSEServerTransport")) {
      const sse = sseToHandler(source, context.importedText);
      if (typeof sse === "string") return { ...none, unmoved: sse };
      return { edits: sse.edits, handled: findings, imports: [{ module: "@modelcontextprotocol/server", name: "createMcpHandler" }, { module: "@modelcontextprotocol/node", name: "toNodeHandler" }] };
    }
    if (routers.length === 0 && routes.length === 0) {
      // No request is routed here any more (or never was): what is left is bookkeeping of its own.
      return { ...none, unmoved: BOOKKEEPING_LEFT };
    }
    const named = serverFactory(source, routers);
    const inline = routers.length && !named ? inlineFactory(source, routers) : undefined;
    const moduleServer = routers.length && !named && !inline ? moduleServerFactory(source, routers, context.importedText) : undefined;
    // Or one stateless transport made once, its server connected to it once, outside the routers.
    const shared = moduleServer ?? (routers.length && !named && !inline ? connectedOnce(source, routers, context.importedText) : undefined);
    if (typeof shared === "string") return { ...none, unmoved: shared };
    const factory = named ?? inline?.name ?? shared?.name;
    if (routers.length && !factory) {
      // A server built from what the session made: that state moves behind handles first, and the next pass routes.
      const moved = moveSessionServerState(source, routers, context);
      return moved ? { ...moved, handled: [] } : { ...none, unmoved: whyNoFactory(source, routers) };
    }

    const handler = mentions(source, "mcpHandler") ? "statelessMcpHandler" : "mcpHandler";
    // A router taking one web Request (Workers, Deno, Bun, Hono) answers with the handler's fetch.
    const web = routers.length > 0 && routers.every((router) => router.parameters.length === 1);
    if (!web && routers.some((router) => router.parameters.length === 1)) {
      return { ...none, unmoved: "the routing is split between web-standard handlers (one Request) and Node ones (req, res), and one handler cannot take the place of both: route every request through one kind first, then run migrate again" };
    }
    const edits: TextEdit[] = [];
    for (const router of routers) {
      const edit = web ? rewriteWebRouter(source, router, handler, factory) : rewriteRouter(source, router, handler, factory);
      if (!edit) {
        const where = nameOf(router) ?? "its request handler";
        return { ...none, unmoved: `the session routing in ${where} is not one run of statements that ends the handler, which it could replace with the one handler: make it so (or move the routing into a function of its own), then run migrate again` };
      }
      edits.push(...edit);
    }
    // The module-level server now lives in its factory: what the handler keeps may not name it.
    const stillNamed = shared && routers.find((router) => keptStatements(source, router, factory).some((statement) => mentions(statement, shared.server)));
    if (shared && stillNamed) {
      const where = nameOf(stillNamed) ?? "its request handler";
      return { ...none, unmoved: `${where} uses ${shared.server} besides connecting it to the transport, and a server built per request has no one instance for that to reach: drop that use, then run migrate again` };
    }
    if (shared) edits.push(...shared.edits);
    for (const route of routes) {
      const handlers = route.arguments.slice(1);
      edits.push({ start: handlers[0]!.getStart(source), end: handlers.at(-1)!.getEnd(), text: notAllowed(frameworkOf(source, route)) });
    }
    for (const router of routers) edits.push(...refusalRoutes(source, router));
    // The functions only GET and DELETE routes called go with them (as orphans), so their uses count as routing.
    const sessionHandlers = allStatements(source).filter((statement) => declaresAny(statement, onlySessionRoutes));
    if (routers.length) edits.push(...shutdownLoops(source, [...routers, ...routes, ...sessionHandlers]));
    if (routers.length) {
      const anchor = topLevelStatement(routers[0]!);
      const at = source.text.lastIndexOf("\n", anchor.getFullStart() === 0 ? 0 : attachedStart(source, anchor) - 1) + 1;
      edits.push({
        start: at,
        end: at,
        text: `${inline ? inline.text : ""}${shared?.text ?? ""}// One handler for every request: no Mcp-Session-Id, so any instance can answer any client.\nconst ${handler} = ${web ? `createMcpHandler(${factory})` : `toNodeHandler(createMcpHandler(${factory}))`};\n\n`,
      });
    }
    const imports = [{ module: "@modelcontextprotocol/server", name: "createMcpHandler" }];
    if (!web) imports.push({ module: "@modelcontextprotocol/node", name: "toNodeHandler" });
    return { edits, handled: findings, imports: routers.length ? imports : [] };
  },
};

/** Functions that hand requests to a transport: they call `transport.handleRequest(…)`. */
function dispatchers(source: ts.SourceFile): ts.FunctionLikeDeclaration[] {
  const found = new Set<ts.FunctionLikeDeclaration>();
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "handleRequest") {
      const fn = enclosingFunction(node);
      // The function whose parameter is the request handed on: the handler, not a callback inside
      // it, nor a main() that sets the whole server up around it. Failing that, the outermost
      // function that routes.
      const [request] = node.arguments;
      let outer = fn;
      for (let up = fn; up; up = enclosingFunction(up)) {
        if (request && ts.isIdentifier(request) && up.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === request.text)) {
          outer = up;
          break;
        }
        if (up !== fn && hasRouting(up)) outer = up;
      }
      // A block, or an arrow that is the call itself (`(req, res) => transport.handleRequest(req, res)`).
      const body = outer && "body" in outer ? outer.body : undefined;
      if (body && (ts.isBlock(body) || unwrap(body as ts.Expression) === node)) found.add(outer as ts.FunctionLikeDeclaration);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return [...found].filter((f) => ![...found].some((g) => g !== f && g.pos <= f.pos && f.end <= g.end));
}

function hasRouting(fn: ts.Node): boolean {
  return /mcp-session-id|transports\s*\[|sessionIdGenerator/i.test(fn.getText());
}

/**
 * A server built inline in the routing code (`const server = new McpServer(…); server.registerTool(…);
 * await server.connect(transport)`) becomes a module-level factory holding those statements, when
 * they use nothing of the request's (no `req`, no session id, no transport). Undefined otherwise.
 */
function inlineFactory(source: ts.SourceFile, routers: ts.FunctionLikeDeclaration[]): { name: string; text: string } | undefined {
  const sites: Array<{ router: ts.FunctionLikeDeclaration; statements: ts.Statement[]; server: string }> = [];
  for (const router of routers) {
    const visit = (node: ts.Node) => {
      if (ts.isExpressionStatement(node) && ts.isBlock(node.parent)) {
        const call = ts.isAwaitExpression(node.expression) ? node.expression.expression : node.expression;
        if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "connect" && ts.isIdentifier(call.expression.expression)) {
          const server = call.expression.expression.text;
          const block = node.parent.statements;
          const end = block.indexOf(node);
          const start = block.findIndex((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === server && d.initializer && ts.isNewExpression(d.initializer) && /^(McpServer|Server)$/.test(d.initializer.expression.getText(source))));
          if (start !== -1 && start < end) sites.push({ router, statements: block.slice(start, end), server });
        }
      }
      node.forEachChild(visit);
    };
    visit(router);
  }
  if (sites.length !== 1) return undefined;
  const { router, statements, server } = sites[0]!;
  // Whatever the router declares outside these statements belongs to the request.
  const inside = (node: ts.Node) => statements.some((s) => s.pos <= node.pos && node.end <= s.end);
  if (readsAny(statements, declaredNames(router, inside))) return undefined;

  const name = ["createMcpServer", "buildMcpServer", "makeMcpServer"].find((n) => !mentions(source, n));
  if (!name) return undefined;
  const indent = indentOf(source, statements[0]!);
  const unit = indentUnitOf(source.text);
  const start = source.text.lastIndexOf("\n", statements[0]!.getStart(source) - 1) + 1;
  const body = reindented(source, start, statements.at(-1)!.getEnd(), indent, unit);
  const isAsync = statements.some(awaits);
  return {
    name,
    text: `/** The server each session used to get, built now for each request by createMcpHandler. */\n${isAsync ? "async " : ""}function ${name}() {\n${body}\n${unit}return ${server};\n}\n\n`,
  };
}

/**
 * One stateless transport the routers hand every request to (`transport.handleRequest(…)`), made
 * once outside them and connected once (`await server.connect(transport)`): the transport and the
 * connect go, and the server connected becomes the factory as a server made once does (or the
 * function that made it, when it only builds one). Undefined when the routers do not route so.
 */
function connectedOnce(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[], importedText?: ImportedText): ModuleServer | string | undefined {
  const receivers = new Set<string>();
  for (const router of routers) {
    walkCalls(router, "handleRequest", (call) => {
      const receiver = (call.expression as ts.PropertyAccessExpression).expression;
      receivers.add(ts.isIdentifier(receiver) ? receiver.text : "");
    });
  }
  const [transport] = receivers;
  if (receivers.size !== 1 || !transport) return undefined;
  const made = allStatements(source).find((statement): statement is ts.VariableStatement => ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 && declaresAny(statement, new Set([transport])));
  const value = made?.declarationList.declarations[0]!.initializer;
  if (!made || !value || !ts.isNewExpression(value) || sharedHttpTransport(value) !== transport) return undefined;
  const connects: ts.CallExpression[] = [];
  walkCalls(source, "connect", (call) => {
    if (call.arguments.length === 1 && ts.isIdentifier(call.arguments[0]!) && call.arguments[0].text === transport) connects.push(call);
  });
  const connect = connects[0];
  const statement = connect && (ts.isAwaitExpression(connect.parent) || ts.isVoidExpression(connect.parent) ? connect.parent.parent : connect.parent);
  if (connects.length !== 1 || !statement || !ts.isExpressionStatement(statement)) {
    return `${transport} is connected to its server somewhere other than one statement of its own (\`await server.connect(${transport});\`), so the server it serves cannot be told: make it so, then run migrate again`;
  }
  const gone = removals(source, [made, statement]);
  if (!gone) return `${transport} or the statement connecting it shares its lines with other code, so it cannot be removed alone: put it on lines of its own, then run migrate again`;
  const receiver = unwrap((connect.expression as ts.PropertyAccessExpression).expression);
  if (ts.isIdentifier(receiver)) {
    const factory = factoryOf(source, receiver.text, [...routers, statement], new Set(), importedText);
    return typeof factory === "object" ? { ...factory, edits: [...factory.edits, ...gone] } : factory;
  }
  // `await createServer().connect(transport)`: that function, when it only builds a server.
  const builder = ts.isCallExpression(receiver) && receiver.arguments.length === 0 && ts.isIdentifier(receiver.expression) ? receiver.expression.text : undefined;
  if (!builder) return undefined;
  const refused = whyNotPerRequest(source, `${transport} serves the one server ${builder}() made, and a handler would call ${builder} per request`, builder, importedText);
  return refused ?? { name: builder, server: builder, edits: gone };
}

/** Calls `visit` on each `x.<name>(…)` call under `node`. */
function walkCalls(node: ts.Node, name: string, visit: (call: ts.CallExpression) => void): void {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === name) visit(node);
  node.forEachChild((child) => walkCalls(child, name, visit));
}

/**
 * What keeps the routing from becoming one handler when no factory was found, said so that a
 * person knows what to move first. A server built from arguments (`buildServer(calc)`) is given
 * state that lived as long as its session: that state needs a handle before the session can go.
 */
function whyNoFactory(source: ts.SourceFile, routers: ts.FunctionLikeDeclaration[]): string {
  const given = routers.map(serverBuiltFrom).find((call) => call !== undefined);
  if (given) {
    const args = given.arguments.map((a) => a.getText(source)).join(", ");
    return `each session's server is built by ${given.expression.getText(source)}(${args}), which hands it state that lived as long as the session; give that state a handle first (a create_* tool returns its id, the tools that use it take the id), so that the server is built from nothing of the session's, then run migrate again`;
  }
  const member = routers.map(memberFactoryCall).find((call) => call !== undefined);
  const property = routers.map(connectedProperty).find((p) => p !== undefined);
  if (!member && property) {
    const held = property.getText(source);
    return `each transport is connected to ${held}, a server kept on an object (with its transport, as a session's entry), which this rewrite cannot follow back to what built it: build the server in a function of its own that takes nothing and returns it (not with the transport), connect that, then run migrate again`;
  }
  if (member) {
    const factory = member.expression.getText(source);
    return `each transport is connected to a server from ${factory}(), a member this rewrite cannot follow to one function of the file: put one stateless handler in the routing's place by hand (\`toNodeHandler(createMcpHandler(() => ${factory}()))\`, made once, with GET and DELETE answered 405), or build the server in a function of the file, then run migrate again`;
  }
  return "no one function builds the server each transport is connected to from nothing of the request's; move the server's building into such a function (one that takes no arguments and returns the McpServer), then run migrate again";
}

/** `session.server.connect(session.transport)`: a server held on an object. */
function connectedProperty(router: ts.FunctionLikeDeclaration): ts.PropertyAccessExpression | undefined {
  let found: ts.PropertyAccessExpression | undefined;
  walkCalls(router, "connect", (call) => {
    const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind !== ts.SyntaxKind.ThisKeyword) found ??= receiver;
  });
  return found;
}

/** `this.createServer().connect(t)`, `deps.makeServer().connect(t)`: a server from a member called with nothing. */
function memberFactoryCall(router: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "connect") {
      const receiver = unwrap(node.expression.expression);
      if (ts.isCallExpression(receiver) && receiver.arguments.length === 0 && ts.isPropertyAccessExpression(receiver.expression)) found ??= receiver;
    }
    node.forEachChild(visit);
  };
  visit(router);
  return found;
}

/** Replaces the router's session statements with the stateless dispatch; the handler's own statements stay. */
function rewriteRouter(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, handler: string, factory: string | undefined): TextEdit[] | undefined {
  const [reqParam, resParam] = router.parameters;
  if (!reqParam || !resParam || !ts.isIdentifier(reqParam.name) || !ts.isIdentifier(resParam.name)) return undefined;
  if (router.body && !ts.isBlock(router.body)) return rewriteExpressionRouter(source, router, handler);
  const removed = routingStatements(source, router, factory);
  if (!removed) return undefined;
  // Node's request and response as the old code handed them on: `req`, or fastify's `request.raw`.
  const [req, res] = nodeArguments(source, removed, reqParam.name.text, resParam.name.text);

  const body = parsedBody(source, removed, reqParam.name.text);
  const isPostRoute = postRouteOf(source, router) !== undefined;
  const isAsync = router.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const unit = indentUnitOf(source.text);
  const lines = [
    ...(isPostRoute
      ? []
      : [
          `// MCP 2026-07-28 has no sessions: GET (session streams) and DELETE (session teardown) are gone.`,
          `if (${req}.method !== "POST") {`,
          `${unit}${res}.writeHead(405, { allow: "POST" }).end();`,
          `${unit}return;`,
          `}`,
        ]),
    `${isAsync ? "await" : "void"} ${handler}(${[req, res, ...(body ? [body] : [])].join(", ")});`,
  ];
  return replaceStatements(source, removed, lines);
}

/** `(req, res) => transport.handleRequest(req, res, req.body)` → `(req, res) => mcpHandler(req, res, req.body)`, the same arguments. */
function rewriteExpressionRouter(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, handler: string): TextEdit[] | undefined {
  const call = unwrap(router.body as ts.Expression);
  // Only a POST route's: anything else would need the 405 the expression has no room for.
  if (!ts.isCallExpression(call) || !postRouteOf(source, router)) return undefined;
  return [{ start: call.expression.getStart(source), end: call.expression.getEnd(), text: handler }];
}

/** The same for a router that takes a web Request and returns a Response. */
function rewriteWebRouter(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, handler: string, factory: string | undefined): TextEdit[] | undefined {
  const removed = routingStatements(source, router, factory);
  // The routing must end the function: the Response it returned is now the handler's.
  if (!removed || !ts.isBlock(router.body!) || removed.at(-1) !== router.body.statements.at(-1)) return undefined;
  const request = webRequestOf(source, removed);
  if (!request) return undefined;
  const body = webParsedBody(source, removed);
  return replaceStatements(source, removed, [
    `// MCP 2026-07-28 has no sessions: GET (session streams) and DELETE (session teardown) are gone.`,
    `if (${request}.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });`,
    `return ${handler}.fetch(${request}${body ? `, { parsedBody: ${body} }` : ""});`,
  ]);
}

/**
 * The routing statements go and `lines` take the place of the last run of them; statements of
 * the handler's own between the runs stay where they are, and so still run before the dispatch.
 */
function replaceStatements(source: ts.SourceFile, removed: readonly ts.Statement[], lines: string[]): TextEdit[] {
  const block = removed[0]!.parent as ts.Block;
  const runs: ts.Statement[][] = [];
  for (const statement of removed) {
    const previous = runs.at(-1)?.at(-1);
    if (previous && block.statements.indexOf(previous) + 1 === block.statements.indexOf(statement)) runs.at(-1)!.push(statement);
    else runs.push([statement]);
  }
  const lineStart = (node: ts.Node) => source.text.lastIndexOf("\n", node.getStart(source) - 1) + 1;
  const last = runs.pop()!;
  const edits = runs.map((run): TextEdit => {
    const start = lineStart(run[0]!);
    const newline = source.text.indexOf("\n", run.at(-1)!.getEnd());
    let end = newline === -1 ? source.text.length : newline + 1;
    // A blank line after the run goes too where nothing but the block's start or a blank line is before it.
    if (source.text[end] === "\n" && /(\{|\n)\s*\n$/.test(source.text.slice(0, start))) end += 1;
    return { start, end, text: "" };
  });
  const indent = indentOf(source, last[0]!);
  edits.push({ start: lineStart(last[0]!), end: last.at(-1)!.getEnd(), text: lines.map((line) => indent + line).join("\n") });
  return edits;
}

/** The router's session statements: a contiguous run of its body, or undefined. */
function routingStatements(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, factory: string | undefined): readonly ts.Statement[] | undefined {
  if (!router.body || !ts.isBlock(router.body)) return undefined;
  const statements = router.body.statements;

  // A statement routes if it touches session routing or what an earlier routing statement declared.
  const routingNames = new Set<string>();
  const routing = statements.map((statement) => {
    const text = statement.getText(source);
    const is = /handleRequest|mcp-session-id|transports?\b|sessionIdGenerator|isInitializeRequest/i.test(text) || [...routingNames].some((n) => mentions(statement, n));
    if (is && ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) routingNames.add(d.name.text);
    return is;
  });
  const first = routing.indexOf(true);
  const last = routing.lastIndexOf(true);
  if (first === -1) return undefined;
  // Between routing statements, a declaration only routing uses (`const server = build()`) routes
  // too. From the last back, so one only such declarations use goes as well. Before the first,
  // only the server the factory builds for the transport (a stateless v1 route's): anything else
  // there is the handler's own, like the body it parsed.
  const buildsServer = (statement: ts.Statement) => factory !== undefined && calls(statement, factory);
  for (let i = last - 1; i >= 0; i--) {
    const statement = statements[i]!;
    if (routing[i] || !ts.isVariableStatement(statement) || (i < first && !buildsServer(statement))) continue;
    const names = statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    const kept = statements.filter((later, j) => j > i && !routing[j]);
    routing[i] = names.length > 0 && !kept.some((later) => names.some((n) => mentions(later, n)));
  }
  // What is left between is the handler's own (an auth check, a log line): it stays, in order.
  return statements.filter((_, i) => routing[i]);
}

/** The statements of the router's body the rewrite leaves in place. */
function keptStatements(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, factory: string | undefined): ts.Statement[] {
  const removed = new Set(routingStatements(source, router, factory));
  return router.body && ts.isBlock(router.body) ? router.body.statements.filter((statement) => !removed.has(statement)) : [];
}

/** Whether `node` holds a call of the function named `name`. */
function calls(node: ts.Node, name: string): boolean {
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) return true;
  return node.forEachChild((child) => calls(child, name) || undefined) ?? false;
}

/**
 * The web Request the old code handed `transport.handleRequest`: the router's parameter in a
 * Workers-style fetch, `c.req.raw` in Hono (whose routes get a Context, which @hono/mcp's
 * transport took whole). Undefined when it was built inside the statements that go, or when
 * there is no such call.
 */
function webRequestOf(source: ts.SourceFile, removed: readonly ts.Statement[]): string | undefined {
  const declaredInside = new Set<string>();
  let request: ts.Expression | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) declaredInside.add(node.name.text);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "handleRequest") request ??= node.arguments[0];
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  let root = request;
  while (root && ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!request || !root || !ts.isIdentifier(root) || declaredInside.has(root.text)) return undefined;
  // @hono/mcp's transport took Hono's Context itself (`transport.handleRequest(c)`): its Request is c.req.raw.
  if (ts.isIdentifier(request) && source.statements.some((s) => ts.isImportDeclaration(s) && (s.moduleSpecifier as ts.StringLiteral).text === "@hono/mcp")) return `${request.text}.req.raw`;
  return request.getText(source);
}

/** `transport.handleRequest(request, { parsedBody: body })`: the body, when it outlives the rewrite. */
function webParsedBody(source: ts.SourceFile, removed: readonly ts.Statement[]): string | undefined {
  const declaredInside = new Set<string>();
  let body: string | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) declaredInside.add(node.name.text);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "handleRequest") {
      const options = node.arguments[1];
      const property = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p) => p.name?.getText(source) === "parsedBody") : undefined;
      if (property && ts.isPropertyAssignment(property) && ts.isIdentifier(property.initializer)) body = property.initializer.text;
      if (property && ts.isShorthandPropertyAssignment(property)) body = property.name.text;
    }
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  return body && !declaredInside.has(body) ? body : undefined;
}

/**
 * The request and response the old code handed `transport.handleRequest`, when they are the
 * router's parameters or their `.raw` (fastify's); else the parameters themselves.
 */
function nodeArguments(source: ts.SourceFile, removed: readonly ts.Statement[], req: string, res: string): [string, string] {
  let call: ts.CallExpression | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "handleRequest") call ??= node;
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  const [request, response] = call?.arguments ?? [];
  const raw = (argument: ts.Expression | undefined, parameter: string) => argument !== undefined && ts.isPropertyAccessExpression(argument) && argument.name.text === "raw" && ts.isIdentifier(argument.expression) && argument.expression.text === parameter;
  return raw(request, req) && raw(response, res) ? [`${req}.raw`, `${res}.raw`] : [req, res];
}

/** The body the old code passed to handleRequest, when it still exists after the rewrite. */
function parsedBody(source: ts.SourceFile, removed: readonly ts.Statement[], req: string): string | undefined {
  const declaredInside = new Set<string>();
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) declaredInside.add(node.name.text);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "handleRequest" && node.arguments[2]) calls.push(node);
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  for (const call of calls) {
    const body = call.arguments[2]!;
    const text = body.getText(source);
    if (text === `${req}.body`) return text;
    if (ts.isIdentifier(body) && !declaredInside.has(body.text)) return text;
  }
  return undefined;
}
