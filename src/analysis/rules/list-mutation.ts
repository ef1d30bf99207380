/** Shape 4: tools/list changed by calls (enable/disable/remove, list_changed pushes, late registrations). */
import ts from "typescript";
import { calleeName, enclosingTool, propertyNameText, REGISTRATION as REGISTER, servesOnlyStdio, walk, type Rule } from "../rule.ts";

/** What to do with a registration made late, which migrate cannot move. */
const LATE_REGISTRATION_FIX =
  "register it where the server is built, with everything else (a resource template serves names made later), and drop the timer or the call that registered it";
const RESOURCE_PUSH_FIX =
  "run `mcp-stateless migrate` (list-mutation): the push goes where nothing else in the file changes the lists; to tell subscribed clients of the change, announce it with createMcpHandler's handler.notify";

export const listMutation: Rule = {
  id: "list-mutation",
  prefilter: /\.(enable|disable|remove)\s*\(|send(Tool|Resource|Prompt)ListChanged|notifications\/(tools|resources|prompts)\/list_changed|\.(registerTool|tool|registerResource|resource|registerPrompt|prompt)\s*\(/,
  fix: "run `mcp-stateless migrate` (list-mutation): register every tool always and refuse at call time with an error naming the create tool",
  analyze(source, report) {
    // Variables holding what a register call returned: the handles whose enable/disable change the list.
    const registered = new Set<string>();
    walk(source, (node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isCallExpression(node.initializer)) {
        const name = calleeName(node.initializer);
        if (name && REGISTER.test(name)) registered.add(node.name.text);
      }
    });
    const helpers = registeringHelpers(source);
    const stdioOnly = servesOnlyStdio(source);
    walk(source, (node) => {
      if (!ts.isCallExpression(node)) return;
      const name = calleeName(node);
      const push = name && /^send(Tool|Resource|Prompt)ListChanged$/.test(name) ? `${name}()` : listChangedNotification(node, source);
      if (push) {
        // Tools and prompts change with toggles a client's calls made; a resource list more often with shared data, where the push is what stops working.
        // Over stdio serveStdio keeps one server for the one client and hands such pushes to its subscriptions.
        if (!/resource/i.test(push)) report(node, `${push} after a call makes lists vary with what a client did`);
        else if (!stdioOnly) report(node, `${push} tells the connected client its resource list changed, and a server built per request has no connection left to tell: 2026-07-28 clients hear of changes through subscriptions/listen (createMcpHandler's handler.notify)`, RESOURCE_PUSH_FIX);
      } else if (name && /^(enable|disable|remove)$/.test(name) && ts.isPropertyAccessExpression(node.expression)) {
        const target = node.expression.expression;
        if (ts.isIdentifier(target) && registered.has(target.text)) {
          report(node, `${target.text}.${name}() changes tools/list as a side effect`);
        }
      } else if (name && ((ts.isPropertyAccessExpression(node.expression) && REGISTER.test(name) && registersOnServer(node)) || (ts.isIdentifier(node.expression) && helpers.has(name)))) {
        const late = lateContext(node);
        if (late) report(node, `${name}(…) registers in ${late}, after the server was built: a stateless server is built for each request, so no list a client sees has it; register it when the server is built`, LATE_REGISTRATION_FIX);
      }
    });
  },
};

/** What sends a notification by its method: a server's `notification`, v1's `extra.sendNotification`, v2's `ctx.mcpReq.notify`. */
export const NOTIFY = /^(notification|sendNotification|notify)$/;

/** `server.notification({ method: "notifications/resources/list_changed" })`, the send…ListChanged() calls sent by method: its text. */
function listChangedNotification(call: ts.CallExpression, source: ts.SourceFile): string | undefined {
  const [message] = call.arguments;
  const name = calleeName(call);
  if (!name || !NOTIFY.test(name) || !message || !ts.isObjectLiteralExpression(message)) return undefined;
  const method = message.properties.find((p) => ts.isPropertyAssignment(p) && propertyNameText(p.name) === "method");
  const value = method && ts.isPropertyAssignment(method) && ts.isStringLiteralLike(method.initializer) ? method.initializer.text : undefined;
  return value && /^notifications\/(tools|resources|prompts)\/list_changed$/.test(value) ? `${name}({ method: "${value}" })` : undefined;
}

/**
 * `server.tool(…)`, `this.mcp.registerTool(…)`, or any receiver handed a callback: a registration,
 * not a method that shares the name (`tool.tool(sdk, args, ctx)`, a tool definition running its
 * own function inside the callback registered for it).
 */
function registersOnServer(call: ts.CallExpression): boolean {
  const receiver = (call.expression as ts.PropertyAccessExpression).expression;
  const last = call.arguments.at(-1);
  return /server|mcp/i.test(receiver.getText()) || (last !== undefined && (ts.isArrowFunction(last) || ts.isFunctionExpression(last)));
}

/** Functions of the file that register something themselves: `const addResource = (…) => server.registerResource(…)`. */
function registeringHelpers(source: ts.SourceFile): Set<string> {
  const helpers = new Set<string>();
  walk(source, (node) => {
    const fn = ts.isFunctionDeclaration(node) ? node : ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) ? node.initializer : undefined;
    const name = ts.isFunctionDeclaration(node) ? node.name?.text : ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) ? node.name.text : undefined;
    if (!fn?.body || !name) return;
    let registers = false;
    walk(fn.body, (inner) => (registers ||= ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && REGISTER.test(inner.expression.name.text)));
    if (registers) helpers.add(name);
  });
  return helpers;
}

/** "a timer" or "a tool call" when a call runs after the server that made it was built; undefined while it is being built. */
function lateContext(node: ts.Node): string | undefined {
  if (enclosingTool(node)) return "a tool call";
  for (let up = node.parent; up; up = up.parent) {
    const call = up.parent;
    if (ts.isFunctionLike(up) && call && ts.isCallExpression(call) && call.arguments.includes(up as ts.Expression) && /^(setInterval|setTimeout)$/.test(calleeName(call) ?? "")) return "a timer";
  }
  return undefined;
}
