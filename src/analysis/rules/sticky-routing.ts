/** Shape 8: gateways and sticky routing (a durable object or a relay per session). Flagged, never rewritten. */
import ts from "typescript";
import { calleeName, SESSION_ID, walk, type Rule } from "../rule.ts";

export const stickyRouting: Rule = {
  id: "sticky-routing",
  prefilter: /idFromName|sticky|affinity/i,
  fix: "route by handle or principal, or drop the affinity: any instance must be able to answer any request (not migrated automatically)",
  analyze(source, report) {
    walk(source, (node) => {
      if (ts.isCallExpression(node) && calleeName(node) === "idFromName" && node.arguments.some((a) => SESSION_ID.test(a.getText(source)))) {
        report(node, "a durable object per session pins a client to one instance");
      } else if ((ts.isStringLiteralLike(node) && /sticky|affinity/i.test(node.text)) || (ts.isIdentifier(node) && /sticky|affinity/i.test(node.text) && ts.isVariableDeclaration(node.parent))) {
        report(node, "sticky routing pins a client to one instance");
      }
    });
  },
};
