/**
 * The routing rewrite inside one router: its session statements go, and the stateless dispatch
 * takes the place of the last run of them (`await mcpHandler(req, res, body)`, or the handler's
 * `fetch` for a router taking a web Request), with the request, response and body the old code
 * handed its transport. What the handler did besides routing (a path check, parsing the body, a
 * log line) stays where it was.
 */
import ts from "typescript";
import { indentUnitOf } from "../../style.ts";
import { declaredNames, indentOf, mentions, statementOf, unwrap, withoutCasts, type TextEdit } from "../rule.ts";
import { rebased } from "../indentation.ts";
import type { RebindingGuard } from "./dns-rebinding.ts";
import { isAsync, isHandleRequest, koaContext, madeByToReqRes, nameOf, onlyPost, postRouteOf, routeDecorator } from "./mcp-routes.ts";

/** Replaces the router's session statements with the stateless dispatch; the handler's own statements stay. */
export function rewriteRouter(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, handler: string, factory: string | undefined, guard?: RebindingGuard): TextEdit[] | undefined {
  // The names the handler gets its request and response by: `(req, res)`, or Koa's one context.
  const ctx = koaContext(router);
  const [reqParam, resParam] = router.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
  const [request, response] = ctx ? [ctx, ctx] : [reqParam, resParam];
  if (!request || !response) return undefined;
  if (router.body && !ts.isBlock(router.body)) return ctx ? undefined : rewriteExpressionRouter(source, router, handler, guard?.lines(request, response));
  const removed = routingStatements(source, router, factory);
  if (!removed) return undefined;
  // The handler's first two parameters must be what the transport was handed (`serve(transport, req, res)` has them elsewhere).
  if (!ctx && !handsOnParameters(removed, request, response)) return undefined;
  // Node's request and response as the old code handed them on: `req`, fastify's `request.raw`, Koa's `ctx.req`.
  const [req, res] = ctx ? [`${ctx}.req`, `${ctx}.res`] : nodeArguments(source, removed, request, response);

  // Koa's body parsers put the body on `ctx.request.body`.
  const body = parsedBody(source, removed, ctx ? `${ctx}.request` : request);
  // Routed only POST: by the framework (`app.post`, NestJS's `@Post()`), or by the handler itself.
  const isPostRoute = postRouteOf(source, router) !== undefined || routeDecorator(router) === "Post" || refusesAllButPost(source, router, removed, request);
  const kept = keptStatements(source, router, factory);
  // Koa answers after its middleware unless told the response is the handler's.
  const koaSteps = ctx && !kept.some((statement) => new RegExp(`\\b${ctx}\\.respond\\s*=\\s*false`).test(statement.getText(source))) ? [`${ctx}.respond = false;`] : [];
  const unit = indentUnitOf(source.text);
  // A `try` whose error handling is the handler's own stays around the dispatch, with what else its block did.
  const held = keptTry(source, router, removed, factory, response);
  if (held === "refused") return undefined;
  const carried = held ? [] : carriedStatements(source, router, removed, response);
  if (carried === undefined) return undefined;
  const wrappers = contextWrappers(source, removed);
  if (wrappers === undefined) return undefined;
  const dispatch = wrapped(`${handler}(${[req, res, ...(body ? [body] : [])].join(", ")})`, wrappers, isAsync(router), unit);
  // A statement of the try's block keeps its place one step in; its continuation lines are written that way already.
  const within = (statements: ts.Statement[]) => (held ? statements.flatMap((s) => `${unit}${rebased(s.getText(source), indentOf(source, held.statement))}`.split("\n")) : []);
  const handling = held
    ? [
        "try {",
        ...[...within(held.before), ...dispatch.map((line) => `${unit}${line}`), ...within(held.after)],
        ...[held.statement.catchClause, held.statement.finallyBlock].flatMap((part, i) => (part ? `} ${i === 1 ? "finally " : ""}${rebased(part.getText(source), indentOf(source, held.statement))}`.replace(/\n?\}$/, "").split("\n") : [])),
        "}",
      ]
    : dispatch;
  const lines = [
    ...koaSteps,
    ...(guard?.lines(req, res) ?? []),
    ...(isPostRoute ? [] : [`// MCP 2026-07-28 has no sessions: GET (session streams) and DELETE (session teardown) are gone.`]),
    ...(isPostRoute ? [] : onlyPost(req, res, unit)),
    ...carried,
    ...handling,
  ];
  return replaceStatements(source, removed, lines);
}

/** A call the old code ran its transport's handling inside: what comes before the callback, and after it. */
interface ContextWrapper {
  open: string;
  async: boolean;
  close: string;
}

/**
 * The calls the old code handled the request inside, outermost first: `asyncLocalStorage.run({ apiKey },
 * async () => { await transport.handleRequest(…) })`, a tracer's span, a telemetry scope. What the
 * tools read from them (an API key in AsyncLocalStorage) is there only while the callback runs, so
 * the handler runs inside them too. Undefined when one of them reads what the routing declared,
 * which goes with it.
 */
export function contextWrappers(source: ts.SourceFile, removed: readonly ts.Statement[]): ContextWrapper[] | undefined {
  let call: ts.CallExpression | undefined;
  const find = (node: ts.Node) => {
    if (isHandleRequest(node)) call ??= node;
    node.forEachChild(find);
  };
  removed.forEach(find);
  if (!call) return [];
  const declared = new Set<string>();
  for (const statement of removed) for (const name of declaredNames(statement)) declared.add(name);
  const wrappers = wrappersAround(source, call, (node) => removed.includes(node as ts.Statement));
  return wrappers.some((wrapper) => wrapper.reads.some((argument) => [...declared].some((name) => mentions(argument, name)))) ? undefined : wrappers;
}

/** The calls a call sits in the callback of, outermost first, up to `stop`; with their other arguments. */
export function wrappersAround(source: ts.SourceFile, call: ts.Node, stop: (node: ts.Node) => boolean): Array<ContextWrapper & { reads: ts.Expression[] }> {
  const wrappers: Array<ContextWrapper & { reads: ts.Expression[] }> = [];
  for (let at: ts.Node = call; at.parent && !stop(at); at = at.parent) {
    const outer = at.parent;
    if (!(ts.isArrowFunction(at) || ts.isFunctionExpression(at)) || !ts.isCallExpression(outer) || !outer.arguments.includes(at)) continue;
    // A promise's own continuation is no scope.
    if (ts.isPropertyAccessExpression(outer.expression) && /^(then|catch|finally)$/.test(outer.expression.name.text)) continue;
    const index = outer.arguments.indexOf(at);
    const before = outer.arguments.slice(0, index).map((a) => a.getText(source));
    const after = outer.arguments.slice(index + 1).map((a) => a.getText(source));
    const parameters = at.parameters.map((p) => p.getText(source)).join(", ");
    const isAsyncCallback = isAsync(at);
    const head = ts.isArrowFunction(at) ? `${isAsyncCallback ? "async " : ""}(${parameters}) => {` : `${isAsyncCallback ? "async " : ""}function (${parameters}) {`;
    const reads = outer.arguments.filter((argument) => argument !== at);
    // Arguments written over lines keep their lines' places relative to the call's first line.
    const base = indentOf(source, outer);
    const open = rebased(`${outer.expression.getText(source)}(${[...before, head].join(", ")}`, base);
    wrappers.unshift({ open, async: isAsyncCallback, close: rebased(`}${after.length ? `, ${after.join(", ")}` : ""})`, base), reads });
  }
  return wrappers;
}

/** The dispatch, inside the calls it ran in: `await store.run({ apiKey }, async () => {`, the dispatch, `});`. */
export function wrapped(dispatch: string, wrappers: readonly ContextWrapper[], awaits: boolean, unit: string): string[] {
  const lines: string[] = [];
  let depth = "";
  let awaiting = awaits;
  // The outermost call is a statement of the route; each inner one is what its callback awaits or returns.
  const lead = (outermost: boolean) => (awaiting ? "await " : outermost ? "void " : "return ");
  for (const wrapper of wrappers) {
    const [first, ...rest] = wrapper.open.split("\n");
    lines.push(`${depth}${lead(lines.length === 0)}${first}`, ...rest.map((line) => `${depth}${line}`));
    depth += unit;
    awaiting = wrapper.async;
  }
  lines.push(`${depth}${lead(wrappers.length === 0)}${dispatch};`);
  for (const wrapper of [...wrappers].reverse()) {
    depth = depth.slice(unit.length);
    lines.push(...`${wrapper.close};`.split("\n").map((line) => `${depth}${line}`));
  }
  return lines;
}

/**
 * What the routing did to the response on the way to the transport, besides routing
 * (`applyCorsHeaders(res)`, `res.setHeader("x-served-by", …)` just before `handleRequest`, inside
 * a `try` or a branch the rewrite replaces whole): it ran for every request the transport
 * answered, so it runs before the handler now. Undefined when such a statement reads what the
 * routing declared, or spans lines, and cannot be carried alone.
 */
function carriedStatements(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, removed: readonly ts.Statement[], response: string): string[] | undefined {
  let call: ts.CallExpression | undefined;
  const find = (node: ts.Node) => {
    if (isHandleRequest(node)) call ??= node;
    if (!ts.isFunctionLike(node)) node.forEachChild(find);
  };
  removed.forEach(find);
  if (!call) return [];
  const declared = new Set<string>();
  for (const statement of removed) for (const name of declaredNames(statement)) declared.add(name);
  const carried: ts.Statement[] = [];
  // From the call's statement up to the removed statement that holds it: what precedes it in each block.
  for (let at: ts.Node = call; at.parent && !removed.includes(at as ts.Statement); at = at.parent) {
    const block = at.parent;
    if (!ts.isBlock(block) || !ts.isStatement(at)) continue;
    const before = block.statements.slice(0, block.statements.indexOf(at));
    carried.unshift(...before.filter((s) => ts.isExpressionStatement(s) && mentions(s, response) && !ROUTING.test(s.getText(source)) && !answers(source, s, router)));
  }
  if (carried.some((s) => s.getText(source).includes("\n") || [...declared].some((name) => mentions(s, name)))) return undefined;
  return carried.map((s) => s.getText(source));
}

/** `(req, res) => transport.handleRequest(req, res, req.body)` → `(req, res) => mcpHandler(req, res, req.body)`, the same arguments. */
function rewriteExpressionRouter(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, handler: string, guard: string[] | undefined): TextEdit[] | undefined {
  const body = router.body as ts.Expression;
  const call = unwrap(body);
  // Only a POST route's: anything else would need the 405 the expression has no room for.
  if (!ts.isCallExpression(call) || !postRouteOf(source, router)) return undefined;
  if (!guard) return [{ start: call.expression.getStart(source), end: call.expression.getEnd(), text: handler }];
  // Guards before it need a block.
  const indent = indentOf(source, statementOf(router));
  const unit = indentUnitOf(source.text);
  const dispatch = `${handler}${source.text.slice(call.expression.getEnd(), call.getEnd())}`;
  const lines = [...guard, `${isAsync(router) ? "await" : "return"} ${dispatch};`].map((line) => `${indent}${unit}${line}`);
  return [{ start: body.getStart(source), end: body.getEnd(), text: `{\n${lines.join("\n")}\n${indent}}` }];
}

/** The same for a router that takes a web Request and returns a Response. */
export function rewriteWebRouter(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, handler: string, factory: string | undefined, guard?: RebindingGuard): TextEdit[] | undefined {
  const routing = routingStatements(source, router, factory);
  const block = routingBlock(source, router);
  // The routing must end its block: the Response it returned is now the handler's.
  if (!routing || !block || routing.at(-1) !== block.statements.at(-1)) return undefined;
  // Node's request and response made from the web Request for a v1 transport (fetch-to-node) go with it.
  const bridge = nodeBridge(block, routing);
  if (bridge === null) return undefined;
  const removed = bridge ? [bridge.statement, ...routing].sort((a, b) => a.pos - b.pos) : routing;
  const request = webRequestOf(source, removed);
  if (!request || !inScope(router, removed, request)) return undefined;
  const options = webOptions(source, removed);
  if (options === null) return undefined;
  const dispatch = `${handler}.fetch(${request}${options ? `, ${options}` : ""})`;
  const wrapper = answerWrapper(source, removed);
  // A POST route, a Next.js route handler named POST, or one that refused other methods before routing, takes only POST already.
  const onlyPosts = postRouteOf(source, router) !== undefined || nameOf(router) === "POST" || refusesAllButPost(source, router, removed, request);
  const refusal = `new Response(null, { status: 405, headers: { allow: "POST" } })`;
  return replaceStatements(source, removed, [
    ...(guard?.lines(request, "", wrapper?.wrap) ?? []),
    ...(onlyPosts ? [] : [
      `// MCP 2026-07-28 has no sessions: GET (session streams) and DELETE (session teardown) are gone.`,
      `if (${request}.method !== "POST") return ${wrapper ? wrapper.wrap(refusal) : refusal};`,
    ]),
    `return ${wrapper ? wrapper.wrap(`${wrapper.awaited ? "await " : ""}${dispatch}`) : dispatch};`,
  ]);
}

/** Whether the request the dispatch will name (`c.req.raw`) is the router's own: a parameter, or declared by what the rewrite keeps. */
function inScope(router: ts.FunctionLikeDeclaration, removed: readonly ts.Statement[], request: string): boolean {
  const root = /^[\w$]+/.exec(request)?.[0];
  if (!root) return false;
  if (router.parameters.some((parameter) => declaredNames(parameter).has(root))) return true;
  return statementsBefore(router, removed[0]!).some((statement) => ts.isVariableStatement(statement) && declaredNames(statement).has(root));
}

/**
 * `const { req, res } = toReqRes(c.req.raw)` before the routing (fetch-to-node, how v1's Node
 * transport was served from Hono or a fetch handler): the statement, which goes with the routing
 * (webRequestOf then finds the web Request it was made from). Undefined when there is none; null
 * when its request or response is used besides, which the handler's one web answer cannot serve.
 */
function nodeBridge(body: ts.Block, routing: readonly ts.Statement[]): { statement: ts.Statement } | null | undefined {
  const statement = body.statements.find((s) => !routing.includes(s) && ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => madeByToReqRes(d) !== undefined));
  if (!statement || !ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return statement ? null : undefined;
  const names = [...declaredNames(statement)];
  const kept = body.statements.filter((s) => s !== statement && !routing.includes(s));
  return kept.some((s) => names.some((name) => mentions(s, name))) ? null : { statement };
}

/**
 * Whether the handler, before its routing, answers every method but POST itself and returns
 * (`if (req.method !== "POST") { res.status(405)…; return; }`): then no 405 of ours is needed.
 */
function refusesAllButPost(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, removed: readonly ts.Statement[], req: string): boolean {
  const before = statementsBefore(router, removed[0]!);
  const notPost = new RegExp(`^${req.replace(/[.$]/g, "\\$&")}\\.method\\s*!==?\\s*["'\`]POST["'\`]$`);
  return before.some((statement) => ts.isIfStatement(statement) && !statement.elseStatement && notPost.test(statement.expression.getText(source)) && endsInReturn(statement.thenStatement));
}

/** The statements of the router that run before `statement`: those above it in its block, and in each block around it. */
function statementsBefore(router: ts.FunctionLikeDeclaration, statement: ts.Statement): ts.Statement[] {
  const before: ts.Statement[] = [];
  for (let at: ts.Node = statement; at !== router.body && at.parent; at = at.parent) {
    const block = at.parent;
    if (ts.isBlock(block)) before.push(...block.statements.slice(0, block.statements.indexOf(at as ts.Statement)));
  }
  return before;
}

function endsInReturn(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements.at(-1) : statement;
  return last !== undefined && ts.isReturnStatement(last);
}

/**
 * What the old code did to the transport's answer before returning it, when every return of one
 * did the same (`return withCors(await transport.handleRequest(req))`): the handler's answer and
 * the 405 go through it too, or a browser would lose the CORS headers it was given before.
 */
function answerWrapper(source: ts.SourceFile, removed: readonly ts.Statement[]): { wrap: (answer: string) => string; awaited: boolean } | undefined {
  const shapes = new Set<string>();
  let awaited = false;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const call = handleRequestCall(node.expression);
      if (call) {
        const inner = ts.isAwaitExpression(call.parent) ? call.parent : call;
        awaited ||= inner !== call;
        const text = node.expression.getText(source);
        const offset = node.expression.getStart(source);
        shapes.add(`${text.slice(0, inner.getStart(source) - offset)}\0${text.slice(inner.getEnd() - offset)}`);
      }
    }
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  const [shape] = shapes;
  if (shapes.size !== 1 || shape === "\0") return undefined;
  return { wrap: (answer) => shape!.replace("\0", answer), awaited };
}

function handleRequestCall(node: ts.Node): ts.CallExpression | undefined {
  if (isHandleRequest(node)) return node;
  return node.forEachChild((child) => (ts.isFunctionLike(child) ? undefined : handleRequestCall(child)));
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

/** A statement that touches session routing, or a name an earlier routing statement declared (added to `names`). */
function routes(source: ts.SourceFile, statement: ts.Statement, names: Set<string>): boolean {
  const is = ROUTING.test(statement.getText(source)) || [...names].some((n) => mentions(statement, n));
  if (is && ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
  return is;
}

const ROUTING = /handleRequest|mcp-session-id|transports?\b|sessionIdGenerator|isInitializeRequest/i;

/**
 * The block the routing is a run of: the router's body, or, where all of it sits in one `if`
 * that tests something else (`if (url.pathname === "/mcp") { … }` in a node:http handler that
 * serves other paths too), that branch's block, so that the test and the other paths stay.
 */
export function routingBlock(source: ts.SourceFile, router: ts.FunctionLikeDeclaration): ts.Block | undefined {
  if (!router.body || !ts.isBlock(router.body)) return undefined;
  let block: ts.Block = router.body;
  for (;;) {
    const names = new Set<string>();
    const routing = block.statements.filter((statement) => routes(source, statement, names));
    const only = routing.length === 1 ? routing[0] : undefined;
    if (!only || !ts.isIfStatement(only) || !ts.isBlock(only.thenStatement) || ROUTING.test(only.expression.getText(source))) return block;
    if (only.elseStatement && ROUTING.test(only.elseStatement.getText(source))) return block;
    block = only.thenStatement;
  }
}

/** The router's session statements: a contiguous run of its routing block, or undefined. */
export function routingStatements(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, factory: string | undefined): readonly ts.Statement[] | undefined {
  const block = routingBlock(source, router);
  if (!block) return undefined;
  const statements = block.statements;

  const routing = markRouting(source, statements, factory);
  const first = routing.indexOf(true);
  const last = routing.lastIndexOf(true);
  if (first === -1) return undefined;
  // After the routing comes what ran when no session matched. The one handler answers every
  // request, so a refusal of the session ("Bad Request: No valid session ID provided") goes with
  // the routing; any other answer there would now follow the handler's, so nothing moves.
  const after = statements.slice(last + 1);
  if (after.some((statement) => refusesSession(source, statement)) && after.every((statement) => refusesSession(source, statement) || isBareReturn(statement))) {
    after.forEach((_, k) => (routing[last + 1 + k] = true));
  } else if (after.length === 1 && returnsBridgedAnswer(after[0]!)) {
    // `return toFetchResponse(res)` (fetch-to-node): the transport's answer, which the handler now gives.
    routing[last + 1] = true;
  } else if (after.some((statement) => answers(source, statement, router))) {
    return undefined;
  }
  // What is left between is the handler's own (an auth check, a log line): it stays, in order.
  return statements.filter((_, i) => routing[i]);
}

/** `return toFetchResponse(res)`: Node's response handed back as a web one (fetch-to-node). */
function returnsBridgedAnswer(statement: ts.Statement): boolean {
  if (!ts.isReturnStatement(statement) || !statement.expression) return false;
  const answer = unwrap(statement.expression);
  return ts.isCallExpression(answer) && ts.isIdentifier(answer.expression) && answer.expression.text === "toFetchResponse";
}

/** Which statements of a block route: those touching session routing or what an earlier routing statement declared, and the declarations only they use. */
function markRouting(source: ts.SourceFile, statements: readonly ts.Statement[], factory: string | undefined, declaredBefore: Iterable<string> = []): boolean[] {
  const routingNames = new Set<string>(declaredBefore);
  const routing = statements.map((statement) => routes(source, statement, routingNames));
  const first = routing.indexOf(true);
  const last = routing.lastIndexOf(true);
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
  return routing;
}

/**
 * The `try` among the routing statements that holds the transport's handling, where its `catch`
 * and `finally` touch nothing of the routing (they log, count, answer 500): the dispatch goes in a
 * `try` of its own with them, and the statements of its block that are no routing (a metric, a log
 * line) stay around the dispatch, in order. Undefined where there is no such `try`.
 */
function keptTry(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, removed: readonly ts.Statement[], factory: string | undefined, response: string): { statement: ts.TryStatement; before: ts.Statement[]; after: ts.Statement[] } | "refused" | undefined {
  const statement = removed.find((s): s is ts.TryStatement => ts.isTryStatement(s) && s.tryBlock.statements.some((inner) => ROUTING.test(inner.getText(source))));
  if (!statement) return undefined;
  const inner = statement.tryBlock.statements;
  const variables = (statements: readonly ts.Statement[]) => statements.flatMap((s) => (ts.isVariableStatement(s) ? [...declaredNames(s)] : []));
  // What the routing declared before the try (`const server = build()`) is routing inside it too, and goes.
  const routing = markRouting(source, inner, factory, variables(removed));
  const first = routing.indexOf(true);
  const last = routing.lastIndexOf(true);
  const handlers = [statement.catchClause, statement.finallyBlock].filter((n): n is ts.CatchClause | ts.Block => n !== undefined);
  // What the routing declared: its variables, before the try and in its block (not a callback's parameters, nor the catch's `error`).
  const declared = new Set<string>([...variables(removed), ...variables(inner)]);
  if (handlers.some((h) => ROUTING.test(h.getText(source)) || [...declared].some((name) => mentions(h, name)))) return undefined;
  // What it did to the response with what the routing declared (`res.setHeader("x-session", sessionId)`) cannot be told apart from the routing.
  if (inner.some((s, i) => routing[i] && ts.isExpressionStatement(s) && mentions(s, response) && !ROUTING.test(s.getText(source)))) return "refused";
  const before = inner.filter((s, i) => i < last && !routing[i]);
  const after = inner.filter((s, i) => i > last);
  // What ran after the handling and answered would follow the handler's answer now.
  if (first === -1 || after.some((s) => answers(source, s, router))) return undefined;
  return { statement, before, after };
}


/** `res.status(400).json({ … "No valid session ID" … })`, `return new Response("Session not found", { status: 404 })`. */
function refusesSession(source: ts.SourceFile, statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement) && !(ts.isReturnStatement(statement) && statement.expression)) return false;
  const text = statement.getText(source);
  return /session/i.test(text) && /\b4\d\d\b/.test(text);
}

function isBareReturn(statement: ts.Statement): boolean {
  return ts.isReturnStatement(statement) && !statement.expression;
}

/** Whether the statement answers the request: returns a web Response, writes to Node's response, or calls `next()`. */
function answers(source: ts.SourceFile, statement: ts.Statement, router: ts.FunctionLikeDeclaration): boolean {
  // Handing the request on to the next middleware (`next()`) lets it answer too.
  const next = router.parameters.find((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === "next");
  if (next && mentions(statement, "next")) return true;
  const ctx = koaContext(router);
  if (ctx) return new RegExp(`\\b${ctx}\\.(?:(?:status|body)\\s*=(?!=)|(?:redirect|throw)\\s*\\(|res\\.)`).test(statement.getText(source));
  const response = router.parameters[1]?.name;
  if (!response || !ts.isIdentifier(response)) return containsReturnOf(statement);
  return new RegExp(`\\b${response.text}(\\.raw)?\\s*\\.\\s*(status|sendStatus|send|json|end|write|writeHead|redirect|code)\\b`).test(statement.getText(source));
}

function containsReturnOf(node: ts.Node): boolean {
  if (ts.isReturnStatement(node)) return node.expression !== undefined;
  if (ts.isFunctionLike(node)) return false;
  return node.forEachChild((child) => containsReturnOf(child) || undefined) ?? false;
}

/** The statements of the router's body the rewrite leaves in place. */
export function keptStatements(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, factory: string | undefined): ts.Statement[] {
  const removed = new Set(routingStatements(source, router, factory));
  const block = routingBlock(source, router);
  if (!block) return [];
  // The block's own, and those of each block around it but the statement that holds it.
  const kept = block.statements.filter((statement) => !removed.has(statement));
  for (let inner: ts.Node = block; inner !== router.body && inner.parent; inner = inner.parent) {
    const outer = inner.parent.parent;
    if (ts.isBlock(outer)) kept.push(...outer.statements.filter((statement) => statement !== inner.parent));
  }
  return kept;
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
  const bridged = new Map<string, string>();
  let request: ts.Expression | undefined;
  const visit = (node: ts.Node) => {
    if ((ts.isVariableDeclaration(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name)) declaredInside.add(node.name.text);
    // `const { req, res } = toReqRes(request)`: Node's request stands for the web one it was made from.
    const made = ts.isVariableDeclaration(node) ? madeByToReqRes(node) : undefined;
    if (made) for (const name of declaredNames(node)) bridged.set(name, made.getText(source));
    if (isHandleRequest(node)) request ??= node.arguments[0];
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  let root = request;
  while (root && ts.isPropertyAccessExpression(root)) root = root.expression;
  if (request && ts.isIdentifier(request) && bridged.has(request.text)) return bridged.get(request.text);
  if (!request || !root || !ts.isIdentifier(root) || declaredInside.has(root.text)) return undefined;
  // @hono/mcp's transport took Hono's Context itself (`transport.handleRequest(c)`): its Request is c.req.raw.
  if (ts.isIdentifier(request) && source.statements.some((s) => ts.isImportDeclaration(s) && (s.moduleSpecifier as ts.StringLiteral).text === "@hono/mcp")) return `${request.text}.req.raw`;
  return request.getText(source);
}

/**
 * What the old code handed the transport beside the request, as the handler's options: the body
 * it had parsed (`{ parsedBody: body }`, or `handleRequest(req, res, body)` through Node's request
 * and response), when it outlives the rewrite (one read inside the routing, `await c.req.json()`,
 * goes with it, and the handler reads the Request itself); and the caller's `authInfo`, which the
 * tools read as `ctx.http?.authInfo` and would lose if dropped. Undefined when there is none;
 * null when the auth is made inside the statements that go, where the handler cannot reach it.
 */
function webOptions(source: ts.SourceFile, removed: readonly ts.Statement[]): string | null | undefined {
  const declaredInside = new Set<string>();
  const carried = new Map<string, ts.Expression>();
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) declaredInside.add(node.name.text);
    if (isHandleRequest(node)) {
      const options = node.arguments[1];
      for (const property of options && ts.isObjectLiteralExpression(options) ? options.properties : []) {
        const name = property.name?.getText(source);
        if (name !== "parsedBody" && name !== "authInfo") continue;
        if (ts.isPropertyAssignment(property)) carried.set(name, property.initializer);
        if (ts.isShorthandPropertyAssignment(property)) carried.set(name, property.name);
      }
      const passed = node.arguments[2];
      if (passed && ts.isIdentifier(passed)) carried.set("parsedBody", passed);
    }
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  const reads = (node: ts.Node): boolean => (ts.isIdentifier(node) && declaredInside.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) || (node.forEachChild((child) => reads(child) || undefined) ?? false);
  const body = carried.get("parsedBody");
  if (body && (!ts.isIdentifier(body) || reads(body))) carried.delete("parsedBody");
  const auth = carried.get("authInfo");
  if (auth && reads(auth)) return null;
  if (carried.size === 0) return undefined;
  return `{ ${[...carried].map(([name, value]) => (ts.isIdentifier(value) && value.text === name ? name : `${name}: ${value.getText(source)}`)).join(", ")} }`;
}

/**
 * The request and response the old code handed `transport.handleRequest`, when they are the
 * router's parameters or their `.raw` (fastify's); else the parameters themselves.
 */
/** Whether every `handleRequest` the routing makes is handed `req` and `res` (or their `.raw`), the handler's parameters. */
function handsOnParameters(removed: readonly ts.Statement[], req: string, res: string): boolean {
  const is = (argument: ts.Expression | undefined, parameter: string) => {
    const e = argument && ts.isPropertyAccessExpression(argument) && argument.name.text === "raw" ? argument.expression : argument;
    return e !== undefined && ts.isIdentifier(e) && e.text === parameter;
  };
  let all = true;
  const visit = (node: ts.Node) => {
    if (isHandleRequest(node) && !(is(node.arguments[0], req) && is(node.arguments[1], res))) all = false;
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  return all;
}

function nodeArguments(source: ts.SourceFile, removed: readonly ts.Statement[], req: string, res: string): [string, string] {
  let call: ts.CallExpression | undefined;
  const visit = (node: ts.Node) => {
    if (isHandleRequest(node)) call ??= node;
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  const [request, response] = call?.arguments ?? [];
  const raw = (argument: ts.Expression | undefined, parameter: string) => argument !== undefined && ts.isPropertyAccessExpression(argument) && argument.name.text === "raw" && ts.isIdentifier(argument.expression) && argument.expression.text === parameter;
  return raw(request, req) && raw(response, res) ? [`${req}.raw`, `${res}.raw`] : [req, res];
}

/** The body the old code passed to handleRequest, when it still exists after the rewrite. */
function parsedBody(source: ts.SourceFile, removed: readonly ts.Statement[], req: string): string | undefined {
  const declaredInside = new Map<string, ts.VariableDeclaration>();
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) declaredInside.set(node.name.text, node);
    if (isHandleRequest(node) && node.arguments[2]) calls.push(node);
    node.forEachChild(visit);
  };
  removed.forEach(visit);
  for (const call of calls) {
    const body = call.arguments[2]!;
    const text = body.getText(source);
    if (text === `${req}.body`) return text;
    if (ts.isIdentifier(body) && !declaredInside.has(body.text)) return text;
    // `const body = (ctx.request as any).body` among what goes: the read itself is handed on,
    // since a body parser has consumed the stream the handler would otherwise read.
    const value = ts.isIdentifier(body) ? declaredInside.get(body.text)?.initializer : undefined;
    if (value && readsBody(value)) return value.getText(source);
  }
  return undefined;
}

/** `ctx.request.body`, `(req as any).body`, `req.body!`: a property read of a parsed body, nothing called. */
function readsBody(value: ts.Expression): boolean {
  const node = withoutCasts(value);
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== "body") return false;
  for (let inner: ts.Expression = node.expression; ; ) {
    inner = withoutCasts(inner);
    if (ts.isIdentifier(inner)) return true;
    if (!ts.isPropertyAccessExpression(inner)) return false;
    inner = inner.expression;
  }
}
