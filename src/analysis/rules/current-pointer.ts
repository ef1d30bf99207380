/**
 * Shape 3, its implicit form: a "current X" pointer (`let currentDatabase`) that one tool sets
 * and others read. Inside a per-session server factory it lived as long as the session; with
 * a server per request it is forgotten between calls, and at module level every client shares
 * it. Either way the tools that read it must be told which X on each call.
 */
import ts from "typescript";
import { enclosingTool, walk, type Rule } from "../rule.ts";

export const POINTER = /^(current|active|selected)[A-Z_]/;

export const currentPointer: Rule = {
  id: "current-pointer",
  prefilter: /\b(current|active|selected)[A-Z_]/,
  fix: "run `mcp-stateless migrate` (current-pointer): pass it as a parameter to each tool that reads it",
  analyze(source, report) {
    walk(source, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
      const target = node.left;
      const name = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : undefined;
      const base = ts.isIdentifier(target) ? target : ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) ? target.expression : undefined;
      // `this.currentX` in an arrow callback is the instance that registered the tool: shared like any object.
      const onThis = ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword;
      const tool = enclosingTool(node)?.callback;
      // A variable the call itself declares lives only as long as the call.
      if (name && POINTER.test(name) && tool && ((base && !declares(tool, base.text)) || (onThis && ts.isArrowFunction(tool)))) {
        report(node, `${target.getText(source)} = … in a tool is a pointer the next request will not see (or every client will)`);
      }
    });
  },
};

/** Whether a variable or parameter of this name is declared anywhere within `scope`. */
function declares(scope: ts.Node, name: string): boolean {
  let found = false;
  walk(scope, (node) => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name) && node.name.text === name) found = true;
  });
  return found;
}
