/**
 * mcp-handler 1.x (and @vercel/mcp-adapter before it), the Next.js adapter, runs SDK v1: it serves
 * the 2025-era protocol only, and its SSE transport kept each session in Redis. 2.x serves
 * 2026-07-28 (and 2025-era clients) without sessions, from `createMcpHandler(init, options)`: one
 * options object, no route or transport configuration. What marks a call as 1.x: the old
 * package, a third argument (the config), a config key, v1's variadic `server.tool("name", …)`,
 * or tools listed under `capabilities` (v1 took any object there; v2's type refuses it).
 */
import ts from "typescript";
import { importedCalls, importedName, propertyNameText, walk, type Rule } from "../rule.ts";

export const MCP_HANDLER = "mcp-handler";
export const VERCEL_ADAPTER = "@vercel/mcp-adapter";
/** 1.x's route and transport configuration, which 2.x has none of. */
export const CONFIG_KEYS = /^(redisUrl|basePath|streamableHttpEndpoint|sseEndpoint|sseMessageEndpoint|maxDuration|disableSse|sessionIdGenerator)$/;
/** What 2.x's options keep of 1.x's config. */
export const KEPT_CONFIG_KEYS = /^(verboseLogs|onEvent)$/;

export const mcpHandlerV1: Rule = {
  id: "mcp-handler-v1",
  prefilter: /["'](mcp-handler|@vercel\/mcp-adapter)["']/,
  fix: "run `mcp-stateless migrate` (mcp-handler-v1): mcp-handler 2.x's createMcpHandler(init, options), one options object, the route's transport configuration gone, and the tools on SDK v2",
  analyze(source, report) {
    for (const call of handlerCalls(source)) {
      if (isV1(source, call)) report(call, "mcp-handler 1.x runs SDK v1: it serves the 2025-era protocol only, its SSE sessions kept in Redis; mcp-handler 2.x serves 2026-07-28 (and 2025-era clients) without sessions");
    }
  },
};

/** Calls of the adapter's createMcpHandler, under whatever name the file imports it. */
export function handlerCalls(source: ts.SourceFile): ts.CallExpression[] {
  return importedCalls(source, [[MCP_HANDLER, "createMcpHandler"], [VERCEL_ADAPTER, "createMcpHandler"]]).map(({ call }) => call);
}

function isV1(source: ts.SourceFile, call: ts.CallExpression): boolean {
  const [init, options, config] = call.arguments;
  if (importedName(source, VERCEL_ADAPTER, "createMcpHandler") !== undefined || config !== undefined) return true;
  if (options && ts.isObjectLiteralExpression(options) && (options.properties.some((p) => CONFIG_KEYS.test(propertyNameText(p.name) ?? "")) || listedCapabilities(options).length > 0)) return true;
  return init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && usesVariadicApi(init);
}

/** `server.tool("name", …)`, `.prompt(…)`, `.resource(…)` with a name first: SDK v1's registration API. */
function usesVariadicApi(init: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const server = init.parameters[0]?.name;
  if (!server || !ts.isIdentifier(server)) return false;
  let found = false;
  walk(init, (node) => {
    found ||= ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(tool|prompt|resource)$/.test(node.expression.name.text) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === server.text && node.arguments[0] !== undefined && ts.isStringLiteralLike(node.arguments[0]);
  });
  return found;
}

/**
 * Entries under `capabilities.tools` (and prompts, resources) that are not capability flags:
 * 1.x's templates listed each tool there (`tools: { echo: { description } }`).
 */
export function listedCapabilities(options: ts.ObjectLiteralExpression): ts.ObjectLiteralElementLike[] {
  const capabilities = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyNameText(p.name) === "capabilities");
  if (!capabilities || !ts.isObjectLiteralExpression(capabilities.initializer)) return [];
  return capabilities.initializer.properties.flatMap((kind) => {
    if (!ts.isPropertyAssignment(kind) || !/^(tools|prompts|resources)$/.test(propertyNameText(kind.name) ?? "") || !ts.isObjectLiteralExpression(kind.initializer)) return [];
    return kind.initializer.properties.filter((p) => !/^(listChanged|subscribe)$/.test(propertyNameText(p.name) ?? ""));
  });
}
