/** Shape 2: resumable streams (event stores, Last-Event-ID), which need a session to resume. */
import ts from "typescript";
import { inCorsHeaderList, propertyNameText, walk, type Rule } from "../rule.ts";

export const resumability: Rule = {
  id: "resumability",
  prefilter: /eventStore|EventStore|last-event-id|replayEventsAfter/i,
  fix: "run `mcp-stateless migrate` (resumability): resumable streams are gone in 2026-07-28; remove the event store",
  analyze(source, report) {
    walk(source, (node) => {
      if (ts.isPropertyAssignment(node) && propertyNameText(node.name) === "eventStore") {
        report(node, "an eventStore makes streams resumable per session");
      } else if (ts.isShorthandPropertyAssignment(node) && node.name.text === "eventStore") {
        report(node, "an eventStore makes streams resumable per session");
      } else if (ts.isStringLiteralLike(node) && node.text.toLowerCase() === "last-event-id" && !inCorsHeaderList(node)) {
        report(node, "reads Last-Event-ID to resume a session's stream");
      } else if (ts.isClassDeclaration(node) && node.heritageClauses?.some((h) => h.types.some((t) => /EventStore/.test(t.expression.getText(source))))) {
        report(node.name ?? node, "implements an EventStore for resumable streams");
      }
    });
  },
};
