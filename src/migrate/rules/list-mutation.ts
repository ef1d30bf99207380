/**
 * tools/list must not change with calls. A `send…ListChanged()` call is removed where it is
 * all that is left: once no tool is enabled or disabled in the file, lists cannot change, so
 * the notification announces nothing. `enable()` / `disable()` themselves stay findings: every
 * tool must then be registered always and refuse at call time with an error naming its
 * create tool, which takes knowing what the enable stood for.
 */
import ts from "typescript";
import type { Finding } from "../../analysis/rule.ts";
import type { Migration, TextEdit } from "../rule.ts";
import { ownLines } from "../rule.ts";

export const listMutationMigration: Migration = {
  rule: "list-mutation",
  migrate(source, findings) {
    const edits: TextEdit[] = [];
    const handled: Finding[] = [];
    const toggles = findings.some((f) => / \S+\.(enable|disable|remove)\(\)/.test(` ${f.message}`));
    if (toggles) return { edits, handled };
    for (const finding of findings) {
      const position = source.getPositionOfLineAndCharacter(finding.line - 1, finding.column - 1);
      const statement = statementStartingAt(source, position);
      const edit = statement && ownLines(source, statement);
      if (edit) {
        edits.push(edit);
        handled.push(finding);
      }
    }
    return { edits, handled };
  },
};

/** The expression statement whose call starts at `position` (`server.sendToolListChanged();`). */
function statementStartingAt(source: ts.SourceFile, position: number): ts.Statement | undefined {
  let found: ts.Statement | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isExpressionStatement(node) && node.getStart(source) === position && ts.isCallExpression(node.expression)) found = node;
    else if (node.getStart(source) <= position && position < node.getEnd()) node.forEachChild(visit);
  };
  visit(source);
  return found;
}
