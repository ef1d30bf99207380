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
import { isNewServer } from "../../analysis/rule.ts";
import { isTestFile, TEST_HEADER_FIX } from "../../analysis/rules/transport-routing.ts";
import { allStatements, awaits, declaredNames, declaresAny, enclosingFunction, indentOf, insertedAbove, mentions, nodeStartingAt, offsetOf, readsAny, removals, topLevelStatement, unwrap, walkIdentifiers, type Migration, type TextEdit } from "../rule.ts";
import { declaredAround, frameworkOf, handlerDeclaration, handlerNames, handsOnWebRequest, isHandleRequest, madeByToReqRes, nameOf, methodNotAllowed, methodSessionHandlers, notAllowed, postRoutes, refusalRoutes, sessionRoutes } from "./mcp-routes.ts";
import { moduleServerFactory, serverFactory } from "./module-server.ts";
import { keptStatements, rewriteRouter, rewriteWebRouter, routingStatements } from "./router-rewrite.ts";
import { connectedOnce } from "./shared-transport.ts";
import { classServer } from "./class-server.ts";
import { rebindingGuard } from "./dns-rebinding.ts";
import { handlerOptions } from "./transport-options.ts";
import { requestFactory, type RequestFactory } from "./request-factory.ts";
import { moveSessionServerState } from "./session-server-state.ts";
import { routingWork, sessionHookWork } from "./session-hooks.ts";
import { shutdownLoops } from "./shutdown-loops.ts";
import { sseToHandler } from "./sse-routing.ts";
import { handsOnOwnTransport, throughHelper, usedElsewhere, whyNoFactory } from "./routing-left.ts";

/** Why the header read or set outside any routing stays (an id minted for telemetry, a client's metadata keyed on it). */
const HEADER_LEFT = "the Mcp-Session-Id header is read or set here outside any routing (an id the server mints for a client, or reads for its logs or metrics): a 2026-07-28 client sends none and keeps none, so what it keys starts anew on every request; key that on the caller (its token's client id) or on the request, or drop it, by hand";

/** Why a file with no routing left keeps its findings: the sessions' bookkeeping (see relative-imports.ts). */
export const BOOKKEEPING_LEFT = "no request is routed through a transport here, but the per-session bookkeeping is still used (a transports map, a loop over it at shutdown that does more than close them): with one handler there is nothing per session to keep or close, so remove it by hand";

export const transportRoutingMigration: Migration = {
  rule: "transport-routing",
  migrate(source, findings, context) {
    const none = { edits: [], handled: [] };
    const routes = sessionRoutes(source);
    // A Next.js route module's GET and DELETE exports (a NestJS controller's methods) serve session streams and teardown: they answer 405.
    const methodHandlers = methodSessionHandlers(source);
    // A function that only GET and DELETE call goes with them; one that POST calls too is the router.
    const posted = new Set(handlerNames(postRoutes(source)));
    const onlySessionRoutes = new Set(handlerNames(routes).filter((name) => !posted.has(name)));
    const routers = dispatchers(source).filter((f) => !onlySessionRoutes.has(nameOf(f) ?? "") && !(methodHandlers as readonly ts.Node[]).includes(f));
    // The legacy SSE transport routes by its own calls (handlePostMessage): its GET route is its
    // stream, which a 405 alone would only break. Streamable HTTP takes its place, or nothing moves.
    if (routers.length === 0 && mentions(source, "SSEServerTransport")) {
      if (rebindingGuard(source, false) !== undefined) {
        return { ...none, unmoved: "the SSE transport checked Host and Origin (DNS rebinding protection), which the handler taking its place does not: put hostHeaderValidation and originValidation (from @modelcontextprotocol/node) in front of it by hand, then run migrate again" };
      }
      const sse = sseToHandler(source, context.importedText);
      if (typeof sse === "string") return { ...none, unmoved: sse };
      return { edits: sse.edits, handled: findings, imports: [{ module: "@modelcontextprotocol/server", name: "createMcpHandler" }, { module: "@modelcontextprotocol/node", name: "toNodeHandler" }, ...(sse.imports ?? [])] };
    }
    if (routers.length === 0 && routes.length === 0 && methodHandlers.length === 0) {
      // No request is routed here any more (or never was): what is left is bookkeeping of its own, or the header alone.
      const headerOnly = findings.every((f) => nodeStartingAt(source, offsetOf(source, f), ts.isStringLiteralLike) !== undefined);
      return { ...none, unmoved: headerOnly ? (isTestFile(source.fileName) ? TEST_HEADER_FIX : HEADER_LEFT) : BOOKKEEPING_LEFT };
    }
    const named = serverFactory(source, routers);
    const inline = routers.length && !named ? inlineFactory(source, routers) : undefined;
    const moduleServer = routers.length && !named && !inline ? moduleServerFactory(source, routers, context.importedText) : undefined;
    // Or one stateless transport made once, its server connected to it once, outside the routers.
    const shared = moduleServer ?? (routers.length && !named && !inline ? connectedOnce(source, routers, context.importedText) : undefined);
    if (typeof shared === "string") return { ...none, unmoved: shared };
    // A router taking one web Request (Workers, Deno, Bun, Hono) answers with the handler's fetch.
    const web = routers.length > 0 && routers.every(handsOnWebRequest);
    if (!web && routers.some(handsOnWebRequest)) {
      return { ...none, unmoved: "the routing is split between web-standard handlers (one Request) and Node ones (req, res), and one handler cannot take the place of both: route every request through one kind first, then run migrate again" };
    }
    let factory = named ?? inline?.name ?? shared?.name;
    // The function the routing called to build its server: the statement that calls it goes with the routing.
    let builder = factory;
    let fromRequest: RequestFactory | undefined;
    let handler = mentions(source, "mcpHandler") ? "statelessMcpHandler" : "mcpHandler";
    // The transports' error hook and JSON-only answers are the handler's options.
    const options = handlerOptions(source, routers);
    // Routing in a class, on a server one of its methods builds: the handler is a field of that class.
    const member = routers.length && !factory ? classServer(source, routers, handler, web, options) : undefined;
    if (member) handler = member.handler;
    else if (routers.length && !factory) {
      // A server built from what the session made: that state moves behind handles first, and the next pass routes.
      const moved = moveSessionServerState(source, routers, context);
      if (moved) return { ...moved, handled: [] };
      // One built from what each request carries is built from it still, by the factory; one built from constants, from them.
      const made = requestFactory(source, routers, web);
      if (typeof made === "string") return { ...none, unmoved: made };
      if (!made) return { ...none, unmoved: whyNoFactory(source, routers) };
      fromRequest = made;
      factory = made.text;
      builder = made.callee;
    }

    // What a session's hooks started for it would go with the transports, unseen.
    const hookWork = sessionHookWork(source, routers) ?? routers.map((router) => routingWork(source, router, routingStatements(source, router, builder) ?? [])).find((work) => work !== undefined);
    if (hookWork) return { ...none, unmoved: hookWork };
    // What the transports checked of Host and Origin, the handler's routes check in front of it.
    const guard = rebindingGuard(source, web);
    if (typeof guard === "string") return { ...none, unmoved: guard };
    const edits: TextEdit[] = [];
    for (const router of routers) {
      const edit = web ? rewriteWebRouter(source, router, handler, builder, guard) : rewriteRouter(source, router, handler, builder, guard);
      if (!edit) {
        const helper = throughHelper(source, router);
        if (helper) return { ...none, unmoved: helper };
        const where = nameOf(router) ?? "its request handler";
        return { ...none, unmoved: `the session routing in ${where} cannot be told apart from the handler's own code: it is not one run of statements that ends the handler (or the branch that tests for the MCP path), or what it does on the way to the transport uses what it looked up, or an answer follows it; make the routing one run, with the handler's own statements before it, then run migrate again` };
      }
      edits.push(...edit);
    }
    // The module-level server now lives in its factory: what the handler keeps may not name it.
    const stillNamed = shared && routers.find((router) => keptStatements(source, router, builder).some((statement) => mentions(statement, shared.server)));
    if (shared && stillNamed) {
      const where = nameOf(stillNamed) ?? "its request handler";
      return { ...none, unmoved: `${where} uses ${shared.server} besides connecting it to the transport, and a server built per request has no one instance for that to reach: drop that use, then run migrate again` };
    }
    if (shared) edits.push(...shared.edits);
    // What the handler read of the request only to build the server, the factory now reads itself.
    if (fromRequest) for (const router of routers) edits.push(...unusedReads(source, keptStatements(source, router, builder), fromRequest.inlined));
    for (const route of routes) {
      const handlers = route.arguments.slice(1);
      edits.push({ start: handlers[0]!.getStart(source), end: handlers.at(-1)!.getEnd(), text: notAllowed(frameworkOf(source, route)) });
    }
    for (const fn of methodHandlers) {
      const edit = methodNotAllowed(source, fn);
      if (!edit) return { ...none, unmoved: `${nameOf(fn) ?? "a handler"} serves session streams or ends sessions, and answers on no response parameter this rewrite can find: make it answer 405 (Allow: POST), then run migrate again` };
      edits.push(edit);
    }
    for (const router of routers) edits.push(...refusalRoutes(source, router));
    // The functions only GET and DELETE routes called go with them (as orphans), so their uses count as routing.
    const sessionHandlers = allStatements(source).filter((statement) => declaresAny(statement, onlySessionRoutes));
    if (routers.length) edits.push(...shutdownLoops(source, [...routers, ...routes, ...sessionHandlers, ...methodHandlers]));
    if (routers.length) {
      // Module-level declarations go above the statement that holds the first router (its class, for a class's routes);
      // a factory reading names of a function around the router has them declared in that function, above the router.
      const around = named ? declaredAround(routers[0]!, new Set([named])) : undefined;
      if (typeof around === "string") return { ...none, unmoved: around };
      if (typeof inline?.within === "string") return { ...none, unmoved: inline.within };
      const within = fromRequest?.within ?? around ?? inline?.within ?? shared?.within;
      const guards = guard ? `${guard.declarations}\n` : "";
      const declared = member ? guards : `${inline ? inline.text : ""}${shared?.text ?? ""}${guards}${handlerDeclaration(handler, factory!, { web, fromRequest: fromRequest?.readsRequest === true, options })}`;
      if (declared) edits.push(insertedAbove(source, within ?? topLevelStatement(routers[0]!), declared));
      if (member) edits.push(member.edit);
    }
    const imports = [{ module: "@modelcontextprotocol/server", name: "createMcpHandler" }, ...(shared?.imports ?? []), ...(guard?.imports ?? [])];
    if (!web) imports.push({ module: "@modelcontextprotocol/node", name: "toNodeHandler" });
    return { edits, handled: findings, imports: routers.length ? imports : [] };
  },
};

/**
 * The statements declaring the handler's locals the request factory now reads for itself, where
 * nothing the handler keeps reads them any more (an auth check that reads `apiKey` keeps it).
 */
function unusedReads(source: ts.SourceFile, kept: readonly ts.Statement[], inlined: ReadonlySet<ts.VariableDeclaration>): TextEdit[] {
  const gone = new Set<ts.Statement>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const statement of kept) {
      if (gone.has(statement) || !ts.isVariableStatement(statement) || !statement.declarationList.declarations.every((d) => inlined.has(d))) continue;
      const names = statement.declarationList.declarations.flatMap((d) => [...declaredNames(d)]);
      if (kept.some((other) => other !== statement && !gone.has(other) && names.some((name) => mentions(other, name)))) continue;
      gone.add(statement);
      changed = true;
    }
  }
  return removals(source, kept.filter((statement) => gone.has(statement))) ?? [];
}

/** Functions that hand requests to a transport: they call `transport.handleRequest(…)`. */
function dispatchers(source: ts.SourceFile): ts.FunctionLikeDeclaration[] {
  const found = new Set<ts.FunctionLikeDeclaration>();
  const visit = (node: ts.Node) => {
    if (isHandleRequest(node)) {
      const fn = enclosingFunction(node);
      // The function whose parameter is the request handed on: the handler, not a callback inside
      // it, nor a main() that sets the whole server up around it. Failing that, the outermost
      // function that routes.
      const request = fn && requestName(node, fn);
      let outer = fn;
      for (let up = fn; up; up = enclosingFunction(up)) {
        if (request && up.parameters.some((p) => declaredNames(p).has(request))) {
          outer = up;
          break;
        }
        if (up !== fn && hasRouting(up)) outer = up;
      }
      // A block, or an arrow that is the call itself (`(req, res) => transport.handleRequest(req, res)`).
      const body = outer && "body" in outer ? outer.body : undefined;
      // A helper handed its transport (`serve(transport, req, res)`) that nothing calls any more routes nothing.
      const deadHelper = outer !== undefined && handsOnOwnTransport(node, outer) && !usedElsewhere(source, outer as ts.FunctionLikeDeclaration);
      if (body && !deadHelper && (ts.isBlock(body) || unwrap(body as ts.Expression) === node)) found.add(outer as ts.FunctionLikeDeclaration);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return [...found].filter((f) => ![...found].some((g) => g !== f && g.pos <= f.pos && f.end <= g.end));
}

function hasRouting(fn: ts.Node): boolean {
  // `sessionIdGenerator: undefined` is a stateless transport's: no routing.
  return /mcp-session-id|transports\s*\[|sessionIdGenerator(?!\s*:\s*undefined\b)/i.test(fn.getText());
}

/**
 * The name of the request a `handleRequest` call hands on: its first argument (or the context it
 * is read off, `ctx` of `ctx.req`), or, for Node's
 * request made from a web one (`const { req } = toReqRes(c.req.raw)`, fetch-to-node), the name
 * that web one comes from (`c`).
 */
function requestName(call: ts.CallExpression, fn: ts.Node): string | undefined {
  const [request] = call.arguments;
  // Koa's `ctx.req`, fastify's `request.raw`: the context the handler takes.
  if (request && ts.isPropertyAccessExpression(request) && ts.isIdentifier(request.expression)) return request.expression.text;
  if (!request || !ts.isIdentifier(request)) return undefined;
  let made: ts.Expression | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && declaredNames(node).has(request.text)) made ??= madeByToReqRes(node);
    node.forEachChild(visit);
  };
  visit(fn);
  let root = made;
  while (root && ts.isPropertyAccessExpression(root)) root = root.expression;
  return root ? (ts.isIdentifier(root) ? root.text : undefined) : request.text;
}

/**
 * A server built inline in the routing code (`const server = new McpServer(…); server.registerTool(…);
 * await server.connect(transport)`) becomes a module-level factory holding those statements, when
 * they use nothing of the request's (no `req`, no session id, no transport). Undefined otherwise.
 */
function inlineFactory(source: ts.SourceFile, routers: ts.FunctionLikeDeclaration[]): { name: string; text: string; within?: ts.Statement | string } | undefined {
  const sites: Array<{ router: ts.FunctionLikeDeclaration; statements: ts.Statement[]; server: string }> = [];
  for (const router of routers) {
    const visit = (node: ts.Node) => {
      if (ts.isExpressionStatement(node) && ts.isBlock(node.parent)) {
        const call = ts.isAwaitExpression(node.expression) ? node.expression.expression : node.expression;
        if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "connect" && ts.isIdentifier(call.expression.expression)) {
          const server = call.expression.expression.text;
          const block = node.parent.statements;
          const end = block.indexOf(node);
          const start = block.findIndex((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === server && d.initializer && isNewServer(d.initializer)));
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
  // What the statements read of a function around the routing (`createApp(appName)`) is in scope only in that function.
  const read = new Set<string>();
  for (const statement of statements) walkIdentifiers(statement, (id) => read.add(id.text));
  return {
    within: declaredAround(router, read),
    name,
    text: `/** The server each session used to get, built now for each request by createMcpHandler. */\n${isAsync ? "async " : ""}function ${name}() {\n${body}\n${unit}return ${server};\n}\n\n`,
  };
}
