/**
 * Every kind of broken spec is refused before anything is written, with its own message,
 * the spec file and line, and exit code 2.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readTree, removeProject, repoRoot, runCli, scratchProject } from "../support/project.ts";

/** A valid spec; each case below breaks one thing in it. Line numbers in the cases refer to this text. */
const VALID = `import { z } from "zod";

export default {
  name: "notes",
  handles: {
    note: {
      prefix: "nte",
      ttl: "10m",
      description: "A note being written",
      state: z.object({ text: z.string() }),
    },
  },
  tools: {
    create_note: { description: "Start a note.", creates: "note" },
    append: { description: "Add text.", uses: "note", input: z.object({ text: z.string() }) },
    discard: { description: "Throw the note away.", destroys: "note" },
  },
};
`;

function broken(from: string, to: string): string {
  if (!VALID.includes(from)) throw new Error(`test setup: "${from}" is not in the valid spec`);
  return VALID.replace(from, to);
}

const cases: Array<{ what: string; spec: string; message: string | RegExp; line: number }> = [
  {
    what: "a syntax error",
    spec: broken(`description: "Add text.",`, `description: "Add text.",,`),
    message: /syntax error: .*expected/i,
    line: 15,
  },
  {
    what: "an unknown handle kind, with a suggestion",
    spec: broken(`uses: "note"`, `uses: "notes"`),
    message: `tool "append" uses unknown handle kind "notes" (did you mean "note"?)`,
    line: 15,
  },
  {
    what: "duplicate tool names",
    spec: broken(`    discard:`, `    append: { description: "Again.", uses: "note" },\n    discard:`),
    message: `duplicate tool name "append": each must appear once`,
    line: 16,
  },
  {
    what: "a tool name outside MCP's rules",
    spec: broken(`    discard:`, `    "discard note":`),
    message: `tool name "discard note" breaks MCP's naming rule: 1–64 characters of A–Z a–z 0–9 _ - .`,
    line: 16,
  },
  {
    what: "a tool name longer than 64 characters",
    spec: broken(`    discard:`, `    ${"d".repeat(65)}:`),
    message: `breaks MCP's naming rule`,
    line: 16,
  },
  {
    what: "a handle kind that no tool creates",
    spec: broken(`create_note: { description: "Start a note.", creates: "note" }`, `create_note: { description: "Start a note." }`),
    message: `handle kind "note" is never created: add a tool with \`creates: "note"\``,
    line: 6,
  },
  {
    what: "a tool that both creates and destroys",
    spec: broken(`destroys: "note" }`, `destroys: "note", creates: "note" }`),
    message: `tool "discard" both creates and destroys a handle; split it into two tools`,
    line: 16,
  },
  {
    what: "a handle parameter that clashes with an input field",
    spec: broken(`input: z.object({ text: z.string() })`, `input: z.object({ text: z.string(), note_id: z.string() })`),
    message: `tool "append": input field "note_id" clashes with the handle parameter the generator adds for "note"`,
    line: 15,
  },
  {
    what: "a ttl that is not a duration",
    spec: broken(`ttl: "10m"`, `ttl: "10 minutes"`),
    message: `handle kind "note": ttl must be a string like "90s", "30m", "12h" or "7d", got "10 minutes"`,
    line: 8,
  },
  {
    what: "a ttl beyond the maximum",
    spec: broken(`ttl: "10m"`, `ttl: "90d"`),
    message: `handle kind "note": ttl "90d" is longer than the 30-day maximum`,
    line: 8,
  },
  {
    what: "an input that is not a zod object",
    spec: broken(`input: z.object({ text: z.string() })`, `input: z.string()`),
    message: `tool "append": input must be a zod object schema`,
    line: 15,
  },
  {
    what: "an input no example can be made for",
    spec: broken(`input: z.object({ text: z.string() })`, `input: z.object({ text: z.string().regex(/^[a-z]+$/) })`),
    message: `tool "append": no example input could be made from its schema; add \`example: { … }\``,
    line: 15,
  },
  {
    what: "an example that does not match the input",
    spec: broken(`input: z.object({ text: z.string() })`, `input: z.object({ text: z.string() }), example: { text: 5 }`),
    message: `tool "append": example does not match the input schema (text: Invalid input: expected string, received number)`,
    line: 15,
  },
  {
    what: "a parameter mirrored into a header that is not a header name",
    spec: broken(`input: z.object({ text: z.string() })`, `input: z.object({ text: z.string().meta({ "x-mcp-header": "Note Text" }) })`),
    message: `tool "append": parameter "text": x-mcp-header "Note Text" is not a header name`,
    line: 15,
  },
  {
    what: "a number mirrored into a header",
    spec: broken(`input: z.object({ text: z.string() })`, `input: z.object({ text: z.string(), size: z.number().meta({ "x-mcp-header": "Size" }) })`),
    message: `tool "append": parameter "size": x-mcp-header needs a string, an integer or a boolean, not number`,
    line: 15,
  },
  {
    what: "an expiry that is neither absolute nor sliding",
    spec: broken(`ttl: "10m",`, `ttl: "10m", expiry: "rolling",`),
    message: `handle kind "note": expiry must be "absolute" or "sliding", got "rolling"`,
    line: 8,
  },
  {
    what: "a limit that is not a positive whole number",
    spec: broken(`ttl: "10m",`, `ttl: "10m", maxPerOwner: 0,`),
    message: `handle kind "note": maxPerOwner must be a positive whole number, got 0`,
    line: 8,
  },
  {
    what: "a per-owner limit with the sealed store, which cannot count handles",
    spec: broken(`  name: "notes",`, `  name: "notes",
  store: "sealed",`).replace(`ttl: "10m",`, `ttl: "10m", maxPerOwner: 3,`),
    message: `handle kind "note": maxPerOwner cannot be enforced with the sealed store, which keeps no record of handles`,
    line: 9,
  },
  {
    what: "sliding expiry with the sealed store",
    spec: broken(`  name: "notes",`, `  name: "notes",
  stores: ["sealed"],`).replace(`ttl: "10m",`, `ttl: "10m", expiry: "sliding",`),
    message: `handle kind "note": sliding expiry cannot work with the sealed store, whose handles carry a fixed expiry`,
    line: 9,
  },
  {
    what: "a built-in tool whose name the spec already uses",
    spec: broken(`ttl: "10m",`, `ttl: "10m", destroy: true,`).replace(`    discard:`, `    destroy_note: { description: "Mine.", destroys: "note" },\n    discard:`),
    message: `handle kind "note": \`destroy: true\` generates a tool "destroy_note", but the spec already has one; drop one of them`,
    line: 8,
  },
  {
    what: "a built-in list with the sealed store",
    spec: broken(`  name: "notes",`, `  name: "notes",\n  store: "sealed",`).replace(`ttl: "10m",`, `ttl: "10m", list: true,`),
    message: `handle kind "note": the sealed store can neither list nor revoke handles, so \`list\` and \`destroy\` cannot be generated with it`,
    line: 9,
  },
  {
    what: "a list lifetime that is no duration",
    spec: broken(`  name: "notes",`, `  name: "notes",
  listTtl: "soon",`),
    message: `\`listTtl\`: must be a string like "90s", "30m", "12h" or "7d", got "soon"`,
    line: 5,
  },
  {
    what: "server scopes that are no list",
    spec: broken(`  name: "notes",`, `  name: "notes",
  scopes: "notes:read",`),
    message: `\`scopes\`: must be a list of OAuth scope names, like ["files:read"]; got "notes:read"`,
    line: 5,
  },
  {
    what: "a scope with a space in it",
    spec: broken(`destroys: "note" }`, `destroys: "note", scopes: ["notes:write", "notes delete"] }`),
    message: `tool "discard": scopes: "notes delete" is not an OAuth scope name (printable ASCII without spaces, quotes or backslashes)`,
    line: 16,
  },
  {
    what: "a scope for refresh tokens",
    spec: broken(`  name: "notes",`, `  name: "notes",
  scopes: ["offline_access"],`),
    message: `\`scopes\`: "offline_access" asks for refresh tokens`,
    line: 5,
  },
  {
    what: "a scope listed twice",
    spec: broken(`destroys: "note" }`, `destroys: "note", scopes: ["notes:write", "notes:write"] }`),
    message: `tool "discard": scopes: "notes:write" is listed twice`,
    line: 16,
  },
  {
    what: "a tool scope the server already needs of every request",
    spec: broken(`  name: "notes",`, `  name: "notes",
  scopes: ["notes:read"],`).replace(`destroys: "note" }`, `destroys: "note", scopes: ["notes:read"] }`),
    message: `tool "discard": scopes: "notes:read" is already one of the server's \`scopes\`, which every request needs; list only what this tool needs beyond them`,
    line: 17,
  },
  {
    what: "an unknown store",
    spec: broken(`  name: "notes",`, `  name: "notes",
  store: "mongo",`),
    message: `\`store\` must be one of "sqlite", "memory", "redis", "sealed", got "mongo"`,
    line: 5,
  },
  {
    what: "an unknown store among the extra stores",
    spec: broken(`  name: "notes",`, `  name: "notes",
  stores: ["redis", "dynamo"],`),
    message: `\`stores\` must list store names (sqlite, memory, redis, sealed); got ["redis","dynamo"]`,
    line: 5,
  },
  {
    what: "a name that cannot name the package",
    spec: broken(`  name: "notes",`, `  name: "My Notes",`),
    message: `\`name\` is also the package's name, and a package name uses only lowercase letters, digits and - . _ ~, and does not start with . or _: try "my-notes"`,
    line: 4,
  },
  {
    what: "handle state with no JSON form",
    spec: broken(`z.object({ text: z.string() })`, `z.object({ text: z.string(), at: z.date() })`),
    message: `handle kind "note": state has no JSON form (Date cannot be represented in JSON Schema); use JSON types`,
    line: 10,
  },
  {
    what: "tool input with no JSON form",
    spec: broken(`input: z.object({ text: z.string() })`, `input: z.object({ text: z.string(), n: z.bigint() })`),
    message: /^error: mcp\.spec\.ts:15:\d+: tool "append": input has no JSON form \(BigInt cannot be represented in JSON Schema\)[^\n]*\n?$/,
    line: 15,
  },
  {
    what: "an error in tools kept in a const of their own, at the tool's own line",
    spec: broken(`  tools: {`, `  tools,
  unused: {`).replace(`export default {`, `const tools = {
  create_note: { description: "Start a note.", creates: "notes" },
};

export default {`),
    message: `tool "create_note" creates unknown handle kind "notes" (did you mean "note"?)`,
    line: 4,
  },
  {
    what: "a spec that exports nothing",
    spec: VALID.replace("export default {", "const unused = {"),
    message: "the spec must `export default` an object",
    line: 1,
  },
];

describe("spec errors", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeProject));

  it.each(cases)("refuses $what", async ({ spec, message, line }) => {
    const dir = scratchProject({ "mcp.spec.ts": spec });
    dirs.push(dir);
    const { code, stderr } = await runCli(["generate", "--dir", dir]);
    expect(code).toBe(2);
    if (typeof message === "string") expect(stderr).toContain(message);
    else expect(stderr).toMatch(message);
    expect(stderr).toMatch(new RegExp(`mcp\\.spec\\.ts:${line}:\\d+: `));
    expect(Object.keys(readTree(dir))).toEqual(["mcp.spec.ts"]);
  });

  it("reports every problem at once", async () => {
    const spec = broken(`uses: "note"`, `uses: "nope"`).replace(`ttl: "10m"`, `ttl: "soon"`);
    const dir = scratchProject({ "mcp.spec.ts": spec });
    dirs.push(dir);
    const { code, stderr } = await runCli(["generate", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`mcp.spec.ts:8:7: handle kind "note": ttl must be`);
    expect(stderr).toContain(`mcp.spec.ts:15:41: tool "append" uses unknown handle kind "nope"`);
  });

  it("says where the spec was looked for when there is none", async () => {
    const dir = scratchProject();
    dirs.push(dir);
    const { code, stderr } = await runCli(["generate", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`no spec at ${dir}/mcp.spec.ts`);
    expect(readTree(dir)).toEqual({});
  });

  it("accepts the valid spec these cases start from", async () => {
    const dir = scratchProject({ "mcp.spec.ts": VALID });
    dirs.push(dir);
    const { code, stderr } = await runCli(["generate", "--dir", dir, "--quiet"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

// Importing the spec is the one step a test runner would do its own way: these run the CLI as
// users do, in its own Node process.
describe("a spec that fails to load", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeProject));
  const generateIn = (spec: string) => {
    const dir = scratchProject({ "mcp.spec.ts": spec });
    dirs.push(dir);
    const run = spawnSync(process.execPath, [path.join(repoRoot, "test/support/cli.mjs"), "generate", "--dir", dir], { encoding: "utf8" });
    expect(Object.keys(readTree(dir))).toEqual(["mcp.spec.ts"]);
    return { dir, code: run.status, stderr: run.stderr };
  };

  it("points at the line that threw", () => {
    const { code, stderr } = generateIn(broken(`  name: "notes",`, `  name: ((): string => { throw new TypeError("no name yet"); })(),`));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: mcp\.spec\.ts:4:\d+: the spec threw while loading: no name yet$/m);
  });

  it("names a missing local import without sending the user to npm install", () => {
    const { dir, code, stderr } = generateIn(VALID.replace(`import { z } from "zod";`, `import { z } from "zod";\nimport "./shared.ts";`));
    expect(code).toBe(2);
    expect(stderr).toContain(`mcp.spec.ts: could not be loaded: Cannot find module '${dir}/shared.ts'`);
    expect(stderr).not.toContain("npm install");
  });

  it("sends the user to npm install for a missing package", () => {
    const { code, stderr } = generateIn(VALID.replace(`import { z } from "zod";`, `import { z } from "zod";\nimport "no-such-package-here";`));
    expect(code).toBe(2);
    expect(stderr).toContain(`Cannot find package 'no-such-package-here'`);
    expect(stderr).toContain("hint: install the project's dependencies (npm install)");
  });
});
