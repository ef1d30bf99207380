/**
 * What the routing told each transport to do with its errors (`transport.onerror = (error) =>
 * log(error)`) goes with the transport; createMcpHandler takes the same callback as its `onerror`
 * option, for the errors it meets out of band, so the hook moves there rather than go quiet.
 * Pure: it reads the routers and returns the option's text.
 */
import ts from "typescript";
import { reindented } from "../indentation.ts";
import { declaredNames, indentOf, readsAny, statementOf } from "../rule.ts";

/**
 * `{ onerror: … }` for createMcpHandler, when the routers set one error hook that reads nothing of
 * the request's (a hook naming the session's transport cannot outlive it, and is left to go).
 */
export function transportErrorHook(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[]): string | undefined {
  const hooks = new Map<string, string>();
  for (const router of routers) {
    const visit = (node: ts.Node) => {
      const hook = errorHookOf(node);
      if (hook) {
        // What the router declares, but not what the hook declares for itself, belongs to the request.
        const own = declaredNames(hook);
        const requests = new Set([...declaredNames(router)].filter((name) => !own.has(name)));
        // Its later lines move from where its statement stood to the margin, where the handler is declared.
        if (!readsAny([hook], requests)) hooks.set(hook.getText(source), reindented(source, hook.getStart(source), hook.getEnd(), indentOf(source, statementOf(hook)), ""));
      }
      node.forEachChild(visit);
    };
    visit(router);
  }
  if (hooks.size !== 1) return undefined;
  const [text] = hooks.values();
  return `{ onerror: ${text} }`;
}

/** `transport.onerror = (error) => …`: the function set as a transport's error hook. */
function errorHookOf(node: ts.Node): ts.ArrowFunction | ts.FunctionExpression | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const { left, right } = node;
  if (!ts.isPropertyAccessExpression(left) || left.name.text !== "onerror" || !/transport/i.test(left.expression.getText())) return undefined;
  return ts.isArrowFunction(right) || ts.isFunctionExpression(right) ? right : undefined;
}
