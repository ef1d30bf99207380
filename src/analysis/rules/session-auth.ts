/** Shape 6: who the caller is, remembered per session instead of read from each request. */
import ts from "typescript";
import { walk, type Rule } from "../rule.ts";

const SESSION_AUTH = /session\w*(user|auth|principal|identit|token|account)|(user|auth|principal|identit|token|account)\w*(by|per|for)session/i;

export const sessionAuth: Rule = {
  id: "session-auth",
  prefilter: SESSION_AUTH,
  fix: "run `mcp-stateless migrate` (session-auth): read the caller from each request (ctx.http?.authInfo) instead",
  analyze(source, report) {
    walk(source, (node) => {
      if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name) && SESSION_AUTH.test(node.name.text) && remembers(node)) {
        report(node.name, `${node.name.text} remembers the caller per session`);
      }
    });
  },
};

/**
 * A declaration that keeps something for later: a collection (`new Map()`, `{}`, `[]`), a
 * Map or Record type, or nothing yet (assigned once the caller is known). Not a value worked out
 * where it is declared (`const sessionToken = generateRandomString(32)`, a bearer token minted
 * for the response), which is the request's own.
 */
function remembers(declaration: ts.VariableDeclaration | ts.PropertyDeclaration): boolean {
  const value = declaration.initializer;
  if (!value) return true;
  if (ts.isNewExpression(value) || ts.isObjectLiteralExpression(value) || ts.isArrayLiteralExpression(value)) return true;
  const type = declaration.type;
  return type !== undefined && ts.isTypeReferenceNode(type) && /^(Map|WeakMap|Record)$/.test(type.typeName.getText());
}
