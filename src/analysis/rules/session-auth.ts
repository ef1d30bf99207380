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
      if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name) && SESSION_AUTH.test(node.name.text)) {
        report(node.name, `${node.name.text} remembers the caller per session`);
      }
    });
  },
};
