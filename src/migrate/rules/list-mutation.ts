/**
 * tools/list must not change with calls. Two rewrites, both only when nothing is left to
 * guess:
 *  - a tool enabled or disabled on the way to session state (`query.disable()` until a
 *    `connect` tool ran) is gated by its handle once session-state has migrated it: it is
 *    always registered, and refuses an unknown handle with an error naming the create tool;
 *    or it now takes the "current" value it waited for as a parameter (current-pointer).
 *    Its enable/disable calls and the list_changed notifications are removed.
 *  - a `send…ListChanged()` (or the same sent by method: `notification({ method: "notifications/…/list_changed" })`,
 *    v1's `extra.sendNotification(…)`, v2's `ctx.mcpReq.notify(…)`)
 *    with no enable/disable left in the file announces nothing, and
 *    goes.
 * Any other toggle (`remove()`, a tool with no handle to gate on) stays a finding, and so does a
 * registration made late (in a timer, in a tool call): what it registers is for a person to
 * move to where the server is built.
 */
import ts from "typescript";
import { calleeName, type Finding } from "../../analysis/rule.ts";
import { NOTIFY } from "../../analysis/rules/list-mutation.ts";
import type { Migration, TextEdit } from "../rule.ts";
import { nodeStartingAt, offsetOf, ownLines } from "../rule.ts";

export const listMutationMigration: Migration = {
  rule: "list-mutation",
  migrate(source, findings, context) {
    // A registration made late stays, with the advice check gives it.
    findings = findings.filter((finding) => !isRegistration(source, finding));
    // Tools that now take what they depended on as a parameter need no hiding.
    const gated = context.parameterised;
    const registered = registeredTools(source);
    const toggles = findings.map((finding) => ({ finding, call: toggleCall(source, finding) }));
    // Every toggle must be an enable/disable of a tool its handle now gates.
    const gatable = toggles.every(({ call }) => {
      if (!call) return true;
      const target = (call.expression as ts.PropertyAccessExpression).expression;
      const tool = ts.isIdentifier(target) ? registered.get(target.text) : undefined;
      return /^(enable|disable)$/.test((call.expression as ts.PropertyAccessExpression).name.text) && tool !== undefined && gated.has(tool);
    });
    if (!gatable) return { edits: [], handled: [] };
    const edits: TextEdit[] = [];
    const handled: Finding[] = [];
    for (const finding of findings) {
      const statement = callStatement(source, finding);
      const edit = statement && ownLines(source, statement);
      if (!edit) return { edits: [], handled: [] };
      edits.push(edit);
      handled.push(finding);
    }
    edits.push(...unusedBindings(source, toggles.flatMap(({ call }) => (call ? [call] : []))));
    return { edits, handled };
  },
};

/** The statement that is the finding's call and nothing else: `server.sendToolListChanged();`, `await server.notification(…);`. */
function callStatement(source: ts.SourceFile, finding: Finding): ts.ExpressionStatement | undefined {
  const call = nodeStartingAt(source, offsetOf(source, finding), ts.isCallExpression);
  const holder = call && ts.isAwaitExpression(call.parent) ? call.parent : call;
  return holder && ts.isExpressionStatement(holder.parent) ? holder.parent : undefined;
}

/** `const query = ` before a registration goes when its toggles were the variable's only uses. */
function unusedBindings(source: ts.SourceFile, toggles: ts.CallExpression[]): TextEdit[] {
  const names = new Set(toggles.map((call) => ((call.expression as ts.PropertyAccessExpression).expression as ts.Identifier).text));
  const edits: TextEdit[] = [];
  for (const name of names) {
    let uses = 0;
    let declaration: ts.VariableStatement | undefined;
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node) && node.text === name) uses += 1;
      if (ts.isVariableStatement(node) && node.declarationList.declarations.length === 1 && node.declarationList.declarations[0]!.name.getText(source) === name) declaration = node;
      node.forEachChild(visit);
    };
    visit(source);
    const togglesOfName = toggles.filter((call) => ((call.expression as ts.PropertyAccessExpression).expression as ts.Identifier).text === name).length;
    const initializer = declaration?.declarationList.declarations[0]!.initializer;
    if (declaration && initializer && !declaration.modifiers?.length && uses === 1 + togglesOfName) {
      edits.push({ start: declaration.getStart(source), end: initializer.getStart(source), text: "" });
    }
  }
  return edits;
}

/** `const query = server.registerTool(…)`: variable name → the registering call. */
function registeredTools(source: ts.SourceFile): Map<string, ts.CallExpression> {
  const tools = new Map<string, ts.CallExpression>();
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isCallExpression(node.initializer)) tools.set(node.name.text, node.initializer);
    node.forEachChild(visit);
  };
  visit(source);
  return tools;
}

/** Whether a finding is about a late registration (`server.registerResource(…)`, `addResource(…)`), not a toggle or a notification. */
function isRegistration(source: ts.SourceFile, finding: Finding): boolean {
  const call = nodeStartingAt(source, offsetOf(source, finding), ts.isCallExpression);
  if (!call) return false;
  const name = calleeName(call) ?? "";
  return !/^(enable|disable|remove|send(Tool|Resource|Prompt)ListChanged)$/.test(name) && !NOTIFY.test(name);
}

/** The `x.enable()` / `x.disable()` / `x.remove()` call a finding is about, if it is one. */
function toggleCall(source: ts.SourceFile, finding: Finding): ts.CallExpression | undefined {
  const call = nodeStartingAt(source, offsetOf(source, finding), ts.isCallExpression);
  return call && ts.isPropertyAccessExpression(call.expression) && /^(enable|disable|remove)$/.test(call.expression.name.text) ? call : undefined;
}
