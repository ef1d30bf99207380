/**
 * A `createMcpHandler` factory that hands back one server made outside it. The SDK asks for a
 * new instance per request ("a fresh McpServer … for one serving unit") and refuses to connect
 * an instance already connected: with one shared server, requests in flight together fail
 * (the second gets a 500) while each one alone passes, so it shows only under load.
 */
import ts from "typescript";
import { calleeName, enclosingFunction, isNewServer, nearestDeclaration, unwrap, walk, type Rule } from "../rule.ts";

export const sharedServer: Rule = {
  id: "shared-server",
  prefilter: /\bcreateMcpHandler\b/,
  fix: "run `mcp-stateless migrate` (shared-server): build the server inside the factory, a new one for each request",
  analyze(source, report) {
    walk(source, (node) => {
      if (!ts.isCallExpression(node) || calleeName(node) !== "createMcpHandler") return;
      const factory = factoryFunction(node.arguments[0]);
      if (!factory) return;
      for (const returned of sharedServersReturned(factory)) {
        if (madeWithTheHandler(node, returned)) continue;
        report(returned, `createMcpHandler's factory returns ${returned.text}, one server made outside it: requests in flight together share it, and the SDK refuses all but the first (500)`);
      }
    });
  },
};

/**
 * Whether the server is made by the same call of a function as the handler, and that call alone
 * uses the handler (`createMcpHandler(() => server)(request, env, ctx)` in a Worker's fetch): then
 * each handler has a server of its own, which is what the SDK asks. A function that makes both
 * and hands the handler to routes (a `main()`) shares its one server with every request.
 */
function madeWithTheHandler(handlerCall: ts.CallExpression, server: ts.Identifier): boolean {
  const declaration = nearestDeclaration(server);
  const maker = enclosingFunction(handlerCall);
  if (!declaration || !maker || enclosingFunction(declaration) !== maker) return false;
  const calledHere = (use: ts.Node) => {
    const through = ts.isPropertyAccessExpression(use.parent) && use.parent.expression === use ? use.parent : use;
    return ts.isCallExpression(through.parent) && through.parent.expression === through && enclosingFunction(use) === maker;
  };
  if (calledHere(handlerCall)) return true;
  // `const handler = createMcpHandler(…); return handler(request, env, ctx)`.
  const holder = handlerCall.parent;
  if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return false;
  const name = holder.name.text;
  const uses: ts.Identifier[] = [];
  walk(maker, (node) => {
    if (ts.isIdentifier(node) && node.text === name && node !== holder.name) uses.push(node);
  });
  return uses.length > 0 && uses.every(calledHere);
}

/** The function given as a factory: written there, or named (a function or a const in scope). */
export function factoryFunction(argument: ts.Expression | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!argument) return undefined;
  if (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) return argument;
  if (!ts.isIdentifier(argument)) return undefined;
  const initializer = nearestDeclaration(argument)?.initializer;
  if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) return initializer;
  for (let scope: ts.Node | undefined = argument.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    const declared = scope.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === argument.text && s.body !== undefined);
    if (declared) return declared;
  }
  return undefined;
}

/** The identifiers a function returns that name a server made outside it (`new McpServer(…)`, `new Server(…)`, `createServer()`). */
export function sharedServersReturned(factory: ts.FunctionLikeDeclaration): ts.Identifier[] {
  const returned: ts.Expression[] = [];
  if (factory.body && !ts.isBlock(factory.body)) returned.push(factory.body);
  const visit = (node: ts.Node) => {
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    if (!ts.isFunctionLike(node)) node.forEachChild(visit);
  };
  if (factory.body && ts.isBlock(factory.body)) factory.body.forEachChild(visit);
  return returned
    .map(unwrap)
    .filter((expression): expression is ts.Identifier => {
      if (!ts.isIdentifier(expression)) return false;
      const declaration = nearestDeclaration(expression);
      const outside = declaration !== undefined && !(factory.pos <= declaration.pos && declaration.end <= factory.end);
      const value = declaration?.initializer;
      // `new McpServer(…)`, or what a call made once (`createServer()`): either way one instance.
      const madeOnce = value !== undefined && (isNewServer(value) || ts.isCallExpression(unwrap(value)));
      return outside && madeOnce;
    });
}
