/**
 * Logging aimed at a session → logging within the request. Inside a tool,
 * `server.sendLoggingMessage({ level, data }, ctx.sessionId)` becomes
 * `ctx.mcpReq.log(level, data)`: the message goes out on the call's own response stream, to
 * the client that made it, which is what aiming it at the session meant. Timers that push
 * after the request has ended have no request to ride on; they stay findings.
 */
import ts from "typescript";
import { enclosingTool } from "../../analysis/rule.ts";
import { nodeStartingAt, offsetOf, perFinding, type Migration, type TextEdit } from "../rule.ts";

export const sessionPushMigration: Migration = {
  rule: "session-push",
  migrate(source, findings) {
    return perFinding(findings, (finding) => {
      const call = nodeStartingAt(source, offsetOf(source, finding), ts.isCallExpression);
      return call && logWithinRequest(source, call);
    });
  },
};

function logWithinRequest(source: ts.SourceFile, call: ts.CallExpression): TextEdit | undefined {
  if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== "sendLoggingMessage") return undefined;
  const [params, session] = call.arguments;
  const callback = enclosingTool(call)?.callback;
  const context = callback?.parameters.at(-1)?.name;
  if (!params || !session || !callback || callback.parameters.length < 1 || !context || !ts.isIdentifier(context)) return undefined;
  if (!session.getText(source).replace(/!$/, "").startsWith(`${context.text}.sessionId`)) return undefined;
  if (!ts.isObjectLiteralExpression(params)) return undefined;
  const field = (name: string) => {
    const property = params.properties.find((p) => p.name?.getText(source) === name);
    if (property && ts.isPropertyAssignment(property)) return property.initializer.getText(source);
    if (property && ts.isShorthandPropertyAssignment(property)) return name;
    return undefined;
  };
  const level = field("level");
  const data = field("data");
  const logger = field("logger");
  if (!level || !data || params.properties.length !== (logger ? 3 : 2)) return undefined;
  return { start: call.getStart(source), end: call.getEnd(), text: `${context.text}.mcpReq.log(${[level, data, ...(logger ? [logger] : [])].join(", ")})` };
}
