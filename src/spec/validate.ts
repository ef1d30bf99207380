/**
 * Checks a loaded spec value completely, before anything is generated, and returns every
 * problem found (not just the first) with the place in the spec file it comes from.
 */
import type { Problem } from "../errors.ts";
import { didYouMean, typoHint } from "./did-you-mean.ts";
import { parseDuration } from "./duration.ts";
import type { SpecSource } from "./source.ts";
import { builtinToolName, handleParamName, identifierFor, packageNameProblem, suggestPackageName } from "./names.ts";

/** MCP's rule for tool names. */
export const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Kinds become parameter names (`<kind>_id`) and TypeScript type names. */
export const KIND_NAME = /^[a-z][a-z0-9_]{0,39}$/;
export const PREFIX = /^[a-z][a-z0-9]{0,11}$/;
const ROLES = ["creates", "uses", "destroys"] as const;
export const STORES = ["sqlite", "memory", "redis", "sealed"] as const;
export const TRANSPORTS = ["http", "stdio"] as const;

type Json = Record<string, unknown>;

export function validateSpec(value: unknown, source: SpecSource): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string[], message: string) => problems.push({ message, at: source.locate(path) });

  if (!isRecord(value)) {
    report([], "the spec must `export default` an object with `name`, `handles` and `tools`");
    return problems;
  }
  if (typeof value.name !== "string" || value.name.trim() === "") report(["name"], "`name` must be a non-empty string");
  else if (packageNameProblem(value.name)) {
    report(["name"], `\`name\` is also the package's name, and ${packageNameProblem(value.name)}: try "${suggestPackageName(value.name)}"`);
  }
  if (value.version !== undefined && typeof value.version !== "string") report(["version"], "`version` must be a string");
  if (value.store !== undefined && !STORES.includes(value.store as never)) {
    report(["store"], `\`store\` must be one of ${STORES.map((s) => `"${s}"`).join(", ")}, got ${JSON.stringify(value.store)}${typoHint(String(value.store), STORES)}`);
  }
  if (value.stores !== undefined) {
    const list = value.stores;
    if (!Array.isArray(list) || list.some((t) => !STORES.includes(t))) {
      report(["stores"], `\`stores\` must list store names (${STORES.join(", ")}); got ${JSON.stringify(list)}`);
    }
  }
  if (value.transports !== undefined) {
    const list = value.transports;
    if (!Array.isArray(list) || list.length === 0 || list.some((t) => !TRANSPORTS.includes(t)) || new Set(list).size !== list.length) {
      report(["transports"], `\`transports\` must list "http", "stdio" or both, each once; got ${JSON.stringify(list)}`);
    }
  }

  if (value.listTtl !== undefined) {
    const ttl = parseDuration(value.listTtl);
    if ("error" in ttl) report(["listTtl"], `\`listTtl\`: ${ttl.error.replace(/^ttl /, "")}`);
  }

  if (value.scopes !== undefined) {
    for (const problem of scopeProblems(value.scopes)) report(["scopes"], `\`scopes\`: ${problem}`);
  }

  const handles = value.handles ?? {};
  const tools = value.tools;
  if (!isRecord(handles)) report(["handles"], "`handles` must be an object of handle kinds");
  if (!isRecord(tools) || Object.keys(tools).length === 0) {
    report(["tools"], "`tools` must be an object with at least one tool");
  }
  for (const duplicate of source.duplicateKeys) {
    const what = duplicate.section === "tools" ? "tool" : "handle kind";
    problems.push({ message: `duplicate ${what} name "${duplicate.name}": each must appear once`, at: duplicate.at });
  }
  if (!isRecord(handles) || !isRecord(tools)) return problems;

  const kinds = Object.keys(handles);
  // Sealed handles live only in the client's hands: nothing can count them or restart their clock.
  const sealed = value.store === "sealed" || (Array.isArray(value.stores) && value.stores.includes("sealed"));
  const prefixes = new Map<string, string>();
  for (const [kind, handle] of Object.entries(handles)) {
    const here = ["handles", kind];
    if (!KIND_NAME.test(kind)) {
      report(here, `handle kind "${kind}" must be lowercase letters, digits and _ (starting with a letter, at most 40)`);
    }
    if (!isRecord(handle)) {
      report(here, `handle kind "${kind}" must be an object with prefix, ttl, description and state`);
      continue;
    }
    if (typeof handle.prefix !== "string" || !PREFIX.test(handle.prefix)) {
      report([...here, "prefix"], `handle kind "${kind}": prefix must be 1–12 lowercase letters or digits, starting with a letter (like "conn")`);
    } else if (prefixes.has(handle.prefix)) {
      report([...here, "prefix"], `handle kind "${kind}": prefix "${handle.prefix}" is already used by "${prefixes.get(handle.prefix)}"; prefixes tell kinds apart, so each must be unique`);
    } else {
      prefixes.set(handle.prefix, kind);
    }
    const ttl = parseDuration(handle.ttl);
    if ("error" in ttl) report([...here, "ttl"], `handle kind "${kind}": ${ttl.error}`);
    if (!nonEmptyString(handle.description)) report([...here, "description"], `handle kind "${kind}": description must be a non-empty string`);
    if (!isZodSchema(handle.state)) report([...here, "state"], `handle kind "${kind}": state must be a zod schema, like z.object({ … })`);
    if (handle.expiry !== undefined && handle.expiry !== "absolute" && handle.expiry !== "sliding") {
      report([...here, "expiry"], `handle kind "${kind}": expiry must be "absolute" or "sliding", got ${JSON.stringify(handle.expiry)}`);
    }
    for (const builtin of ["list", "destroy"] as const) {
      const wanted = handle[builtin];
      if (wanted !== undefined && typeof wanted !== "boolean") report([...here, builtin], `handle kind "${kind}": ${builtin} must be true or false`);
      const tool = builtinToolName(builtin, kind);
      if (wanted === true && isRecord(tools) && Object.hasOwn(tools, tool)) {
        report([...here, builtin], `handle kind "${kind}": \`${builtin}: true\` generates a tool "${tool}", but the spec already has one; drop one of them`);
      }
    }
    if (sealed && (handle.list === true || handle.destroy === true)) {
      report([...here, handle.list === true ? "list" : "destroy"], `handle kind "${kind}": the sealed store can neither list nor revoke handles, so \`list\` and \`destroy\` cannot be generated with it`);
    }
    if (sealed && handle.maxPerOwner !== undefined) {
      report([...here, "maxPerOwner"], `handle kind "${kind}": maxPerOwner cannot be enforced with the sealed store, which keeps no record of handles`);
    }
    if (sealed && handle.expiry === "sliding") {
      report([...here, "expiry"], `handle kind "${kind}": sliding expiry cannot work with the sealed store, whose handles carry a fixed expiry`);
    }
    for (const limit of ["maxPerOwner", "maxStateBytes"] as const) {
      const n = handle[limit];
      if (n !== undefined && !(typeof n === "number" && Number.isInteger(n) && n > 0)) {
        report([...here, limit], `handle kind "${kind}": ${limit} must be a positive whole number, got ${JSON.stringify(n)}`);
      }
    }
  }

  const created = new Set<string>();
  const identifiers = new Map<string, string>();
  for (const [name, tool] of Object.entries(tools)) {
    const here = ["tools", name];
    if (!TOOL_NAME.test(name)) {
      report(here, `tool name "${name}" breaks MCP's naming rule: 1–64 characters of A–Z a–z 0–9 _ - .`);
    } else {
      // Tool names become file names and identifiers, which must not collide either.
      const id = identifierFor(name).toLowerCase();
      const other = identifiers.get(id);
      if (other) report(here, `tool names "${other}" and "${name}" differ only in case or punctuation; their handler files would collide`);
      identifiers.set(id, name);
    }
    if (!isRecord(tool)) {
      report(here, `tool "${name}" must be an object with at least a description`);
      continue;
    }
    if (!nonEmptyString(tool.description)) report([...here, "description"], `tool "${name}": description must be a non-empty string`);
    for (const key of ["input", "output"] as const) {
      if (tool[key] !== undefined && !isZodObject(tool[key])) {
        report([...here, key], `tool "${name}": ${key} must be a zod object schema, like z.object({ … })`);
      }
    }
    for (const role of ROLES) {
      const kind = tool[role];
      if (kind === undefined) continue;
      if (typeof kind !== "string" || !Object.hasOwn(handles, kind)) {
        report([...here, role], `tool "${name}" ${role} unknown handle kind ${JSON.stringify(kind)}${didYouMean(String(kind), kinds)}`);
      } else if (role === "creates") {
        created.add(kind);
      }
    }
    if (tool.creates !== undefined && tool.destroys !== undefined) {
      report([...here, "destroys"], `tool "${name}" both creates and destroys a handle; split it into two tools`);
    }
    if (tool.uses !== undefined && tool.destroys !== undefined) {
      report([...here, "uses"], `tool "${name}" both uses and destroys a handle; \`destroys\` alone already gives the handler the state`);
    }
    if (tool.scopes !== undefined) {
      for (const problem of scopeProblems(tool.scopes)) report([...here, "scopes"], `tool "${name}": scopes: ${problem}`);
      const everywhere = Array.isArray(tool.scopes) && Array.isArray(value.scopes) ? tool.scopes.find((scope) => (value.scopes as unknown[]).includes(scope)) : undefined;
      if (everywhere !== undefined) report([...here, "scopes"], `tool "${name}": scopes: ${JSON.stringify(everywhere)} is already one of the server's \`scopes\`, which every request needs; list only what this tool needs beyond them`);
    }
    const consumed = (tool.uses ?? tool.destroys) as unknown;
    const inputShape = shapeOf(tool.input);
    if (typeof consumed === "string" && inputShape && Object.hasOwn(inputShape, handleParamName(consumed))) {
      report([...here, "input"], `tool "${name}": input field "${handleParamName(consumed)}" clashes with the handle parameter the generator adds for "${consumed}"; rename the field`);
    }
    const outputShape = shapeOf(tool.output);
    if (typeof tool.creates === "string" && outputShape && Object.hasOwn(outputShape, handleParamName(tool.creates))) {
      report([...here, "output"], `tool "${name}": output field "${handleParamName(tool.creates)}" clashes with the handle the generator returns for "${tool.creates}"; rename the field`);
    }
  }
  for (const kind of kinds) {
    if (!created.has(kind) && KIND_NAME.test(kind)) {
      report(["handles", kind], `handle kind "${kind}" is never created: add a tool with \`creates: "${kind}"\``);
    }
  }
  return problems;
}

/** OAuth's scope-token (RFC 6749 §3.3): printable ASCII but space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** What is wrong with a list of OAuth scopes, each problem in words; none for a good list. */
export function scopeProblems(scopes: unknown): string[] {
  if (!Array.isArray(scopes)) return [`must be a list of OAuth scope names, like ["files:read"]; got ${JSON.stringify(scopes)}`];
  const problems: string[] = [];
  for (const scope of scopes) {
    if (typeof scope !== "string" || !SCOPE_TOKEN.test(scope)) {
      problems.push(`${JSON.stringify(scope)} is not an OAuth scope name (printable ASCII without spaces, quotes or backslashes)`);
    } else if (scope === "offline_access") {
      problems.push(`"offline_access" asks for refresh tokens, which are the client's business, not something this server needs; the MCP authorization spec says servers should not ask for it`);
    }
  }
  const repeated = scopes.filter((scope, i) => scopes.indexOf(scope) !== i);
  if (repeated.length > 0) problems.push(`${JSON.stringify(repeated[0])} is listed twice`);
  return problems;
}

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function nonEmptyString(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "";
}
/** Zod 4 schemas carry their definition under `_zod`; checked structurally so any zod copy works. */
function isZodSchema(value: unknown): boolean {
  return isRecord(value) && isRecord(value._zod) && isRecord(value._zod.def);
}
function isZodObject(value: unknown): boolean {
  return isZodSchema(value) && (value as { _zod: { def: Json } })._zod.def.type === "object";
}
function shapeOf(value: unknown): Json | undefined {
  return isZodObject(value) ? ((value as { shape: Json }).shape ?? undefined) : undefined;
}
