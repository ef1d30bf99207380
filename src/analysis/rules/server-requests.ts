/**
 * A tool that asks the client mid-call (sampling, elicitation, roots) relied on the session's
 * way back: 2026-07-28 has no server→client request channel (SEP-2577), so the SDK throws on
 * such a call for a current client, and behind `createMcpHandler` a 2025-era client's answer has
 * no session to come back on either. Its replacement is a result, not a request: the tool returns
 * `inputRequired(…)` and reads the answer when the client calls again. Code that asks only on
 * the legacy path (`if (ctx.mcpReq.era === "legacy")`, as the SDK's dual-era examples do) is left
 * alone. `migrate` rewrites an ask a tool makes first thing (src/migrate/rules/server-requests.ts);
 * one after work that would run again on the retry is a person's to move.
 */
import ts from "typescript";
import { isMcpCode, nearestDeclaration, walk, withoutCasts, type Rule } from "../rule.ts";

/** What a push-style ask asks for: a form (or page) for the user, the client's model, its roots. */
export type AskKind = "elicit" | "sampling" | "roots";
/** The push-style asks, on the server (`server.server.createMessage`) or the request (`ctx.mcpReq.requestSampling`). */
export const ASKS: Readonly<Record<string, AskKind>> = { elicitInput: "elicit", createMessage: "sampling", requestSampling: "sampling", listRoots: "roots" };
/** The same asks sent by their method: `ctx.mcpReq.send({ method, … })`, v1's `extra.sendRequest(…)`. */
export const ASK_METHODS: Readonly<Record<string, AskKind>> = { "elicitation/create": "elicit", "sampling/createMessage": "sampling", "roots/list": "roots" };

export const serverRequests: Rule = {
  id: "server-requests",
  prefilter: /createMessage|elicitInput|listRoots|requestSampling|elicitation\/create|roots\/list/,
  fix: "run `mcp-stateless migrate` (server-requests): return inputRequired({ inputRequests: { answer: inputRequired.elicit(…) } }) (or .createMessage(…), .listRoots()) and read the answer on the client's retry with inputResponse(ctx.mcpReq.inputResponses, \"answer\"); or take what it asked for as a tool parameter",
  analyze(source, report) {
    if (!isMcpCode(source)) return;
    walk(source, (node) => {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
      const name = node.expression.name.text;
      // On a server (`server`, `mcpServer.server`, `this.server`) or a request (`ctx.mcpReq`): not
      // `inputRequired.createMessage(…)`, which builds the 2026-07-28 form, nor a host's own `host.listRoots()`.
      const receiver = node.expression.expression.getText(source);
      const sends = name === "sendRequest" || (name === "send" && /(^|\.)mcpReq$/.test(receiver));
      const asked = Object.hasOwn(ASKS, name) && /(^|\.)(\w*server|mcpReq)$/i.test(receiver) ? `${node.expression.getText(source)}(…)` : sends && askedMethod(node) ? `${name}(${askedMethod(node)})` : undefined;
      if (asked && !onLegacyPath(node)) report(node, `${asked} asks the client during the call, which a 2026-07-28 request has no way back for (SEP-2577: it throws), nor a 2025-era one behind createMcpHandler`);
    });
  },
};

/** `send({ method: "elicitation/create", … })`: the method asked for, when it is one of the asks. */
function askedMethod(call: ts.CallExpression): string | undefined {
  const request = requestLiteral(call.arguments[0]);
  const method = request && methodOf(request);
  return method && Object.hasOwn(ASK_METHODS, method) ? method : undefined;
}

/** Inside the branch of an `if` that tests the era for the legacy one (`ctx.mcpReq.era === "legacy"`). */
function onLegacyPath(node: ts.Node): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && parent.thenStatement === child && /\bera\b/.test(parent.expression.getText()) && /legacy/.test(parent.expression.getText())) return true;
  }
  return false;
}

/** The request a call sends, written out in place or in a variable declared with it (`const request: CreateMessageRequest = { … }`). */
export function requestLiteral(argument: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (argument) argument = withoutCasts(argument);
  if (argument && ts.isIdentifier(argument)) argument = nearestDeclaration(argument)?.initializer;
  if (argument) argument = withoutCasts(argument);
  return argument && ts.isObjectLiteralExpression(argument) ? argument : undefined;
}

/** The method a request written out names (`"elicitation/create"`, `as const` or not). */
export function methodOf(request: ts.ObjectLiteralExpression): string | undefined {
  const method = request.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === "method");
  const value = method && withoutCasts(method.initializer);
  return value && ts.isStringLiteralLike(value) ? value.text : undefined;
}
