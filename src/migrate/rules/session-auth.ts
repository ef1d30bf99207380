/**
 * Who is calling, remembered per session → read from each request. A module-level
 * `Map<string, AuthInfo>` filled when a session started (`authBySession.set(id, req.auth)`)
 * and read in tools with the session id becomes `ctx.http?.authInfo`, which the SDK fills
 * on every request from the token it carried. The map's writes go with it.
 * A map holding anything else (a user record looked up at login) is not the request's auth
 * and stays a finding: what replaces it depends on where that record comes from.
 */
import ts from "typescript";
import { enclosingTool, type Finding } from "../../analysis/rule.ts";
import { ownLines, perFinding, type Migration, type TextEdit } from "../rule.ts";

export const sessionAuthMigration: Migration = {
  rule: "session-auth",
  migrate(source, findings) {
    return perFinding(findings, (finding) => {
      const declaration = authMap(source, finding);
      return declaration && plan(source, declaration);
    });
  },
};

/** The module-level `const x = new Map<string, AuthInfo>()` a finding names. */
function authMap(source: ts.SourceFile, finding: Finding): ts.VariableDeclaration | undefined {
  const at = source.getPositionOfLineAndCharacter(finding.line - 1, finding.column - 1);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      const init = d.initializer;
      if (d.name.getStart(source) !== at || !init || !ts.isNewExpression(init) || init.expression.getText(source) !== "Map") continue;
      const valueType = (init.typeArguments ?? (d.type && ts.isTypeReferenceNode(d.type) ? d.type.typeArguments : undefined))?.[1];
      if (valueType && /^AuthInfo(\s*\|\s*undefined)?$/.test(valueType.getText(source))) return d;
    }
  }
  return undefined;
}

/** Each read in a tool → the request's auth; each write → gone. Any other use: no plan. */
function plan(source: ts.SourceFile, declaration: ts.VariableDeclaration): TextEdit[] | undefined {
  const name = (declaration.name as ts.Identifier).text;
  const edits: TextEdit[] = [];
  let ok = true;
  const visit = (node: ts.Node) => {
    if (!ok) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      const access = node.parent;
      const call = access.parent;
      const method = ts.isPropertyAccessExpression(access) && access.expression === node ? access.name.text : undefined;
      if (!method || !ts.isCallExpression(call) || call.expression !== access) return void (ok = false);
      if (method === "get") {
        const callback = enclosingTool(call)?.callback;
        const context = callback?.parameters.at(-1)?.name;
        const key = call.arguments[0]?.getText(source) ?? "";
        if (!callback || callback.parameters.length !== 2 || !context || !ts.isIdentifier(context) || !key.startsWith(`${context.text}.sessionId`)) return void (ok = false);
        edits.push({ start: call.getStart(source), end: call.getEnd(), text: `${context.text}.http?.authInfo` });
      } else if (method === "set" || method === "delete") {
        const edit = ts.isExpressionStatement(call.parent) ? ownLines(source, call.parent) : undefined;
        if (!edit) return void (ok = false);
        edits.push(edit);
      } else ok = false;
      return;
    }
    node.forEachChild(visit);
  };
  visit(source);
  return ok && edits.length ? edits : undefined;
}
