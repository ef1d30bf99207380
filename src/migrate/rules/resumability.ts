/** Resumable streams are gone in 2026-07-28: an `eventStore` passed to a transport is removed. */
import ts from "typescript";
import type { Migration } from "../rule.ts";
import { nodeStartingAt, offsetOf, ownLines, perFinding } from "../rule.ts";

export const resumabilityMigration: Migration = {
  rule: "resumability",
  migrate(source, findings) {
    return perFinding(findings, (finding) => {
      const node = nodeStartingAt(source, offsetOf(source, finding), (n): n is ts.PropertyAssignment | ts.ShorthandPropertyAssignment => ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n));
      // Only the property on its own line is removed; a class implementing EventStore or a
      // Last-Event-ID read needs a person to decide what replaces it.
      return node && ownLines(source, node);
    });
  },
};
