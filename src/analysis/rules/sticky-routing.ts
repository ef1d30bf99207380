/** Shape 8: gateways and sticky routing (a durable object or a relay per session). Flagged, never rewritten. */
import ts from "typescript";
import { calleeName, SESSION_ID, walk, type Rule } from "../rule.ts";

/**
 * A setting or value that is about routing: `sticky`, `sticky-sessions`, `sessionAffinity`,
 * `stickiness` (as balancers and orchestrators name it). The words alone are not enough:
 * "stickynotes" or `position: "sticky"` are about something else.
 */
const ROUTING_NAME = /^(sticky|sticky[-_ ]?(sessions?|routing|cookies?)|stickiness|(session|client)[-_ ]?affinity|affinity)$/i;
const ROUTING_VALUE = /^(sticky|sticky[-_ ]?(sessions?|routing|cookies?)|(session|client)[-_ ]?affinity)$/i;

export const stickyRouting: Rule = {
  id: "sticky-routing",
  prefilter: /idFromName|sticky|affinity/i,
  fix: "route by handle or principal, or drop the affinity: any instance must be able to answer any request (not migrated automatically)",
  analyze(source, report) {
    walk(source, (node) => {
      if (ts.isCallExpression(node) && calleeName(node) === "idFromName" && node.arguments.some((a) => SESSION_ID.test(a.getText(source)))) {
        report(node, "a durable object per session pins a client to one instance");
      } else if (isRoutingValue(node) || isRoutingName(node)) {
        report(node, "sticky routing pins a client to one instance");
      }
    });
  },
};

/** A string that names sticky routing, except as a CSS position. */
function isRoutingValue(node: ts.Node): boolean {
  if (!ts.isStringLiteralLike(node) || !ROUTING_VALUE.test(node.text)) return false;
  let holder = node.parent;
  while (ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder) || ts.isParenthesizedExpression(holder)) holder = holder.parent;
  return !(ts.isPropertyAssignment(holder) && holder.name.getText() === "position");
}

/** A variable or property named for sticky routing (`stickySessions`, `sessionAffinity: …`). */
function isRoutingName(node: ts.Node): boolean {
  if (!ts.isIdentifier(node)) return false;
  const named = (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent)) && node.parent.name === node;
  return named && ROUTING_NAME.test(node.text);
}
