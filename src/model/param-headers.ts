/**
 * `x-mcp-header` (2026-07-28, Streamable HTTP "Custom Headers from Tool Parameters"): a tool's
 * input schema may ask clients to mirror a parameter into an `Mcp-Param-{Name}` header, so that
 * a load balancer or gateway can route on it without reading the body. A client must drop a
 * tool whose declaration breaks the spec's rules, with no more than a warning in its log, so
 * `generate` refuses such a spec instead, naming the parameter and the rule.
 */
import type { JsonSchema } from "./model.ts";

const KEY = "x-mcp-header";

/** RFC 9110's `token`: what a header's name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The types a mirrored parameter may have: `number` is excluded by the spec (a header cannot carry every float exactly). */
const HEADER_TYPES = ["string", "integer", "boolean"];

/** Keywords whose subschemas hold a map of names to schemas, rather than one schema or a list. */
const SCHEMA_MAPS = new Set(["patternProperties", "dependentSchemas", "$defs", "definitions"]);
const SUBSCHEMAS = [
  "items",
  "prefixItems",
  "contains",
  "additionalProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "propertyNames",
  "anyOf",
  "allOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  ...SCHEMA_MAPS,
];

/** A parameter mirrored into `Mcp-Param-{header}`: where it sits in the arguments, and its JSON type. */
export interface ParamHeader {
  header: string;
  path: string[];
  type: string;
}

/**
 * What is wrong with the `x-mcp-header` declarations of one input schema, each as a sentence
 * naming the parameter (`region`, `filter.region`). Empty when there are none, or all are right.
 */
export function paramHeaderProblems(inputSchema: JsonSchema): string[] {
  return scanParamHeaders(inputSchema).problems;
}

/** The declarations of one input schema that keep the rules, and what is wrong with the others. */
export function scanParamHeaders(inputSchema: JsonSchema): { declarations: ParamHeader[]; problems: string[] } {
  const declarations: ParamHeader[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();

  const visit = (schema: unknown, path: string[], reachable: boolean): void => {
    if (typeof schema !== "object" || schema === null) return;
    const node = schema as Record<string, unknown>;
    if (KEY in node) {
      const where = path.length ? `parameter "${path.join(".")}"` : "the input itself";
      const name = node[KEY];
      if (!reachable || path.length === 0) {
        problems.push(`${where}: x-mcp-header is allowed only on a property reached through \`properties\` alone (not in an array, a union, a record or a $ref)`);
      } else if (typeof name !== "string" || !TOKEN.test(name)) {
        problems.push(`${where}: x-mcp-header ${JSON.stringify(name)} is not a header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
      } else {
        const type = typeof node.type === "string" ? node.type : undefined;
        const earlier = seen.get(name.toLowerCase());
        if (!type || !HEADER_TYPES.includes(type)) problems.push(`${where}: x-mcp-header needs a string, an integer or a boolean, not ${type ?? "a schema without one type"}`);
        else if (!earlier) declarations.push({ header: name, path, type });
        if (earlier) problems.push(`${where}: x-mcp-header "${name}" is already the header of parameter "${earlier}" (header names ignore case)`);
        else seen.set(name.toLowerCase(), path.join("."));
      }
    }
    const properties = node.properties;
    if (typeof properties === "object" && properties !== null) {
      for (const [key, property] of Object.entries(properties)) visit(property, [...path, key], reachable);
    }
    for (const keyword of SUBSCHEMAS) {
      const sub = node[keyword];
      if (typeof sub !== "object" || sub === null) continue;
      const branches = Array.isArray(sub) ? sub : SCHEMA_MAPS.has(keyword) ? Object.values(sub) : [sub];
      for (const branch of branches) visit(branch, path, false);
    }
  };

  visit(inputSchema, [], true);
  return { declarations, problems };
}

/** The value at `path` in a call's arguments (undefined where there is none). */
export function valueAt(args: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = args;
  for (const key of path) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** Whether an argument is one a client mirrors into its header (null, absent or an object is not sent). */
export function isHeaderValue(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** An argument as a client writes it into its header: plain when it is visible ASCII without edge spaces, else Base64 in the spec's sentinel. */
export function headerValue(value: unknown): string {
  const text = String(value);
  const plain = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(text) && !/^=\?base64\?.*\?=$/.test(text);
  return plain ? text : `=?base64?${Buffer.from(text).toString("base64")}?=`;
}

/** A header that disagrees with the argument `value`: another value of its type, written as a client writes it. */
export function disagreeingHeader(value: unknown): string {
  if (typeof value === "boolean") return String(!value);
  if (typeof value === "number") return String(value + 1);
  return headerValue(value === "mcp-stateless-check" ? "mcp-stateless-check-2" : "mcp-stateless-check");
}
