/**
 * What the routing configured on its transports that createMcpHandler takes as options, so it
 * does not go with them: the errors hook (`transport.onerror = (error) => log(error)`) becomes
 * its `onerror`, for the errors it meets out of band, rather than go quiet; and answers never
 * streamed (`enableJsonResponse: true`) its `responseMode: "json"`, since such a server often
 * sits behind a host or proxy that does not pass SSE through, where createMcpHandler's default
 * would stream any call that logs or reports progress. Pure: it reads the code and returns the
 * options' text.
 */
import ts from "typescript";
import { reindented } from "../indentation.ts";
import { declaredNames, indentOf, readsAny, statementOf } from "../rule.ts";
import { propertyNamed } from "../tool-input.ts";

/** createMcpHandler's options (`{ onerror: …, responseMode: "json" }`), when the transports had either. */
export function handlerOptions(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[]): string | undefined {
  const options = [errorHook(source, routers), jsonOnly(source) ? `responseMode: "json"` : undefined].filter((option) => option !== undefined);
  return options.length ? `{ ${options.join(", ")} }` : undefined;
}

/**
 * `onerror: …`, when the routers set one error hook that reads nothing of the request's (a hook
 * naming the session's transport cannot outlive it, and is left to go).
 */
function errorHook(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[]): string | undefined {
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
  return `onerror: ${text}`;
}

/** Whether every Streamable HTTP transport the file makes is told to answer in JSON alone (`enableJsonResponse: true`). */
function jsonOnly(source: ts.SourceFile): boolean {
  const answers: boolean[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && /StreamableHTTP\w*Transport$/.test(node.expression.getText(source))) {
      const [options] = node.arguments ?? [];
      const json = options && ts.isObjectLiteralExpression(options) ? propertyNamed(options, "enableJsonResponse") : undefined;
      answers.push(json !== undefined && ts.isPropertyAssignment(json) && json.initializer.kind === ts.SyntaxKind.TrueKeyword);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return answers.length > 0 && answers.every(Boolean);
}

/** `transport.onerror = (error) => …`: the function set as a transport's error hook. */
function errorHookOf(node: ts.Node): ts.Expression | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const { left, right } = node;
  if (!ts.isPropertyAccessExpression(left) || left.name.text !== "onerror" || !/transport/i.test(left.expression.getText())) return undefined;
  // A function written there, one named (`logError`, `console.error`), or one bound (`console.error.bind(console)`).
  const bound = ts.isCallExpression(right) && ts.isPropertyAccessExpression(right.expression) && right.expression.name.text === "bind";
  return ts.isArrowFunction(right) || ts.isFunctionExpression(right) || ts.isIdentifier(right) || ts.isPropertyAccessExpression(right) || bound ? right : undefined;
}
