/**
 * A CORS allow-list written for an earlier protocol: it lets a browser send `Mcp-Session-Id` or
 * `MCP-Protocol-Version` but not all the headers a 2026-07-28 client sends with every request
 * (`MCP-Protocol-Version`, and `Mcp-Method` and `Mcp-Name` since SEP-2243). The browser's
 * preflight then refuses the request before the server sees it: a stateless server that works
 * for every client but a browser one. Only explicit lists that name an MCP header (so an MCP
 * endpoint's): without a list, `cors` allows what the preflight asks for.
 */
import ts from "typescript";
import { propertyNameText, walk, type Rule } from "../rule.ts";

/** The request headers a 2026-07-28 client sends, as the lists will name them. */
export const MODERN_REQUEST_HEADERS = ["Mcp-Protocol-Version", "Mcp-Method", "Mcp-Name"];

export const corsHeaders: Rule = {
  id: "cors-headers",
  prefilter: /mcp-session-id|mcp-protocol-version/i,
  fix: "run `mcp-stateless migrate` (cors-headers): the list gets the headers a 2026-07-28 client sends",
  analyze(source, report) {
    walk(source, (node) => {
      const missing = missingFrom(node);
      if (missing?.length) report(node, `the CORS allowed headers let a browser send ${namedMcpHeader(node)} but not ${missing.join(", ")}, which a 2026-07-28 client sends with every request: its preflight is refused`);
    });
  },
};

/**
 * For an allow-list of request headers that names `Mcp-Session-Id` or `MCP-Protocol-Version`
 * (`allowedHeaders: [...]`, a comma-separated `"Content-Type, Mcp-Session-Id"`, or an
 * `Access-Control-Allow-Headers` value), the modern headers it lacks; undefined for anything else.
 */
export function missingFrom(node: ts.Node): string[] | undefined {
  const names = allowList(node);
  if (!names?.some((name) => MCP_HEADER.test(name))) return undefined;
  const have = new Set(names.map((name) => name.toLowerCase()));
  return MODERN_REQUEST_HEADERS.filter((header) => !have.has(header.toLowerCase()));
}

/** The headers that mark a list as an MCP endpoint's. */
const MCP_HEADER = /^(?:mcp-session-id|mcp-protocol-version)$/i;

/** The first MCP header the list names, as written there. */
function namedMcpHeader(node: ts.Node): string {
  return allowList(node)!.find((name) => MCP_HEADER.test(name))!;
}

function allowList(node: ts.Node): string[] | undefined {
  const holder = node.parent;
  const named = (n: ts.Node | undefined) => n !== undefined && ts.isPropertyAssignment(n) && /^(allowedHeaders|allowHeaders|access-control-allow-headers)$/i.test(propertyNameText(n.name) ?? "");
  // `allowedHeaders: ["Content-Type", "mcp-session-id"]` (cors, fastify's, hono's allowHeaders).
  if (ts.isArrayLiteralExpression(node) && named(holder) && node.elements.every(ts.isStringLiteralLike)) return node.elements.map((e) => (e as ts.StringLiteralLike).text.trim());
  if (!ts.isStringLiteralLike(node)) return undefined;
  // `allowedHeaders: "Content-Type, Mcp-Session-Id"`, or `{ "Access-Control-Allow-Headers": "…" }`.
  const headerCall = holder && ts.isCallExpression(holder) && holder.arguments[1] === node && holder.arguments[0] && ts.isStringLiteralLike(holder.arguments[0]) && /^access-control-allow-headers$/i.test(holder.arguments[0].text);
  if (named(holder) || headerCall) return node.text.split(",").map((name) => name.trim());
  return undefined;
}
