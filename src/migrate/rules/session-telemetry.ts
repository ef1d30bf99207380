/**
 * Telemetry and rate limits keyed on the session id → keyed on the caller. Inside a tool,
 * `metrics.increment(`calls:${ctx.sessionId}`)` becomes
 * `metrics.increment(`calls:${ctx.http?.authInfo?.clientId ?? "anonymous"}`)`: the
 * principal the request carries, which is what a per-session count stood for. A key read
 * anywhere else (no tool context to take the caller from) stays a finding.
 */
import ts from "typescript";
import { enclosingTool } from "../../analysis/rule.ts";
import { enclosingFunction, nodeStartingAt, offsetOf, perFinding, type Migration } from "../rule.ts";

export const sessionTelemetryMigration: Migration = {
  rule: "session-telemetry",
  migrate(source, findings) {
    // Outside a tool there is no caller to key on: mostly routing's own logging, which goes with it.
    // (The to-do stands for every finding of the rule here, so it is said only when all are outside.)
    const outside = findings.every((finding) => {
      const call = nodeStartingAt(source, offsetOf(source, finding), ts.isCallExpression);
      return call !== undefined && !enclosingTool(call);
    });
    const unmoved = outside ? "this is keyed on a session id outside any tool, where no caller is known: in the per-session routing or its shutdown it goes with them; anywhere else, key it on the request (or drop the id)" : undefined;
    return { ...perFinding(findings, (finding) => {
      const call = nodeStartingAt(source, offsetOf(source, finding), ts.isCallExpression);
      const keys = call ? sessionKeys(call) : [];
      if (!keys.every((key) => key.context !== undefined)) return undefined;
      return keys.map(({ expression, context }) => {
        const principal = `${context}.http?.authInfo?.clientId ?? "anonymous"`;
        const parent = expression.parent;
        const bare = ts.isTemplateSpan(parent) || ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(expression));
        return { start: expression.getStart(source), end: expression.getEnd(), text: bare ? principal : `(${principal})` };
      });
    }), unmoved };
  },
};

/** Each `X.sessionId` in a call's arguments, with its wrappers (`!`, `?? "x"`), and the tool context X names. */
function sessionKeys(call: ts.CallExpression): Array<{ expression: ts.Expression; context: string | undefined }> {
  const keys: Array<{ expression: ts.Expression; context: string | undefined }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === "sessionId" && ts.isIdentifier(node.expression)) {
      let expression: ts.Expression = node;
      while (ts.isNonNullExpression(expression.parent) || (ts.isBinaryExpression(expression.parent) && expression.parent.left === expression && expression.parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
        expression = expression.parent as ts.Expression;
      }
      keys.push({ expression, context: toolContext(node, node.expression.text) });
      return;
    }
    node.forEachChild(visit);
  };
  call.arguments.forEach(visit);
  return keys;
}

/** `name` when it is the context parameter of the tool callback the node sits in. */
function toolContext(node: ts.Node, name: string): string | undefined {
  const tool = enclosingTool(node);
  // Only the tool's own callback: a nested function's `ctx` may be another.
  if (!tool || tool.callback !== enclosingFunction(node) || tool.callback.parameters.length !== 2) return undefined;
  const last = tool.callback.parameters[1]!;
  return ts.isIdentifier(last.name) && last.name.text === name ? name : undefined;
}
