/**
 * express-mcp-handler's `statelessHandler(createServer)` → SDK v2's createMcpHandler, served from
 * Express through `toNodeHandler`:
 *
 *   app.post("/mcp", statelessHandler(createServer));
 * becomes
 *   const mcpHandler = toNodeHandler(createMcpHandler(createServer));
 *   app.post("/mcp", (req, res) => mcpHandler(req, res, req.body));
 *   app.get("/mcp", …405…); app.delete("/mcp", …405…);
 *
 * The route hands on the body express.json() has read: `toNodeHandler` would otherwise read the
 * request's stream, which is spent by then. A handler kept in a variable (`const handler =
 * statelessHandler(…)`) keeps its name, and each route given it gets the same arrow. Its
 * `onError` is createMcpHandler's `onerror`; an option with no counterpart (`onClose`, a session
 * id generator) leaves the call for a person, as does a use migrate cannot see is a route.
 */
import ts from "typescript";
import { importedName, type Finding } from "../../analysis/rule.ts";
import { statelessHandlerCalls } from "../../analysis/rules/express-mcp-handler.ts";
import { findingAt, indentOf, references, statementOf, type ImportNeed, type Migration, type TextEdit } from "../rule.ts";
import { handlerDeclaration, refusalRoutesAfter } from "./mcp-routes.ts";

/** Express's methods that take route handlers after a path. */
const ROUTE_METHODS = /^(post|all|use)$/;
const IMPORTS: ImportNeed[] = [
  { module: "@modelcontextprotocol/node", name: "toNodeHandler" },
  { module: "@modelcontextprotocol/server", name: "createMcpHandler" },
];

export const expressMcpHandlerMigration: Migration = {
  rule: "express-mcp-handler",
  migrate(source, findings) {
    const clash = IMPORTS.find(({ module, name }) => boundElsewhere(source, module, name));
    if (clash) return { edits: [], handled: [], unmoved: `the file already has a ${clash.name} of its own: import ${clash.module}'s under another name by hand` };
    const edits: TextEdit[] = [];
    const handled: Finding[] = [];
    const unmovedEach: Array<[Finding, string]> = [];
    // Names given to handlers, and paths given 405 routes, so far in this file.
    const taken = new Set<string>();
    const refused = new Set<string>();
    for (const call of statelessHandlerCalls(source)) {
      const finding = findingAt(source, findings, call);
      if (!finding) continue;
      const rewrite = rewriteCall(source, call, taken, refused);
      if (typeof rewrite === "string") unmovedEach.push([finding, rewrite]);
      else {
        edits.push(...rewrite);
        handled.push(finding);
      }
    }
    return { edits, handled, imports: handled.length ? IMPORTS : [], unmovedEach };
  },
};

/** The edits that put one `statelessHandler(…)` call on createMcpHandler, or why not. */
function rewriteCall(source: ts.SourceFile, call: ts.CallExpression, taken: Set<string>, refused: Set<string>): TextEdit[] | string {
  const built = handlerArguments(source, call);
  if ("why" in built) return built.why;
  const args = built.args;
  const route = (name: string) => `(req, res) => ${name}(req, res, req.body)`;
  // Handed straight to a route: the handler gets a name of its own, declared above the route's statement.
  if (isRouteArgument(call)) {
    const name = freshName(source, taken);
    const statement = statementOf(call);
    const lineStart = source.text.lastIndexOf("\n", statement.getStart(source) - 1) + 1;
    const indent = indentOf(source, statement);
    const declaration = handlerDeclaration(name, args).replace(/^(?=.)/gm, indent);
    return [
      { start: lineStart, end: lineStart, text: declaration, before: true },
      { start: call.getStart(source), end: call.getEnd(), text: route(name) },
      ...refusals(source, call.parent as ts.CallExpression, refused),
    ];
  }
  // Kept in a variable that only routes are given: the variable holds the Node handler, each route the arrow.
  const declaration = call.parent;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer === call && ts.isIdentifier(declaration.name)) {
    const name = declaration.name.text;
    const uses = references(source, name).filter((id) => id !== declaration.name);
    const elsewhere = uses.find((id) => !isRouteArgument(id));
    if (uses.length === 0 || elsewhere) return `${name} is used besides being handed to routes (line ${source.getLineAndCharacterOfPosition((elsewhere ?? declaration).getStart(source)).line + 1}), and createMcpHandler's Node handler takes the parsed body as a third argument: route it as (req, res) => ${name}(req, res, req.body) by hand`;
    return [
      { start: call.getStart(source), end: call.getEnd(), text: `toNodeHandler(createMcpHandler(${args}))` },
      ...uses.flatMap((id) => [{ start: id.getStart(source), end: id.getEnd(), text: route(name) }, ...refusals(source, id.parent as ts.CallExpression, refused)]),
    ];
  }
  return "it is not handed to a route migrate can see (app.post, app.all, app.use): serve createMcpHandler(createServer) through toNodeHandler, handing it req.body, by hand";
}

/** What createMcpHandler is given for the call's arguments (`factory, { onerror }`), or why not. */
function handlerArguments(source: ts.SourceFile, call: ts.CallExpression): { args: string } | { why: string } {
  const [factory, options] = call.arguments;
  if (!factory) return { why: "statelessHandler() serves express-mcp-handler's own placeholder server: hand it the function that builds yours, then run migrate again" };
  if (!options) return { args: factory.getText(source) };
  if (!ts.isObjectLiteralExpression(options)) return { why: "its options are passed by name: write them out in the call (onError becomes createMcpHandler's onerror), then run migrate again" };
  const kept: string[] = [];
  for (const property of options.properties) {
    const name = property.name?.getText(source);
    const value = ts.isPropertyAssignment(property) ? property.initializer.getText(source) : ts.isShorthandPropertyAssignment(property) ? property.name.text : undefined;
    if (name === "onError" && value !== undefined) kept.push(`onerror: ${value}`);
    // No session ids is what a stateless handler is; the option said so, and createMcpHandler needs no telling.
    else if (name === "sessionIdGenerator" && value === "undefined") continue;
    else if (name === "onClose") return { why: "its onClose runs when each exchange ends, and createMcpHandler has no such option: move it to res.on(\"close\", …) in the route, or drop it, then run migrate again" };
    else return { why: `its option ${name ?? property.getText(source)} has no counterpart migrate can be sure of in createMcpHandler: take it out or rewrite it, then run migrate again` };
  }
  return { args: `${factory.getText(source)}${kept.length ? `, { ${kept.join(", ")} }` : ""}` };
}

/** An argument after the first of `x.post(…)`, `x.all(…)`, `x.use(…)` (or the first, in `x.route(path).post(handler)`). */
function isRouteArgument(node: ts.Node): boolean {
  const parent = node.parent;
  return ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression) && ts.isPropertyAccessExpression(parent.expression) && ROUTE_METHODS.test(parent.expression.name.text);
}

/**
 * GET and DELETE answered 405 after a POST route (the handler answered them so on app.all and
 * app.use, and express answers 404 where only POST is routed), once for each path.
 */
function refusals(source: ts.SourceFile, route: ts.CallExpression, refused: Set<string>): TextEdit[] {
  const [path] = route.arguments;
  const method = (route.expression as ts.PropertyAccessExpression).name.text;
  if (method !== "post" || !path || !ts.isStringLiteralLike(path) || refused.has(path.text)) return [];
  refused.add(path.text);
  return refusalRoutesAfter(source, route);
}

/** `mcpHandler`, or `mcpHandler2`, … when the file already has that name. */
function freshName(source: ts.SourceFile, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? "mcpHandler" : `mcpHandler${n}`;
    if (!taken.has(name) && references(source, name).length === 0) {
      taken.add(name);
      return name;
    }
  }
}

/** Whether the file binds `name` from a module other than `module` (its own createMcpHandler, say). */
function boundElsewhere(source: ts.SourceFile, module: string, name: string): boolean {
  if (importedName(source, module, name) === name) return false;
  return references(source, name).length > 0;
}
