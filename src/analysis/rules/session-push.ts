/** Shape 5: server pushes tied to a session (timers that notify, logging aimed at a session). */
import ts from "typescript";
import { calleeName, enclosingFunction, isHandlerContextName, servesOnlyStdio, SESSION_ID, walk, type Rule } from "../rule.ts";

const PUSH = /^(sendLoggingMessage|notification|sendResourceUpdated|sendNotification)$/;
/** What to do with a resource's update pushed by the server, which migrate leaves to a person. */
const RESOURCE_UPDATED_FIX =
  "publish the change with createMcpHandler's handler.notify.resourceUpdated(uri), which reaches every client listening (subscriptions/listen), from wherever the resource changes; the server's own send goes";
/** v2's sends on the request: `ctx.mcpReq.notify(…)`, `ctx.mcpReq.log(…)`. */
const REQUEST_SEND = /^(notify|log)$/;

export const sessionPush: Rule = {
  id: "session-push",
  prefilter: /sendLoggingMessage|notification|sendResourceUpdated|sendNotification|mcpReq/,
  fix: "run `mcp-stateless migrate` (session-push): log within the request (ctx.mcpReq.log), send progress on the call, or log to stderr/OpenTelemetry",
  analyze(source, report) {
    walk(source, (node) => {
      if (!ts.isCallExpression(node)) return;
      const name = calleeName(node);
      if (name === "setInterval" || name === "setTimeout") {
        const pushes: ts.CallExpression[] = [];
        for (const argument of node.arguments) walk(argument, (inner) => void (ts.isCallExpression(inner) && (PUSH.test(calleeName(inner) ?? "") || onRequest(inner)) && pushes.push(inner)));
        // A heartbeat on the call's own request that its code stops (a returned stop, a `finally`) ends with the call.
        if (pushes.length && !(pushes.every(sendsOnRequest) && stoppedOutsideItself(node))) report(node, `${name} pushes to a client after the request has ended`);
      } else if (name === "sendLoggingMessage" && node.arguments.length > 1 && SESSION_ID.test(node.arguments[1]!.getText(source))) {
        report(node, "logging aimed at a session id");
      } else if (name === "sendResourceUpdated" && !inTimer(node) && !servesOnlyStdio(source)) {
        // Over stdio serveStdio keeps one server for its one client, and hands the send to its subscriptions.
        report(node, "sendResourceUpdated(…) tells the connected client a resource it subscribed to changed, and a server built per request has no connection left to tell: 2026-07-28 clients subscribe with subscriptions/listen", RESOURCE_UPDATED_FIX);
      }
    });
  },
};

/** Whether a call is in what a timer runs (that timer is the finding). */
function inTimer(node: ts.Node): boolean {
  for (let child = node, up = node.parent; up; child = up, up = up.parent) {
    if (ts.isCallExpression(up) && up.arguments.includes(child as ts.Expression) && /^set(Interval|Timeout)$/.test(calleeName(up) ?? "")) return true;
  }
  return false;
}

/** `ctx.mcpReq.notify(…)`, `extra.mcpReq.log(…)`: a send on the request a handler serves. */
function onRequest(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && REQUEST_SEND.test(callee.name.text) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === "mcpReq";
}

/** A send that goes on the request (v2's `mcpReq`, v1's `extra.sendNotification`), not on the server to its session. */
function sendsOnRequest(call: ts.CallExpression): boolean {
  if (onRequest(call)) return true;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && callee.name.text === "sendNotification" && ts.isIdentifier(callee.expression) && isHandlerContextName(callee.expression.text);
}

/** `const t = setInterval(…)`, and `clearInterval(t)` in the same function outside the timer's own callback. */
function stoppedOutsideItself(timer: ts.CallExpression): boolean {
  const holder = timer.parent;
  if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return false;
  const name = holder.name.text;
  const scope = enclosingFunction(timer);
  if (!scope) return false;
  let stopped = false;
  walk(scope, (node) => {
    if (!ts.isCallExpression(node) || !/^clear(Interval|Timeout)$/.test(calleeName(node) ?? "")) return;
    const [handle] = node.arguments;
    const inTimer = timer.arguments.some((argument) => argument.pos <= node.pos && node.end <= argument.end);
    stopped ||= !inTimer && handle !== undefined && ts.isIdentifier(handle) && handle.text === name;
  });
  return stopped;
}
