/**
 * Handlers for messages 2026-07-28 took away. It has no `initialize` and no
 * `notifications/initialized` (each request carries the client's capabilities in its `_meta`),
 * it removed `notifications/roots/list_changed` and `logging/setLevel`, and a client subscribes
 * with `subscriptions/listen`, which the SDK answers itself, instead of `resources/subscribe`.
 * So `oninitialized` never runs for a current client, roots kept until the client says they
 * changed are never refreshed, and a subscriber list is never filled: the server works for
 * 2025-era clients and quietly not for the others. Flagged, never rewritten: what the handler did
 * belongs in the requests that need it, or in `handler.notify`, which only a person can place.
 */
import ts from "typescript";
import { calleeName, walk, type Rule } from "../rule.ts";

/** The messages a 2026-07-28 client never sends, by v1 schema name and by v2 method, with what takes their place. */
const NEVER_SENT: Record<string, { method: string; instead: string }> = {};
for (const [schema, method, instead] of [
  ["InitializedNotificationSchema", "notifications/initialized", "there is no handshake"],
  ["RootsListChangedNotificationSchema", "notifications/roots/list_changed", "roots kept until it comes are never refreshed"],
  ["SubscribeRequestSchema", "resources/subscribe", "it subscribes with subscriptions/listen, which the SDK answers; publish with handler.notify.resourceUpdated(uri)"],
  ["UnsubscribeRequestSchema", "resources/unsubscribe", "a subscriptions/listen stream ends when the client closes it"],
  ["SetLevelRequestSchema", "logging/setLevel", "each request says the level it wants"],
] as const) {
  NEVER_SENT[schema] = NEVER_SENT[method] = { method, instead };
}

export const removedMessages: Rule = {
  id: "removed-messages",
  prefilter: /oninitialized|InitializedNotification|RootsListChangedNotification|SubscribeRequest|SetLevelRequest|notifications\/(initialized|roots\/list_changed)|resources\/(un)?subscribe|logging\/setLevel/,
  fix: "do the work where it is needed: each request carries the client's capabilities (ctx.mcpReq.envelope); a tool that needs the roots asks with inputRequired(…inputRequired.listRoots()) or takes paths as parameters; resource changes go out through createMcpHandler's handler.notify (not migrated automatically)",
  analyze(source, report) {
    // A file that tells the eras apart (`ctx.mcpReq.era === …`) or publishes on the handler's notifier
    // serves current clients their own way: its 2025-era handlers are there on purpose, as in the SDK's examples.
    if (/\bera\s*[!=]==|\.notify\b/.test(source.text)) return;
    walk(source, (node) => {
      // `server.server.oninitialized = …`
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === "oninitialized") {
        report(node.left.name, "oninitialized runs on notifications/initialized, which a 2026-07-28 client never sends (there is no handshake)");
      } else if (ts.isCallExpression(node) && /^set(Request|Notification)Handler$/.test(calleeName(node) ?? "")) {
        const [first] = node.arguments;
        const key = first && (ts.isStringLiteralLike(first) ? first.text : ts.isIdentifier(first) ? first.text : undefined);
        const removed = key === undefined ? undefined : NEVER_SENT[key];
        if (removed) report(first!, `a handler for ${removed.method}, which a 2026-07-28 client never sends (${removed.instead})`);
      }
    });
  },
};
