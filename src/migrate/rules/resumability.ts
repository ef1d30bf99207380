/** Resumable streams are gone in 2026-07-28: an `eventStore` passed to a transport is removed. */
import ts from "typescript";
import type { Migration } from "../rule.ts";
import { ownLines } from "../rule.ts";

export const resumabilityMigration: Migration = {
  rule: "resumability",
  migrate(source, findings) {
    const edits = [];
    const handled = [];
    for (const finding of findings) {
      const node = nodeAt(source, finding.line, finding.column);
      // Only the property on its own line is removed; a class implementing EventStore or a
      // Last-Event-ID read needs a person to decide what replaces it.
      if (node && (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node))) {
        const edit = ownLines(source, node);
        if (edit) {
          edits.push(edit);
          handled.push(finding);
        }
      }
    }
    return { edits, handled };
  },
};

function nodeAt(source: ts.SourceFile, line: number, column: number): ts.Node | undefined {
  const position = source.getPositionOfLineAndCharacter(line - 1, column - 1);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (node.getStart(source) === position && (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node))) found = node;
    else if (node.getStart(source) <= position && position < node.getEnd()) node.forEachChild(visit);
  };
  visit(source);
  return found;
}
