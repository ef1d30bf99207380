/**
 * Shape 3, in a closure: state a server factory declares and its tools share between calls
 * (`const notes: string[] = []` that `add_note` pushes to and `list_notes` reads). With a
 * server per session it lived as long as the session, with nothing keyed by the session id to
 * show it; with a server per request (2026-07-28, `createMcpHandler`) it starts afresh on every
 * call, so what one call wrote the next never sees. A "current X" pointer is current-pointer's;
 * a server its own function serves over stdio (one client, for the life of the process) keeps
 * its state as it did.
 */
import ts from "typescript";
import { enclosingTool, isNewServer, isReassigned, nearestDeclaration, unwrap, walk, withoutCasts, type Rule } from "../rule.ts";
import { POINTER } from "./current-pointer.ts";
import { stdioConnect } from "./legacy-entry.ts";

/** Methods that change the object they are called on (arrays, Maps, Sets). */
const MUTATORS = /^(push|pop|shift|unshift|splice|sort|reverse|fill|copyWithin|set|add|delete|clear)$/;

export const factoryState: Rule = {
  id: "factory-state",
  prefilter: /\b(McpServer|Server)\b/,
  fix: "give it a handle: a create_* tool returns an id, the tools that share it take the id, and the state is kept under it (a HandleMap, or a shared store); at module level instead, every client would share one",
  analyze(source, report) {
    walk(source, (node) => {
      if (!ts.isNewExpression(node) || !isNewServer(node)) return;
      const factory = enclosingFunctionWithBody(node);
      // A server the same function serves over stdio lives as long as the process, for its one client.
      if (!factory || servesStdio(factory.body)) return;
      for (const statement of factory.body.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name) || POINTER.test(declaration.name.text) || declaration.initializer === node) continue;
          const shared = sharingTools(factory.body, declaration.name);
          if (shared) report(declaration.name, `${declaration.name.text} is kept by the server factory and shared by its tools (${shared}): with a server per request it starts afresh on every call`);
          else if (isBuiltAroundServer(declaration)) {
            const users = toolsUsing(factory.body, declaration.name);
            const named = users.filter((tool) => tool !== undefined);
            if (users.length) report(declaration.name, `${declaration.name.text} is built around the server by its factory and used by its tools${named.length ? ` (${named.join(", ")})` : ""}: what it keeps between calls (a browser, a client's pages) lasted the session, and with a server per request it starts afresh on every call`);
          }
        }
      }
    });
  },
};

/** `server.connect(new StdioServerTransport())` or `serveStdio(…)` in the function itself. */
function servesStdio(body: ts.Block): boolean {
  let found = false;
  walk(body, (node) => {
    if (stdioConnect(node) || (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "serveStdio")) found = true;
  });
  return found;
}

/** The function a node is built in, when it has a block body: the factory. */
function enclosingFunctionWithBody(node: ts.Node): (ts.FunctionLikeDeclaration & { body: ts.Block }) | undefined {
  for (let up = node.parent; up; up = up.parent) {
    if (ts.isFunctionLike(up)) return "body" in up && up.body && ts.isBlock(up.body) ? (up as ts.FunctionLikeDeclaration & { body: ts.Block }) : undefined;
  }
  return undefined;
}

/**
 * "written by add_note, read by list_notes" when a tool changes the variable: kept outside the
 * call, it was meant to outlive it, for the next call of that tool or of another. Undefined when
 * no tool changes it (set up once, then only read: the same for every request).
 */
function sharingTools(body: ts.Block, name: ts.Identifier): string | undefined {
  const writers = new Set<string>();
  const users = new Set<string>();
  walk(body, (node) => {
    if (!ts.isIdentifier(node) || node.text !== name.text || node === name) return;
    if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) return;
    const tool = enclosingTool(node);
    if (!tool) return;
    const toolName = tool.call.arguments[0] && ts.isStringLiteralLike(tool.call.arguments[0]) ? tool.call.arguments[0].text : "a tool";
    users.add(toolName);
    if (writes(node)) writers.add(toolName);
  });
  if (writers.size === 0) return undefined;
  const readers = [...users].filter((tool) => !writers.has(tool));
  return `written by ${[...writers].join(", ")}${readers.length ? `, read by ${readers.join(", ")}` : ""}`;
}

/**
 * `new Context(server.server, config)`: an object handed the server it serves, made once per
 * server to hold what that server's client does (what it holds cannot be seen from here, but
 * nothing else is made per connection).
 */
export function isBuiltAroundServer(declaration: ts.VariableDeclaration): boolean {
  const made = declaration.initializer && unwrap(declaration.initializer);
  if (!made || !ts.isNewExpression(made)) return false;
  return (made.arguments ?? []).some((argument) => {
    let root = withoutCasts(argument);
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    const server = ts.isIdentifier(root) ? nearestDeclaration(root)?.initializer : undefined;
    return server !== undefined && isNewServer(server);
  });
}

/** The tools that use a variable, by name (undefined for a name worked out at run time). */
function toolsUsing(body: ts.Block, name: ts.Identifier): Array<string | undefined> {
  const users = new Set<string | undefined>();
  walk(body, (node) => {
    if (!ts.isIdentifier(node) || node.text !== name.text || node === name) return;
    if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) return;
    const tool = enclosingTool(node);
    if (tool) users.add(tool.call.arguments[0] && ts.isStringLiteralLike(tool.call.arguments[0]) ? tool.call.arguments[0].text : undefined);
  });
  return [...users];
}

/** Whether this use of a variable changes it, or the object it holds. */
function writes(id: ts.Identifier): boolean {
  if (isReassigned(id)) return true;
  const parent = id.parent;
  // `notes.push(x)`, `notes[k] = v`, `state.count += 1`, `delete cache[k]`.
  const member = ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) ? parent : undefined;
  if (!member || member.expression !== id) return false;
  if (ts.isPropertyAccessExpression(member) && ts.isCallExpression(member.parent) && member.parent.expression === member && MUTATORS.test(member.name.text)) return true;
  // `!cache[k]` or `-state.total` only read it.
  return isReassigned(member) || ts.isDeleteExpression(member.parent);
}
