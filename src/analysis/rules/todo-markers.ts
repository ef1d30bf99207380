/** Markers `migrate --insert-todos` leaves where it could not migrate: each one still to do. */
import { type Rule } from "../rule.ts";

/** The marker comment, on its own line: `// TODO(mcp-stateless): <rule>: <what to do>`. */
export const MARKER = "TODO(mcp-stateless)";

export const todoMarkers: Rule = {
  id: "todo-marker",
  prefilter: /TODO\(mcp-stateless\)/,
  fix: "do what the marker says, then delete the marker",
  analyze(source, report) {
    const text = source.text;
    for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + 1)) {
      const end = text.indexOf("\n", at);
      report(at, text.slice(at + MARKER.length, end === -1 ? undefined : end).replace(/^:\s*/, "").trim() || "left by migrate");
    }
  },
};
