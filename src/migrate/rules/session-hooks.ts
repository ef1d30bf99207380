/**
 * What ran for a session when it began or ended: its transport's hooks (`onsessioninitialized`,
 * `onsessionclosed`, `transport.onclose = …`), the branch of the routing that starts a session,
 * and the legacy SSE stream's handler. The routing rewrites take all of it away: right for the
 * bookkeeping (the transports map's set and delete, a log line, closing the session's server,
 * making its transport and server), which has nothing left to keep. Anything else done for a
 * session (connecting an upstream, opening a pool, starting a subscription) would never run again
 * without a word, so it refuses the rewrite, naming the statement. Pure: it reads the code.
 */
import ts from "typescript";
import { TELEMETRY_CALL } from "../../analysis/rules/session-telemetry.ts";
import { calleeName, propertyNameText, unwrap, withoutCasts } from "../../analysis/rule.ts";
import { firstLineOf } from "../rule.ts";

const HOOKS = /^(onsessioninitialized|onsessionclosed)$/;

/** Why the session hooks in `routers` cannot go with the routing; undefined when they only keep its books. */
export function sessionHookWork(source: ts.SourceFile, routers: readonly ts.Node[]): string | undefined {
  for (const router of routers) {
    let found: string | undefined;
    const visit = (node: ts.Node) => {
      const hook = hookOf(node);
      const work = hook && hook.fn.body && firstWork(source, hook.fn.body);
      if (hook && work && !found) found = described(source, work, `transport's ${hook.name}`);
      node.forEachChild(visit);
    };
    visit(router);
    if (found) return found;
  }
  return undefined;
}

/**
 * Why the legacy SSE stream's handler cannot go whole with its stream: a statement that does more
 * than make the stream's transport, keep it, connect the server to it, answer on the response, or
 * log, such as `await connectUpstream(transport.sessionId)`. Its close hooks
 * (`res.on("close", …)`) are read as the transport's are.
 */
export function streamHandlerWork(source: ts.SourceFile, body: ts.Node): string | undefined {
  // The servers the handler connects: making one is the stream's (the handler's factory builds it now).
  const { connected } = connectedServers(source, [body]);
  const statements = ts.isBlock(body) ? body.statements : ts.isIfStatement(body) && ts.isBlock(body.thenStatement) ? body.thenStatement.statements : undefined;
  const request = firstParameterAround(body);
  const streams = (d: ts.VariableDeclaration) => d.initializer !== undefined && /SSEServerTransport\(/.test(d.initializer.getText(source));
  // A value worked out from the request alone (`const accessToken = extractAccessToken(req)`): what uses it is judged, not it.
  const fromRequest = (d: ts.VariableDeclaration) => request !== undefined && d.initializer !== undefined && readsOnly(d.initializer, request);
  for (const statement of statements ?? []) {
    if (ts.isVariableStatement(statement) && statement.declarationList.declarations.every((d) => streams(d) || fromRequest(d) || connected.has(d.name.getText(source)))) continue;
    const hook = closeHook(statement);
    const work = hook ? firstWork(source, hook.body) : statementWork(source, statement);
    if (work) return described(source, work, "SSE stream's handler");
  }
  return undefined;
}

/** The request the function around (or at) a node takes first (`req`, Hono's `c`). */
function firstParameterAround(node: ts.Node): string | undefined {
  let fn: ts.Node | undefined = node;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const first = fn && ts.isFunctionLike(fn) ? fn.parameters[0]?.name : undefined;
  return first && ts.isIdentifier(first) ? first.text : undefined;
}

/** The servers `nodes` connect (`server.connect(t)`, `buildServer(tally).connect(t)`: their text), and the names their making reads. */
function connectedServers(source: ts.SourceFile, nodes: readonly ts.Node[]): { connected: Set<string>; making: Set<string> } {
  const connected = new Set<string>();
  const making = new Set<string>();
  const collect = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "connect") {
      const receiver = unwrap(node.expression.expression);
      connected.add(receiver.getText(source));
      receiver.forEachChild(function names(child): void {
        if (ts.isIdentifier(child)) making.add(child.text);
        child.forEachChild(names);
      });
    }
    node.forEachChild(collect);
  };
  nodes.forEach(collect);
  return { connected, making };
}

/** `f(req)`, `await auth.read(req.headers)`: a call handed only the request, or what it holds. */
function readsOnly(value: ts.Expression, request: string): boolean {
  const call = unwrap(value);
  const rootedAtRequest = (argument: ts.Expression): boolean => {
    let e = withoutCasts(argument);
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
    return ts.isIdentifier(e) && e.text === request;
  };
  return ts.isCallExpression(call) && call.arguments.length > 0 && call.arguments.every(rootedAtRequest);
}

/**
 * Why the branch that starts a session (the `if` whose block makes the Streamable HTTP transport)
 * cannot go with the routing: a statement that does more than look a transport up, make one and
 * its server, connect, hand it the request, answer or log, such as `await openUpstream(sid)`.
 * Only that branch: what else the routing held (a `try`, a scope around the dispatch) the rewrite
 * keeps or refuses itself. Hooks are sessionHookWork's.
 */
export function routingWork(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, removed: readonly ts.Statement[]): string | undefined {
  // What the connected server is made of (`buildServer(tally)`) is the session's state, another rewrite's.
  const { connected, making } = connectedServers(source, removed);
  const request = firstParameterAround(router);
  // An object made for the session (`new Tape()`, kept in its entry): what the tools read of it is session-state's
  // to move behind a handle, which an earlier pass did; making one starts nothing.
  const made = (d: ts.VariableDeclaration) => d.initializer !== undefined && ts.isNewExpression(d.initializer);
  const routes = (d: ts.VariableDeclaration): boolean => {
    const value = d.initializer;
    const name = d.name.getText(source);
    if (!value || !containsCall(value) || connected.has(name) || making.has(name) || made(d)) return true;
    // The transport, fetch-to-node's bridge to it, or a value of the request's.
    if (/Transport\(|\btoReqRes\(/.test(value.getText(source)) || (request !== undefined && readsOnly(value, request))) return true;
    // Looking a session up (`transports.get(id)`, `isInitializeRequest(req.body)`, a header read): every call a read.
    return callsOnly(value, (call) => /^(get|has|isInitializeRequest|header|randomUUID)$/.test(calleeName(call) ?? ""));
  };
  const routing = { routes, connected };
  for (const branch of removed.flatMap(sessionStarts)) {
    const work = statementWork(source, branch, routing);
    if (work) return described(source, work, "session routing");
  }
  return undefined;
}

/** The blocks of `if`s in a statement (not in functions it holds) that make a Streamable HTTP transport themselves. */
function sessionStarts(statement: ts.Statement): ts.Block[] {
  const blocks: ts.Block[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isIfStatement(node)) {
      for (const branch of [node.thenStatement, node.elseStatement]) {
        if (branch && ts.isBlock(branch) && branch.statements.some((s) => !ts.isIfStatement(s) && /new \w*StreamableHTTP\w*Transport\(/.test(s.getText()))) blocks.push(branch);
      }
    }
    node.forEachChild(visit);
  };
  visit(statement);
  return blocks;
}

interface Routing {
  /** Whether a declaration of the branch routes (looks a session up, makes the transport or its server, reads the request). */
  routes: (d: ts.VariableDeclaration) => boolean;
  /** The servers the routing connects: registering on one (an inline server) is building it, which the factory does now. */
  connected: ReadonlySet<string>;
}

/** Whether an expression statement routes: what the branch that starts a session may do besides bookkeeping, which a hook may not. */
function isRouting(source: ts.SourceFile, statement: ts.ExpressionStatement, routing: Routing): boolean {
  const e = bare(statement.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    // `transport = new …Transport(…)`, `transport.onclose = () => …` (a hook, read apart), `entry.lastUsed = Date.now()`.
    const right = e.right;
    if (/^new \w*Transport\(/.test(right.getText(source)) || ts.isArrowFunction(right) || ts.isFunctionExpression(right)) return true;
    return callsOnly(right, (call) => /^(Date|performance)\.now$/.test(call.expression.getText(source)));
  }
  if (!ts.isCallExpression(e)) return false;
  // Handing the transport the request, connecting it, registering on the server it connects.
  if (/^(handleRequest|handlePostMessage|connect)$/.test(calleeName(e) ?? "")) return true;
  let root: ts.Expression = e.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  return routing.connected.has(root.getText(source));
}

/** Whether every call a value makes passes `test`. */
function callsOnly(node: ts.Node, test: (call: ts.CallExpression) => boolean): boolean {
  if (ts.isCallExpression(node) && !test(node)) return false;
  if (ts.isNewExpression(node)) return false;
  return node.forEachChild((child) => (callsOnly(child, test) ? undefined : true)) === undefined;
}

/** `res.on("close", () => …)` (or `req.on`): what ran when the stream ended. */
function closeHook(statement: ts.Statement): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const call = ts.isExpressionStatement(statement) ? unwrap(statement.expression) : undefined;
  if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== "on") return undefined;
  const [event, fn] = call.arguments;
  return event && ts.isStringLiteralLike(event) && /^(close|finish)$/.test(event.text) && fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn : undefined;
}

/** The reason naming a statement that did more for a session than keep its books. */
function described(source: ts.SourceFile, work: ts.Node, where: string): string {
  const { line } = source.getLineAndCharacterOfPosition(work.getStart(source));
  return `the ${where} does more for a session than keep the books (\`${firstLineOf(source, work)}\`, line ${line + 1}), and with no sessions it never runs again: start that where each request needs it (in the tools, or behind a handle a create_* tool returns), take it out of there, then run migrate again`;
}

/** `onsessioninitialized: async (id) => …` in a transport's options, or `transport.onclose = () => …`: the hook's name and function. */
function hookOf(node: ts.Node): { name: string; fn: ts.ArrowFunction | ts.FunctionExpression } | undefined {
  if (ts.isPropertyAssignment(node) && HOOKS.test(propertyNameText(node.name) ?? "")) {
    const fn = node.initializer;
    return ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) ? { name: propertyNameText(node.name)!, fn } : undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === "onclose" && /transport/i.test(node.left.expression.getText())) {
    const fn = node.right;
    return ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) ? { name: "onclose", fn } : undefined;
  }
  return undefined;
}

/** The first statement of a hook's body that is more than bookkeeping; undefined when all of it is. */
function firstWork(source: ts.SourceFile, body: ts.ConciseBody): ts.Node | undefined {
  return ts.isBlock(body) ? statementWork(source, body) : isBookkeeping(source, body) ? undefined : body;
}

/**
 * The first statement in `statement` (itself, or one of its blocks and branches) that is more than
 * bookkeeping: of a hook, or, given `routing`, of the branch that starts a session, which may also route.
 */
function statementWork(source: ts.SourceFile, statement: ts.Statement, routing?: Routing): ts.Node | undefined {
  const inner = (s: ts.Statement | undefined) => (s ? statementWork(source, s, routing) : undefined);
  if (ts.isBlock(statement)) return statement.statements.map(inner).find((work) => work !== undefined);
  if (ts.isIfStatement(statement)) return inner(statement.thenStatement) ?? inner(statement.elseStatement);
  if (ts.isTryStatement(statement)) return inner(statement.tryBlock) ?? inner(statement.catchClause?.block) ?? inner(statement.finallyBlock);
  if (ts.isVariableStatement(statement)) {
    // `const closed = transport.sessionId;`: reading, not doing (the routing also looks sessions up and makes transports).
    const kept = routing ? routing.routes : (d: ts.VariableDeclaration) => !d.initializer || !containsCall(d.initializer);
    return statement.declarationList.declarations.every(kept) ? undefined : statement;
  }
  if (ts.isReturnStatement(statement)) return statement.expression && !routing && containsCall(statement.expression) ? statement : undefined;
  if (routing && ts.isThrowStatement(statement)) return undefined;
  if (!ts.isExpressionStatement(statement)) return statement;
  const hook = routing && closeHook(statement);
  if (hook) return firstWork(source, hook.body);
  if (routing && isRouting(source, statement, routing)) return undefined;
  return isBookkeeping(source, statement.expression) ? undefined : statement;
}

/** An expression without the `await`, `void` and parentheses around it. */
function bare(expression: ts.Expression): ts.Expression {
  let e = unwrap(expression);
  while (ts.isVoidExpression(e) || ts.isParenthesizedExpression(e)) e = unwrap(e.expression);
  return e;
}

/**
 * The map's `set`/`delete` (or `delete map[id]`, `map[id] = transport`), the transport handed to a
 * registry, a log or metric, closing the session's server or transport, a timer's clear: what a
 * session kept of itself, which goes with it.
 */
function isBookkeeping(source: ts.SourceFile, expression: ts.Expression): boolean {
  const e = bare(expression);
  if (ts.isDeleteExpression(e)) return true;
  // `map[id] = transport`, a plain value kept, or the stream's transport made (`sse = new SSEServerTransport(…)`).
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) return ts.isElementAccessExpression(e.left) || !containsCall(e.right) || /^new \w*SSEServerTransport\(/.test(e.right.getText(source));
  if (ts.isCallExpression(e)) {
    const callee = e.expression.getText(source);
    // What it answered on the response (`res.writeHead(…)`, `res.status(503).json(…)`, `applyCorsHeaders(res)`): the rewrite carries or drops it with the answer.
    if (/^(res|response|reply|ctx\.res)\./.test(callee) || e.arguments.some((argument) => /^(res|response|reply)$/.test(argument.getText(source)))) return true;
    if (/^console\./.test(callee) || TELEMETRY_CALL.test(callee) || /^clear(Interval|Timeout)$/.test(callee)) return true;
    // The session's transport handed to a registry of the project's (`addTransport(id, transport!)`).
    const handsTransport = e.arguments.map(withoutCasts).some((value) => ts.isIdentifier(value) && /transport/i.test(value.text));
    if (handsTransport) return true;
    // Chained off the close (`server.close().catch(log)`): the close is what it does.
    const member = ts.isPropertyAccessExpression(e.expression) ? e.expression.name.text : undefined;
    if (member === "catch" || member === "then") return isBookkeeping(source, (e.expression as ts.PropertyAccessExpression).expression);
    return member !== undefined && /^(set|delete|close)$/.test(member);
  }
  return false;
}

function containsCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) || ts.isNewExpression(node) || (node.forEachChild((child) => (containsCall(child) ? true : undefined)) ?? false);
}
