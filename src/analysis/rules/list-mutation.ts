/** Shape 4: tools/list changed by calls (enable/disable/remove, list_changed pushes). */
import ts from "typescript";
import { calleeName, walk, type Rule } from "../rule.ts";

const REGISTER = /^(registerTool|tool|registerResource|resource|registerPrompt|prompt)$/;

export const listMutation: Rule = {
  id: "list-mutation",
  prefilter: /\.(enable|disable|remove)\s*\(|send(Tool|Resource|Prompt)ListChanged/,
  fix: "run `mcp-stateless migrate` (list-mutation): register every tool always and refuse at call time with an error naming the create tool",
  analyze(source, report) {
    // Variables holding what a register call returned: the handles whose enable/disable change the list.
    const registered = new Set<string>();
    walk(source, (node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isCallExpression(node.initializer)) {
        const name = calleeName(node.initializer);
        if (name && REGISTER.test(name)) registered.add(node.name.text);
      }
    });
    walk(source, (node) => {
      if (!ts.isCallExpression(node)) return;
      const name = calleeName(node);
      if (name && /^send(Tool|Resource|Prompt)ListChanged$/.test(name)) {
        report(node, `${name}() after a call makes lists vary with what a client did`);
      } else if (name && /^(enable|disable|remove)$/.test(name) && ts.isPropertyAccessExpression(node.expression)) {
        const target = node.expression.expression;
        if (ts.isIdentifier(target) && registered.has(target.text)) {
          report(node, `${target.text}.${name}() changes tools/list as a side effect`);
        }
      }
    });
  },
};
