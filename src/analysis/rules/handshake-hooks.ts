/**
 * Code that waits for the handshake: 2026-07-28 has no `initialize` and no
 * `notifications/initialized` (each request carries the client's capabilities in its `_meta`),
 * and it removed `notifications/roots/list_changed`. So `oninitialized` never runs for a
 * current client, and roots kept until the client says they changed are never refreshed: the
 * server works for 2025-era clients and quietly not for the others. Flagged, never rewritten:
 * what the hook did belongs in the requests that need it, which only a person can place (and
 * the roots themselves are no longer the server's to ask for mid-call: see server-requests).
 */
import ts from "typescript";
import { calleeName, walk, type Rule } from "../rule.ts";

/** The notifications a 2026-07-28 client never sends, by schema name (v1) and by method (v2). */
const NEVER_SENT: Record<string, string> = {
  InitializedNotificationSchema: "notifications/initialized",
  "notifications/initialized": "notifications/initialized",
  RootsListChangedNotificationSchema: "notifications/roots/list_changed",
  "notifications/roots/list_changed": "notifications/roots/list_changed",
};

export const handshakeHooks: Rule = {
  id: "handshake-hooks",
  prefilter: /oninitialized|InitializedNotification|RootsListChangedNotification|notifications\/(initialized|roots\/list_changed)/,
  fix: "do the work in the requests that need it: each request carries the client's capabilities (ctx.mcpReq.envelope), and a tool that needs the roots asks for them with inputRequired(…inputRequired.listRoots()) or takes paths as parameters (not migrated automatically)",
  analyze(source, report) {
    walk(source, (node) => {
      // `server.server.oninitialized = …`
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === "oninitialized") {
        report(node.left.name, "oninitialized runs on notifications/initialized, which a 2026-07-28 client never sends (there is no handshake)");
      } else if (ts.isCallExpression(node) && calleeName(node) === "setNotificationHandler") {
        const [first] = node.arguments;
        const key = first && (ts.isStringLiteralLike(first) ? first.text : ts.isIdentifier(first) ? first.text : undefined);
        const method = key === undefined ? undefined : NEVER_SENT[key];
        if (method) report(first!, `a handler for ${method}, which a 2026-07-28 client never sends${method.includes("roots") ? " (roots kept until it comes are never refreshed)" : " (there is no handshake)"}`);
      }
    });
  },
};
