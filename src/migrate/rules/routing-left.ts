/**
 * Why session routing stays when no function builds each request's server: what the routing
 * connects its transports to (a server built from session state, one a class or an object keeps,
 * one made once, one handed in, one a manager connects out of sight), said so that a person knows
 * what to change first for the next run to move it.
 */
import ts from "typescript";
import { calleeName, nearestDeclaration } from "../../analysis/rule.ts";
import { statelessOptions } from "../../analysis/rules/legacy-entry.ts";
import { declarationIn, declaredNames, enclosingFunction, unwrap, walkCalls, walkIdentifiers } from "../rule.ts";
import { nameOf } from "./mcp-routes.ts";
import { workedOutFromRequest } from "./request-factory.ts";
import { serverBuiltFrom } from "./session-server-state.ts";

/**
 * What keeps the routing from becoming one handler when no factory was found, said so that a
 * person knows what to move first. A server built from arguments (`buildServer(calc)`) is given
 * state that lived as long as its session: that state needs a handle before the session can go.
 */
export function whyNoFactory(source: ts.SourceFile, routers: ts.FunctionLikeDeclaration[]): string {
  const given = routers.map(serverBuiltFrom).find((call) => call !== undefined);
  if (given) {
    const args = given.arguments.map((a) => a.getText(source)).join(", ");
    const built = `${given.expression.getText(source)}(${args})`;
    const router = routers.find((r) => serverBuiltFrom(r) === given)!;
    // Worked out from the initialize request's headers, it is no session's state: each request brings them.
    const decided = workedOutFromRequest(source, router, given);
    if (decided) {
      return `each session's server is built by ${built}, from ${decided.name}, which the routing works out from the request that starts a session (line ${decided.line}); a 2026-07-28 client sends what it needs with every request, and createMcpHandler builds a server for each one, handing its factory the request (\`requestInfo\`, a web Request): work ${decided.name} out in a function of that request, answer the requests it refuses before the handler, and build the server in the factory (\`({ requestInfo }) => ${given.expression.getText(source)}(…)\`); then put \`toNodeHandler(createMcpHandler(factory))\` in the routing's place, with GET and DELETE answered 405`;
    }
    return `each session's server is built by ${given.expression.getText(source)}(${args}), which hands it state that lived as long as the session; give that state a handle first (a create_* tool returns its id, the tools that use it take the id), so that the server is built from nothing of the session's, then run migrate again`;
  }
  const bundled = routers.map(destructuredServer).find((d) => d !== undefined);
  if (bundled) {
    const { made, others } = bundled;
    return `each session's server comes out of ${made.getText(source)} with ${others.join(", ")} beside it, kept for as long as the session lived (a cleanup for when it closed), and a server built per request has no session to close: make a function that returns only the server and needs nothing run after it (a timer or subscription a tool starts ends with its call), connect that, then run migrate again`;
  }
  const kept = routers.map(classKeptServer).find((p) => p !== undefined);
  if (kept) {
    const held = kept.getText(source);
    return `each transport is connected to ${held}, the one server the class keeps, and createMcpHandler needs a new server for each request: build one in a method of the class that takes nothing (\`private createServer() { … return server; }\`, the tools registered there) and connect \`this.createServer()\`, then run migrate again (the handler becomes a field of the class)`;
  }
  const member = routers.map(memberFactoryCall).find((call) => call !== undefined);
  const property = routers.map(connectedProperty).find((p) => p !== undefined);
  if (!member && property) {
    const held = property.getText(source);
    return `each transport is connected to ${held}, a server kept on an object (with its transport, as a session's entry), which this rewrite cannot follow back to what built it: build the server in a function of its own that takes nothing and returns it (not with the transport), connect that, then run migrate again`;
  }
  if (member) {
    const factory = member.expression.getText(source);
    return `each transport is connected to a server from ${factory}(), a member this rewrite cannot follow to one function of the file: put one stateless handler in the routing's place by hand (\`toNodeHandler(createMcpHandler(() => ${factory}()))\`, made once, with GET and DELETE answered 405; if the member keeps what it makes, as a list of servers to close at exit, call what it wraps instead, since the handler closes each request's server), or build the server in a function of the file, then run migrate again`;
  }
  const passed = routers.map(factoryParameter).find((p) => p !== undefined);
  if (passed) {
    return `each transport is connected to a server from ${passed.factory}(), which ${passed.router} is handed by its callers with each request, so the one handler cannot be made once here: make it once where that factory is known (\`toNodeHandler(createMcpHandler(${passed.factory}))\`), and have the callers hand their requests to it in place of ${passed.router}, by hand`;
  }
  const byMember = routers.map((router) => memberMadeOnce(source, router)).find((m) => m !== undefined);
  if (byMember) {
    return `each transport is connected to ${byMember.server}, made once by ${byMember.made} and served to every session, and createMcpHandler needs a new server for each request: connect what a function of this file returns instead, one that builds a new server on each call (\`function createMcpServer() { return ${byMember.made}; }\`, if ${byMember.made} does only that), then run migrate again`;
  }
  const handed = routers.map(parameterServer).find((p) => p !== undefined);
  if (handed) {
    return `each transport is connected to ${handed.server}, the one server ${handed.around} is handed, and createMcpHandler needs a new server for each request: have ${handed.around} take a function that builds one instead (\`${handed.server}Factory: () => McpServer\`, its callers passing what built the server) and connect \`${handed.server}Factory()\`, then run migrate again (the handler is made in ${handed.around})`;
  }
  const elsewhere = handedToConnect(source, routers);
  if (elsewhere) {
    return `each transport the routing makes is handed to ${elsewhere.call} (line ${elsewhere.line}), which connects a server to it where this rewrite does not follow (a server kept per session), and nothing here connects one: build the server in a function of its own that takes nothing (or the request) and returns it, connect that here in place of the call, then run migrate again (what the call kept per session needs a handle, or goes)`;
  }
  const once = sessionTransportMadeOnce(source, routers);
  if (once) {
    return `${once} is one transport with session ids, made once outside the routes and handed every request: the first client to initialize holds its only session and every other client is refused; by hand, build the server in a function of its own (taking nothing, or the request), put \`toNodeHandler(createMcpHandler(factory))\` in its place in the routes, with GET and DELETE answered 405, and drop the transport (and the connect that served it)`;
  }
  const helper = routers.map((router) => throughHelper(source, router)).find((why) => why !== undefined);
  if (helper) return helper;
  const apart = connectedApart(source, routers);
  if (apart) {
    const built = apart.built ? `, each server built by ${apart.built.replace(/\s+/g, " ")}` : "";
    return `the transports the routing hands requests to are made and connected to their servers in ${apart.where} (line ${apart.line}${built}), apart from the request handler, and kept between requests, which this rewrite cannot bring together: by hand, build the server in one function (taking nothing, or the request: createMcpHandler hands its factory \`requestInfo\`) and put \`toNodeHandler(createMcpHandler(factory))\` in the routing's place, with GET and DELETE answered 405`;
  }
  const supplied = routers.map((router) => suppliedTransport(source, router)).find((s) => s !== undefined);
  if (supplied && !routers.some(connectsAny)) {
    return `each transport the routing hands requests to comes from ${supplied.call} (line ${supplied.line}), which makes it and connects its server where this rewrite does not follow (a session store of the project's), and nothing here connects one: build the server in a function of its own that takes nothing (or the request) and returns it, put \`toNodeHandler(createMcpHandler(factory))\` in the routing's place (GET and DELETE answered 405), then run migrate again on what is left (the store's sessions have no use then)`;
  }
  return "no one function builds the server each transport is connected to from nothing of the request's; move the server's building into such a function (one that takes no arguments and returns the McpServer), then run migrate again";
}

/** The transport the routers hand requests to, when it is one made outside them that mints session ids: its name. */
function sessionTransportMadeOnce(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[]): string | undefined {
  const receivers: ts.Identifier[] = [];
  for (const router of routers) {
    walkCalls(router, "handleRequest", (call) => {
      const receiver = (call.expression as ts.PropertyAccessExpression).expression;
      if (ts.isIdentifier(receiver) && !declarationIn(router, receiver.text)) receivers.push(receiver);
    });
  }
  const [first] = receivers;
  if (!first || receivers.some((receiver) => receiver.text !== first.text)) return undefined;
  const made = nearestDeclaration(first)?.initializer;
  if (!made || !ts.isNewExpression(made) || !/StreamableHTTPServerTransport$/.test(made.expression.getText(source))) return undefined;
  const [options] = made.arguments ?? [];
  return options && ts.isObjectLiteralExpression(options) && !statelessOptions(made) ? first.text : undefined;
}

/**
 * A Streamable HTTP transport made and connected outside the routers (a session manager's
 * method, kept in a store the routers look it up in): where, and the server's making when the
 * connected name was set from it.
 */
function connectedApart(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[]): { where: string; line: number; built?: string } | undefined {
  let found: { where: string; line: number; built?: string } | undefined;
  walkCalls(source, "connect", (call) => {
    const [argument] = call.arguments;
    const fn = enclosingFunction(call);
    if (found || !fn || !argument || !ts.isIdentifier(argument) || routers.some((router) => router.pos <= call.pos && call.end <= router.end)) return;
    const made = unwrap(declarationIn(fn, argument.text)?.initializer ?? argument);
    if (!ts.isNewExpression(made) || !/StreamableHTTPServerTransport$/.test(made.expression.getText(source))) return;
    const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    const server = ts.isIdentifier(receiver) ? declarationIn(fn, receiver.text)?.initializer : undefined;
    const { line } = source.getLineAndCharacterOfPosition(call.getStart(source));
    // Named for the nearest function around it that has a name (a method, not the async arrow it runs in).
    let named: ts.Node | undefined = fn;
    while (named && !(ts.isFunctionLike(named) && nameOf(named as ts.FunctionLikeDeclaration))) named = named.parent;
    found = { where: named ? nameOf(named as ts.FunctionLikeDeclaration)! : "a function of its own", line: line + 1, built: server && unwrap(server).getText(source) };
  });
  return found;
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

/** `const { server, cleanup } = createServer(); … server.connect(t)`: a server made with other things it needs. */
function destructuredServer(router: ts.FunctionLikeDeclaration): { made: ts.Expression; others: string[] } | undefined {
  let found: { made: ts.Expression; others: string[] } | undefined;
  walkCalls(router, "connect", (call) => {
    const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    if (!ts.isIdentifier(receiver)) return;
    const visit = (node: ts.Node) => {
      if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer && node.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === receiver.text)) {
        const others = node.name.elements.flatMap((e) => (ts.isIdentifier(e.name) && e.name.text !== receiver.text ? [e.name.text] : []));
        if (others.length) found ??= { made: node.initializer, others };
      }
      node.forEachChild(visit);
    };
    visit(router);
  });
  return found;
}

/** `this.mcpServer.connect(t)`: a server the router's class keeps. */
function classKeptServer(router: ts.FunctionLikeDeclaration): ts.PropertyAccessExpression | undefined {
  let found: ts.PropertyAccessExpression | undefined;
  walkCalls(router, "connect", (call) => {
    const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) found ??= receiver;
  });
  return found;
}

/** Whether a router connects a server to anything itself. */
function connectsAny(router: ts.FunctionLikeDeclaration): boolean {
  let connects = false;
  walkCalls(router, "connect", () => void (connects = true));
  return connects;
}

/**
 * `const transport = await this.sessionManager.createSession(); await transport.handleRequest(…)`:
 * a transport the router gets from a call that is no lookup (`get`, `has`), where it is then handed
 * the request. The call as written, to its first parenthesis, and its line.
 */
function suppliedTransport(source: ts.SourceFile, router: ts.FunctionLikeDeclaration): { call: string; line: number } | undefined {
  let found: { call: string; line: number } | undefined;
  walkCalls(router, "handleRequest", (call) => {
    const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    if (found || !ts.isIdentifier(receiver)) return;
    for (const value of valuesIn(router, receiver.text)) {
      const made = unwrap(value);
      if (!ts.isCallExpression(made)) continue;
      if (/^(get|has|find|lookup)/i.test(calleeName(made) ?? "")) continue;
      found = { call: `${made.expression.getText(source)}(…)`, line: source.getLineAndCharacterOfPosition(made.getStart(source)).line + 1 };
      break;
    }
  });
  return found;
}

/** Calls a transport is handed to that connect nothing: a map's or list's, the request's handling, a close, a log. */
const NOT_CONNECTING = /^(set|add|push|get|has|delete|handleRequest|handlePostMessage|close|log|info|debug|warn|error)$/;

/**
 * `await sessionManager.createSession(id, transport)`: the transport a router makes (with `new`)
 * handed to a call that is no bookkeeping and no handling of the request, in routers that connect
 * nothing themselves. The call as written, to its first parenthesis, and its line.
 */
function handedToConnect(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[]): { call: string; line: number } | undefined {
  if (routers.some(connectsAny)) return undefined;
  let found: { call: string; line: number } | undefined;
  for (const router of routers) {
    const made = new Set<string>();
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node) && /StreamableHTTPServerTransport$/.test(node.expression.getText(source))) {
        const target = ts.isBinaryExpression(node.parent) ? node.parent.left : ts.isVariableDeclaration(node.parent) ? node.parent.name : undefined;
        if (target && ts.isIdentifier(target)) made.add(target.text);
      }
      if (!found && ts.isCallExpression(node) && node.arguments.some((a) => ts.isIdentifier(a) && made.has(a.text))) {
        const callee = node.expression;
        const name = calleeName(node);
        // A helper of this file that hands the request on (`handleWithContext(transport)`) is routing of its own.
        const helper = ts.isIdentifier(callee) ? moduleFunctionText(source, callee.text) : undefined;
        if (name && !NOT_CONNECTING.test(name) && !helper?.includes(".handleRequest(")) {
          found = { call: `${callee.getText(source)}(…)`, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 };
        }
      }
      node.forEachChild(visit);
    };
    visit(router);
  }
  return found;
}

/** The text of a function this file declares by name (a declaration or a const arrow), anywhere in it. */
function moduleFunctionText(source: ts.SourceFile, name: string): string | undefined {
  let text: string | undefined;
  const visit = (node: ts.Node) => {
    if (text) return;
    if (ts.isFunctionDeclaration(node) && node.name?.text === name) text = node.getText(source);
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer && ts.isFunctionLike(node.initializer)) text = node.initializer.getText(source);
    node.forEachChild(visit);
  };
  visit(source);
  return text;
}

/**
 * `mcpServer = serverFactory(); await mcpServer.connect(t)` where `serverFactory` is the router's
 * own parameter: the factory's name and the router's, as said in a reason.
 */
function factoryParameter(router: ts.FunctionLikeDeclaration): { factory: string; router: string } | undefined {
  const parameters = new Set(router.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const calledParameter = (value: ts.Expression | undefined) => {
    const made = value && unwrap(value);
    return made && ts.isCallExpression(made) && ts.isIdentifier(made.expression) && parameters.has(made.expression.text) ? made.expression.text : undefined;
  };
  let found: string | undefined;
  walkCalls(router, "connect", (call) => {
    const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    found ??= calledParameter(receiver) ?? (ts.isIdentifier(receiver) ? valuesIn(router, receiver.text).map(calledParameter).find((name) => name !== undefined) : undefined);
  });
  const name = nameOf(router);
  return found ? { factory: found, router: name ? `${name}()` : "the routing" } : undefined;
}

/** What `name` is set to in `scope`: its declaration's initializer and each `name = …` there. */
function valuesIn(scope: ts.Node, name: string): ts.Expression[] {
  const declared = declarationIn(scope, name)?.initializer;
  const values = declared ? [declared] : [];
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) values.push(node.right);
    node.forEachChild(visit);
  };
  visit(scope);
  return values;
}

/** Why routing that hands requests on through a helper (`serve(transport, req, res)`) stays; undefined where it does not. */
export function throughHelper(source: ts.SourceFile, router: ts.FunctionLikeDeclaration): string | undefined {
  const helper = dispatchHelper(source, router);
  return helper && `requests reach their transports through ${helper.name}() (line ${helper.line}), which is handed each transport by the code that makes it and routes, so that code is not seen as the routing: call \`transport.handleRequest(…)\` there in place of ${helper.name}(…) (what else ${helper.name} does for a request stays around it), then run migrate again`;
}

/**
 * A router that is only a helper: its `handleRequest` receiver is its own parameter (`serve(transport,
 * req, res)`), and other code of the file calls it. Its name and line.
 */
function dispatchHelper(source: ts.SourceFile, router: ts.FunctionLikeDeclaration): { name: string; line: number } | undefined {
  const name = nameOf(router);
  if (!name) return undefined;
  let handsOnParameter = false;
  walkCalls(router, "handleRequest", (call) => void (handsOnParameter ||= handsOnOwnTransport(call, router)));
  return handsOnParameter && usedElsewhere(source, router) ? { name, line: source.getLineAndCharacterOfPosition(router.getStart(source)).line + 1 } : undefined;
}

/** Whether `call.handleRequest` is made on a parameter of `fn` (the transport handed to it). */
export function handsOnOwnTransport(call: ts.CallExpression, fn: ts.SignatureDeclaration): boolean {
  const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
  return ts.isIdentifier(receiver) && fn.parameters.some((p) => declaredNames(p).has(receiver.text));
}

/** Whether code of the file outside a function names it (calls it, or hands it on); true for one without a name. */
export function usedElsewhere(source: ts.SourceFile, fn: ts.FunctionLikeDeclaration): boolean {
  const name = nameOf(fn);
  if (!name) return true;
  let used = false;
  walkIdentifiers(source, (id) => void (used ||= id.text === name && !(id.pos >= fn.pos && id.end <= fn.end)));
  return used;
}

/** `server.connect(t)` where `const server = Registry.initialize()` at module level: its name and that call. */
function memberMadeOnce(source: ts.SourceFile, router: ts.FunctionLikeDeclaration): { server: string; made: string } | undefined {
  let found: { server: string; made: string } | undefined;
  walkCalls(router, "connect", (call) => {
    const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    if (found || !ts.isIdentifier(receiver) || declarationIn(router, receiver.text)) return;
    const value = nearestDeclaration(receiver)?.initializer;
    const made = value && unwrap(value);
    if (made && ts.isCallExpression(made) && ts.isPropertyAccessExpression(made.expression)) found = { server: receiver.text, made: made.getText(source) };
  });
  return found;
}

/** `server.connect(t)` where `server` is a parameter of a function around the router (`startServer(server, port)`): its name and that function's. */
function parameterServer(router: ts.FunctionLikeDeclaration): { server: string; around: string } | undefined {
  let found: { server: string; around: string } | undefined;
  walkCalls(router, "connect", (call) => {
    const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    if (found || !ts.isIdentifier(receiver) || declarationIn(router, receiver.text)) return;
    for (let up: ts.Node | undefined = router.parent; up; up = up.parent) {
      if (!ts.isFunctionLike(up)) continue;
      if (up.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === receiver.text)) {
        const named = nameOf(up as ts.FunctionLikeDeclaration);
        found = { server: receiver.text, around: named ? `${named}()` : "the function around the routing" };
      }
      break;
    }
  });
  return found;
}

/** `this.createServer().connect(t)`, `deps.makeServer().connect(t)`: a server from a member called with nothing. */
function memberFactoryCall(router: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  walkCalls(router, "connect", (call) => {
    let receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
    // `const server = await serverList.create(); await server.connect(transport)`.
    if (ts.isIdentifier(receiver)) receiver = unwrap(declarationIn(router, receiver.text)?.initializer ?? receiver);
    if (ts.isCallExpression(receiver) && receiver.arguments.length === 0 && ts.isPropertyAccessExpression(receiver.expression)) found ??= receiver;
  });
  return found;
}
