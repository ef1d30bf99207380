/**
 * Routing inside a class, connecting each transport to a server one of its methods builds
 * (`await this.createServer().connect(transport)`): the one handler becomes a field of that class,
 * `private readonly mcpHandler = toNodeHandler(createMcpHandler(() => this.createServer()))`, so
 * the factory keeps its `this` (the class's other members the tools use) and the routes hand
 * requests to `this.mcpHandler`. Pure: it reads the routers and returns the edits.
 */
import ts from "typescript";
import { isJavaScript, unwrap, walkCalls, type TextEdit } from "../rule.ts";
import { handlerDeclaration } from "./mcp-routes.ts";

export interface ClassServer {
  /** How the routers name the handler: `this.mcpHandler`. */
  handler: string;
  /** The field declaring it, at the top of the class. */
  edit: TextEdit;
}

/** The field, or undefined where the routers connect no server a method of their own class builds. */
export function classServer(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[], name: string, web: boolean, options?: string): ClassServer | undefined {
  const methods = new Set<string>();
  for (const router of routers) {
    walkCalls(router, "connect", (call) => {
      const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
      if (ts.isCallExpression(receiver) && receiver.arguments.length === 0 && ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.expression.kind === ts.SyntaxKind.ThisKeyword) methods.add(receiver.expression.name.text);
    });
  }
  if (methods.size !== 1) return undefined;
  const [method] = methods as Set<string> & [string];
  const owner = ts.findAncestor(routers[0], ts.isClassLike);
  // Every router in that class, where `this` is its instance (a method, or an arrow inside one).
  if (!owner || !routers.every((router) => ts.findAncestor(router, ts.isClassLike) === owner && thisIsTheInstance(router, owner))) return undefined;
  const builds = owner.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && member.name.getText(source) === method && !isStatic(member));
  if (!builds || builds.parameters.some((parameter) => !parameter.questionToken && !parameter.initializer)) return undefined;

  const first = owner.members[0]!;
  const lineStart = source.text.lastIndexOf("\n", first.getStart(source) - 1) + 1;
  const indent = source.text.slice(lineStart, first.getStart(source));
  const field = isJavaScript(source.fileName) ? "" : "private readonly ";
  const text = handlerDeclaration(name, `() => this.${method}()`, { web, field, options })
    .split("\n")
    .map((line) => (line ? `${indent}${line}` : line))
    .join("\n");
  return { handler: `this.${name}`, edit: { start: lineStart, end: lineStart, text } };
}

/** Whether `this` in the router is the class's instance: the router is one of its methods, or an arrow in one. */
function thisIsTheInstance(router: ts.FunctionLikeDeclaration, owner: ts.ClassLikeDeclaration): boolean {
  for (let fn: ts.Node = router; fn !== owner; fn = fn.parent) {
    if (ts.isArrowFunction(fn)) continue;
    if (ts.isFunctionLike(fn)) return fn.parent === owner && !isStatic(fn);
    if (ts.isPropertyDeclaration(fn)) return fn.parent === owner && !isStatic(fn);
  }
  return false;
}

function isStatic(member: ts.Node): boolean {
  return ts.canHaveModifiers(member) && (ts.getModifiers(member) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
}
