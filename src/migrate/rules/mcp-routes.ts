/**
 * The MCP endpoint's routes in a web framework (`app.post("/mcp", …)`, `app.get`, `app.delete`,
 * a Next.js module's `GET` export, a NestJS `@Get()` method): finding them, telling what a
 * router hands its transport (a web Request, Node's request and response, Koa's context), and the
 * 405 answers GET and DELETE get once sessions are gone.
 */
import ts from "typescript";
import { isMcpEndpointPath, unwrap } from "../../analysis/rule.ts";
import { indentUnitOf } from "../../style.ts";
import { declaredNames, indentOf, moduleFunction, references, type TextEdit } from "../rule.ts";

/**
 * How an app's route handlers answer: express (and node:http) with `(req, res)`, fastify with
 * `(request, reply)` (its node response is `reply.raw`), Koa through its context (`ctx.req`,
 * `ctx.res`, `ctx.status`), web frameworks (Hono) with a Response.
 */
export type Framework = "express" | "fastify" | "koa" | "web";

/** What a GET or DELETE route of such an app answers once there are no session streams or sessions to end. */
export function notAllowed(framework: Framework): string {
  if (framework === "fastify") return `(_request, reply) => void reply.code(405).header("allow", "POST").send()`;
  if (framework === "web") return `() => new Response(null, { status: 405, headers: { allow: "POST" } })`;
  if (framework === "koa") return `(ctx) => { ctx.status = 405; ctx.set("allow", "POST"); }`;
  return `(_req, res) => void res.writeHead(405, { allow: "POST" }).end()`;
}

/**
 * `const mcpHandler = toNodeHandler(createMcpHandler(factory));` (its `fetch` form for web
 * routers), with why, and a blank line after; as a class's field (`private readonly mcpHandler = …`)
 * where `field` gives its modifiers; `options` is createMcpHandler's second argument.
 */
export function handlerDeclaration(handler: string, factory: string, { web = false, fromRequest = false, field, options }: { web?: boolean; fromRequest?: boolean; field?: string; options?: string | undefined } = {}): string {
  const created = `createMcpHandler(${factory}${options ? `, ${options}` : ""})`;
  const made = web ? created : `toNodeHandler(${created})`;
  // A factory reading the request (request-factory.ts) says where its values come from now.
  const why = fromRequest ? `// It builds each request's server from what that request carries, which it hands the factory.\n` : "";
  return `// One handler for every request: no Mcp-Session-Id, so any instance can answer any client.\n${why}${field ?? "const "}${handler} = ${made};\n\n`;
}

/** The lines that answer anything but POST with 405 in a Node handler, before it hands the request on. */
export function onlyPost(req: string, res: string, unit: string): string[] {
  return [`if (${req}.method !== "POST") {`, `${unit}${res}.writeHead(405, { allow: "POST" }).end();`, `${unit}return;`, `}`];
}

/** Whether a function is declared `async`. */
export function isAsync(fn: ts.SignatureDeclaration): boolean {
  return ts.canHaveModifiers(fn) && (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** The framework of the app `route` is on (`app.get(…)`): by what made the app in this file, else by what the file imports. */
export function frameworkOf(source: ts.SourceFile, route: ts.CallExpression): Framework {
  const app = (route.expression as ts.PropertyAccessExpression).expression;
  let made: string | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === app.getText(source) && node.initializer) {
      const value = node.initializer;
      if (ts.isCallExpression(value) || ts.isNewExpression(value)) made = value.expression.getText(source);
    }
    node.forEachChild(visit);
  };
  visit(source);
  const imports = source.statements.filter(ts.isImportDeclaration).map((i) => (i.moduleSpecifier as ts.StringLiteral).text);
  // `new Router()` is Koa's in a file that imports Koa's router (express's is called, not constructed).
  if (imports.some((m) => m === "koa" || m === "@koa/router" || m === "koa-router") && !(made !== undefined && /^express/.test(made))) return "koa";
  if (made !== undefined && /^(express|express\.Router|Router|createMcpExpressApp)$/.test(made)) return "express";
  if (made !== undefined && /^(fastify|Fastify|createMcpFastifyApp)$/.test(made)) return "fastify";
  if (made !== undefined && /^(Hono|createMcpHonoApp)$/.test(made)) return "web";
  if (imports.some((m) => m === "fastify" || m === "@modelcontextprotocol/fastify")) return "fastify";
  if (imports.some((m) => m === "hono" || m.startsWith("hono/") || m === "@modelcontextprotocol/hono")) return "web";
  return "express";
}

/** `app.get("/mcp", …)` and `app.delete("/mcp", …)` routes that do not already refuse. */
export function sessionRoutes(source: ts.SourceFile): ts.CallExpression[] {
  return mcpRoutes(source, /^(get|delete)$/).filter((route) => !route.arguments.slice(1).some((h) => h.getText(source).includes("405")));
}

export function postRoutes(source: ts.SourceFile): ts.CallExpression[] {
  return mcpRoutes(source, /^(post|all)$/);
}

/** Calls like `app.<method>("/mcp", handler…)` for the methods matched. */
function mcpRoutes(source: ts.SourceFile, methods: RegExp): ts.CallExpression[] {
  const all = routeCalls(source);
  // A router mounted elsewhere (`app.use("/mcp", router)`) routes its endpoint at "/": the path a
  // POST route that hands requests to a transport takes is the endpoint's, whatever it reads. A
  // route there by another method counts when it serves sessions too (not a home page at "/").
  const endpoints = new Set(all.filter((route) => /^(post|all)$/.test(methodOf(route)) && routesToTransport(source, route)).map(endpointKey));
  const atEndpoint = (route: ts.CallExpression) => isMcpEndpointPath((route.arguments[0] as ts.StringLiteralLike).text) || (endpoints.has(endpointKey(route)) && routesToTransport(source, route));
  return all.filter((route) => methods.test(methodOf(route)) && atEndpoint(route));
}

/** Every `x.<method>("<path>", handler…)` call of the file. */
function routeCalls(source: ts.SourceFile): ts.CallExpression[] {
  const routes: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(get|post|delete|all)$/.test(node.expression.name.text)) {
      const [path, ...handlers] = node.arguments;
      if (path && ts.isStringLiteralLike(path) && handlers.length) routes.push(node);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return routes;
}

function methodOf(route: ts.CallExpression): string {
  return (route.expression as ts.PropertyAccessExpression).name.text;
}

function endpointKey(route: ts.CallExpression): string {
  return `${(route.expression as ts.PropertyAccessExpression).expression.getText()} ${(route.arguments[0] as ts.StringLiteralLike).text}`;
}

/** Code that serves sessions: it hands requests to a transport, or names the session header. */
const SERVES_SESSIONS = /\.handleRequest\s*\(|mcp-session-id/i;

/** Whether a route's handler (inline, or a function of the file it names) hands the request to a transport. */
function routesToTransport(source: ts.SourceFile, route: ts.CallExpression): boolean {
  return route.arguments.slice(1).some((handler) => {
    const fn = ts.isIdentifier(handler) ? moduleFunction(source, handler.text) : handler;
    return fn !== undefined && SERVES_SESSIONS.test(fn.getText(source));
  });
}

/**
 * Handlers a method name routes to, serving session streams or ending sessions (they name the
 * session header, or hand the request to a transport): a Next.js route module's exported `GET`
 * and `DELETE` beside its `POST`, and a NestJS controller's `@Get()` and `@Delete()` methods
 * beside its `@Post()`. Each body becomes the 405 its method is now answered with.
 */
export function methodSessionHandlers(source: ts.SourceFile): Array<ts.FunctionDeclaration | ts.MethodDeclaration> {
  const exported = source.statements.filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.body !== undefined && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  const next = exported.some((fn) => fn.name?.text === "POST") ? exported.filter((fn) => /^(GET|DELETE)$/.test(fn.name?.text ?? "") && SERVES_SESSIONS.test(fn.body!.getText(source))) : [];
  const nest = source.statements.filter(ts.isClassDeclaration).flatMap((cls) => {
    const methods = cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.body !== undefined);
    if (!methods.some((m) => /^(Post|All)$/.test(routeDecorator(m) ?? ""))) return [];
    return methods.filter((m) => /^(Get|Delete)$/.test(routeDecorator(m) ?? "") && SERVES_SESSIONS.test(m.body!.getText(source)));
  });
  return [...next, ...nest];
}

/** `@Post()`, `@Get("mcp")`: the NestJS route decorator's name on a method. */
export function routeDecorator(method: ts.Node): string | undefined {
  if (!ts.canHaveDecorators(method)) return undefined;
  for (const decorator of ts.getDecorators(method) ?? []) {
    const call = decorator.expression;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && /^(Get|Post|Delete|All)$/.test(call.expression.text)) return call.expression.text;
  }
  return undefined;
}

/**
 * The body such a handler gets: the 405. A Next.js export returns a Response and takes no
 * parameter (a strict project would call an unread one unused); a NestJS method answers on its
 * `@Res()` response and keeps its parameters, which carry their decorators.
 */
export function methodNotAllowed(source: ts.SourceFile, fn: ts.FunctionDeclaration | ts.MethodDeclaration): TextEdit | undefined {
  const unit = indentUnitOf(source.text);
  const indent = indentOf(source, fn);
  const semi = fn.body!.statements[0]?.getText(source).endsWith(";") === false ? "" : ";";
  const why = `${indent}${unit}// MCP 2026-07-28 has no sessions: no session stream to open, no session to end.`;
  if (ts.isFunctionDeclaration(fn)) {
    return {
      start: fn.parameters.pos,
      end: fn.body!.getEnd(),
      text: `)${fn.type ? `: ${fn.type.getText(source)}` : ""} {\n${why}\n${indent}${unit}return new Response(null, { status: 405, headers: { allow: "POST" } })${semi}\n${indent}}`,
    };
  }
  const response = fn.parameters.find((p) => ts.isIdentifier(p.name) && (/^(res|response|reply)$/.test(p.name.text) || (ts.getDecorators(p) ?? []).some((d) => /^Res\(/.test(d.expression.getText(source)))));
  if (!response) return undefined;
  const res = (response.name as ts.Identifier).text;
  return { start: fn.body!.getStart(source), end: fn.body!.getEnd(), text: `{\n${why}\n${indent}${unit}${res}.writeHead(405, { allow: "POST" }).end()${semi}\n${indent}}` };
}

/**
 * `const { req, res } = toReqRes(request)` (fetch-to-node: Node's request and response made from
 * a web Request, for v1's Node transport): the web Request it was made from, else undefined.
 */
export function madeByToReqRes(declaration: ts.VariableDeclaration): ts.Expression | undefined {
  const value = declaration.initializer && unwrap(declaration.initializer);
  const made = value !== undefined && ts.isCallExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === "toReqRes" && value.arguments.length === 1;
  return made && ts.isObjectBindingPattern(declaration.name) ? value.arguments[0] : undefined;
}

/** `transport.handleRequest(…)`: where a router hands a request to a transport. */
export function isHandleRequest(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "handleRequest";
}

/**
 * Whether a router hands its transport a web Request (`transport.handleRequest(request)`, or with
 * `{ parsedBody }`, or Node's request and response made from one by fetch-to-node's `toReqRes`),
 * not Node's own: a Workers `fetch(request, env, ctx)` takes three parameters and is a web router
 * all the same, a Koa `(ctx)` takes one and is not.
 */
export function handsOnWebRequest(router: ts.FunctionLikeDeclaration): boolean {
  const bridged = new Set<string>();
  const collect = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && madeByToReqRes(node)) for (const name of declaredNames(node)) bridged.add(name);
    node.forEachChild(collect);
  };
  if (router.body) collect(router.body);
  const calls = handleRequestCalls(router);
  return calls.length > 0 && calls.every(({ arguments: [first, second, ...rest] }) => {
    const fromWeb = first !== undefined && ts.isIdentifier(first) && bridged.has(first.text);
    return fromWeb || (rest.length === 0 && (second === undefined || ts.isObjectLiteralExpression(second)));
  });
}

/** Every `transport.handleRequest(…)` in a router's body. */
function handleRequestCalls(router: ts.FunctionLikeDeclaration): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (isHandleRequest(node)) calls.push(node);
    node.forEachChild(visit);
  };
  if (router.body) visit(router.body);
  return calls;
}

/**
 * The name of a Koa handler's context, when it hands the transport Node's request and response
 * from it (`transport.handleRequest(ctx.req, ctx.res, …)`): one parameter (or `ctx, next`), but
 * a Node router all the same.
 */
export function koaContext(router: ts.FunctionLikeDeclaration): string | undefined {
  const first = router.parameters[0]?.name;
  if (!first || !ts.isIdentifier(first)) return undefined;
  const ctx = first.text;
  const fromContext = (argument: ts.Expression | undefined, member: string) => argument !== undefined && ts.isPropertyAccessExpression(argument) && argument.name.text === member && ts.isIdentifier(argument.expression) && argument.expression.text === ctx;
  const calls = handleRequestCalls(router);
  return calls.length > 0 && calls.every((call) => fromContext(call.arguments[0], "req") && fromContext(call.arguments[1], "res")) ? ctx : undefined;
}

/** The named functions routes hand their requests to (`app.post("/mcp", handleMcp)`, or `(req, res) => this.handleMcp(req, res)`). */
export function handlerNames(routes: ts.CallExpression[]): string[] {
  return routes.flatMap((route) => route.arguments.slice(1).flatMap((handler) => routedName(handler) ?? []));
}

/**
 * The name of the function a route's handler is, or hands the request on to: `handleMcp`,
 * `this.handleMcp`, or an arrow whose one statement calls one of those (a class's routes
 * are written so, to keep `this`).
 */
function routedName(handler: ts.Expression): string | undefined {
  const named = (e: ts.Expression) => (ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword ? e.name.text : undefined);
  if (!ts.isArrowFunction(handler) && !ts.isFunctionExpression(handler)) return named(handler);
  const body = handler.body;
  const only = ts.isBlock(body) ? (body.statements.length === 1 ? body.statements[0] : undefined) : undefined;
  const expression = ts.isBlock(body) ? (only && (ts.isExpressionStatement(only) || ts.isReturnStatement(only)) ? only.expression : undefined) : body;
  const call = expression && unwrap(ts.isVoidExpression(expression) ? expression.expression : expression);
  return call && ts.isCallExpression(call) ? named(call.expression) : undefined;
}

/**
 * An express app (or a Koa router) that routes only POST to the endpoint answers GET and DELETE
 * with its 404, where a client must be told 405: routes that say so go right after the POST
 * route, for whichever of the two the file does not route already (a catch-all route covers
 * both). Only for apps this file makes: other frameworks answer differently.
 */
export function refusalRoutes(source: ts.SourceFile, router: ts.FunctionLikeDeclaration): TextEdit[] {
  const route = postRouteOf(source, router);
  return route ? refusalRoutesAfter(source, route) : [];
}

/** The same, for a POST route found otherwise (`app.post(path, handler)`). */
export function refusalRoutesAfter(source: ts.SourceFile, route: ts.CallExpression): TextEdit[] {
  const app = (route.expression as ts.PropertyAccessExpression).expression;
  const [path] = route.arguments;
  if (!path || !ts.isStringLiteralLike(path)) return [];
  // `app`, or a class's `this.app`.
  const express = ts.isIdentifier(app) ? isExpressApp(source, app.text) : isExpressField(route, app);
  const framework = express ? "express" : ts.isIdentifier(app) && frameworkOf(source, route) === "koa" && isKoaRouter(source, app.text) ? "koa" : undefined;
  if (!framework) return [];
  const appText = app.getText(source);
  // Any route of the path by that method, session route or not: one added after the POST would
  // come first, and shadow it (a 405 of the app's own behind its auth, a home page at "/").
  const routed = routeCalls(source)
    .filter((r) => /^(get|delete|all)$/.test(methodOf(r)) && (r.expression as ts.PropertyAccessExpression).expression.getText(source) === appText && (r.arguments[0] as ts.StringLiteralLike).text === path.text)
    .map(methodOf);
  const missing = routed.includes("all") ? [] : ["get", "delete"].filter((method) => !routed.includes(method));
  if (missing.length === 0) return [];
  const statement = route.parent;
  if (!ts.isExpressionStatement(statement)) return [];
  const semi = statement.getText(source).endsWith(";") ? ";" : "";
  const indent = indentOf(source, statement);
  const text = missing.map((method) => `\n${indent}${appText}.${method}(${path.getText(source)}, ${notAllowed(framework)})${semi}`).join("");
  return [{ start: statement.getEnd(), end: statement.getEnd(), text }];
}

/**
 * The `app.post(path, …)` call that is this router's only way in: the router written inline in
 * it, or a function declared by name that only POST routes hand requests to.
 */
export function postRouteOf(source: ts.SourceFile, router: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  const isPost = (call: ts.Node): call is ts.CallExpression =>
    ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "post";
  if (isPost(router.parent)) return router.parent;
  const name = nameOf(router);
  if (!name) return undefined;
  // A class's method is named as `this.name`; a function by its name.
  const owner = ts.isMethodDeclaration(router) ? router.parent : undefined;
  const uses: ts.Node[] = owner ? thisMembers(owner, name) : references(source, name).filter((use) => !(ts.isVariableDeclaration(use.parent) || ts.isFunctionDeclaration(use.parent)));
  // Handed to the route, or called by the arrow handed to it.
  const routes = uses.map((use) => {
    if (isPost(use.parent)) return use.parent;
    const arrow = ts.findAncestor(use, (node) => ts.isArrowFunction(node) || ts.isFunctionExpression(node));
    return arrow && isPost(arrow.parent) && routedName(arrow as ts.ArrowFunction) === name ? arrow.parent : undefined;
  });
  return uses.length > 0 && routes.every((route) => route !== undefined) ? routes[0] : undefined;
}

/** Every `this.<name>` in a class. */
function thisMembers(owner: ts.Node, name: string): ts.PropertyAccessExpression[] {
  const found: ts.PropertyAccessExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && node.name.text === name) found.push(node);
    node.forEachChild(visit);
  };
  visit(owner);
  return found;
}

/** Whether `name` is declared in this file as `new Router()` (Koa's, in a file frameworkOf calls Koa). */
function isKoaRouter(source: ts.SourceFile, name: string): boolean {
  let made = false;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer && ts.isNewExpression(node.initializer)) made = node.initializer.expression.getText(source) === "Router";
    node.forEachChild(visit);
  };
  visit(source);
  return made;
}

/** Whether `name` is declared in this file as `express()`, `express.Router()`, `Router()` or `createMcpExpressApp()`. */
function isExpressApp(source: ts.SourceFile, name: string): boolean {
  let made = false;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer && ts.isCallExpression(node.initializer)) {
      made = /^(express|express\.Router|Router|createMcpExpressApp)$/.test(node.initializer.expression.getText(source));
    }
    node.forEachChild(visit);
  };
  visit(source);
  return made;
}

/** `this.app` in a class whose `app` field is made by `express()` (declared so, or assigned in the class). */
function isExpressField(route: ts.Node, app: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(app) || app.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  const owner = ts.findAncestor(route, ts.isClassLike);
  if (!owner) return false;
  const isExpress = (value: ts.Expression | undefined) => value !== undefined && ts.isCallExpression(value) && /^(express|express\.Router|Router|createMcpExpressApp)$/.test(value.expression.getText());
  let made = false;
  const visit = (node: ts.Node) => {
    if (ts.isPropertyDeclaration(node) && node.name.getText() === app.name.text && isExpress(node.initializer)) made = true;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.left.getText() === app.getText() && isExpress(node.right)) made = true;
    node.forEachChild(visit);
  };
  visit(owner);
  return made;
}

/** A function's own name, or the name of the variable it is assigned to. */
export function nameOf(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  if (ts.isMethodDeclaration(fn)) return ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  const parent = fn.parent;
  return ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
}

/**
 * Where a handler reading these names must be declared: the statement, in the innermost function
 * around the router that declares one of them (a parameter, a const of its body), that holds the
 * router. Undefined where no function around it declares any (module level will do); a string
 * where that function has no block to declare it in.
 */
export function declaredAround(router: ts.FunctionLikeDeclaration, names: ReadonlySet<string>): ts.Statement | string | undefined {
  for (let up: ts.Node | undefined = router.parent; up; up = up.parent) {
    if (!ts.isFunctionLike(up) || !("body" in up)) continue;
    const fn = up as ts.FunctionLikeDeclaration;
    const body = fn.body;
    const own = (name: string) => fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name) || (body !== undefined && ts.isBlock(body) && body.statements.some((st) =>
      (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) ||
      (ts.isFunctionDeclaration(st) && st.name?.text === name)));
    if (![...names].some(own)) continue;
    const name = nameOf(fn) ?? "the function around it";
    if (!body || !ts.isBlock(body)) return `each request's server is built from what ${name} takes or declares, and the one handler that takes the routing's place must be made where those are in scope: give ${name} a block body, then run migrate again`;
    return body.statements.find((statement) => statement.pos <= router.pos && router.end <= statement.end);
  }
  return undefined;
}
