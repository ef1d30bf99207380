/**
 * Cloudflare's agents package has two MCP handlers. `createMcpHandler(server)` from `agents/mcp`,
 * given a server instance, is its SDK v1 handler: sessionful, 2025-era only, and deprecated.
 * `createMcpHandler(factory)` from `agents/mcp/server` builds an SDK v2 server per request and
 * serves 2026-07-28 (and 2025-era clients) without sessions. Importing anything from `agents/mcp`
 * also loads SDK v1, which a migrated project no longer has: its handler and `getMcpAuthContext`
 * come from `agents/mcp/server`. A file that keeps an McpAgent stays on `agents/mcp` (mcp-agent).
 */
import ts from "typescript";
import { importedCalls, importedName, nearestDeclaration, type Rule } from "../rule.ts";

export const AGENTS_V1 = "agents/mcp";
export const AGENTS_SERVER = "agents/mcp/server";
/** agents/mcp's handlers: the current one and the two names it had before. */
export const V1_HANDLERS = ["createMcpHandler", "experimental_createMcpHandler", "createLegacyMcpHandler"];
/** What agents/mcp/server exports under the same names as agents/mcp. */
export const SERVER_EXPORTS = new Set(["createMcpHandler", "getMcpAuthContext", "McpAuthContext", "CreateMcpHandlerOptions"]);

export const agentsHandler: Rule = {
  id: "agents-handler",
  prefilter: /["']agents\/mcp["']/,
  fix: "run `mcp-stateless migrate` (agents-handler): createMcpHandler from agents/mcp/server, handed a function that builds the server (SDK v2) for each request",
  analyze(source, report) {
    const calls = v1HandlerCalls(source);
    for (const call of calls) {
      report(call, `agents' ${call.expression.getText(source)}(server) serves an SDK v1 server with sessions, the 2025 protocol only (deprecated); given a function that builds an SDK v2 server, createMcpHandler from agents/mcp/server serves each request in both eras`);
    }
    // Beside an McpAgent, agents/mcp stays (mcp-agent says why); elsewhere it loads SDK v1 for nothing.
    const declaration = importFromV1(source);
    if (declaration && calls.length === 0 && !importedName(source, AGENTS_V1, "McpAgent")) {
      report(declaration, "agents/mcp loads SDK v1 (for McpAgent), which a project on SDK v2 does not have; agents/mcp/server exports createMcpHandler and getMcpAuthContext without it");
    }
  },
};

/** An import from agents/mcp that agents/mcp/server has too (a handler, under any of its names, or the auth context). */
export function movesToServer(element: ts.ImportSpecifier): boolean {
  const exported = (element.propertyName ?? element.name).text;
  return SERVER_EXPORTS.has(exported) || V1_HANDLERS.includes(exported);
}

/** The file's import from agents/mcp of names agents/mcp/server also exports, if any. */
export function importFromV1(source: ts.SourceFile): ts.ImportDeclaration | undefined {
  return source.statements.find((s): s is ts.ImportDeclaration => {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text !== AGENTS_V1) return false;
    const bindings = s.importClause?.namedBindings;
    return !!bindings && ts.isNamedImports(bindings) && bindings.elements.some(movesToServer);
  });
}

/** Calls of agents/mcp's handlers handed a server rather than a function that builds one. */
export function v1HandlerCalls(source: ts.SourceFile): ts.CallExpression[] {
  return importedCalls(source, V1_HANDLERS.map((name) => [AGENTS_V1, name] as const))
    .map(({ call }) => call)
    .filter((call) => call.arguments[0] && !isFunction(source, call.arguments[0]));
}

/**
 * `() => …`, `function …`, a name the file gives a function, or one it imports that is named
 * as a function that makes something is (`createServer`, `buildMcpServer`, `getServer`).
 */
function isFunction(source: ts.SourceFile, expression: ts.Expression): boolean {
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return true;
  if (!ts.isIdentifier(expression)) return false;
  const name = expression.text;
  if (source.statements.some((s) => ts.isFunctionDeclaration(s) && s.name?.text === name)) return true;
  const declaration = nearestDeclaration(expression);
  if (!declaration) return /^(create|build|make|get|new)[A-Z]/.test(name);
  const initializer = declaration.initializer;
  return !!initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer));
}
