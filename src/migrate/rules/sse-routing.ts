/**
 * The legacy SSE transport → one stateless handler. An express (or fastify) app that opened an
 * SSE stream per client on GET (`new SSEServerTransport("/messages", res)`) and took its messages on a POST route
 * by `?sessionId=` (`transport.handlePostMessage(…)`) serves Streamable HTTP instead, at the URL
 * the stream had, so a client configured with it only changes transport: POST there goes to
 * `toNodeHandler(createMcpHandler(factory))`, GET and DELETE answer 405, and the messages route
 * goes (SDK v2 has no SSE transport, and the official codemod leaves it to a person). Only that
 * shape (the handlers written in the routes, or declared apart for them alone), or a node:http
 * handler whose branches test the two paths, with the server built by a function that takes
 * nothing or made once beside the routes; anything else stays, with the reason.
 */
import ts from "typescript";
import { indentUnitOf } from "../../style.ts";
import { attachedStart, declarationIn, enclosingFunction, indentOf, indentedBy, insertedAbove, isConst, isValueReference, mentions, moduleFunction, references, removals, topLevelStatement, unwrap, walkCalls, walkIdentifiers, type ImportNeed, type TextEdit } from "../rule.ts";
import { moduleServerFactory, serverFactory, type ImportedText } from "./module-server.ts";
import { frameworkOf, handlerDeclaration, isAsync, notAllowed, onlyPost } from "./mcp-routes.ts";
import { streamHandlerWork } from "./session-hooks.ts";
import { shutdownLoops } from "./shutdown-loops.ts";
import { wrapped, wrappersAround } from "./router-rewrite.ts";

const WHY = "the legacy SSE transport (SSEServerTransport: a GET stream, POSTs to ?sessionId=) is a session by design and has no stateless form: serve Streamable HTTP through one createMcpHandler instead, and drop the SSE endpoints (a 2025-era client that needs them stays with an older server)";

/** The edits that serve Streamable HTTP where the SSE routes were, or why not. */
export function sseToHandler(source: ts.SourceFile, importedText?: ImportedText): { edits: TextEdit[]; imports?: ImportNeed[] } | string {
  const stream = routesWith(source, "get", (handler) => findNew(handler, "SSEServerTransport") !== undefined);
  const messages = routesWith(source, "post", (handler) => mentions(handler, "handlePostMessage"));
  if (stream.length === 0 && messages.length === 0) return nodeSseToHandler(source, importedText);
  if (stream.length !== 1 || messages.length !== 1) return WHY;
  const [get] = stream as [Route];
  const [post] = messages as [Route];
  const made = findNew(get.handler, "SSEServerTransport")!;
  const messagePath = made.arguments?.[0];
  // The stream told clients where to POST: the route that takes them must be that one.
  if (!messagePath || !ts.isStringLiteralLike(messagePath) || messagePath.text !== post.path.text || get.app !== post.app) return WHY;

  const found = handlerFor(source, get.handler, importedText);
  if (typeof found === "string") return found;
  const work = get.handler.body && streamHandlerWork(source, get.handler.body);
  if (work) return work;
  const { existing, factory, handler } = found;
  const getStatement = get.call.parent;
  const postStatement = post.call.parent;
  // The messages route goes, and so do handlers declared apart for the two routes alone.
  const declared = [get.declared, post.declared].filter((s): s is ts.Statement => s !== undefined);
  const removed = ts.isExpressionStatement(postStatement) ? removals(source, [postStatement, ...declared].sort((a, b) => a.pos - b.pos)) : undefined;
  if (!ts.isExpressionStatement(getStatement) || !removed) return WHY;

  const indent = indentOf(source, getStatement);
  const unit = indentUnitOf(source.text);
  const semi = getStatement.getText(source).endsWith(";") ? ";" : "";
  const path = get.path.getText(source);
  // Node's request and response: express's own, fastify's `.raw`.
  const framework = frameworkOf(source, get.call);
  if (framework === "web" || framework === "koa") return WHY;
  const [params, req, res] = framework === "fastify" ? ["request, reply", "request.raw", "reply.raw"] : ["req, res", "req", "res"];
  // What guarded either route (auth, a limiter) guards the one that serves both now, and the messages' body parser parses its body.
  const middleware = [...new Set([...get.middleware, ...post.middleware])];
  // A body parsed already (express.json(), fastify) is handed on: the request stream has been read.
  const parsed = post.bodyArgument || framework === "fastify" || middleware.some((m) => /\bjson\(/.test(m)) || /\.use\(\s*(express|bodyParser)\.json\(/.test(source.text);
  const body = parsed ? `, ${params.split(",")[0]}.body` : "";
  // The scope the messages were handled in (an API key in AsyncLocalStorage), with what it reads of the request.
  const scope = messageScope(source, post.handler, params.split(",")[0]!);
  if (typeof scope === "string") return scope;
  const dispatch = scope.wrappers.length ? wrapped(`${handler}(${req}, ${res}${body})`, scope.wrappers, true, unit).map((line) => `${unit}${line}`) : [`${unit}await ${handler}(${req}, ${res}${body})${semi}`];
  const routes = [
    `// Streamable HTTP at the URL the SSE stream had: one handler for every request, no Mcp-Session-Id.`,
    ...(existing ? [] : [`const ${handler} = toNodeHandler(createMcpHandler(${factory.name}))${semi}`, ``]),
    `${get.app}.post(${path}, ${middleware.map((m) => `${m}, `).join("")}async (${params}) => {`,
    ...scope.declarations.map((line) => `${unit}${line}`),
    ...dispatch,
    `})${semi}`,
    `${get.app}.get(${path}, ${notAllowed(framework)})${semi}`,
    `${get.app}.delete(${path}, ${notAllowed(framework)})${semi}`,
  ].map((line) => (line ? indent + line : line));
  // The stream route's own comments speak of the stream, and go with it.
  const from = source.text.lastIndexOf("\n", attachedStart(source, getStatement) - 1) + 1;
  // A server made once in the function around the routes (a `main()`) is built by a factory above them, where what it reads is in scope.
  const edits: TextEdit[] = [
    { start: from, end: getStatement.getEnd(), text: indentedBy(factory.text ?? "", indent) + routes.join("\n") },
    ...removed,
    ...factory.edits,
    ...shutdownLoops(source, [get.handler, post.handler]),
  ];
  return { edits, imports: factory.imports };
}

/**
 * The calls the messages route handled each message inside (`asyncLocalStorage.run({ apiKey },
 * async () => transport.handlePostMessage(req, res))`), for the route that takes its place, with
 * the one-line declarations of what they read of the request (`const apiKey = extractApiKey(req)`);
 * or why they cannot go with it.
 */
function messageScope(source: ts.SourceFile, handler: ts.FunctionLikeDeclaration, request: string): { wrappers: ReturnType<typeof wrappersAround>; declarations: string[] } | string {
  let posted: ts.CallExpression | undefined;
  walkCalls(handler, "handlePostMessage", (call) => void (posted ??= call));
  const wrappers = posted ? wrappersAround(source, posted, (node) => node === handler) : [];
  const declarations: ts.VariableStatement[] = [];
  const why = `the messages route handled each message inside ${wrappers[0]?.open.split("(")[0] ?? "a call"}(…), whose scope the tools may read, and what it is handed is worked out in the route in a way this rewrite cannot carry: serve Streamable HTTP at the stream's URL by hand, handling each request in the same scope (\`toNodeHandler(createMcpHandler(factory))\` called inside it), then run migrate again`;
  const ownName = handler.parameters[0] && ts.isIdentifier(handler.parameters[0].name) ? handler.parameters[0].name.text : undefined;
  /** Whether what `node` reads can be read in the new route: the request, functions and imports of the module, and the one-line consts (carried) made of those. */
  const carries = (node: ts.Node, depth: number): boolean => {
    let fine = true;
    walkIdentifiers(node, (id) => {
      if (!fine || id.text === ownName) return;
      const declared = declarationIn(handler, id.text);
      if (declared) {
        const statement = declared.parent.parent;
        const single = ts.isVariableStatement(statement) && isConst(declared) && statement.declarationList.declarations.length === 1 && !statement.getText(source).includes("\n");
        fine = single && depth < 4 && carries(declared.initializer!, depth + 1);
        if (fine && !declarations.includes(statement as ts.VariableStatement)) declarations.push(statement as ts.VariableStatement);
      } else if (handler.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text) || (keptByModule(source, id.text) && !moduleFunction(source, id.text))) {
        // Another parameter, or what the module keeps (a transports map: the session's bookkeeping goes).
        fine = false;
      }
    });
    return fine;
  };
  if (!wrappers.every((wrapper) => wrapper.reads.every((argument) => carries(argument, 0)))) return why;
  // The new route names the request as the express route does: one named otherwise cannot be carried as written.
  if (declarations.some((statement) => mentions(statement, ownName ?? "")) && ownName !== request) return why;
  return { wrappers, declarations: declarations.sort((a, b) => a.pos - b.pos).map((statement) => statement.getText(source)) };
}

/** A variable the module declares at its top level. */
function keptByModule(source: ts.SourceFile, name: string): boolean {
  return source.statements.some((statement) => ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
}

/**
 * The handler to serve with, and the factory it is built from: one the file has already (its own
 * routing, migrated first), else a function of the file taking nothing, or a server made once
 * moved into one, as the routing rewrite finds it; or why there is none.
 */
function handlerFor(source: ts.SourceFile, stream: ts.Node, importedText?: ImportedText): { existing?: string; factory: { name: string; edits: TextEdit[]; text?: string; within?: ts.Statement; imports?: ImportNeed[] }; handler: string } | string {
  const existing = existingHandler(source);
  const streams = [stream as ts.FunctionLikeDeclaration];
  const named = existing ? undefined : serverFactory(source, streams);
  const moved = existing || named ? undefined : moduleServerFactory(source, streams, importedText);
  if (typeof moved === "string") return moved;
  if (!existing && !named && !moved) return `${WHY}; and no one function builds the server the stream was connected to (one that takes nothing and returns the McpServer), which the handler needs`;
  const factory = { name: named ?? moved?.name ?? "", edits: moved?.edits ?? [], text: moved?.text, within: moved?.within, imports: moved?.imports };
  return { existing, factory, handler: existing ?? (mentions(source, "mcpHandler") ? "sseMcpHandler" : "mcpHandler") };
}

/**
 * The same on node:http, where one request handler tells the two apart itself:
 * `if (req.method === "GET" && url.pathname === "/sse") { new SSEServerTransport("/messages", res) … }`
 * and a branch testing "/messages" that calls `handlePostMessage`. The stream's branch keeps its
 * path test and serves Streamable HTTP (405 to anything but POST); the messages' branch goes.
 */
function nodeSseToHandler(source: ts.SourceFile, importedText?: ImportedText): { edits: TextEdit[]; imports?: ImportNeed[] } | string {
  const made = findNew(source, "SSEServerTransport");
  const messagePath = made?.arguments?.[0];
  if (!made || !messagePath || !ts.isStringLiteralLike(messagePath)) return WHY;
  let posted: ts.CallExpression | undefined;
  walkCalls(source, "handlePostMessage", (call) => void (posted ??= call));
  const fn = enclosingFunction(made);
  const [reqParam, resParam] = fn?.parameters ?? [];
  if (!posted || !fn || enclosingFunction(posted) !== fn || !reqParam || !resParam || !ts.isIdentifier(reqParam.name) || !ts.isIdentifier(resParam.name)) return WHY;
  const req = reqParam.name.text;
  const res = resParam.name.text;
  const streamBranch = branchTesting(made, (test) => pathTest(test) !== undefined);
  const messagesBranch = branchTesting(posted, (test) => test.getText(source).includes(messagePath.text));
  const streamTest = streamBranch && pathTest(streamBranch.expression);
  if (!streamBranch || !messagesBranch || !streamTest || streamBranch === messagesBranch) return WHY;
  const removedMessages = withoutBranch(source, messagesBranch);
  if (!removedMessages) return WHY;

  const found = handlerFor(source, streamBranch, importedText);
  if (typeof found === "string") return found;
  const work = streamHandlerWork(source, streamBranch);
  if (work) return work;
  const { existing, factory, handler } = found;
  const unit = indentUnitOf(source.text);
  const body = [
    `{`,
    ...[
      `// Streamable HTTP at the URL the SSE stream had: one handler for every request, no Mcp-Session-Id.`,
      ...onlyPost(req, res, unit),
      `${isAsync(fn) ? "await" : "void"} ${handler}(${req}, ${res});`,
      `return;`,
    ].map((line) => unit + line),
    `}`,
  ].join(`\n${indentOf(source, streamBranch)}`);
  const edits: TextEdit[] = [
    { start: streamBranch.expression.getStart(source), end: streamBranch.expression.getEnd(), text: streamTest.getText(source) },
    { start: streamBranch.thenStatement.getStart(source), end: streamBranch.thenStatement.getEnd(), text: body },
    ...removedMessages,
    ...factory.edits,
    ...shutdownLoops(source, [fn]),
  ];
  const declaration = existing ? "" : handlerDeclaration(handler, factory.name);
  if (factory.text || declaration) edits.push(insertedAbove(source, factory.within ?? topLevelStatement(fn), `${factory.text ?? ""}${declaration}`));
  return { edits, imports: factory.imports };
}

/** The `if` around `node` (it in the then-branch) whose test `accepts`; the nearest. */
function branchTesting(node: ts.Node, accepts: (test: ts.Expression) => boolean): ts.IfStatement | undefined {
  for (let child = node, parent = node.parent; parent && !ts.isFunctionLike(parent); child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && parent.thenStatement === child && accepts(parent.expression)) return parent;
  }
  return undefined;
}

/** In a branch's test, the path comparison (`url.pathname === "/sse"`, `req.url === "/sse"`), with any method test around it `&&`-ed away. */
function pathTest(test: ts.Expression): ts.Expression | undefined {
  const isPath = (e: ts.Expression) => ts.isBinaryExpression(e) && /^={2,3}$/.test(e.operatorToken.getText()) && ts.isStringLiteralLike(e.right) && e.right.text.startsWith("/") && /\b(url|pathname|path)$/.test(e.left.getText());
  const isMethod = (e: ts.Expression) => ts.isBinaryExpression(e) && /\.method$/.test(e.left.getText()) && ts.isStringLiteralLike(e.right);
  const inner = unwrap(test);
  if (isPath(inner)) return inner;
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    if (isMethod(unwrap(inner.left)) && isPath(unwrap(inner.right))) return unwrap(inner.right);
    if (isMethod(unwrap(inner.right)) && isPath(unwrap(inner.left))) return unwrap(inner.left);
  }
  return undefined;
}

/** The edit that takes an `if` out of its chain (`} else if (messages) {…}`), or its own lines when it stands alone. */
function withoutBranch(source: ts.SourceFile, branch: ts.IfStatement): TextEdit[] | undefined {
  const parent = branch.parent;
  if (ts.isIfStatement(parent) && parent.elseStatement === branch) return [{ start: parent.thenStatement.getEnd(), end: branch.thenStatement.getEnd(), text: "" }];
  if (branch.elseStatement) return ts.isIfStatement(branch.elseStatement) ? [{ start: branch.getStart(source), end: branch.elseStatement.getStart(source), text: "" }] : undefined;
  return removals(source, [branch]);
}

/** `const mcpHandler = toNodeHandler(createMcpHandler(…))` already in the file: its name. */
function existingHandler(source: ts.SourceFile): string | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const value = declaration.initializer;
      if (ts.isIdentifier(declaration.name) && value && /^toNodeHandler\(\s*createMcpHandler\(/.test(value.getText(source))) return declaration.name.text;
    }
  }
  return undefined;
}

interface Route {
  call: ts.CallExpression;
  app: string;
  path: ts.StringLiteralLike;
  handler: ts.FunctionLikeDeclaration;
  /** Where a handler named by the route is declared, when the route is its only use. */
  declared?: ts.Statement;
  /** The POST route's handler passed the parsed body on (`handlePostMessage(req, res, req.body)`). */
  bodyArgument: boolean;
  /** What the route ran before its handler, as written. */
  middleware: string[];
}

/** `app.<method>("/path", (req, res) => {…})` routes (or `app.get("/sse", openStream)`) whose handler `test` accepts. */
function routesWith(source: ts.SourceFile, method: string, test: (handler: ts.Node) => boolean): Route[] {
  const found: Route[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method && ts.isIdentifier(node.expression.expression)) {
      // The handler is the last argument; any before it, after the path, are middleware (`express.json()`, a limiter).
      const [path, ...rest] = node.arguments;
      const argument = rest.at(-1);
      const named = argument && ts.isIdentifier(argument) ? namedHandler(source, argument.text) : undefined;
      const handler = argument && (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) ? argument : named?.handler;
      if (path && ts.isStringLiteralLike(path) && handler && test(handler)) {
        const bodyArgument = /handlePostMessage\([^)]*\.body\s*\)/.test(handler.getText(source));
        const middleware = rest.slice(0, -1).map((m) => m.getText(source));
        found.push({ call: node, app: node.expression.expression.text, path, handler, middleware, bodyArgument, declared: named?.statement });
      }
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

/** A handler declared at module level by name (a function, or a const of one) that one route alone uses. */
function namedHandler(source: ts.SourceFile, name: string): { handler: ts.FunctionLikeDeclaration; statement: ts.Statement } | undefined {
  const handler = references(source, name).length === 2 ? moduleFunction(source, name) : undefined;
  const statement = handler && topLevelStatement(handler);
  // Its statement goes with the route, so it may declare nothing else.
  if (!handler || !statement || (ts.isVariableStatement(statement) && statement.declarationList.declarations.length !== 1)) return undefined;
  return { handler, statement };
}

function findNew(node: ts.Node, name: string): ts.NewExpression | undefined {
  if (ts.isNewExpression(node) && node.expression.getText() === name) return node;
  return node.forEachChild((child) => findNew(child, name));
}
