/** Shape 5: server pushes tied to a session (timers that notify, logging aimed at a session). */
import ts from "typescript";
import { calleeName, SESSION_ID, walk, type Rule } from "../rule.ts";

const PUSH = /^(sendLoggingMessage|notification|sendResourceUpdated|sendNotification)$/;

export const sessionPush: Rule = {
  id: "session-push",
  prefilter: /sendLoggingMessage|notification|sendResourceUpdated|sendNotification/,
  fix: "run `mcp-stateless migrate` (session-push): log within the request (ctx.mcpReq.log), send progress on the call, or log to stderr/OpenTelemetry",
  analyze(source, report) {
    walk(source, (node) => {
      if (!ts.isCallExpression(node)) return;
      const name = calleeName(node);
      if (name === "setInterval" || name === "setTimeout") {
        let pushes = false;
        for (const argument of node.arguments) walk(argument, (inner) => (pushes ||= ts.isCallExpression(inner) && PUSH.test(calleeName(inner) ?? "")));
        if (pushes) report(node, `${name} pushes to a client after the request has ended`);
      } else if (name === "sendLoggingMessage" && node.arguments.length > 1 && SESSION_ID.test(node.arguments[1]!.getText(source))) {
        report(node, "logging aimed at a session id");
      }
    });
  },
};
