/**
 * migrate on fixture pairs (test/fixtures/migrate/<rule>): the output compared exactly, a
 * second run changing nothing, the negative case left alone, malformed input reported; and
 * the command's promises: markers once, dry runs, JSON, and a dirty git tree refused.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import ts from "typescript";
import { analyzeText } from "../../src/analysis/analyze.ts";
import { migrateText } from "../../src/migrate/engine.ts";
import { currentPointerMigration } from "../../src/migrate/rules/current-pointer.ts";
import { upgradeManifest } from "../../src/migrate/manifest.ts";
import { importedTexts, orphanedModules } from "../../src/migrate/relative-imports.ts";
import { zodOwnJsonSchema } from "../../src/migrate/zod-json-schema.ts";
import { importedDemands, typedResults } from "../../src/migrate/result-types.ts";
import { notesStanding, upgradeFromV1 } from "../../src/migrate/sdk-v1.ts";
import { readTree, removeProject, repoRoot, runCli, scratchProject } from "../support/project.ts";

const fixtures = path.join(repoRoot, "test/fixtures/migrate");
const read = (...parts: string[]) => readFileSync(path.join(fixtures, ...parts), "utf8");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeProject));

/** Migrates a text that must come out unchanged, and gives the distinct to-dos left (of one rule, or all). */
function reasonsLeft(text: string, rule?: string): string[] {
  const result = migrateText("server.ts", text, { insertTodos: false });
  expect(result.after).toBeUndefined();
  return [...new Set(result.findings.filter((f) => rule === undefined || f.rule === rule).map((f) => f.fix))];
}

/** Every `<case>.input.ts` in a rule's folder, with its `<case>.expected.ts`. */
const RULE_CASES = ["transport-routing", "resumability", "session-state", "current-pointer", "list-mutation", "session-push", "session-auth", "session-telemetry", "legacy-entry", "express-mcp-handler", "agents-handler", "mcp-handler-v1", "shared-server", "factory-state", "cors-headers", "server-requests", "capability-gate"].flatMap((rule) =>
  readdirSync(path.join(fixtures, rule))
    .filter((name) => name.endsWith(".input.ts"))
    .map((name) => [rule, name.replace(".input.ts", "")] as const),
);

describe.each(RULE_CASES)("the %s rewrite, case %s", (rule, name) => {
  it("turns the input into the expected output exactly, and a second run changes nothing", () => {
    const first = migrateText("input.ts", read(rule, `${name}.input.ts`), { insertTodos: false });
    expect(first.error).toBeUndefined();
    expect(first.applied).toContain(rule);
    expect(first.after).toBeDefined();
    expect(first.after!.length).toBeGreaterThan(0);
    if (process.env.UPDATE_GOLDEN) writeFileSync(path.join(fixtures, rule, `${name}.expected.ts`), first.after!);
    expect(first.after).toBe(read(rule, `${name}.expected.ts`));
    expect(first.findings).toEqual([]);
    const second = migrateText("input.ts", first.after!, { insertTodos: false });
    expect(second.after).toBeUndefined();
    expect(second.findings).toEqual([]);
  });

  it("writes the strings it adds in the file's quotes", () => {
    const input = read(rule, `${name}.input.ts`);
    // The same input in single quotes (the fixtures' strings hold no quote of either kind).
    const single = migrateText("input.ts", input.replaceAll('"', "'"), { insertTodos: false });
    expect(single.after).toBeDefined();
    expect(single.after!.split("\n").filter((line) => line.includes('"'))).toEqual([]);
  });

  it("leaves out the semicolons it would add when the file does", () => {
    const bare = read(rule, `${name}.input.ts`).replace(/;$/gm, "");
    const result = migrateText("input.ts", bare, { insertTodos: false });
    expect(result.after).toBeDefined();
    expect(result.after!.split("\n").filter((line) => /;\s*(\/\/.*)?$/.test(line) && !/^\s*(\*|\/\/)/.test(line))).toEqual([]);
  });

  it("indents the code it adds by the file's own unit", () => {
    // The same input indented by four spaces a level instead of two.
    const wide = read(rule, `${name}.input.ts`).replace(/^( +)/gm, (spaces) => spaces.repeat(2));
    const result = migrateText("input.ts", wide, { insertTodos: false });
    expect(result.after).toBeDefined();
    const offBeat = result.after!.split("\n").filter((line) => !/^\s*\*/.test(line) && /^ */.exec(line)![0].length % 4 !== 0);
    expect(offBeat).toEqual([]);
  });

  it("reports malformed input without a crash", () => {
    const result = migrateText("broken.ts", read(rule, `${name}.input.ts`).replace("{", "{{"), { insertTodos: false });
    expect(result.error).toMatch(/^does not parse \(\d+:\d+: /);
    expect(result.after).toBeUndefined();
  });
});

describe.each(["transport-routing", "resumability", "session-state", "current-pointer", "list-mutation", "session-push", "session-auth", "session-telemetry", "legacy-entry", "express-mcp-handler", "agents-handler", "mcp-handler-v1", "shared-server", "factory-state", "cors-headers", "server-requests", "capability-gate"])("the %s rewrite", (rule) => {
  it("leaves its negative case alone", () => {
    const result = migrateText("negative.ts", read(rule, "negative.ts"), { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.applied).toEqual([]);
  });
});

describe("state a session's server was built from", () => {
  const server = (tool: string) =>
    [
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import * as z from "zod";`,
      `class Tally { values: number[] = []; }`,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `function buildServer(tally: Tally) {`,
      `  const server = new McpServer({ name: "tally", version: "1.0.0" });`,
      tool,
      `  return server;`,
      `}`,
      `export async function route(req: any, res: any) {`,
      `  let transport = transports[req.headers["mcp-session-id"]];`,
      `  if (!transport) {`,
      `    const tally = new Tally();`,
      `    transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => "s", onsessioninitialized: (id) => { transports[id] = transport; } });`,
      `    await buildServer(tally).connect(transport);`,
      `  }`,
      `  await transport.handleRequest(req, res, req.body);`,
      `}`,
      ``,
    ].join("\n");

  it("moves behind handles when only tools read it", () => {
    const result = migrateText("server.ts", server(`  server.registerTool("count", { description: "Count." }, async () => ({ content: [{ type: "text", text: String(tally.values.length) }] }));`), { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`const tallyHandles = new HandleMap<Tally>("tally", { createTool: "create_tally" });`);
    expect(result.after).toContain(`async (ctx) => tallyHandles.create(ctx, new Tally())`);
  });

  it("moves behind handles when a tool asks whether it is there (`!tally` reads it)", () => {
    const guarded = `  server.registerTool("count", { description: "Count." }, async () => {\n    if (!tally) throw new Error("no tally");\n    return { content: [{ type: "text", text: String(tally.values.length) }] };\n  });`;
    const result = migrateText("server.ts", server(guarded), { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`const tallyHandles = new HandleMap<Tally>("tally", { createTool: "create_tally" });`);
  });

  it("keeps the imports it adds above the map it declares, when the factory follows the imports", () => {
    const text = server(`  server.registerTool("count", { description: "Count." }, async () => ({ content: [{ type: "text", text: String(tally.values.length) }] }));`);
    // The factory first: the class and the transports map after it.
    const [imports, rest] = [text.split("\n").slice(0, 3), text.split("\n").slice(3)];
    const factoryFirst = [...imports, ...rest.slice(2, 7), ...rest.slice(0, 2), ...rest.slice(7)].join("\n");
    const result = migrateText("server.ts", factoryFirst, { insertTodos: false });
    expect(result.findings).toEqual([]);
    const lines = result.after!.split("\n");
    expect(lines.findIndex((l) => l.startsWith("const tallyHandles"))).toBeGreaterThan(lines.findIndex((l) => l.startsWith("import { HandleMap }")));
  });

  it("stays when a resource reads it, and says why once for the run of findings", async () => {
    // Read by a resource, not a tool: no tool call to take a handle in, so it cannot move.
    const perSession = server(`  server.registerResource("tally", "tally://values", {}, async (uri) => ({ contents: [{ uri: uri.href, text: tally.values.join(",") }] }));`);
    const result = migrateText("server.ts", perSession, { insertTodos: false });
    expect(result.after).toBeUndefined();
    const routing = result.findings.filter((f) => f.rule === "transport-routing");
    expect(routing.length).toBeGreaterThan(1);
    for (const f of routing) expect(f.fix).toMatch(/^each session's server is built by buildServer\(tally\), which hands it state that lived as long as the session; give that state a handle first/);

    const dir = scratchProject({ "server.ts": perSession });
    dirs.push(dir);
    const { stdout } = await runCli(["migrate", "--dry-run", path.join(dir, "server.ts")]);
    expect(stdout.match(/to do: each session's server is built by buildServer\(tally\)/g)).toHaveLength(1);
    expect(stdout).toMatch(/transport-routing  [^\n]*\n[^\n]*transport-routing/);
  });

  it("gives a tool that reads it and a current connection both handles, and one context parameter", () => {
    const both = server(
      [
        `  let currentConnection: { query(sql: string): string } | undefined;`,
        `  server.registerTool("connect", { description: "Open.", inputSchema: z.object({ file: z.string() }) }, async ({ file }) => {`,
        `    currentConnection = { query: (sql: string) => file + sql };`,
        `    return { content: [{ type: "text", text: "open" }] };`,
        `  });`,
        `  server.registerTool("count", { description: "Count." }, async () => ({ content: [{ type: "text", text: String(tally.values.length) + currentConnection?.query("x") }] }));`,
      ].join("\n"),
    );
    const result = migrateText("server.ts", both, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain("async ({ tally_id, connection_id }, ctx) => {");
  });

  it("stays, with the reason, when a tool declares a name of the state's own", () => {
    const shadowed = server(`  server.registerTool("count", { description: "Count.", inputSchema: z.object({ tally: z.string() }) }, async ({ tally }) => ({ content: [{ type: "text", text: tally }] }));`);
    const result = migrateText("server.ts", shadowed, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.filter((f) => f.rule === "transport-routing").every((f) => f.fix.startsWith("each session's server is built by buildServer(tally)"))).toBe(true);
  });
});

describe("session-keyed state left in place", () => {
  const server = (body: string[]) =>
    [`import { McpServer } from "@modelcontextprotocol/server";`, `import * as z from "zod";`, `const carts = new Map<string, string[]>();`, `const totals = new Map<string, number>();`, `export function build(server: McpServer) {`, ...body, `}`, ``].join("\n");
  const tool = `  server.registerTool("add", { inputSchema: z.object({ sku: z.string() }) }, async ({ sku }, ctx) => {\n    carts.set(ctx.sessionId!, [sku]);\n    return { content: [] };\n  });`;

  it("says why: two maps keyed by one session", () => {
    const both = server([tool.replace("return { content: [] };", "totals.set(ctx.sessionId!, 1);\n    return { content: [] };")]);
    const result = migrateText("server.ts", both, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(new Set(result.findings.map((f) => f.fix))).toEqual(new Set([expect.stringMatching(/^carts and totals are keyed by one session, and one handle should stand for both: keep them as one map of an object, so it stays keyed by session/)]));
  });

  it("says why: a map also read outside a tool", () => {
    const resource = `  server.registerResource("cart", "cart://mine", {}, async (uri, ctx) => ({ contents: [{ uri: uri.href, text: String(carts.get(ctx.sessionId!)) }] }));`;
    const result = migrateText("server.ts", server([tool, resource]), { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.length).toBe(2);
    for (const f of result.findings) expect(f.fix).toMatch(/^carts is also read by session outside a tool \(a resource, a prompt, routing\)/);
  });
});

describe("a session id read in a low-level request handler", () => {
  it("is left with a reason of its own: the request has no session behind it", () => {
    const handler = [
      `import { Server } from "@modelcontextprotocol/server";`,
      `declare const tasks: { createTask(name: string, sessionId?: string): string };`,
      `export function register(server: Server) {`,
      `  server.setRequestHandler("tools/call", async (request, extra) => ({ content: [{ type: "text", text: tasks.createTask(request.params.name, extra.sessionId) }] }));`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(handler, "session-state")).toEqual([expect.stringMatching(/^this session id is read in a request handler \(setRequestHandler\), where a 2026-07-28 request has no session/)]);
  });

  it("keying a map is left saying so, not that the map is read outside a tool", () => {
    const handler = [
      `import { Server } from "@modelcontextprotocol/server";`,
      `const carts = new Map<string, string[]>();`,
      `export function register(server: Server) {`,
      `  server.setRequestHandler("tools/call", async (request, extra) => {`,
      `    const cart = carts.get(extra.sessionId!) ?? [];`,
      `    return { content: [{ type: "text", text: cart.join(", ") }] };`,
      `  });`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(handler, "session-state")).toEqual([
      "carts is keyed by session in a request handler (setRequestHandler), whose tools this rewrite cannot give a handle parameter (registerTool's it can), and where a 2026-07-28 request has no session: the id is undefined there for every current client, so it stays keyed by session: give it a handle by hand (a create_* tool returns an id, each tool that reads it takes the id), or make it fit, then run migrate again",
    ]);
  });
});

describe("a session id read in a helper the tools call", () => {
  it("is left saying the helper reads it off the context it is handed, not that routing reads it", () => {
    const helper = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `const agents = new Map<string, string>();`,
      `function agentFor(extra: { sessionId?: string }): string {`,
      `  return extra.sessionId ? agents.get(extra.sessionId) ?? "anonymous" : "anonymous";`,
      `}`,
      `export const whoami = (extra: { sessionId?: string }) => ({ content: [{ type: "text" as const, text: agentFor(extra) }] });`,
      `export function register(server: McpServer) {`,
      `  server.registerTool("whoami", {}, async (_args, ctx) => whoami(ctx));`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(helper, "session-state")).toEqual([
      expect.stringMatching(/^this session id is read in agentFor\(\) off the context it is handed, not in a registerTool callback/),
      expect.stringMatching(/^agents is keyed by session in agentFor\(\), which is handed a context \(its extra\) instead of being a registerTool callback/),
    ]);
  });
});

describe("a current pointer left in place", () => {
  it("says why: it points at an object, and the tool that sets it answers in a shape it cannot add a handle to", () => {
    const pointer = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import * as z from "zod";`,
      `let currentConnection: { query(sql: string): string[] } | undefined;`,
      `export function build(server: McpServer, open: (file: string) => { query(sql: string): string[] }) {`,
      `  server.registerTool("connect", { inputSchema: z.object({ file: z.string() }) }, async ({ file }) => {`,
      `    currentConnection = open(file);`,
      `    const answer = { content: [] };`,
      `    return answer;`,
      `  });`,
      `  server.registerTool("query", { inputSchema: z.object({ sql: z.string() }) }, async ({ sql }) => ({ content: [{ type: "text", text: currentConnection!.query(sql).join() }] }));`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", pointer, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.length).toBeGreaterThan(0);
    for (const f of result.findings.filter((f) => f.rule === "current-pointer")) expect(f.fix).toMatch(/^currentConnection points at something other than a string \(an object, a connection\), which a handle must stand for, and the tool that sets it is not one it can make return the handle/);
  });
});

describe("a current pointer kept on a shared object, left in place", () => {
  const input = read("current-pointer", "property.input.ts");
  const leftWith = (text: string) => reasonsLeft(text, "current-pointer");
  const reason = (why: string) => [expect.stringMatching(new RegExp(`^state\\.currentProject is a pointer kept on an object; it stays because ${why}`))];

  it("says why when the object is used whole, so not every reader is in sight", () => {
    expect(leftWith(input.replace("return server;", "inspect(state);\n  return server;").replace("export function", "declare function inspect(value: unknown): void;\nexport function"))).toEqual(reason("state is used whole"));
  });

  it("says why when the object is exported", () => {
    expect(leftWith(input.replace("const state:", "export const state:"))).toEqual(reason("state is exported"));
  });

  it("says why when the pointer starts with a value", () => {
    expect(leftWith(input.replace("  calls: 0,", '  currentProject: "site",\n  calls: 0,'))).toEqual(reason("currentProject starts with a value"));
  });

  it("says why when nothing says the pointer is a string", () => {
    expect(leftWith(input.replace("currentProject?: string;", "currentProject?: { name: string };"))).toEqual(reason("it does not say the pointer is a string"));
  });

  it("says why when the object is the instance that registers the tools (this.currentX)", () => {
    const onThis = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import * as z from "zod";`,
      `export class Projects {`,
      `  private currentProject?: string;`,
      `  constructor(server: McpServer) {`,
      `    server.registerTool("open_project", { inputSchema: z.object({ name: z.string() }) }, async ({ name }) => {`,
      `      this.currentProject = name;`,
      `      return { content: [] };`,
      `    });`,
      `    server.registerTool("tasks", {}, async () => ({ content: [{ type: "text", text: String(this.currentProject) }] }));`,
      `  }`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", onThis, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^this\.currentProject is a pointer kept on an object; it stays because that object is the instance that registers the tools/)]);
  });

  it("says why when only a setter is in sight", () => {
    const setterOnly = input.replace(/\n  server\.registerTool\("list_tasks"[\s\S]*?\n  }\);\n/, "\n");
    expect(setterOnly).not.toContain("list_tasks");
    expect(leftWith(setterOnly)).toEqual(reason("it is set or read outside tools or inside an expression, or not both set and read by tools"));
  });
});

describe("a current connection made a handle", () => {
  const pointer = (setter: string[]) =>
    [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import * as z from "zod";`,
      `let currentConnection: { query(sql: string): string } | undefined;`,
      `export function build(server: McpServer, open: (file: string) => { query(sql: string): string }) {`,
      `  server.registerTool("connect", { description: "Open a database.", inputSchema: z.object({ file: z.string() }) }, async ({ file }) => {`,
      ...setter,
      `  });`,
      `  server.registerTool("query", { description: "Run SQL.", inputSchema: z.object({ sql: z.string() }) }, async ({ sql }) => ({ content: [{ type: "text", text: currentConnection?.query(sql) ?? "connect first" }] }));`,
      `}`,
      ``,
    ].join("\n");

  it("keeps an error answered before the connection is made as it was", () => {
    const result = migrateText("server.ts", pointer([`    if (!file) return { content: [{ type: "text", text: "no file" }], isError: true };`, `    currentConnection = open(file);`, `    return { content: [{ type: "text", text: "connected" }] };`]), { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`    if (!file) return { content: [{ type: "text", text: "no file" }], isError: true };\n    const made = connectionHandles.create(ctx, open(file));`);
    expect(result.after).toContain(`return { content: [{ type: "text", text: "connected" }, ...made.content], structuredContent: made.structuredContent };`);
  });

  it("makes one handle a tool: a second pointer the same tool sets stays, with the reason", () => {
    const two = pointer([`    currentConnection = open(file);`, `    currentReplica = open(file);`, `    return { content: [{ type: "text", text: "connected" }] };`])
      .replace("| undefined;", "| undefined;\nlet currentReplica: { query(sql: string): string } | undefined;")
      .replace(`currentConnection?.query(sql) ?? "connect first"`, `currentConnection?.query(sql) ?? currentReplica?.query(sql) ?? "connect first"`);
    const result = migrateText("server.ts", two, { insertTodos: false });
    expect(result.after).toBeDefined();
    expect(result.after!.match(/const made = /g)).toHaveLength(1);
    // Said on the pass that meets it; the next pass finds the tool with an output schema of its own.
    expect(result.findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^currentReplica points at something other than a string .* no outputSchema of its own\), so it stays: make it a create_\* tool/)]);
    const first = currentPointerMigration.migrate(ts.createSourceFile("server.ts", two, ts.ScriptTarget.Latest, true), analyzeText("server.ts", two).findings.filter((f) => f.rule === "current-pointer"), { handleRuntime: "./handle-map.js", parameterised: new Set() });
    expect(first.unmovedEach?.map(([f, why]) => `${f.line} ${why}`)).toEqual([expect.stringMatching(/^\d+ currentReplica is set by a tool that already makes another pointer's handle here, and one tool makes one handle, so it stays/)]);
  });

  it("gives a reader of two pointers both handles, over two passes, and one context parameter", () => {
    const two = pointer([`    currentConnection = open(file);`, `    return { content: [{ type: "text", text: "connected" }] };`])
      .replace("| undefined;", "| undefined;\nlet currentReplica: { query(sql: string): string } | undefined;")
      .replace(`  server.registerTool("query"`, `  server.registerTool("replicate", { description: "Open a replica.", inputSchema: z.object({ file: z.string() }) }, async ({ file }) => {\n    currentReplica = open(file);\n    return { content: [{ type: "text", text: "replica" }] };\n  });\n  server.registerTool("query"`)
      .replace(`currentConnection?.query(sql) ?? "connect first"`, `currentConnection?.query(sql) ?? currentReplica?.query(sql) ?? "connect first"`);
    const result = migrateText("server.ts", two, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain("async ({ sql, connection_id, replica_id }, ctx) => {");
  });

  it("gives a reader the null it checked for when the pointer was `T | null`", () => {
    const nullable = pointer([`    currentConnection = open(file);`, `    return { content: [{ type: "text", text: "connected" }] };`]).replace("| undefined;", "| null = null;");
    const result = migrateText("server.ts", nullable, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain("const currentConnection = connectionHandles.get(connectionHandles.open(connection_id, ctx)) ?? null;");
  });

  it("is not made when an answer before it is no error, which the handle's output schema would refuse", () => {
    const result = migrateText("server.ts", pointer([`    if (file === "none") return { content: [{ type: "text", text: "nothing to do" }] };`, `    currentConnection = open(file);`, `    return { content: [{ type: "text", text: "connected" }] };`]), { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.some((f) => f.rule === "current-pointer")).toBe(true);
  });
});

describe("a module-level server connected per request, left in place", () => {
  const input = read("legacy-entry", "module-server.input.ts");
  const leftWith = (text: string) => reasonsLeft(text);

  it("says why when other modules use the one instance", () => {
    expect(leftWith(input.replace("const server =", "export const server ="))).toEqual([expect.stringMatching(/^server is exported, so other modules use the one instance/)]);
  });

  it("says why when something else uses it (a shutdown hook closing it), naming the line", () => {
    const hooked = input.replace("app.listen(3000);", `process.on("SIGINT", () => void server.close());\napp.listen(3000);`);
    const line = hooked.split("\n").findIndex((l) => l.startsWith("process.on")) + 1;
    expect(leftWith(hooked)).toEqual([expect.stringMatching(new RegExp(`^server is used on line ${line} \\(\`process\\.on\\(.*\\) besides registering its tools`))]);
  });

  it("says why when the request handler keeps a use of it outside the routing", () => {
    const logged = input.replace("  try {", "  console.log(server.isConnected());\n  try {");
    expect(leftWith(logged)).toEqual([expect.stringMatching(/^its request handler uses server besides connecting it to the transport/)]);
  });

  it("says why when it is handed to a function it cannot follow (imported, or doing more than register)", () => {
    const helper = read("legacy-entry", "module-server-helper.input.ts");
    const imported = helper.replace(/function registerTools[\s\S]*?\n}\n/, "").replace('import * as z from "zod";', 'import { registerTools } from "./tools.js";');
    const line = imported.split("\n").indexOf("registerTools(server);") + 1;
    expect(leftWith(imported)).toEqual([expect.stringMatching(new RegExp(`^server is handed on line ${line} \\(\`registerTools\\(server\\);\`\\) to a function that does more with it than register`))]);
    const keeps = helper.replace("function registerTools(target: McpServer) {", "const kept: McpServer[] = [];\nfunction registerTools(target: McpServer) {\n  kept.push(target);");
    expect(leftWith(keeps)).toEqual([expect.stringMatching(/^server is handed on line \d+ .* to a function that does more with it than register/)]);
  });

  it("moves a registration only with its own lines", () => {
    const shared = input.replace("const app = express();", "const app = express(); server.registerTool(\"late\", {}, async () => ({ content: [] }));");
    expect(leftWith(shared)).toEqual([expect.stringMatching(/^a statement making or registering on server shares its lines with other code/)]);
  });
});

describe("a server made once by a function the file calls", () => {
  // Every session connected to the one server `buildServer()` made at module level.
  const routing = (head: string[]) =>
    [
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      ...head,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `export async function route(req: any, res: any) {`,
      `  let transport = transports[req.headers["mcp-session-id"]];`,
      `  if (!transport) {`,
      `    transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { transports[id] = transport!; } });`,
      `    await server.connect(transport);`,
      `  }`,
      `  await transport.handleRequest(req, res, req.body);`,
      `}`,
      ``,
    ].join("\n");
  const builder = (extra = "") => [`import { McpServer } from "@modelcontextprotocol/server";`, `export function buildServer() {`, `  const server = new McpServer({ name: "echo", version: "1.0.0" });`, `  server.registerTool("echo", {}, async () => ({ content: [] }));`, ...(extra ? [extra] : []), `  return server;`, `}`, ``].join("\n");
  const imported = routing([`import { buildServer } from "./build.js";`, `const server = buildServer();`]);
  const migrate = (text: string, modules: Record<string, string> = {}) => migrateText("server.ts", text, { insertTodos: false, importedText: (specifier) => modules[specifier] });

  it("hands that function to the handler when it only builds a server: declared in the file or imported from one the run read", () => {
    const local = routing([builder().replace(`import { McpServer } from "@modelcontextprotocol/server";\nexport `, `import { McpServer } from "@modelcontextprotocol/server";\n`), `const server = buildServer();`]);
    // Its registrations may be made in a loop or a branch of nothing but registrations.
    const looped = builder(`  for (const name of ["a", "b"]) {\n    if (name) server.registerTool(name, {}, async () => ({ content: [] }));\n  }`);
    for (const [text, modules] of [[local, {}], [imported, { "./build.js": builder() }], [imported, { "./build.js": looped }]] as const) {
      const result = migrate(text, modules);
      expect(result.findings).toEqual([]);
      expect(result.after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(buildServer));");
      expect(result.after).not.toContain("const server = buildServer();");
    }
  });

  it("builds a factory around the call when the file registers more on the server", () => {
    const more = imported.replace("const server = buildServer();", `const server = buildServer();\nserver.registerTool("ping", {}, async () => ({ content: [] }));`);
    const result = migrate(more, { "./build.js": builder() });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`function createMcpServer() {\n  const server = buildServer();\n  server.registerTool("ping", {}, async () => ({ content: [] }));\n  return server;\n}`);
    expect(result.after).toContain("createMcpHandler(createMcpServer)");
  });

  it("says why when the function does more than build, comes from a module the run did not read, or from a package", () => {
    const reason = (text: string, modules: Record<string, string> = {}) => {
      const result = migrate(text, modules);
      expect(result.after).toBeUndefined();
      return [...new Set(result.findings.filter((f) => f.rule === "transport-routing").map((f) => f.fix))];
    };
    expect(reason(imported, { "./build.js": builder("  setInterval(() => void server.sendLoggingMessage({ level: \"info\", data: \"tick\" }), 1000);") })).toEqual([
      expect.stringMatching(/^server is made once, by buildServer\(\), and served to every request: buildServer does more than build the server \(`setInterval\(.*`\), so calling it per request might not do what calling it once did/),
    ]);
    const counted = builder(`  for (const name of ["a", "b"]) {\n    server.registerTool(name, {}, async () => ({ content: [] }));\n    registered++;\n  }`);
    expect(reason(imported, { "./build.js": counted })).toEqual([expect.stringMatching(/: buildServer does more than build the server \(`for \(const name of \["a", "b"\]\) \{`\)/)]);
    expect(reason(imported)).toEqual([expect.stringMatching(/^server is made once, by buildServer\(\), and served to every request, and buildServer comes from \.\/build\.js, which this run did not read: run migrate on that module too/)]);
    expect(reason(imported.replace(`"./build.js"`, `"@acme/mcp-tools"`))).toEqual([expect.stringMatching(/: buildServer comes from the package @acme\/mcp-tools, so calling it per request/)]);
  });

  // A Next.js app's lib/mcp.ts often makes the one server its API routes import.
  const instance = routing([`import { server } from "./mcp.js";`]);
  const made = (exported = `export const server = buildServer();`) => `${builder()}${exported}\n`;

  it("hands the handler the function an imported server was made by, imported from the same module", () => {
    const result = migrate(instance, { "./mcp.js": made() });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`import { buildServer } from "./mcp.js";`);
    expect(result.after).not.toContain("import { server }");
    expect(result.after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(buildServer));");
  });

  it("says why when the imported server's maker does more than build, is not exported, there is none, or the server is used otherwise", () => {
    const reason = (text: string, module: string) => {
      const result = migrate(text, { "./mcp.js": module });
      expect(result.after).toBeUndefined();
      return [...new Set(result.findings.filter((f) => f.rule === "transport-routing").map((f) => f.fix))];
    };
    expect(reason(instance, made().replace("  return server;", "  setInterval(() => void server.sendLoggingMessage({ level: \"info\", data: \"tick\" }), 1000);\n  return server;"))).toEqual([
      expect.stringMatching(/^server is made once in \.\/mcp\.js, by buildServer\(\), and served to every request: buildServer does more than build the server/),
    ]);
    expect(reason(instance, made().replace("export function buildServer", "function buildServer"))).toEqual([expect.stringMatching(/and that module does not export buildServer: export it/)]);
    // Made there with new, its tools registered at that module's top level: that module has no function to hand on.
    const direct = `import { McpServer } from "@modelcontextprotocol/server";\nexport const server = new McpServer({\n  name: "direct",\n  version: "1.0.0",\n});\nserver.registerTool("ping", {}, async () => ({ content: [] }));\n`;
    expect(reason(instance, direct)).toEqual([expect.stringMatching(/^server is made once in \.\/mcp\.js \(`server = new McpServer\(…\)` at its top level\) and served to every request: there, build it in an exported function/)]);
    const closed = instance.replace("export async function route", `process.on("SIGTERM", () => void server.close());\nexport async function route`);
    expect(reason(closed, made())).toEqual([expect.stringMatching(/^server is used on line \d+ \(`process\.on\("SIGTERM", \(\) => void server\.close\(\)\);`\) besides registering its tools/)]);
    // A module of the project the run did not read (importedText answers null for it).
    const unread = migrateText("server.ts", instance, { insertTodos: false, importedText: (specifier) => (specifier === "./mcp.js" ? null : undefined) });
    expect([...new Set(unread.findings.filter((f) => f.rule === "transport-routing").map((f) => f.fix))]).toEqual([expect.stringMatching(/^server is imported from \.\/mcp\.js, which this run did not read: run migrate on that module too/)]);
  });
});

describe("one stateless transport for every request, made in main()", () => {
  const entry = [
    `import express from "express";`,
    `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
    `import { buildServer } from "./build.js";`,
    `async function main() {`,
    `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
    `  await buildServer().connect(transport);`,
    `  const app = express();`,
    `  app.use(express.json());`,
    `  app.post("/mcp", (req, res) => transport.handleRequest(req, res, req.body));`,
    `  app.listen(3000);`,
    `}`,
    `main();`,
    ``,
  ].join("\n");
  const build = `import { McpServer } from "@modelcontextprotocol/server";\nexport const buildServer = () => new McpServer({ name: "b", version: "1" });\n`;

  it("goes, with its connect, and the route hands its requests to one handler built from the function that made the server", () => {
    const result = migrateText("server.ts", entry, { insertTodos: false, importedText: (specifier) => (specifier === "./build.js" ? build : undefined) });
    expect(result.findings).toEqual([]);
    expect(result.after).not.toMatch(/NodeStreamableHTTPServerTransport|connect\(/);
    expect(result.after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(buildServer));");
    expect(result.after).toContain(`  app.post("/mcp", (req, res) => mcpHandler(req, res, req.body));`);
  });

  it("stays, saying to run on the module too, when the run did not read where that function is", () => {
    expect(reasonsLeft(entry, "legacy-entry")).toEqual([expect.stringMatching(/^transport serves the one server buildServer\(\) made, and a handler would call buildServer per request, and buildServer comes from \.\/build\.js, which this run did not read/)]);
  });
});

describe("a stdio entry connecting a wrapper around the server", () => {
  const entry = (made: string) =>
    [
      `import { StdioServerTransport } from "@modelcontextprotocol/server";`,
      `import { initProxy } from "./init.js";`,
      `declare class OpenApiProxy {`,
      `  connect(transport: StdioServerTransport): Promise<void>;`,
      `}`,
      `const proxy = ${made};`,
      `await proxy.connect(new StdioServerTransport());`,
      ``,
    ].join("\n");
  const init = (returned: string) => `import { McpServer } from "@modelcontextprotocol/server";\nexport async function initProxy(spec: string) {\n  const made = ${returned};\n  return made;\n}\n`;
  const migrate = (text: string, module?: string) => migrateText("server.ts", text, { insertTodos: false, importedText: (specifier) => (specifier === "./init.js" ? module : undefined) });

  it("stays, naming the class, where the file makes it or a function of the project returns it", () => {
    const made = migrate(entry("new OpenApiProxy()"));
    expect(made.after).toBeUndefined();
    expect(made.findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^proxy is an instance of OpenApiProxy, not a server .*`serveStdio\(\(\) => proxy\.server\)`/)]);
    const returned = migrate(entry(`await initProxy("spec.json")`), init(`new OpenApiProxy(spec)`));
    expect(returned.findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^proxy is an instance of OpenApiProxy \(what initProxy returns\), not a server/)]);
  });

  it("is served where the class extends McpServer or comes from a package, and asks for its module where the run did not read it", () => {
    const toolkit = (head: string) => [`import { StdioServerTransport } from "@modelcontextprotocol/server";`, head, `const toolkit = new Toolkit({ token: "t" });`, `await toolkit.connect(new StdioServerTransport());`, ``].join("\n");
    const fromModule = (module?: string | null) => migrateText("server.ts", toolkit(`import { Toolkit } from "./toolkit.js";`), { insertTodos: false, importedText: (specifier) => (specifier === "./toolkit.js" ? module : undefined) });
    // A monorepo's toolkit package whose class is the server, as a published server's entry has it.
    expect(migrateText("server.ts", toolkit(`import { Toolkit } from "@acme/agent-toolkit/mcp";`), { insertTodos: false }).after).toContain("serveStdio(() => toolkit);");
    expect(migrateText("server.ts", toolkit(`import { McpServer } from "@modelcontextprotocol/server";\nclass Toolkit extends McpServer {}`), { insertTodos: false }).after).toContain("serveStdio(() => toolkit);");
    expect(fromModule(`import { McpServer } from "@modelcontextprotocol/server";\nexport class Toolkit extends McpServer {}\n`).after).toContain("serveStdio(() => toolkit);");
    expect(fromModule(`export class Toolkit {\n  connect(transport: unknown) {}\n}\n`).findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^toolkit is an instance of Toolkit, not a server/)]);
    expect(fromModule(null).findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^toolkit is an instance of Toolkit, from \.\/toolkit\.js, which this run did not read: run migrate on that module too/)]);
  });

  it("is served where the function returns a server, or cannot be read", () => {
    expect(migrate(entry(`await initProxy("spec.json")`), init(`new McpServer({ name: "p", version: "1" })`)).after).toContain("serveStdio(() => proxy);");
    expect(migrate(entry(`await initProxy("spec.json")`)).after).toContain("serveStdio(() => proxy);");
  });
});

describe("a stdio entry connecting what is typed only by its connect", () => {
  // A runner generic over whatever it is handed, as a server library's stdio runner is.
  const runner = (server: string) =>
    [
      `import { StdioServerTransport } from "@modelcontextprotocol/server";`,
      `import type { McpServer } from "@modelcontextprotocol/server";`,
      `type Connectable = { connect(transport: StdioServerTransport): Promise<void> };`,
      `export class StdioRunner<TServer extends { connect(transport: StdioServerTransport): Promise<void> }> {`,
      `  constructor(private readonly server: ${server}) {}`,
      `  async start(): Promise<void> {`,
      `    await this.server.connect(new StdioServerTransport());`,
      `  }`,
      `}`,
      ``,
    ].join("\n");

  it("stays, naming the type, where it is a type parameter or an object type (written there or declared) with a connect", () => {
    expect(reasonsLeft(runner("TServer"), "legacy-entry")).toEqual([expect.stringMatching(/^this\.server is typed TServer, a type parameter, any object with a connect of its own .*type this\.server as McpServer/)]);
    expect(reasonsLeft(runner("{ connect(transport: StdioServerTransport): Promise<void> }"), "legacy-entry")).toEqual([expect.stringMatching(/^this\.server is typed as an object type, any object with a connect/)]);
    expect(reasonsLeft(runner("Connectable"), "legacy-entry")).toEqual([expect.stringMatching(/^this\.server is typed Connectable, an object type, any object with a connect/)]);
  });

  it("is served where it is typed as a server", () => {
    expect(migrateText("runner.ts", runner("McpServer"), { insertTodos: false }).after).toContain("serveStdio(() => this.server);");
  });

  it("leaves the entry that hands such a runner its transport, saying where serveStdio goes", () => {
    const entry = [`import { StdioServerTransport } from "@modelcontextprotocol/server";`, `import { StdioRunner } from "./runner.js";`, `const transport = new StdioServerTransport();`, `await new StdioRunner().start(transport);`, ``].join("\n");
    expect(reasonsLeft(entry, "legacy-entry")).toEqual([expect.stringMatching(/^by hand: where that code connects its server to the transport, serve it with serveStdio/)]);
  });
});

describe("state a server factory keeps, left in place", () => {
  const input = read("factory-state", "basic.input.ts");
  const leftWith = (text: string) => reasonsLeft(text);

  it("keeps a value the tools reassign as { value }, so that a handle's state is changed in place", () => {
    const counted = input.replace("const notebook = new Map<string, string>();", "let written = 0;").replace("notebook.set(title, text);", "written++;").replaceAll("notebook.size", "written").replace("notebook.get(title)", "String(written)");
    // read_note's body is one expression, where its use could not be rewritten: it stays.
    expect(leftWith(counted)).toEqual([expect.stringMatching(/^written is used outside its tools, in a tool whose body is one expression while tools reassign it/)]);
    const blocky = counted.replace(/async \(\{ title \}\) => \(\{\n    content: (.*)\n  \}\)\);/, "async ({ title }) => {\n    return { content: $1 };\n  });");
    expect(blocky).not.toBe(counted);
    const result = migrateText("server.ts", blocky, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`const writtenHandles = new HandleMap<{ value: number }>("written", { createTool: "create_written" });`);
    expect(result.after).toContain("async (ctx) => writtenHandles.create(ctx, { value: 0 })");
    expect(result.after).toContain("    written.value++;\n");
    expect(result.after).toContain("text: `${written.value} notes`");
    expect(result.after).toContain("text: String(written.value) ?? ");
  });

  it("says why when two variables would need one handle", () => {
    const two = input.replace("const notebook = new Map<string, string>();", "const notebook = new Map<string, string>();\n  const order: string[] = [];").replace("notebook.set(title, text);", "notebook.set(title, text);\n    order.push(title);").replace("`no note called ${title}`", "`no note called ${title} among ${order.join()}`");
    expect(leftWith(two)).toEqual([expect.stringMatching(/^notebook and order are kept by one server factory for its tools, and one handle should stand for them together/)]);
  });

  it("says why when it has no type to give its HandleMap", () => {
    expect(leftWith(input.replace("new Map<string, string>()", "new Map()"))).toEqual([expect.stringMatching(/^notebook .*has no type written/)]);
  });

  it("says what to give a handle when it is an object handed the server, whose state cannot be seen", () => {
    const text = readFileSync(path.join(repoRoot, "test/fixtures/check/positive/factory-state.ts"), "utf8");
    const result = migrateText("server.ts", text, { insertTodos: false });
    const context = result.findings.filter((f) => f.message.startsWith("context "));
    expect(context.map((f) => f.fix)).toEqual([expect.stringMatching(/^context is an object handed the server and kept for its tools, and what it holds between calls .* cannot be seen from here, so it stays: give that a handle by hand/)]);
  });
});

describe("createMcpHandler factories returning three shared servers", () => {
  it("get a factory each, under names of their own", () => {
    const text = readFileSync(path.join(repoRoot, "test/fixtures/check/positive/shared-server.ts"), "utf8");
    const result = migrateText("server.ts", text, { insertTodos: false });
    // Only the server a declared-only function made stays: nothing says what else that function does.
    expect(result.findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^made is made once, by makeServer\(\), and served to every request: makeServer is not a function of this file/)]);
    expect(result.after!.match(/^function \w+\(\) \{$/gm)).toEqual(["function createMcpServer() {", "function buildMcpServer() {", "function makeMcpServer() {"]);
    expect(result.after).toContain("  return buildMcpServer(); // expect: shared-server");
  });
});

describe("a createMcpHandler factory returning a shared server, left in place", () => {
  it("says why when the factory does more with the server than return it", () => {
    const text = read("shared-server", "arrow.input.ts").replace("createMcpHandler(() => server)", "createMcpHandler(() => {\n  server.server.onerror = console.error;\n  return server;\n})");
    expect(reasonsLeft(text)).toEqual([expect.stringMatching(/^the factory does more with server than return it/)]);
  });
});

describe("an ask of the client mid-call", () => {
  /** A v2 module registering one tool whose callback has these lines. */
  const tool = (lines: string[], callback = "async ({ title }, ctx) => {") =>
    [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import * as z from "zod";`,
      `declare function remove(title: string): Promise<void>;`,
      `declare const log: string[];`,
      `export function build(server: McpServer) {`,
      `  server.registerTool("delete_note", { inputSchema: z.object({ title: z.string() }) }, ${callback}`,
      ...lines.map((line) => `    ${line}`),
      `    return { content: [{ type: "text", text: "done" }] };`,
      `  });`,
      `}`,
      ``,
    ].join("\n");
  const form = `{ message: "Sure?", requestedSchema: { type: "object", properties: { sure: { type: "boolean" } } } }`;
  const elicit = `await ctx.mcpReq.elicitInput(${form})`;

  it("is left where the tool works before it asks, naming the line that would run twice", () => {
    for (const work of ["await remove(title);", "log.push(title);", "const n = log.length++;", "for (const line of log) console.log(line);"]) {
      expect(reasonsLeft(tool([work, `const answer = ${elicit};`]), "server-requests")).toEqual([expect.stringMatching(/^line 7 does work before the ask that would run again when the client calls back with the answer/)]);
    }
  });

  it("is rewritten where what stands above it only computes values", () => {
    const result = migrateText("server.ts", tool([`const name = title.trim();`, `if (!name) throw new Error("no title");`, `const answer = ${elicit};`, `if (answer.action === "accept") await remove(name);`]), { insertTodos: false });
    expect(result.applied).toEqual(["server-requests"]);
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`    const answer = inputResponse(ctx.mcpReq.inputResponses, "elicit");\n    if (answer.kind !== "elicit") return inputRequired({ inputRequests: { elicit: question } });\n    if (answer.action === "accept") await remove(name);`);
  });

  it("is left, saying why, where the rewrite would change more than the ask", () => {
    const cases: Array<[string, RegExp]> = [
      [tool([`const first = ${elicit};`, `const second = ${elicit};`]), /^this tool asks 2 times, and a retry carries the answers of one round only/],
      [tool([`if ((${elicit}).action !== "accept") return { content: [] };`]), /^migrate rewrites an ask whose answer a declaration at the top level of the tool's body waits for/],
      [tool([`const answer: { action: string } = ${elicit};`]), /^the answer is declared with a type of its own \(\{ action: string \}\)/],
      [tool([`const answer = await ctx.mcpReq.elicitInput({ mode: "url", message: "Sign in", url: "https://example.com", elicitationId: "1" });`]), /^migrate rewrites a form elicitation written out in place/],
      [tool([`const answer = ${elicit.replace("})", "}, { timeout: 1000, onprogress: () => {} })")};`]), /^the ask takes options inputRequired has no place for \(\{ timeout: 1000, onprogress/],
      [tool([`const answer = ${elicit};`], "async ({ title }, ctx): Answer => {").replace("{ McpServer }", "{ McpServer, type CallToolResult }").replace("export function", "type Answer = Promise<CallToolResult>;\nexport function"), /^the callback declares what it returns \(Answer\)/],
      [tool([`const answer = await ctx.mcpReq.send({ method: "elicitation/create", params: { message: "Sure?" } });`]), /^migrate rewrites a form elicitation written out in place/],
      [tool([`const answer = await ctx.mcpReq.send({ method: "elicitation/create", params: ${form} }, ElicitResultSchema, { onprogress: () => {} });`]), /^the ask takes options inputRequired has no place for \(\{ onprogress: \(\) => \{\} \}\)/],
      [tool([`const request = { method: "sampling/createMessage", params: { messages: [], maxTokens: 5 } };`, `const answer = await ctx.mcpReq.send(request);`]), /^migrate rewrites a sampling request sent from a variable only where it is a const CreateMessageRequest/],
      [tool([`const base = { params: {} };`, `const answer = await ctx.mcpReq.send({ ...base, method: "roots/list" });`]), /^migrate rewrites a request written out in place \(\{ method, params \}\)/],
      [tool([`const answers = await Promise.all([1, 2].map(async () => ${elicit}));`]), /^this ask is not in a registerTool callback's own body/],
      [tool([`const answer = await ctx.mcpReq.send({ method: "sampling/createMessage" });`]), /^the sampling request has no params/],
      [tool([`const answer = ${elicit};`], "async ({ title }, { mcpReq }) => {"), /^the tool's context parameter is destructured or has no parentheses to add it in/],
    ];
    for (const [text, reason] of cases) expect(reasonsLeft(text, "server-requests"), text).toEqual([expect.stringMatching(reason)]);
  });

  it("keeps a sampling answer's type to the plain result, unless the request offered tools or the file is JavaScript", () => {
    const sample = (params: string) => tool([`const reply = await server.server.createMessage(${params});`]);
    const plain = migrateText("server.ts", sample(`{ messages: [], maxTokens: 10 }`), { insertTodos: false }).after!;
    expect(plain).toContain("const reply = sampled.result as CreateMessageResult;");
    expect(plain).toContain(`import { McpServer, inputRequired, inputResponse, type CreateMessageResult } from "@modelcontextprotocol/server";`);
    expect(migrateText("server.ts", sample(`{ messages: [], maxTokens: 10, tools: [] }`), { insertTodos: false }).after).toContain("const reply = sampled.result;\n");
    const js = sample(`{ messages: [], maxTokens: 10 }`).replace(/^declare .*\n/gm, "").replace(": McpServer", "");
    expect(migrateText("server.js", js, { insertTodos: false }).after).toContain("const reply = sampled.result;\n");
  });

  it("drops what only waited for the answer, and lets a declared result be the returned request too", () => {
    const text = tool([`const answer = await ctx.mcpReq.send({ method: "elicitation/create", params: ${form} }, ElicitResultSchema, { timeout: 60_000 });`], "async ({ title }, ctx): Promise<CallToolResult> => {")
      .replace("{ McpServer }", "{ McpServer, type CallToolResult }")
      .replace(`import * as z from "zod";`, `import * as z from "zod";\nimport { ElicitResultSchema } from "@modelcontextprotocol/core";`);
    const result = migrateText("server.ts", text, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`async ({ title }, ctx): Promise<CallToolResult | InputRequiredResult> => {`);
    expect(result.after).toContain(`const question = inputRequired.elicit(${form});`);
    expect(result.after).toContain(`import { McpServer, type CallToolResult, inputRequired, inputResponse, type InputRequiredResult } from "@modelcontextprotocol/server";`);
    // The result's schema goes, and its import with it.
    expect(result.after).not.toMatch(/ElicitResultSchema|timeout/);
  });

  it("rebuilds an answer the code uses whole, so what it logs or returns has no field the view added", () => {
    const after = migrateText("server.ts", tool([`const answer = ${elicit};`, `log.push(JSON.stringify(answer));`]), { insertTodos: false }).after!;
    expect(after).toContain(`    const answered = inputResponse(ctx.mcpReq.inputResponses, "elicit");\n    if (answered.kind !== "elicit") return inputRequired({ inputRequests: { elicit: question } });\n    const answer = { action: answered.action, content: answered.content };\n`);
    const roots = migrateText("server.ts", tool([`const listing = await server.server.listRoots();`, `log.push(JSON.stringify(listing));`]), { insertTodos: false }).after!;
    expect(roots).toContain(`    const listing = { roots: listed.roots };\n`);
  });

  it("reads a method written `as const`", () => {
    const text = tool([`const answer = await ctx.mcpReq.send({ method: "elicitation/create" as const, params: ${form} });`]);
    expect(migrateText("server.ts", text, { insertTodos: false }).after).toContain(`const question = inputRequired.elicit(${form});`);
  });

  it("builds a sampling request a typed variable holds from its params", () => {
    const text = tool([`const request: CreateMessageRequest = { method: "sampling/createMessage", params: { messages: [], maxTokens: 5 } };`, `const reply = await ctx.mcpReq.send(request, CreateMessageResultSchema);`])
      .replace("{ McpServer }", "{ McpServer, type CreateMessageRequest }")
      .replace(`import * as z from "zod";`, `import * as z from "zod";\nimport { CreateMessageResultSchema } from "@modelcontextprotocol/core";`);
    const after = migrateText("server.ts", text, { insertTodos: false }).after!;
    expect(after).toContain(`    const samplingRequest = inputRequired.createMessage(request.params);\n`);
    expect(after).toContain(`    const reply = sampled.result as CreateMessageResult;\n`);
  });

  it("adds the context parameter a tool without input did not take, as its only one", () => {
    const text = tool([`const { roots } = await server.server.listRoots();`], "async () => {").replace("{ inputSchema: z.object({ title: z.string() }) }", "{}");
    const after = migrateText("server.ts", text, { insertTodos: false }).after!;
    expect(after).toContain(`server.registerTool("delete_note", {}, async (ctx) => {`);
    expect(after).toContain(`    const listed = inputResponse(ctx.mcpReq.inputResponses, "roots");\n    if (listed.kind !== "roots") return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });\n    const { roots } = listed;`);
  });
});

describe("registrations decided by the client's capabilities", () => {
  const module = (lines: string[]) =>
    [`import { McpServer } from "@modelcontextprotocol/server";`, `export function register(server: McpServer) {`, `  const caps = server.server.getClientCapabilities();`, ...lines.map((line) => `  ${line}`), `}`, ``].join("\n");
  const tool = (name: string) => `server.registerTool("${name}", {}, async () => ({ content: [] }));`;

  it("are left, saying why, where the test does more than guard registrations", () => {
    const cases: Array<[string, RegExp]> = [
      [module([`if (caps?.elicitation) ${tool("ask")}`, `else ${tool("tell")}`]), /^the test chooses between this and its else branch/],
      [module([`if (caps?.elicitation) {`, `  console.error("asking tools on");`, `  ${tool("ask")}`, `}`]), /^the test guards more than registrations, which would run for every client too/],
      [module([`const listed = caps?.elicitation && ${tool("ask")}`]), /^the test's value is used/],
    ];
    for (const [text, reason] of cases) expect(reasonsLeft(text, "capability-gate"), text).toEqual([expect.stringMatching(reason)]);
  });

  it("keep the declarations something else still reads", () => {
    const after = migrateText("server.ts", module([`const canAsk = caps?.elicitation !== undefined;`, `if (canAsk) ${tool("ask")}`, `console.error("can ask:", canAsk);`]), { insertTodos: false }).after!;
    expect(after).toContain(`  const caps = server.server.getClientCapabilities();\n  const canAsk = caps?.elicitation !== undefined;\n`);
    expect(after).toContain(`  ${tool("ask")}\n  console.error("can ask:", canAsk);`);
  });

  it("work out again, inside a tool, what it read of them from where the server was built", () => {
    const text = module([`// Can it list roots?`, `const canListRoots: boolean =`, `  caps?.roots !== undefined;`, `if (canListRoots) {`, `  server.registerTool("roots", {}, async () => ({ content: [{ type: "text", text: canListRoots ? "yes" : "no" }] }));`, `  server.registerTool("status", {}, async () => {`, `    return { content: [{ type: "text", text: canListRoots ? "roots" : "none" }] };`, `  });`, `}`]);
    const result = migrateText("server.ts", text, { insertTodos: false });
    // The block-bodied tool works them out itself, after the test around it is gone (a second pass).
    expect(result.after).toContain(
      [
        `  server.registerTool("status", {}, async () => {`,
        `    // Worked out per request: the client's capabilities are known only while it is served.`,
        `    const caps = server.server.getClientCapabilities();`,
        `    const canListRoots: boolean =`,
        `      caps?.roots !== undefined;`,
        `    return { content: [{ type: "text", text: canListRoots ? "roots" : "none" }] };`,
      ].join("\n"),
    );
    // An arrow with no block has nowhere to put them: it stays, saying so, and so do the names it reads.
    expect(result.findings.map((f) => `${f.line} ${f.fix}`)).toEqual([expect.stringMatching(/^8 the callback has no block to work it out in/)]);
    expect(result.after).toContain(`  // Can it list roots?\n  const canListRoots: boolean =\n    caps?.roots !== undefined;\n`);
  });

  it("are worked out in a tool the test registered, once the test is gone, and not lost with it", () => {
    const text = module([`const canListRoots = caps?.roots !== undefined;`, `if (canListRoots) {`, `  server.registerTool("status", {}, async () => {`, `    return { content: [{ type: "text", text: canListRoots ? "roots" : "none" }] };`, `  });`, `}`]);
    const result = migrateText("server.ts", text, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`  server.registerTool("status", {}, async () => {\n    // Worked out per request: the client's capabilities are known only while it is served.\n    const caps = server.server.getClientCapabilities();\n    const canListRoots = caps?.roots !== undefined;\n    return`);
  });

  it("drop the names a tool read once it works them out itself", () => {
    const text = module([`const canListRoots = caps?.roots !== undefined;`, `server.registerTool("status", {}, async () => {`, `  // Say what the client can do.`, `  return { content: [{ type: "text", text: canListRoots ? "roots" : "none" }] };`, `});`]);
    const after = migrateText("server.ts", text, { insertTodos: false }).after!;
    expect(after.match(/getClientCapabilities/g)).toHaveLength(1);
    expect(after).toContain(`export function register(server: McpServer) {\n  server.registerTool("status", {}, async () => {\n    // Worked out per request`);
    // The tool's own first comment stays with its statement.
    expect(after).toContain(`    const canListRoots = caps?.roots !== undefined;\n    // Say what the client can do.\n    return`);
  });

  it("let the tool be listed for every client: no test left, and the reads that fed it gone", () => {
    const result = migrateText("server.ts", module([`const canAsk = Boolean(caps?.elicitation);`, `if (canAsk) {`, `  ${tool("ask")}`, `}`]), { insertTodos: false });
    expect(result.findings).toEqual([]);
    // Boolean(…) is a call of its own, so its declaration stays; the capabilities it read are read still.
    expect(result.after).toContain(`  const caps = server.server.getClientCapabilities();\n  const canAsk = Boolean(caps?.elicitation);\n  // Listed for every client`);
  });
});

describe("findings of one rule left for different reasons", () => {
  it("each carry their own to-do, in the report and in the markers", () => {
    const text = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import * as z from "zod";`,
      `export function counter(): McpServer {`,
      `  const server = new McpServer({ name: "counter", version: "1.0.0" });`,
      `  let count = 0;`,
      `  server.registerTool("bump", {}, async () => ({ content: [{ type: "text", text: String(++count) }] }));`,
      `  return server;`,
      `}`,
      `export function notes(): McpServer {`,
      `  const server = new McpServer({ name: "notes", version: "1.0.0" });`,
      `  const titles: string[] = [];`,
      `  const bodies: string[] = [];`,
      `  server.registerTool("add", { inputSchema: z.object({ title: z.string(), body: z.string() }) }, async ({ title, body }) => {`,
      `    titles.push(title);`,
      `    bodies.push(body);`,
      `    return { content: [] };`,
      `  });`,
      `  server.registerTool("list", {}, async () => ({ content: titles.map((title, i) => ({ type: "text" as const, text: title + bodies[i] })) }));`,
      `  return server;`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", text, { insertTodos: true });
    expect(result.findings.map((f) => `${f.line} ${f.fix.slice(0, 40)}`)).toEqual([
      expect.stringMatching(/^\d+ count is kept for the next call of one t/),
      expect.stringMatching(/^\d+ titles and bodies are kept by one server/),
      expect.stringMatching(/^\d+ titles and bodies are kept by one server/),
    ]);
    const markers = result.after!.split("\n").filter((line) => line.includes("TODO(mcp-stateless)"));
    expect(markers.map((line) => /\. (\w+) (is|and)/.exec(line)?.[1])).toEqual(["count", "titles", "titles"]);
  });

  it("gives each map keyed by session that stays the reason that stops it", () => {
    const text = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `const carts = new Map<string, string[]>();`,
      `export function build(server: McpServer) {`,
      `  const wishes = new Map<string, string[]>();`,
      `  server.registerResource("cart", "cart://mine", {}, async (uri, ctx) => ({ contents: [{ uri: uri.href, text: String(carts.get(ctx.sessionId!)) }] }));`,
      `  server.registerTool("wishes", {}, async (ctx) => ({ content: [{ type: "text", text: String(wishes.get(ctx.sessionId!)) }] }));`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.map((f) => `${f.line} ${f.fix.slice(0, 60)}`)).toEqual([
      expect.stringMatching(/^5 carts is also read by session outside a tool/),
      expect.stringMatching(/^6 wishes is not a Map or a record declared at module level/),
    ]);
  });
});

describe("a legacy SSE server", () => {
  it("with no function to build its server from, is left whole (its GET stream route too), with the reason", () => {
    const text = [
      `import express from "express";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { SSEServerTransport } from "./sse.js";`,
      `const transports: Record<string, SSEServerTransport> = {};`,
      `const app = express();`,
      `app.get("/mcp", async (_req, res) => {`,
      `  const transport = new SSEServerTransport("/messages", res);`,
      `  transports[transport.sessionId] = transport;`,
      `  await new McpServer({ name: "sse", version: "1.0.0" }).connect(transport);`,
      `});`,
      `app.post("/messages", async (req, res) => {`,
      `  const transport = transports[req.query.sessionId as string];`,
      `  if (transport) await transport.handlePostMessage(req, res, req.body);`,
      `});`,
      `app.listen(3000);`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(new Set(result.findings.filter((f) => f.rule === "transport-routing").map((f) => f.fix))).toEqual(new Set([expect.stringMatching(/^the legacy SSE transport .* is a session by design/)]));
  });
});

describe("a stdio entry and an HTTP entry left in place", () => {
  it("each say what stops them", () => {
    const text = read("legacy-entry", "module-server.input.ts")
      .replace('import { McpServer } from "@modelcontextprotocol/server";', 'import { McpServer } from "@modelcontextprotocol/server";\nimport { StdioServerTransport } from "@modelcontextprotocol/server/stdio";')
      .replace("app.listen(3000);", "if (process.argv.includes(\"--stdio\")) server.connect(new StdioServerTransport()).catch(() => process.exit(1));\nelse app.listen(3000);");
    const fixes = migrateText("server.ts", text, { insertTodos: false }).findings.map((f) => f.fix);
    expect(fixes).toEqual([expect.stringMatching(/^server is used on line \d+ .* besides registering its tools/), expect.stringMatching(/^the promise server\.connect\(…\) returns is used/)]);
  });
});

describe("a stdio entry left in place", () => {
  it("says why: the connect's promise is used", () => {
    const entry = (tail: string[]) =>
      [`import { McpServer } from "@modelcontextprotocol/server";`, `import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";`, `const server = new McpServer({ name: "echo", version: "1.0.0" });`, ...tail, ``].join("\n");
    const caught = migrateText("index.ts", entry([`server.connect(new StdioServerTransport()).catch(() => process.exit(1));`]), { insertTodos: false });
    expect(caught.after).toBeUndefined();
    expect(caught.findings.map((f) => f.fix)).toEqual([expect.stringMatching(/^the promise server\.connect\(…\) returns is used .* write `serveStdio\(\(\) => server\)`/)]);
  });

  it("stays whole where one transport is connected in two branches and one of them cannot be rewritten", () => {
    // A published Elasticsearch server connects inside a tracing wrapper or plainly: before, only the plain branch moved.
    const branches = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";`,
      `declare function trace<T>(name: string, run: () => Promise<T>): Promise<T>;`,
      `const server = new McpServer({ name: "x", version: "1.0.0" });`,
      `export async function main(tracing: boolean) {`,
      `  const transport = new StdioServerTransport();`,
      `  if (tracing) {`,
      `    await trace("connect", async () => server.connect(transport));`,
      `  } else {`,
      `    await server.connect(transport);`,
      `  }`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("index.ts", branches, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.map((f) => `${f.line} ${f.fix}`)).toEqual([
      expect.stringMatching(/^8 the promise server\.connect\(…\) returns is used/),
      expect.stringMatching(/^10 the same transport is also connected on line 8, which stays/),
    ]);
    // Both plain: both move.
    const plain = migrateText("index.ts", branches.replace(`await trace("connect", async () => server.connect(transport));`, "await server.connect(transport);"), { insertTodos: false });
    expect(plain.findings).toEqual([]);
    expect(plain.after!.match(/serveStdio\(/g)).toHaveLength(2);
  });

  it("hands serveStdio a transport used besides being connected, or of a subclass, keeping it", () => {
    const entry = (tail: string[]) =>
      [`import { McpServer } from "@modelcontextprotocol/server";`, `import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";`, `const server = new McpServer({ name: "echo", version: "1.0.0" });`, ...tail, ``].join("\n");
    const shared = migrateText("index.ts", entry([`const transport = new StdioServerTransport();`, `transport.onclose = () => process.exit(0);`, `await server.connect(transport);`]), { insertTodos: false });
    expect(shared.findings).toEqual([]);
    expect(shared.after).toContain(`const transport = new StdioServerTransport();\ntransport.onclose = () => process.exit(0);\nserveStdio(() => server, { transport });`);
    // A transport of the project's own (wrapping console output), made for the connect alone: handed on, not replaced by serveStdio's.
    const subclass = migrateText("index.ts", entry([`class FilteredStdioServerTransport extends StdioServerTransport {}`, `await server.connect(new FilteredStdioServerTransport());`]), { insertTodos: false });
    expect(subclass.findings).toEqual([]);
    expect(subclass.after).toContain(`serveStdio(() => server, { transport: new FilteredStdioServerTransport() });`);
  });
});

describe("a server a function around the routing is handed", () => {
  const routing = (parameter: string, connect: string) =>
    [
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import type { McpServer } from "@modelcontextprotocol/server";`,
      `import express from "express";`,
      `const app = express();`,
      `export const startServer = (${parameter}, port = 3000) => {`,
      `  const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `  app.post("/mcp", async (req, res) => {`,
      `    const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      `    let transport = sessionId ? transports[sessionId] : undefined;`,
      `    if (!transport) {`,
      `      transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { transports[id] = transport!; } });`,
      `      await ${connect}.connect(transport);`,
      `    }`,
      `    await transport.handleRequest(req, res, req.body);`,
      `  });`,
      `  app.listen(port);`,
      `};`,
      ``,
    ].join("\n");

  it("stays, saying to hand it a function that builds the server, which then migrates", () => {
    // Several published servers start with \`startServer(server, port)\`: one instance for every session.
    expect(reasonsLeft(routing("server: McpServer", "server"), "transport-routing")).toEqual([
      expect.stringMatching(/^each transport is connected to server, the one server startServer\(\) is handed, .* \(`serverFactory: \(\) => McpServer`/),
    ]);
    const result = migrateText("server.ts", routing("serverFactory: () => McpServer", "serverFactory()"), { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain("  const mcpHandler = toNodeHandler(createMcpHandler(serverFactory));");
  });
});

describe("a parameter named in a function's type", () => {
  it("is no second server, nor a use of the one the routing connects", () => {
    // A published Express wrapper takes \`setupCb: (server: McpServer) => void\`: before, "more than one server is declared".
    const typed = [
      `import express from "express";`,
      `import { randomUUID } from "node:crypto";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `const server = new McpServer({ name: "x", version: "1.0.0" });`,
      `export function start(port: number, inspect?: (server: McpServer) => void) {`,
      `  const transports = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `  const app = express();`,
      `  app.post("/mcp", async (req, res) => {`,
      `    const sid = req.headers["mcp-session-id"] as string | undefined;`,
      `    let transport = sid ? transports.get(sid) : undefined;`,
      `    if (!transport) {`,
      `      transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { transports.set(id, transport!); } });`,
      `      await server.connect(transport);`,
      `    }`,
      `    await transport.handleRequest(req, res, req.body);`,
      `  });`,
      `  app.listen(port, () => inspect?.(new McpServer({ name: "probe", version: "1.0.0" })));`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", typed, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(createMcpServer));");
    expect(result.after).toContain("export function start(port: number, inspect?: (server: McpServer) => void) {");
  });
});

describe("members named like the server, on a Koa router", () => {
  it("are no uses of it: an interface's field, an object's key; and the Koa route taking ctx is the router", () => {
    // A published Koa starter: \`interface ServerInstance { server: … }\`, routes handing on \`ctx.req\`.
    const koa = [
      `import Koa from "koa";`,
      `import Router from "@koa/router";`,
      `import { randomUUID } from "node:crypto";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `interface Instance {`,
      `  server: unknown;`,
      `}`,
      `const server = new McpServer({ name: "x", version: "1.0.0" });`,
      `export function start(): Instance {`,
      `  const app = new Koa();`,
      `  const router = new Router();`,
      `  const transports = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `  router.post("/mcp", async (ctx) => {`,
      `    let transport = transports.get(ctx.get("mcp-session-id"));`,
      `    if (!transport) {`,
      `      transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { transports.set(id, transport!); } });`,
      `      await server.connect(transport);`,
      `    }`,
      `    await transport.handleRequest(ctx.req, ctx.res, ctx.request.body);`,
      `  });`,
      `  app.use(router.routes());`,
      `  return { server: app.listen(3000) };`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", koa, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain("    await mcpHandler(ctx.req, ctx.res, ctx.request.body);");
    expect(result.after).toContain("  return { server: app.listen(3000) };");
  });
});

describe("a session's transport supplied by a store of the project's", () => {
  it("stays, naming the call it comes from, where the routing connects nothing", () => {
    // A published fastify plugin: \`const transport = await this.sessionManager.createSession()\` in a request handler class.
    const handlers = [
      `import type { FastifyReply, FastifyRequest } from "fastify";`,
      `import type { SessionManager } from "./session-manager.ts";`,
      `export class PostRequestHandler {`,
      `  constructor(private sessionManager: SessionManager) {}`,
      `  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {`,
      `    const sessionId = request.headers["mcp-session-id"] as string | undefined;`,
      `    if (sessionId) {`,
      `      const transport = this.sessionManager.getSession(sessionId);`,
      `      if (!transport) throw new Error("no session");`,
      `      return await transport.handleRequest(request.raw, reply.raw, request.body);`,
      `    }`,
      `    const transport = await this.sessionManager.createSession();`,
      `    await transport.handleRequest(request.raw, reply.raw, request.body);`,
      `  }`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(handlers, "transport-routing")).toEqual([expect.stringMatching(/^each transport the routing hands requests to comes from this\.sessionManager\.createSession\(…\) \(line 12\)/)]);
  });
});

describe("requests handed to their transports through a helper", () => {
  const routing = (serve: string[], route: string[]) =>
    [
      `import express from "express";`,
      `import { randomUUID } from "node:crypto";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `function createServer() {`,
      `  return new McpServer({ name: "x", version: "1.0.0" });`,
      `}`,
      `async function serve(transport: NodeStreamableHTTPServerTransport, req: express.Request, res: express.Response) {`,
      ...serve,
      `}`,
      `const app = express();`,
      `app.post("/mcp", async (req, res) => {`,
      `  const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      ...route,
      `});`,
      ``,
    ].join("\n");
  const handOn = `  await transport.handleRequest(req, res, req.body);`;
  const made = `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => { transports[sid] = transport; } });`;

  it("stays, naming the helper, where the route hands each transport to it", () => {
    const text = routing([handOn], [`  if (sessionId && transports[sessionId]) return serve(transports[sessionId]!, req, res);`, made, `  await createServer().connect(transport);`, `  await serve(transport, req, res);`]);
    expect(reasonsLeft(text, "transport-routing")).toEqual([expect.stringMatching(/^requests reach their transports through serve\(\) \(line 9\)/)]);
  });

  it("is never taken for the handler where the transport is its first parameter, which would hand the handler the transport", () => {
    // The helper connects the server too, so a factory is found and the helper alone looks like the routing.
    const text = routing([`  await createServer().connect(transport);`, handOn], [made, `  await serve(transport, req, res);`]);
    expect(reasonsLeft(text, "transport-routing")).toEqual([expect.stringMatching(/^requests reach their transports through serve\(\) \(line 9\)/)]);
  });

  it("goes with the route once the route hands the request on itself, the unused helper left as it was", () => {
    const text = routing([handOn], [`  if (sessionId && transports[sessionId]) return transports[sessionId]!.handleRequest(req, res, req.body);`, made, `  await createServer().connect(transport);`, `  await transport.handleRequest(req, res, req.body);`]);
    const result = migrateText("server.ts", text, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`app.post("/mcp", async (req, res) => {\n  await mcpHandler(req, res, req.body);\n});`);
    expect(result.after).toContain(`async function serve(transport: NodeStreamableHTTPServerTransport, req: express.Request, res: express.Response) {\n${handOn}\n}`);
  });
});

describe("a routing function handed its server factory by its callers", () => {
  it("stays, saying the handler is made where the factory is known", () => {
    // A published starter's handleStreamableHTTPRequest(req, res, body, serverFactory), called by each framework's adapter.
    const routing = [
      `import type { IncomingMessage, ServerResponse } from "node:http";`,
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import type { McpServer } from "@modelcontextprotocol/server";`,
      `const sessions = new Map<string, { transport: NodeStreamableHTTPServerTransport; server: McpServer }>();`,
      `export async function handleStreamableHTTPRequest(req: IncomingMessage, res: ServerResponse, body: unknown, serverFactory: () => McpServer) {`,
      `  const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      `  let transport: NodeStreamableHTTPServerTransport;`,
      `  let mcpServer: McpServer;`,
      `  const existing = sessionId ? sessions.get(sessionId) : undefined;`,
      `  if (existing) {`,
      `    transport = existing.transport;`,
      `    mcpServer = existing.server;`,
      `  } else {`,
      `    transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });`,
      `    mcpServer = serverFactory();`,
      `    await mcpServer.connect(transport);`,
      `  }`,
      `  await transport.handleRequest(req, res, body);`,
      `  if (transport.sessionId) sessions.set(transport.sessionId, { transport, server: mcpServer });`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(routing, "transport-routing")).toEqual([expect.stringMatching(/^each transport is connected to a server from serverFactory\(\), which handleStreamableHTTPRequest\(\) is handed by its callers/)]);
  });
});

describe("a server made once by a class's method, connected per session", () => {
  it("stays, saying to connect what a function building a new one returns, which then migrates", () => {
    const routing = (made: string, connected: string) =>
      [
        `import express from "express";`,
        `import { randomUUID } from "node:crypto";`,
        `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
        `import { MCPServer } from "./mcp-server.js";`,
        `const app = express();`,
        made,
        `const transports = new Map<string, NodeStreamableHTTPServerTransport>();`,
        `app.post("/mcp", async (req, res) => {`,
        `  const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
        `  let transport = sessionId ? transports.get(sessionId) : undefined;`,
        `  if (!transport) {`,
        `    transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { transports.set(id, transport!); } });`,
        `    await ${connected}.connect(transport);`,
        `  }`,
        `  await transport.handleRequest(req, res, req.body);`,
        `});`,
        ``,
      ].join("\n");
    expect(reasonsLeft(routing("const mcpServer = MCPServer.initialize();", "mcpServer"), "transport-routing")).toEqual([
      expect.stringMatching(/^each transport is connected to mcpServer, made once by MCPServer\.initialize\(\) and served to every session/),
    ]);
    const result = migrateText("server.ts", routing("function createMcpServer() { return MCPServer.initialize(); }", "createMcpServer()"), { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(createMcpServer));");
  });
});

describe("the Mcp-Session-Id header in a test, sent to a server or read off its answer", () => {
  it("is a test's to drop, said so by check and migrate, where elsewhere it is a server's bookkeeping", () => {
    // A published GitLab server's tests drive it over HTTP with fetch and the header.
    const test = [
      `import type { CallToolResult } from "@modelcontextprotocol/server";`,
      `export async function listTools(url: string, sid: string): Promise<CallToolResult | undefined> {`,
      `  const res = await fetch(url, { method: "POST", headers: { "Mcp-Session-Id": sid } });`,
      `  console.log(res.headers.get("mcp-session-id"));`,
      `  return undefined;`,
      `}`,
      ``,
    ].join("\n");
    for (const name of ["test/http.test.ts", "tests/helpers.ts", "src/http.spec.ts"]) {
      const checked = analyzeText(name, test).findings;
      expect(checked.map((f) => `${f.line} ${f.message}`)).toEqual([3, 4].map((line) => `${line} a test sends or reads the Mcp-Session-Id header, as a client of a server with sessions`));
      const migrated = migrateText(name, test, { insertTodos: false });
      expect(migrated.after).toBeUndefined();
      expect([...new Set(migrated.findings.map((f) => f.fix))]).toEqual([expect.stringMatching(/^once the server is stateless it mints no session id and reads none: drop the header from the test's requests/)]);
    }
    expect(reasonsLeft(test, "transport-routing")).toEqual([expect.stringMatching(/^the Mcp-Session-Id header is read or set here outside any routing/)]);
  });
});

describe("a session's transport handed to a manager that connects it", () => {
  it("stays, naming the call, where the routing connects nothing itself", () => {
    // A published GitLab server: \`await sessionManager.createSession(newSessionId, transport)\` connects a server per session.
    const managed = [
      `import express from "express";`,
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `declare const sessionManager: { createSession(id: string, transport: unknown): Promise<void> };`,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `const app = express();`,
      `app.post("/mcp", async (req, res) => {`,
      `  const handleWithContext = async (transport: NodeStreamableHTTPServerTransport) => {`,
      `    await transport.handleRequest(req, res, req.body);`,
      `  };`,
      `  const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      `  if (sessionId && transports[sessionId]) return handleWithContext(transports[sessionId]!);`,
      `  const id = randomUUID();`,
      `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => id, onsessioninitialized: (sid) => { transports[sid] = transport; } });`,
      `  await sessionManager.createSession(id, transport);`,
      `  await handleWithContext(transport);`,
      `});`,
      ``,
    ].join("\n");
    expect(reasonsLeft(managed, "transport-routing")).toEqual([expect.stringMatching(/^each transport the routing makes is handed to sessionManager\.createSession\(…\) \(line 15\), which connects a server to it where this rewrite does not follow/)]);
  });
});

describe("a stateless transport in a file that still routes sessions", () => {
  it("waits for the routing, saying so", () => {
    const both = [
      `import express from "express";`,
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `declare function connectUpstream(id: string): Promise<void>;`,
      `const build = () => new McpServer({ name: "x", version: "1.0.0" });`,
      `const transports = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `const app = express();`,
      `app.post("/mcp", async (req, res) => {`,
      `  const sid = req.headers["mcp-session-id"] as string | undefined;`,
      `  let transport = sid ? transports.get(sid) : undefined;`,
      `  if (!transport) {`,
      `    transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: async (id) => { await connectUpstream(id); transports.set(id, transport!); } });`,
      `    await build().connect(transport);`,
      `  }`,
      `  await transport.handleRequest(req, res, req.body);`,
      `});`,
      `app.post("/stateless", async (req, res) => {`,
      `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `  await build().connect(transport);`,
      `  await transport.handleRequest(req, res, req.body);`,
      `});`,
      ``,
    ].join("\n");
    expect(reasonsLeft(both, "legacy-entry")).toEqual([expect.stringMatching(/^this file still routes sessions \(its transport-routing findings\), and this transport goes into the same one handler/)]);
  });
});

describe("a stateless transport made by a helper or exported", () => {
  it("becomes the one handler where a helper's transport is connected and handed the request, its error hook carried over", () => {
    // A published web-fetch server on Hono: createTransport() lives in transport.ts.
    const routed = [
      `import { Hono } from "hono";`,
      `import { toFetchResponse, toReqRes } from "fetch-to-node";`,
      `import { createServer } from "./server.js";`,
      `import { createTransport } from "./transport.js";`,
      `const app = new Hono();`,
      `app.post("/mcp", async (c) => {`,
      `  const { req, res } = toReqRes(c.req.raw);`,
      `  const server = createServer();`,
      `  const transport = createTransport();`,
      `  transport.onerror = console.error.bind(console);`,
      `  await server.connect(transport);`,
      `  await transport.handleRequest(req, res, await c.req.json());`,
      `  return toFetchResponse(res);`,
      `});`,
      `export default app;`,
      ``,
    ].join("\n");
    expect(analyzeText("index.ts", routed).findings.map((f) => `${f.line} ${f.rule}`)).toEqual(["9 legacy-entry"]);
    const result = migrateText("index.ts", routed, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`const mcpHandler = createMcpHandler(createServer, { onerror: console.error.bind(console) });`);
    expect(result.after).toContain(`  return mcpHandler.fetch(c.req.raw);`);
    expect(result.after).not.toContain("createTransport");
  });

  it("stays where one transport is exported for other modules to serve with, saying where the handler goes", () => {
    const exported = [
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `export const transport = new NodeStreamableHTTPServerTransport({`,
      `  sessionIdGenerator: undefined,`,
      `  enableJsonResponse: true,`,
      `});`,
      ``,
    ].join("\n");
    expect(reasonsLeft(exported, "legacy-entry")).toEqual([expect.stringMatching(/^this one transport is made here for the modules that import it, and they serve every request with it/)]);
  });
});

describe("a registration made late", () => {
  it("is left where it is and reported, while the list_changed beside it goes", () => {
    const late = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `export function build(server: McpServer) {`,
      `  const addResource = (name: string) => server.registerResource(name, \`notes://\${name}\`, {}, async (uri) => ({ contents: [{ uri: uri.href, text: name }] }));`,
      `  setInterval(() => {`,
      `    addResource(String(Date.now()));`,
      `    server.sendResourceListChanged();`,
      `  }, 5000);`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", late, { insertTodos: false });
    expect(result.after).toBeDefined();
    expect(result.after).toContain("    addResource(String(Date.now()));\n  }, 5000);");
    expect(result.after).not.toContain("sendResourceListChanged");
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ line: 5, rule: "list-mutation", message: expect.stringMatching(/^addResource\(…\) registers in a timer, after the server was built/) });
    expect(result.findings[0]!.fix).toMatch(/^register it where the server is built, with everything else/);
    // check says the same, not its advice for tools toggled on and off.
    expect(analyzeText("server.ts", late).findings.find((f) => f.message.includes("registers in a timer"))!.fix).toBe(result.findings[0]!.fix);
  });
});

describe("a session's hooks that do more than keep the books", () => {
  const routing = (hook: string) =>
    [
      `import express from "express";`,
      `import { randomUUID } from "node:crypto";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `declare function connectUpstream(sessionId: string): Promise<void>;`,
      `function createServer() {`,
      `  return new McpServer({ name: "x", version: "1.0.0" });`,
      `}`,
      `const transports = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `const app = express();`,
      `app.post("/mcp", async (req, res) => {`,
      `  const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      `  let transport = sessionId ? transports.get(sessionId) : undefined;`,
      `  if (!transport) {`,
      `    transport = new NodeStreamableHTTPServerTransport({`,
      `      sessionIdGenerator: () => randomUUID(),`,
      `      onsessioninitialized: async (sid) => {`,
      `        ${hook}`,
      `        transports.set(sid, transport!);`,
      `      },`,
      `    });`,
      `    transport.onclose = () => { console.log("closed"); transports.delete(transport!.sessionId!); };`,
      `    await createServer().connect(transport);`,
      `  }`,
      `  await transport.handleRequest(req, res, req.body);`,
      `});`,
      ``,
    ].join("\n");

  it("stays, naming what the hook started for a session, which would never run again", () => {
    // An upstream connected per session, as a published budgeting server does: dropped, with "0 findings left", before.
    expect(reasonsLeft(routing("await connectUpstream(sid);"), "transport-routing")).toEqual([
      expect.stringMatching(/^the transport's onsessioninitialized does more for a session than keep the books \(`await connectUpstream\(sid\);`, line 18\), and with no sessions it never runs again/),
    ]);
  });

  it("stays where the branch that starts a session does more than make its transport and server", () => {
    const branch = routing(`console.info("session", sid);`).replace("    await createServer().connect(transport);", "    await connectUpstream(\"warm\");\n    await createServer().connect(transport);");
    expect(branch).toContain(`connectUpstream("warm")`);
    expect(reasonsLeft(branch, "transport-routing")).toEqual([expect.stringMatching(/^the session routing does more for a session than keep the books \(`await connectUpstream\("warm"\);`, line \d+\)/)]);
  });

  it("stays where the legacy SSE stream's handler started something for the stream, and goes where it read the request only", () => {
    const sse = read("transport-routing", "sse.input.ts").replace(`import * as z from "zod";`, `import * as z from "zod";\ndeclare function connectUpstream(id: string): Promise<void>;\ndeclare function tokenOf(req: unknown): string;`);
    const started = sse.replace("  transports.set(transport.sessionId, transport);", "  transports.set(transport.sessionId, transport);\n  await connectUpstream(transport.sessionId);");
    expect(reasonsLeft(started, "transport-routing")).toEqual([expect.stringMatching(/^the SSE stream's handler does more for a session than keep the books \(`await connectUpstream\(transport\.sessionId\);`, line \d+\)/)]);
    // A token read off the request and not used, as Klavis' stream handlers do.
    const readOnly = sse.replace(`app.get("/sse", async (_req, res) => {`, `app.get("/sse", async (req, res) => {\n  const token = tokenOf(req);`);
    expect(readOnly).toContain("const token = tokenOf(req);");
    expect(migrateText("server.ts", readOnly, { insertTodos: false }).findings).toEqual([]);
  });

  it("goes with the routing when the server's factory is a function declared beside the routing, in the function that makes it", () => {
    // A published task server makes its handlers in createMcpHttpHandler(), createServer() declared there too.
    const nested = [
      `import type { IncomingMessage, ServerResponse } from "node:http";`,
      `import { randomUUID } from "node:crypto";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `export function createMcpHttpHandler(appName: string) {`,
      `  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `  function createServer(): McpServer {`,
      `    return new McpServer({ name: appName, version: "1.0.0" });`,
      `  }`,
      `  async function handlePost(req: IncomingMessage, res: ServerResponse, body?: unknown): Promise<void> {`,
      `    const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      `    let transport = sessionId ? sessions.get(sessionId) : undefined;`,
      `    if (!transport) {`,
      `      transport = new NodeStreamableHTTPServerTransport({`,
      `        sessionIdGenerator: () => randomUUID(),`,
      `        onsessioninitialized: (sid) => {`,
      `          HOOK`,
      `        },`,
      `      });`,
      `      const server = createServer();`,
      `      await server.connect(transport);`,
      `    }`,
      `    await transport.handleRequest(req, res, body);`,
      `  }`,
      `  return { handlePost };`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", nested.replace("HOOK", "sessions.set(sid, transport!);"), { insertTodos: false });
    expect(result.findings).toEqual([]);
    const after = result.after!;
    const made = after.indexOf("\n  const mcpHandler = toNodeHandler(createMcpHandler(createServer));\n");
    expect(made).toBeGreaterThan(after.indexOf("  function createServer(): McpServer {"));
    expect(made).toBeLessThan(after.indexOf("  async function handlePost("));
    expect(after).not.toContain("const sessions");
    expect(after).not.toContain("sessionIdGenerator");
    // And where its hook did work for the session, that is what it names, not a factory it could not find.
    expect(reasonsLeft(nested.replace("HOOK", "sessions.set(sid, transport!);\n          console.info(appName, sid);\n          void fetch(`https://example.com/agents/${sid}`);"), "transport-routing")).toEqual([
      expect.stringMatching(/^the transport's onsessioninitialized does more for a session than keep the books \(`void fetch/),
    ]);
  });

  it("goes with the routing where the hooks only keep the map, log, close, or hand the transport to a registry", () => {
    for (const hook of [`console.info("session", sid);`, `if (transports.size > 100) transports.delete(transports.keys().next().value!);`, `try { await transports.get(sid)?.close(); } catch { /* gone */ }`, `register(sid, transport!);`]) {
      const result = migrateText("server.ts", routing(hook).replace("declare function connectUpstream", "declare function register(id: string, t: unknown): void;\ndeclare function connectUpstream"), { insertTodos: false });
      expect(result.findings).toEqual([]);
      expect(result.after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(createServer));");
    }
  });
});

describe("routing left in place", () => {
  it("says to build the server apart when it is kept with its transport on a session's entry", () => {
    const entries = [
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `const sessions = new Map<string, { server: McpServer; transport: NodeStreamableHTTPServerTransport }>();`,
      `function openSession() {`,
      `  return { server: new McpServer({ name: "rig", version: "1" }), transport: new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() }) };`,
      `}`,
      `export async function handle(req: any, res: any) {`,
      `  const known = sessions.get(req.headers["mcp-session-id"]);`,
      `  if (known) return known.transport.handleRequest(req, res, req.body);`,
      `  const session = openSession();`,
      `  await session.server.connect(session.transport);`,
      `  await session.transport.handleRequest(req, res, req.body);`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(entries, "transport-routing")).toEqual([expect.stringMatching(/^each transport is connected to session\.server, a server kept on an object .*build the server in a function of its own/)]);
  });

  it("says how to route by hand when the server comes from a member (a session manager class given its factory)", () => {
    const manager = [
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import type { McpServer } from "@modelcontextprotocol/server";`,
      `export class SessionManager {`,
      `  private transports = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `  constructor(private readonly createServer: () => McpServer) {}`,
      `  async handle(req: any, res: any) {`,
      `    let transport = this.transports.get(req.headers["mcp-session-id"]);`,
      `    if (!transport) {`,
      `      transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID(), onsessioninitialized: (id) => void this.transports.set(id, transport!) });`,
      `      await this.createServer().connect(transport);`,
      `    }`,
      `    await transport.handleRequest(req, res, req.body);`,
      `  }`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(manager, "transport-routing")).toEqual([expect.stringMatching(/^each transport is connected to a server from this\.createServer\(\), a member this rewrite cannot follow .*`toNodeHandler\(createMcpHandler\(\(\) => this\.createServer\(\)\)\)`/)]);
    // Made first and held, from a list of servers the router was handed, as published browser servers do.
    const held = manager.replace("constructor(private readonly createServer: () => McpServer) {}", "constructor(private readonly servers: { create(): Promise<McpServer> }) {}").replace("await this.createServer().connect(transport);", "const server = await this.servers.create();\n      await server.connect(transport);");
    expect(reasonsLeft(held, "transport-routing")).toEqual([expect.stringMatching(/^each transport is connected to a server from this\.servers\.create\(\), a member .*if the member keeps what it makes/)]);
  });

  it("says one transport minting session ids for every request serves one client, where it is made outside the routes", () => {
    const once = [
      `import express from "express";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import type { McpServer } from "@modelcontextprotocol/server";`,
      `export async function serve(server: McpServer) {`,
      `  const app = express();`,
      `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });`,
      `  app.post("/mcp", async (req, res) => { await transport.handleRequest(req, res, req.body); });`,
      `  app.get("/mcp", async (req, res) => { await transport.handleRequest(req, res); });`,
      `  await server.connect(transport);`,
      `  app.listen(3000);`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(once, "transport-routing")).toEqual([expect.stringMatching(/^transport is one transport with session ids, made once outside the routes and handed every request: the first client to initialize holds its only session/)]);
  });

  it("names where the transports are made and connected when that is apart from the routing (a session store's initializer)", () => {
    const store = [
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import type { McpServer } from "@modelcontextprotocol/server";`,
      `export abstract class SessionHttpServer {`,
      `  private sessions = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `  protected abstract createServerForRequest(headers: Record<string, unknown>): Promise<McpServer>;`,
      `  private async openSession(id: string, headers: Record<string, unknown>) {`,
      `    await (async () => {`,
      `      const server = await this.createServerForRequest(headers);`,
      `      const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => id });`,
      `      await server.connect(transport);`,
      `      this.sessions.set(id, transport);`,
      `    })();`,
      `  }`,
      `  async handle(req: any, res: any) {`,
      `    const id = req.headers["mcp-session-id"];`,
      `    if (!this.sessions.has(id)) await this.openSession(id, req.headers);`,
      `    await this.sessions.get(id)!.handleRequest(req, res, req.body);`,
      `  }`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(store, "transport-routing")).toEqual([expect.stringMatching(/^the transports the routing hands requests to are made and connected to their servers in openSession \(line 10, each server built by this\.createServerForRequest\(headers\)\), apart from the request handler/)]);
  });

  it("says the legacy SSE transport has no stateless form, and that a session id read by routing goes with it", () => {
    const sse = [
      `import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";`,
      `const transports: Record<string, SSEServerTransport> = {};`,
      `export async function onMessage(req: any, res: any) {`,
      `  const sessionId = req.query.sessionId as string;`,
      `  await transports[sessionId]!.handlePostMessage(req, res, req.body);`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("sse.ts", sse, { insertTodos: false });
    expect(result.after).toBeUndefined();
    const fixes = Object.fromEntries(result.findings.map((f) => [f.rule, f.fix]));
    expect(fixes["transport-routing"]).toMatch(/^the legacy SSE transport \(SSEServerTransport: a GET stream, POSTs to \?sessionId=\) is a session by design and has no stateless form/);
    expect(fixes["session-state"]).toMatch(/^this session id is read by the request routing, not by a tool, and goes with that routing/);
  });

  it("says per-session bookkeeping left after the routing went is for a person to remove", () => {
    const left = [
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `const notes: Record<string, string[]> = {};`,
      `process.on("SIGINT", async () => {`,
      `  for (const id in transports) {`,
      `    await transports[id]!.close();`,
      `    delete notes[id];`,
      `  }`,
      `});`,
      ``,
    ].join("\n");
    const result = migrateText("shutdown.ts", left.replace("    delete notes[id];", "    delete notes[id];\n    console.log(`closed session ${id}`, { sessionId: id });"), { insertTodos: false });
    expect(result.findings.filter((f) => f.rule === "transport-routing").map((f) => f.fix)).toEqual([expect.stringMatching(/^no request is routed through a transport here, but the per-session bookkeeping is still used/)]);
    expect(result.findings.filter((f) => f.rule === "session-telemetry").map((f) => f.fix)).toEqual([expect.stringMatching(/^this is keyed on a session id outside any tool, where no caller is known/)]);
  });

  it("says the header read or set outside routing is the id's users to rekey, not bookkeeping", () => {
    // As a published server does: an id read for its logs, one minted on the answer to initialize for a metadata store.
    const header = [
      `import { createMcpHandler } from "@modelcontextprotocol/server";`,
      `declare const handler: (request: Request) => Promise<Response>;`,
      `declare function saveClient(id: string, info: unknown): Promise<void>;`,
      `export async function serve(request: Request): Promise<Response> {`,
      `  const logId = request.headers.get("MCP-Session-Id") ?? undefined;`,
      `  const response = await handler(request);`,
      `  const id = response.headers.get("Mcp-Session-Id") ?? logId ?? crypto.randomUUID();`,
      `  await saveClient(id, { agent: request.headers.get("user-agent") });`,
      `  const headers = new Headers(response.headers);`,
      `  headers.set("Mcp-Session-Id", id);`,
      `  return new Response(response.body, { status: response.status, headers });`,
      `}`,
      `export { createMcpHandler };`,
      ``,
    ].join("\n");
    const result = migrateText("serve.ts", header, { insertTodos: false });
    const fixes = result.findings.filter((f) => f.rule === "transport-routing").map((f) => f.fix);
    expect(fixes).toHaveLength(3);
    expect(new Set(fixes)).toEqual(new Set([expect.stringMatching(/^the Mcp-Session-Id header is read or set here outside any routing .* key that on the caller/)]));
  });
});

describe("what follows the session routing", () => {
  const router = (after: string) =>
    [
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `function buildServer() {`,
      `  return new McpServer({ name: "notes", version: "1.0.0" });`,
      `}`,
      `export async function handle(req: any, res: any) {`,
      `  const sessionId = req.headers["mcp-session-id"];`,
      `  if (sessionId && transports[sessionId]) {`,
      `    await transports[sessionId].handleRequest(req, res, req.body);`,
      `    return;`,
      `  }`,
      `  if (!sessionId) {`,
      `    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { transports[id] = transport; } });`,
      `    await buildServer().connect(transport);`,
      `    await transport.handleRequest(req, res, req.body);`,
      `    return;`,
      `  }`,
      after,
      `}`,
      ``,
    ].join("\n");

  it("goes with it when it refuses an unknown session, which the one handler never meets", () => {
    const result = migrateText("server.ts", router(`  res.status(404).send("Session not found");\n  return;`), { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toContain(`  await mcpHandler(req, res, req.body);\n}`);
    expect(result.after).not.toContain("Session not found");
  });

  it("leaves the routing in place when it answers otherwise, since that answer would follow the handler's", () => {
    const withNext = router(`  next();`).replace("export async function handle(req: any, res: any)", "export async function handle(req: any, res: any, next: () => void)");
    expect(reasonsLeft(withNext, "transport-routing")).toEqual([expect.stringMatching(/^the session routing in handle cannot be told apart/)]);
    expect(reasonsLeft(router(`  res.status(404).send("Not found");`), "transport-routing")).toEqual([expect.stringMatching(/^the session routing in handle cannot be told apart from the handler.s own code: it is not one run of statements/)]);
  });
});

describe("what the routing did to the response before the transport", () => {
  const fixture = readFileSync(path.join(fixtures, "transport-routing", "carried-headers.input.ts"), "utf8");

  it("is left with the routing when it reads what the routing declared", () => {
    const reading = fixture.replace(`res.setHeader("x-served-by", "notes");`, `res.setHeader("x-session", sessionId ?? "");`);
    expect(reasonsLeft(reading, "transport-routing")).toEqual([expect.stringMatching(/^the session routing in its request handler cannot be told apart from the handler.s own code/)]);
  });
});

describe("an endpoint at a path that does not say mcp", () => {
  it("answers 405 to GET there only when that route served sessions, not to a home page", () => {
    const fixture = readFileSync(path.join(fixtures, "transport-routing", "router-mounted.input.ts"), "utf8");
    const home = fixture.replace(`mcpRouter.get("/", handleSessionRequest);`, `mcpRouter.get("/", (_req: Request, res: Response) => void res.send("welcome"));`);
    const result = migrateText("router.ts", home, { insertTodos: false });
    expect(result.after).toContain(`mcpRouter.get("/", (_req: Request, res: Response) => void res.send("welcome"));`);
    expect(result.after).toContain(`mcpRouter.delete("/", (_req, res) => void res.writeHead(405, { allow: "POST" }).end());`);
  });
});

describe("a handler that refuses every method but POST before it routes", () => {
  const handler = (check: string) =>
    [
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `function buildServer() {`,
      `  return new McpServer({ name: "notes", version: "1.0.0" });`,
      `}`,
      `export default async function handler(req: any, res: any) {`,
      check,
      `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `  await buildServer().connect(transport);`,
      `  await transport.handleRequest(req, res, req.body);`,
      `}`,
      ``,
    ].join("\n");

  it("gets no second 405 of the rewrite's own", () => {
    const refusing = `  if (req.method !== "POST") {\n    res.status(405).end();\n    return;\n  }`;
    const result = migrateText("pages/api/mcp.ts", handler(refusing), { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after!.match(/405/g)).toHaveLength(1);
    // A check that lets the request through still gets the rewrite's 405.
    const logging = `  if (req.method !== "POST") console.log("not a post");`;
    expect(migrateText("pages/api/mcp.ts", handler(logging), { insertTodos: false }).after).toContain(`res.writeHead(405, { allow: "POST" }).end();`);
  });
});

describe("a class's private field the routing used", () => {
  const controller = (extra: string) =>
    [
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `function buildServer() {`,
      `  return new McpServer({ name: "notes", version: "1.0.0" });`,
      `}`,
      `export class Endpoint {`,
      `  #transports = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `  async post(req: any, res: any) {`,
      `    let transport = this.#transports.get(req.headers["mcp-session-id"]);`,
      `    if (!transport) {`,
      `      const created = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void this.#transports.set(id, created) });`,
      `      await buildServer().connect(created);`,
      `      transport = created;`,
      `    }`,
      `    await transport.handleRequest(req, res, req.body);`,
      `  }`,
      extra,
      `}`,
      ``,
    ].join("\n");

  it("goes once nothing reads it, and stays while another method does", () => {
    const gone = migrateText("endpoint.ts", controller(""), { insertTodos: false });
    expect(gone.findings).toEqual([]);
    expect(gone.after).not.toContain("#transports");
    const counted = `  get open() {\n    return this.#transports.size;\n  }`;
    const kept = migrateText("endpoint.ts", controller(counted), { insertTodos: false });
    expect(kept.after).toContain("#transports = new Map<string, NodeStreamableHTTPServerTransport>();");
    expect(kept.after).toContain(counted);
  });
});

describe("a timer over the sessions map", () => {
  const server = (sweep: string) =>
    [
      `import { WebStandardStreamableHTTPServerTransport, McpServer } from "@modelcontextprotocol/server";`,
      `const sessions = new Map<string, { transport: WebStandardStreamableHTTPServerTransport; lastUsed: number }>();`,
      sweep,
      `function buildServer() {`,
      `  return new McpServer({ name: "notes", version: "1.0.0" });`,
      `}`,
      `export default {`,
      `  async fetch(req: Request): Promise<Response> {`,
      `    const sessionId = req.headers.get("mcp-session-id");`,
      `    const known = sessionId ? sessions.get(sessionId) : undefined;`,
      `    if (known) return known.transport.handleRequest(req);`,
      `    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID(), onsessioninitialized: (id) => void sessions.set(id, { transport, lastUsed: Date.now() }) });`,
      `    await buildServer().connect(transport);`,
      `    return transport.handleRequest(req);`,
      `  },`,
      `};`,
      ``,
    ].join("\n");

  it("goes when all it does is sweep idle sessions out, and the map with it", () => {
    for (const sweep of [
      `setInterval(() => {\n  const cutoff = Date.now() - 60_000;\n  for (const [id, entry] of sessions) if (entry.lastUsed < cutoff) sessions.delete(id);\n}, 10_000);`,
      `setInterval(function sweep() {\n  for (const [id, entry] of sessions.entries()) {\n    if (Date.now() - entry.lastUsed > 60_000) {\n      sessions.delete(id);\n      void entry.transport.close();\n    }\n  }\n}, 10_000).unref();`,
    ]) {
      const result = migrateText("worker.ts", server(sweep), { insertTodos: false });
      expect(result.findings).toEqual([]);
      expect(result.after).not.toMatch(/setInterval|const sessions|cutoff/);
    }
  });

  it("stays when it does more than sweep, or is kept to be cleared", () => {
    const kept = (sweep: string) => migrateText("worker.ts", server(sweep), { insertTodos: false }).after;
    const reporting = `setInterval(() => {\n  const cutoff = Date.now() - 60_000;\n  for (const [id, entry] of sessions) if (entry.lastUsed < cutoff) sessions.delete(id);\n  report(sessions.size);\n}, 10_000);\ndeclare function report(n: number): void;`;
    expect(kept(reporting)).toContain(reporting);
    const cleared = `const sweeper = setInterval(() => {\n  for (const [id, entry] of sessions) if (entry.lastUsed < Date.now() - 60_000) sessions.delete(id);\n}, 10_000);\nexport const stop = () => clearInterval(sweeper);`;
    expect(kept(cleared)).toContain(cleared);
  });
});

describe("a CommonJS file", () => {
  it("is left as it was, with its findings and the reason, since migrate writes ES module imports", () => {
    const cjs = [
      `const { NodeStreamableHTTPServerTransport } = require("@modelcontextprotocol/node");`,
      `const transports = {};`,
      `exports.route = async (req, res) => {`,
      `  const id = req.headers["mcp-session-id"];`,
      `  const transport = transports[id] ?? new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => "x" });`,
      `  await transport.handleRequest(req, res);`,
      `};`,
      ``,
    ].join("\n");
    const result = migrateText("server.js", cjs, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.error).toMatch(/CommonJS/);
    expect(result.findings.map((f) => f.rule)).toContain("transport-routing");
  });
});

describe("the SDK v1 upgrade (the official codemod)", () => {
  it("keeps each rebuilt tool's body at the indentation it had, whatever the file's indentation unit", async () => {
    for (const unit of ["  ", "    ", "\t"]) {
      const at = (level: number, line: string) => unit.repeat(level) + line;
      // The handler's body and what follows it, as written (`extra`) and as the codemod names it (`ctx`).
      const rest = (context: string) => [
        at(2, `const id = ${context}.sessionId;`),
        at(2, `if (text) {`),
        // A template literal across lines: its second line is text, never indented.
        at(3, "return { content: [{ type: \"text\", text: `${id}:"),
        "${text}` }] };",
        at(2, `}`),
        at(2, `return { content: [] };`),
        at(1, `});`),
        at(1, `return server;`),
      ];
      const v1 = [
        `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
        `import { z } from "zod";`,
        `export function build() {`,
        at(1, `const server = new McpServer({ name: "t", version: "1" });`),
        at(1, `server.tool("add", "Add", { text: z.string() }, async ({ text }, extra) => {`),
        ...rest("extra"),
        `}`,
        ``,
      ].join("\n");
      const { text } = await upgradeFromV1("server.ts", v1);
      const lines = text.split("\n");
      const head = lines.findIndex((line) => line.includes(`registerTool("add"`));
      expect(lines[head]).toBe(at(1, `server.registerTool("add", { description: "Add", inputSchema: z.object({ text: z.string() }) }, async ({ text }, ctx) => {`));
      expect(lines.slice(head + 1, head + 9)).toEqual(rest("ctx"));
    }
  });

  it("drops its note about an import v2 lacks once a rule took that import out, and keeps it where the import stays", async () => {
    // The v1 examples' event store, as a published GitHub server imports it: resumability removes the option and the import.
    const v1 = [
      `import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";`,
      `import { InMemoryEventStore } from "@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js";`,
      `export const transport = new StreamableHTTPServerTransport({`,
      `  sessionIdGenerator: undefined,`,
      `  eventStore: new InMemoryEventStore(),`,
      `});`,
      ``,
    ].join("\n");
    const upgraded = await upgradeFromV1("server.ts", v1);
    expect(upgraded.notes.map((note) => note.message)).toEqual([expect.stringMatching(/^Unknown SDK import path: @modelcontextprotocol\/sdk\/examples\/shared\/inMemoryEventStore\.js/)]);
    const after = migrateText("server.ts", upgraded.text, { insertTodos: false }).after!;
    expect(after).not.toContain("inMemoryEventStore");
    expect(notesStanding(upgraded.notes, after)).toEqual([]);
    expect(notesStanding(upgraded.notes, upgraded.text)).toEqual(upgraded.notes);
    // And the command reports what stands.
    const dir = scratchProject({ "server.ts": v1 });
    try {
      const { stdout } = await runCli(["migrate", "--dry-run", path.join(dir, "server.ts")]);
      expect(stdout).toContain("(sdk-v1, resumability)");
      expect(stdout).not.toContain("Unknown SDK import path");
    } finally {
      removeProject(dir);
    }
  });
});

describe("a session's server made with other things beside it", () => {
  it("is left naming them, as a server per request has no session to close", () => {
    const text = [
      `import express from "express";`,
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { createServer } from "./server.js";`,
      `const transports = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `const app = express();`,
      `app.post("/mcp", async (req, res) => {`,
      `  const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      `  let transport = sessionId ? transports.get(sessionId) : undefined;`,
      `  if (!transport) {`,
      `    const { server, cleanup } = createServer();`,
      `    transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void transports.set(id, transport!) });`,
      `    transport.onclose = () => cleanup();`,
      `    await server.connect(transport);`,
      `  }`,
      `  await transport.handleRequest(req, res, req.body);`,
      `});`,
      ``,
    ].join("\n");
    expect(reasonsLeft(text, "transport-routing")).toEqual([
      "each session's server comes out of createServer() with cleanup beside it, kept for as long as the session lived (a cleanup for when it closed), and a server built per request has no session to close: make a function that returns only the server and needs nothing run after it (a timer or subscription a tool starts ends with its call), connect that, then run migrate again",
    ]);
  });
});

describe("a transport's error hook", () => {
  it("that names the session's transport goes with it, as the handler has no transport to name", () => {
    const text = read("transport-routing", "error-hook.input.ts").replace("transport error: ${(e as Error).message}", "transport ${transport!.sessionId} error: ${(e as Error).message}");
    const after = migrateText("server.ts", text, { insertTodos: false }).after!;
    expect(after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(createServer));");
    expect(after).not.toContain("{ onerror");
  });
});

describe("a transport's DNS rebinding protection", () => {
  it("set from lists this cannot read is left with the reason, not dropped with the transport", () => {
    const text = read("legacy-entry", "dns-rebinding.input.ts").replace(`allowedHosts: ["127.0.0.1:3000", "localhost:3000"],`, `allowedHosts: process.env.HOSTS!.split(","),`);
    expect(reasonsLeft(text, "legacy-entry")).toEqual([
      `a transport's DNS rebinding protection is set from process.env.HOSTS!.split(","), which this rewrite cannot read, and createMcpHandler does not check Host or Origin itself: put the SDK's guards in front of the handler by hand (hostHeaderValidation and originValidation from @modelcontextprotocol/node, hostnames without ports), or write the lists as literals, then run migrate again`,
    ]);
  });

  it("turned off, or given nothing to check, adds no guard", () => {
    for (const off of [`enableDnsRebindingProtection: false,`, `enableDnsRebindingProtection: true, allowedHosts: [], allowedOrigins: [],`]) {
      const text = read("legacy-entry", "dns-rebinding.input.ts").replace(/enableDnsRebindingProtection: true,[\s\S]*?allowedOrigins: \[[^\]]*\],/, off);
      const after = migrateText("server.ts", text, { insertTodos: false }).after!;
      expect(after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(createServer));");
      expect(after).not.toMatch(/Validation|Allowed/);
    }
  });
});

describe("routing inside a class", () => {
  const classServer = (connect: string) =>
    [
      `import express from "express";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `export class Http {`,
      `  constructor() {`,
      `    this.app = express();`,
      `    this.server = new McpServer({ name: "s", version: "1.0.0" });`,
      `    this.app.post("/mcp", async (req, res) => {`,
      `      const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `      await ${connect}.connect(transport);`,
      `      await transport.handleRequest(req, res, req.body);`,
      `    });`,
      `  }`,
      `  createServer() {`,
      `    return new McpServer({ name: "s", version: "1.0.0" });`,
      `  }`,
      `}`,
      ``,
    ].join("\n");

  it("hands requests to a field of the class whose factory calls the method that built the server, and answers GET and DELETE 405 on this.app", () => {
    const result = migrateText("server.js", classServer("this.createServer()"), { insertTodos: false });
    const lines = result.after!.split("\n");
    // JavaScript: a plain field, no modifiers.
    expect(lines).toContain(`  mcpHandler = toNodeHandler(createMcpHandler(() => this.createServer()));`);
    expect(lines).toContain(`      await this.mcpHandler(req, res, req.body);`);
    expect(lines).toContain(`    this.app.get("/mcp", (_req, res) => void res.writeHead(405, { allow: "POST" }).end());`);
    expect(lines).toContain(`    this.app.delete("/mcp", (_req, res) => void res.writeHead(405, { allow: "POST" }).end());`);
    expect(result.findings.filter((f) => f.rule === "legacy-entry")).toEqual([]);
  });

  it("keeps its transports' Host check, the guard declared above the class and asked in the POST method", () => {
    const text = read("transport-routing", "class-method.input.ts").replace(
      "onsessioninitialized: (id) => void this.transports.set(id, transport!),",
      `onsessioninitialized: (id) => void this.transports.set(id, transport!),\n        enableDnsRebindingProtection: true,\n        allowedHosts: ["localhost:3000"],`,
    );
    const lines = migrateText("server.ts", text, { insertTodos: false }).after!.split("\n");
    const guard = lines.indexOf(`const hostAllowed = hostHeaderValidation(["localhost"]);`);
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(lines.indexOf("export class NotesHttpServer {"));
    expect(lines).toContain(`  private readonly mcpHandler = toNodeHandler(createMcpHandler(() => this.createServer()));`);
    const post = lines.indexOf("  private async handlePost(req: Request, res: Response): Promise<void> {");
    expect(lines.slice(post + 1, post + 3)).toEqual(["    if (!hostAllowed(req, res)) return;", "    await this.mcpHandler(req, res, req.body);"]);
  });

  it("is left where the class keeps one server for every client, saying to build one in a method", () => {
    expect(reasonsLeft(classServer("this.server"), "legacy-entry")).toEqual([
      "each transport is connected to this.server, the one server the class keeps, and createMcpHandler needs a new server for each request: build one in a method of the class that takes nothing (`private createServer() { … return server; }`, the tools registered there) and connect `this.createServer()`, then run migrate again (the handler becomes a field of the class)",
    ]);
  });
});

describe("the routing's own try", () => {
  const route = [
      `import express from "express";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `declare const requestsServed: { inc(): void };`,
      `declare const log: { info(message: string, data?: unknown): void };`,
      `function buildServer() {`,
      `  return new McpServer({ name: "m", version: "1.0.0" });`,
      `}`,
      `const app = express();`,
      `app.use(express.json());`,
      `app.post("/mcp", async (req, res) => {`,
      `  const server = buildServer();`,
      `  try {`,
      `    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `    requestsServed.inc();`,
      `    log.info("mcp request", { method: req.body?.method });`,
      `    await server.connect(transport);`,
      `    await transport.handleRequest(req, res, req.body);`,
      `    log.info("mcp request handled");`,
      `  } catch (error) {`,
      `    log.info("failed", error);`,
      `    res.status(500).end();`,
      `  }`,
      `});`,
      ``,
    ].join("\n");

  it("stays around the handler with its catch, and what else its block did (a metric, log lines) around the dispatch, in order", () => {
    const result = migrateText("server.ts", route, { insertTodos: false });
    expect(result.findings).toEqual([]);
    const lines = result.after!.split("\n");
    const at = lines.indexOf(`app.post("/mcp", async (req, res) => {`);
    expect(lines.slice(at, at + 11)).toEqual([
      `app.post("/mcp", async (req, res) => {`,
      `  try {`,
      `    requestsServed.inc();`,
      `    log.info("mcp request", { method: req.body?.method });`,
      `    await mcpHandler(req, res, req.body);`,
      `    log.info("mcp request handled");`,
      `  } catch (error) {`,
      `    log.info("failed", error);`,
      `    res.status(500).end();`,
      `  }`,
      `});`,
    ]);
  });

  it("loses what in its block used the server the routing made, which goes (and a callback's own error is not the catch's)", () => {
    const hooked = route.replace(`    requestsServed.inc();`, `    server.server.onerror = (error) => log.info("server error", error);\n    requestsServed.inc();`);
    const result = migrateText("server.ts", hooked, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).not.toContain("server.server.onerror");
    expect(result.after).toContain(`  try {\n    requestsServed.inc();`);
  });

  it("goes with the routing where its catch handles the routing's own (closing the transport)", () => {
    const result = migrateText("server.ts", route.replace(`    log.info("failed", error);`, `    log.info("failed", error);\n    void server.close();`), { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).not.toContain("try {");
    expect(result.after).toContain(`app.post("/mcp", async (req, res) => {\n  await mcpHandler(req, res, req.body);\n});`);
  });
});

describe("a request handled inside a scope the tools read", () => {
  /** The module's head: the store the tools read the key from, and the server factory; `transport` imports the transport. */
  const head = (transport: string) => [
    `import { AsyncLocalStorage } from "node:async_hooks";`,
    `import express from "express";`,
    `import { McpServer } from "@modelcontextprotocol/server";`,
    transport,
    `const store = new AsyncLocalStorage<{ apiKey: string }>();`,
    `function buildServer() {`,
    `  return new McpServer({ name: "keyed", version: "1.0.0" });`,
    `}`,
  ];
  /** A stateless v1 route handing its transport the request inside `wrap` (`%CALL%` where the handling goes). */
  const route = (wrap: string) =>
    [
      ...head(`import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`),
      `const app = express();`,
      `app.use(express.json());`,
      `app.post("/mcp", async (req, res) => {`,
      `  const apiKey = req.header("x-api-key") ?? "";`,
      `  const server = buildServer();`,
      `  try {`,
      `    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `    await server.connect(transport);`,
      `    ${wrap.replace("%CALL%", "await transport.handleRequest(req, res, req.body);")}`,
      `  } catch (error) {`,
      `    res.status(500).end();`,
      `  }`,
      `});`,
      ``,
    ].join("\n");

  it("keeps the scope around the handler: what the tools read from it (an API key in AsyncLocalStorage) is there while it runs", () => {
    const result = migrateText("server.ts", route("store.run({ apiKey }, async () => {\n      %CALL%\n    });"), { insertTodos: false });
    expect(result.findings).toEqual([]);
    const lines = result.after!.split("\n");
    // In the route's own try, whose catch is the route's error handling, kept as it was.
    const start = lines.indexOf(`  const apiKey = req.header("x-api-key") ?? "";`);
    expect(lines.slice(start, start + 9)).toEqual([
      `  const apiKey = req.header("x-api-key") ?? "";`,
      `  try {`,
      `    await store.run({ apiKey }, async () => {`,
      `      await mcpHandler(req, res, req.body);`,
      `    });`,
      `  } catch (error) {`,
      `    res.status(500).end();`,
      `  }`,
      `});`,
    ]);
    // Its arguments written over lines keep their places relative to the call.
    const spread = migrateText("server.ts", route("store.run({\n      apiKey,\n    }, async () => {\n      %CALL%\n    });"), { insertTodos: false }).after!.split("\n");
    const open = spread.indexOf(`    await store.run({`);
    expect(spread.slice(open, open + 5)).toEqual([`    await store.run({`, `      apiKey,`, `    }, async () => {`, `      await mcpHandler(req, res, req.body);`, `    });`]);
    // Two scopes, the inner one's callback not async: each kept, the inner returning the handling.
    const nested = migrateText("server.ts", route("await tracer.span(\"mcp\", async (span) => {\n      await store.run({ apiKey }, () => %CALL%);\n    });").replace("const app", "declare const tracer: { span<T>(name: string, run: (span: unknown) => Promise<T>): Promise<T> };\nconst app").replace("() => await transport", "() => transport").replace("req.body););", "req.body));"), { insertTodos: false });
    expect(nested.findings).toEqual([]);
    const inner = nested.after!.split("\n");
    const at = inner.indexOf(`    await tracer.span("mcp", async (span) => {`);
    expect(inner.slice(at, at + 5)).toEqual([`    await tracer.span("mcp", async (span) => {`, `      await store.run({ apiKey }, () => {`, `        return mcpHandler(req, res, req.body);`, `      });`, `    });`]);
  });

  it("keeps it on the legacy SSE messages route too, with what it read of the request, in the route that takes its place", () => {
    const sse = (scopeArgument: string) =>
      [
        ...head(`import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";`),
        `const transports = new Map<string, SSEServerTransport>();`,
        `const app = express();`,
        `app.get("/sse", async (req, res) => {`,
        `  const transport = new SSEServerTransport("/messages", res);`,
        `  transports.set(transport.sessionId, transport);`,
        `  await buildServer().connect(transport);`,
        `});`,
        `app.post("/messages", async (req, res) => {`,
        `  const transport = transports.get(req.query.sessionId as string);`,
        `  if (transport) {`,
        `    const token = req.header("x-api-key") ?? "";`,
        `    const apiKey = token.trim();`,
        `    store.run({ ${scopeArgument} }, async () => {`,
        `      await transport.handlePostMessage(req, res);`,
        `    });`,
        `  } else {`,
        `    res.status(404).end();`,
        `  }`,
        `});`,
        ``,
      ].join("\n");
    const result = migrateText("server.ts", sse("apiKey"), { insertTodos: false });
    expect(result.findings).toEqual([]);
    const lines = result.after!.split("\n");
    const route = lines.indexOf(`app.post("/sse", async (req, res) => {`);
    // The consts the scope's value is made of, in their order.
    expect(lines.slice(route, route + 7)).toEqual([`app.post("/sse", async (req, res) => {`, `  const token = req.header("x-api-key") ?? "";`, `  const apiKey = token.trim();`, `  await store.run({ apiKey }, async () => {`, `    await mcpHandler(req, res);`, `  });`, `});`]);
    // What the scope is handed from the session (the transport it looked up) cannot go with it.
    const left = migrateText("server.ts", sse("apiKey: String(transport.sessionId)"), { insertTodos: false });
    expect(left.findings.map((f) => f.fix)).toContainEqual(expect.stringMatching(/^the messages route handled each message inside store\.run\(…\)/));
  });

  it("leaves the routing where the scope reads what the routing declared, which goes", () => {
    const result = migrateText("server.ts", route("await store.run({ apiKey: String(transport.sessionId) }, async () => {\n      %CALL%\n    });"), { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.map((f) => f.rule)).toContain("legacy-entry");
  });
});

describe("a server built per request from the request", () => {
  it("is left, saying what the factory is handed instead, when it takes what createMcpHandler does not hand on", () => {
    const whole = [
      `import express from "express";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `function createMcpServer(req: express.Request) {`,
      `  return new McpServer({ name: req.hostname, version: "1.0.0" });`,
      `}`,
      `const app = express();`,
      `app.post("/mcp", async (req, res) => {`,
      `  const server = createMcpServer(req);`,
      `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `  await server.connect(transport);`,
      `  await transport.handleRequest(req, res, req.body);`,
      `});`,
      ``,
    ].join("\n");
    expect(reasonsLeft(whole, "legacy-entry")).toEqual([
      "each request's server is built by createMcpServer(req), from req, which createMcpHandler does not hand its factory: it hands it the request as a web Request (`requestInfo`) and its auth (`authInfo`); make createMcpServer take what it needs from those (`({ requestInfo, authInfo }) => createMcpServer(…)`), or read it from the request's headers in the handler, then run migrate again",
    ]);
    // The query string is not a header: the same, naming what it reads.
    expect(reasonsLeft(whole.replace("createMcpServer(req);", "createMcpServer(String(req.query.tenant));"), "legacy-entry")[0]).toContain("is built by createMcpServer(String(req.query.tenant)), from req,");
  });

  it("is made where the names it reads are, takes the auth the handler made sure of, and leaves the app's own refusals first", () => {
    // A router made by a function of the app's context, as a published server mounts it: stateless v1, per request.
    const mounted = [
      `import { Router, type Request, type Response } from "express";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `declare function requiresAuth(): (req: Request, res: Response, next: () => void) => void;`,
      `function createMcpServer(options: { apiKey: string; app: string }) {`,
      `  return new McpServer({ name: options.app, version: "1.0.0" });`,
      `}`,
      `export const createStreamRouter = (appName: string) => {`,
      `  const router = Router();`,
      `  router.post("/", requiresAuth(), async (req: Request, res: Response) => {`,
      `    const auth = req.auth;`,
      `    if (!auth) {`,
      `      res.status(401).send("Unauthorized");`,
      `      return;`,
      `    }`,
      `    const server = createMcpServer({`,
      `      apiKey: auth.token,`,
      `      app: appName,`,
      `    });`,
      `    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `    await server.connect(transport);`,
      `    await transport.handleRequest(req, res, req.body);`,
      `  });`,
      `  router.get("/", requiresAuth(), (_req: Request, res: Response) => {`,
      `    res.writeHead(405).end();`,
      `  });`,
      `  return router;`,
      `};`,
      ``,
    ].join("\n");
    const result = migrateText("stream.ts", mounted, { insertTodos: false });
    expect(result.findings).toEqual([]);
    const lines = result.after!.split("\n");
    const handler = lines.indexOf(`  const mcpHandler = toNodeHandler(createMcpHandler(({ authInfo }) => createMcpServer({`);
    // Inside the function whose parameter it reads, above the route; its lines where the call had them.
    expect(handler).toBeGreaterThan(lines.indexOf(`export const createStreamRouter = (appName: string) => {`));
    expect(lines.slice(handler + 1, handler + 4)).toEqual([`    apiKey: authInfo!.token,`, `    app: appName,`, `  })));`]);
    expect(handler).toBeLessThan(lines.indexOf(`  router.post("/", requiresAuth(), async (req: Request, res: Response) => {`));
    expect(lines).toContain(`    await mcpHandler(req, res, req.body);`);
    // The app's own GET answer stays the only one (an added route would come first, past its auth); DELETE is added.
    expect(lines.filter((line) => line.startsWith(`  router.get("/"`))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith(`  router.delete("/"`))).toHaveLength(1);
    // Without the handler's own refusal, the factory cannot say the auth is there.
    const unchecked = migrateText("stream.ts", mounted.replace(`    if (!auth) {\n      res.status(401).send("Unauthorized");\n      return;\n    }\n`, ""), { insertTodos: false });
    expect(unchecked.after).toContain(`    apiKey: authInfo.token,`);
    // A function with no block around the route has no place for the handler: left, saying so.
    const bare = [
      `import type { Router } from "express";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `const build = (app: string) => new McpServer({ name: app, version: "1.0.0" });`,
      `export const mount = (router: Router, appName: string) =>`,
      `  router.post("/mcp", async (req, res) => {`,
      `    const server = build(appName);`,
      `    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `    await server.connect(transport);`,
      `    await transport.handleRequest(req, res, req.body);`,
      `  });`,
      ``,
    ].join("\n");
    expect(reasonsLeft(bare, "legacy-entry")).toEqual([expect.stringMatching(/^each request's server is built from what mount takes or declares, .* give mount a block body/)]);
  });

  /** An express app made by a function taking `parameter`, routing by session to servers the `build` lines make. */
  const sessionApp = (parameter: string, build: string[]) =>
    [
      `import { randomUUID } from "node:crypto";`,
      `import express from "express";`,
      `import { McpServer, isInitializeRequest } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      ``,
      `export function createApp(${parameter}) {`,
      `  const app = express();`,
      `  app.use(express.json());`,
      `  const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `  app.post("/mcp", async (req, res) => {`,
      `    const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      `    let transport: NodeStreamableHTTPServerTransport;`,
      `    if (sessionId && transports[sessionId]) {`,
      `      transport = transports[sessionId];`,
      `    } else if (!sessionId && isInitializeRequest(req.body)) {`,
      `      transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { transports[id] = transport; } });`,
      ...build.map((line) => `      ${line}`),
      `      await server.connect(transport);`,
      `    } else {`,
      `      res.status(400).send("no session");`,
      `      return;`,
      `    }`,
      `    await transport.handleRequest(req, res, req.body);`,
      `  });`,
      `  return app;`,
      `}`,
      ``,
    ].join("\n");

  it("is made in the function that is handed the factory (an app built around a server factory), where the routing was", () => {
    const result = migrateText("app.ts", sessionApp("serverFactory: () => McpServer", ["const server = serverFactory();"]), { insertTodos: false });
    expect(result.findings).toEqual([]);
    const lines = result.after!.split("\n");
    const handler = lines.indexOf("  const mcpHandler = toNodeHandler(createMcpHandler(serverFactory));");
    expect(handler).toBeGreaterThan(lines.indexOf("export function createApp(serverFactory: () => McpServer) {"));
    expect(handler).toBeLessThan(lines.indexOf(`  app.post("/mcp", async (req, res) => {`));
    expect(lines).toContain("    await mcpHandler(req, res, req.body);");
    expect(result.after).not.toContain("transports");
  });

  it("is built inline from what the function around the routing takes: the factory and handler go in that function", () => {
    const build = [`const server = new McpServer({ name: appName, version: "1.0.0" });`, `server.registerTool("ping", { description: "Ping" }, async () => ({ content: [{ type: "text", text: appName }] }));`];
    const result = migrateText("app.ts", sessionApp("appName: string", build), { insertTodos: false });
    expect(result.findings).toEqual([]);
    const lines = result.after!.split("\n");
    const start = lines.indexOf("export function createApp(appName: string) {");
    // At module level, appName would not be in scope.
    expect(lines.indexOf("  function createMcpServer() {")).toBeGreaterThan(start);
    expect(lines).toContain(`    const server = new McpServer({ name: appName, version: "1.0.0" });`);
    expect(lines.indexOf("  const mcpHandler = toNodeHandler(createMcpHandler(createMcpServer));")).toBeGreaterThan(start);
  });

  it("is left, saying to work it out for each request, when statements work it out from the request that starts a session", () => {
    const sessions = [
      `import { randomUUID } from "node:crypto";`,
      `import express from "express";`,
      `import { McpServer, isInitializeRequest } from "@modelcontextprotocol/server";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `declare function resolveToken(headers: unknown): { status: "ok"; token: string } | { status: "missing" };`,
      `function buildServer(headers: Record<string, string> | undefined) {`,
      `  return new McpServer({ name: headers ? "tenant" : "shared", version: "1.0.0" });`,
      `}`,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `const app = express();`,
      `app.post("/mcp", async (req, res) => {`,
      `  const sessionId = req.headers["mcp-session-id"] as string | undefined;`,
      `  let transport: NodeStreamableHTTPServerTransport;`,
      `  if (sessionId && transports[sessionId]) {`,
      `    transport = transports[sessionId];`,
      `  } else if (!sessionId && isInitializeRequest(req.body)) {`,
      `    let upstream: Record<string, string> | undefined;`,
      `    const resolution = resolveToken(req.headers);`,
      `    if (resolution.status === "ok") {`,
      `      upstream = { Authorization: \`Bearer \${resolution.token}\` };`,
      `    } else {`,
      `      res.status(401).json({ jsonrpc: "2.0", error: { code: -32001, message: "Unauthorized" }, id: null });`,
      `      return;`,
      `    }`,
      `    transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { transports[id] = transport; } });`,
      `    await buildServer(upstream).connect(transport);`,
      `  } else {`,
      `    res.status(400).send("no session");`,
      `    return;`,
      `  }`,
      `  await transport.handleRequest(req, res, req.body);`,
      `});`,
      ``,
    ].join("\n");
    const [reason] = reasonsLeft(sessions, "transport-routing");
    expect(reason).toMatch(/^each session's server is built by buildServer\(upstream\), from upstream, which the routing works out from the request that starts a session \(line 20\); /);
    expect(reason).toContain("build the server in the factory (`({ requestInfo }) => buildServer(…)`)");
    // Worked out from something else than the request, it is the session's state still.
    expect(reasonsLeft(sessions.replace("resolveToken(req.headers)", "resolveToken(process.env)"), "transport-routing")[0]).toMatch(/^each session's server is built by buildServer\(upstream\), which hands it state that lived as long as the session/);
  });
});

describe("v1 registrations named by a constant", () => {
  it("become registerTool, registerPrompt and registerResource with the name as written, where the codemod alone refused the call", async () => {
    const v1 = [
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `import { z } from "zod";`,
      `const TOOLS = { list: "list_items" } as const;`,
      `const PROMPT = "summarize";`,
      `export function configure(server: McpServer, tools: Array<{ name: string; run: () => Promise<{ content: [] }> }>) {`,
      `  server.tool(TOOLS.list, "Lists the items.", { limit: z.number() }, async ({ limit }) => ({ content: [{ type: "text", text: String(limit) }] }));`,
      `  server.prompt(PROMPT, "Summarizes.", { topic: z.string() }, ({ topic }) => ({ messages: [{ role: "user", content: { type: "text", text: topic } }] }));`,
      `  for (const tool of tools) server.tool(tool.name, "From a list.", tool.run);`,
      `}`,
      ``,
    ].join("\n");
    const { text, notes } = await upgradeFromV1("tools.ts", v1);
    expect(notes).toEqual([]);
    expect(text).toContain(`server.registerTool(TOOLS.list, { description: "Lists the items.", inputSchema: z.object({ limit: z.number() }) }, async ({ limit }) =>`);
    expect(text).toContain(`server.registerPrompt(PROMPT, { description: "Summarizes.", argsSchema: z.object({ topic: z.string() }) }, ({ topic }) =>`);
    expect(text).toContain(`for (const tool of tools) server.registerTool(tool.name, { description: "From a list." }, tool.run);`);
    expect(text).not.toContain("__mcpStateless");
  });
});

describe("the head of a v1 file", () => {
  it("keeps its #! line on top after the codemod rebuilds the imports under it", async () => {
    const v1 = [`#!/usr/bin/env node`, ``, `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`, `import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";`, ``, `const server = new McpServer({ name: "cli", version: "1.0.0" });`, `await server.connect(new StdioServerTransport());`, ``].join("\n");
    const lines = (await upgradeFromV1("index.ts", v1)).text.split("\n");
    expect(lines.slice(0, 3)).toEqual([`#!/usr/bin/env node`, ``, `import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";`]);
  });

  it("keeps the comment that says what the file is, above imports the codemod rebuilds, with or without a #! line", async () => {
    // The request schema's import is one the codemod drops whole, and the comment went with it.
    const body = [
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";`,
      `import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";`,
      `const server = new McpServer({ name: "cli", version: "1.0.0" });`,
      `server.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [] }));`,
      `await server.connect(new StdioServerTransport());`,
      ``,
    ];
    const header = [`/**`, ` * The notes server: one tool per verb.`, ` */`, `// Served over stdio.`];
    for (const shebang of [[`#!/usr/bin/env node`], []]) {
      const lines = (await upgradeFromV1("index.ts", [...shebang, ...header, ...body].join("\n"))).text.split("\n");
      expect(lines.slice(0, shebang.length + header.length + 1)).toEqual([...shebang, ...header, `import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";`]);
    }
  });
});

describe("results a low-level v1 server built without a type", () => {
  const v1 = [
    `import { Server } from "@modelcontextprotocol/sdk/server/index.js";`,
    `import { CallToolRequest, CallToolRequestSchema, GetPromptRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema } from "@modelcontextprotocol/sdk/types.js";`,
    `const ADD = { name: "add", inputSchema: { type: "object", properties: { n: { type: "number" } } } };`,
    `const MORE = [{ name: "count", inputSchema: { type: "object" } }];`,
    `const TYPED: { name: string; inputSchema: { type: "object" } } = { name: "typed", inputSchema: { type: "object" } };`,
    `const text = (value: string) => ({ content: [{ type: "text", text: value }] });`,
    `async function add(n: number) {`,
    `  return text(String(n + 1));`,
    `}`,
    `async function onCall(request: CallToolRequest) {`,
    `  return request.params.name === "add" ? await add(Number(request.params.arguments?.n)) : { content: [{ type: "text", text: "?" }] };`,
    `}`,
    `function prompt(style: string) {`,
    `  return { messages: [{ role: "user", content: { type: "text", text: style } }] };`,
    `}`,
    `function later() {`,
    `  return Promise.resolve(prompt("later"));`,
    `}`,
    `const server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {}, prompts: {}, resources: {} } });`,
    `server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [ADD, TYPED, ...MORE] }));`,
    `server.setRequestHandler(CallToolRequestSchema, onCall);`,
    `server.setRequestHandler(GetPromptRequestSchema, async (request) => (request.params.name === "now" ? prompt("now") : later()));`,
    `server.setRequestHandler(ReadResourceRequestSchema, async (request) => {`,
    `  const result = { contents: [{ uri: request.params.uri, text: "" }] };`,
    `  return result;`,
    `});`,
    ``,
  ].join("\n");

  it("are typed where they are declared, by what v2 types each method's handler to return", async () => {
    const lines = (await upgradeFromV1("server.ts", v1)).text.split("\n");
    expect(lines).toContain(`import { Server, CallToolRequest, type Tool, type CallToolResult, type GetPromptResult, type ReadResourceResult } from "@modelcontextprotocol/server";`);
    expect(lines).toContain(`const ADD: Tool = { name: "add", inputSchema: { type: "object", properties: { n: { type: "number" } } } };`);
    expect(lines).toContain(`const MORE: Tool[] = [{ name: "count", inputSchema: { type: "object" } }];`);
    // What has a type keeps it; a helper's helpers are followed.
    expect(lines).toContain(`const TYPED: { name: string; inputSchema: { type: "object" } } = { name: "typed", inputSchema: { type: "object" } };`);
    expect(lines).toContain(`const text = (value: string): CallToolResult => ({ content: [{ type: "text", text: value }] });`);
    expect(lines).toContain(`async function add(n: number): Promise<CallToolResult> {`);
    expect(lines).toContain(`async function onCall(request: CallToolRequest): Promise<CallToolResult> {`);
    expect(lines).toContain(`function prompt(style: string): GetPromptResult {`);
    // A plain function returning a promise it did not build is left to say what it returns.
    expect(lines).toContain(`function later() {`);
    expect(lines).toContain(`  const result: ReadResourceResult = { contents: [{ uri: request.params.uri, text: "" }] };`);
    // The method names the codemod writes take the file's quotes.
    expect(lines).toContain(`server.setRequestHandler("tools/call", onCall);`);
  });

  it("leave a name the file declares for itself, and JavaScript, alone", async () => {
    const own = v1.replace(`const ADD =`, `interface Tool { name: string }\nconst ADD =`);
    const lines = (await upgradeFromV1("server.ts", own)).text.split("\n");
    expect(lines).toContain(`const ADD = { name: "add", inputSchema: { type: "object", properties: { n: { type: "number" } } } };`);
    expect(lines).toContain(`const MORE = [{ name: "count", inputSchema: { type: "object" } }];`);
    expect(lines).toContain(`async function add(n: number): Promise<CallToolResult> {`);
    const js = v1.replace(/\((\w+): (?:string|number|CallToolRequest)\)/g, "($1)").replace(/^const TYPED: [^=]*=/m, "const TYPED =");
    expect((await upgradeFromV1("server.js", js)).text).not.toMatch(/: (?:Tool|CallToolResult|GetPromptResult)\b/);
  });

  it("give a handler its result type where it writes a list of two entries or more, and a list made readonly `as const` the list's type", async () => {
    const source = [
      `import { Server } from "@modelcontextprotocol/sdk/server/index.js";`,
      `import { ListPromptsRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";`,
      `const PROMPTS = [{ name: "one" }] as const;`,
      `const server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {}, prompts: {} } });`,
      `server.setRequestHandler(ListToolsRequestSchema, async () => {`,
      `  return {`,
      `    tools: [`,
      `      { name: "set", inputSchema: { type: "object", properties: { key: { type: "string" } } } },`,
      `      { name: "delete", inputSchema: { type: "object", properties: { key: { oneOf: [{ type: "string" }, { type: "array" }] } } } },`,
      `    ],`,
      `  };`,
      `});`,
      `server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS }));`,
      `server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [{ name: "a" }, { name: "b", description: "d" }] }));`,
      ``,
    ].join("\n");
    const lines = (await upgradeFromV1("server.ts", source)).text.split("\n");
    expect(lines).toContain(`server.setRequestHandler("tools/list", async (): Promise<ListToolsResult> => {`);
    expect(lines).toContain(`const PROMPTS: Prompt[] = [{ name: "one" }];`);
    expect(lines).toContain(`server.setRequestHandler("prompts/list", async () => ({ prompts: PROMPTS }));`);
    // Other lists' entries have no JSON values to trip over: nothing to add.
    expect(lines).toContain(`server.setRequestHandler("prompts/list", async () => ({ prompts: [{ name: "a" }, { name: "b", description: "d" }] }));`);
  });

  it("are typed on the method of the class a handler calls them from (`this.reply(…)`)", async () => {
    const source = [
      `import { Server } from "@modelcontextprotocol/sdk/server/index.js";`,
      `import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";`,
      `class Notes {`,
      `  private server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {} } });`,
      `  constructor() {`,
      `    this.server.setRequestHandler(CallToolRequestSchema, async () => this.reply("ok"));`,
      `  }`,
      `  private reply(text: string) {`,
      `    return { content: [{ type: "text", text }] };`,
      `  }`,
      `}`,
      `export const notes = new Notes();`,
      ``,
    ].join("\n");
    expect((await upgradeFromV1("server.ts", source)).text.split("\n")).toContain(`  private reply(text: string): CallToolResult {`);
  });

  it("are typed in the module that declares them, when the handlers import them", () => {
    const handlers = [
      `import { Server } from "@modelcontextprotocol/server";`,
      `import { TOOLS as tools, onCall } from "./tools.js";`,
      `const server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {} } });`,
      `server.setRequestHandler("tools/list", async () => ({ tools }));`,
      `server.setRequestHandler("tools/call", onCall);`,
    ].join("\n");
    const demands = importedDemands("server.ts", handlers);
    expect([...demands.keys()]).toEqual(["./tools.js"]);
    const module = [
      `const todos: string[] = [];`,
      `const ADD = { name: "add", inputSchema: { type: "object" } };`,
      `const all = [ADD];`,
      `function reply(text: string) {`,
      `  return { content: [{ type: "text", text }] };`,
      `}`,
      `export function onCall() {`,
      `  return reply(todos.join(", "));`,
      `}`,
      `export { all as TOOLS };`,
    ].join("\n");
    expect(typedResults("tools.ts", module, demands.get("./tools.js")).split("\n")).toEqual([
      `import { type Tool, type CallToolResult } from "@modelcontextprotocol/server";`,
      ``,
      `const todos: string[] = [];`,
      `const ADD: Tool = { name: "add", inputSchema: { type: "object" } };`,
      `const all: Tool[] = [ADD];`,
      `function reply(text: string): CallToolResult {`,
      `  return { content: [{ type: "text", text }] };`,
      `}`,
      `export function onCall() {`,
      `  return reply(todos.join(", "));`,
      `}`,
      `export { all as TOOLS };`,
    ]);
    // And what that module returns from a third, that one is asked for in turn.
    const onward = importedDemands("tools.ts", `import { reply } from "./results.js";\nexport function onCall() {\n  return reply("done");\n}\n`, demands.get("./tools.js"));
    expect(onward.get("./results.js")).toEqual([{ exported: "reply", role: "call", method: "tools/call" }]);
  });

  it("type a tool's `as const` input schema with v2's Tool where the project typed the tool, unless the file reads its type", async () => {
    // The Tavily load balancer's tool list: v1's Tool took readonly arrays, v2's JSON-typed one does not.
    const v1 = [
      `import { Tool } from '@modelcontextprotocol/sdk/types.js';`,
      `export const searchSchema = {`,
      `  type: 'object',`,
      `  properties: { depth: { type: 'string', enum: ['basic', 'advanced'] } },`,
      `  required: ['depth'],`,
      `} as const;`,
      `const mapSchema = { type: 'object', required: ['url'] } as const;`,
      `export type MapArgs = typeof mapSchema;`,
      `export const tools: Tool[] = [`,
      `  { name: 'search', inputSchema: searchSchema },`,
      `  { name: 'map', inputSchema: mapSchema },`,
      `];`,
      ``,
    ].join("\n");
    const lines = (await upgradeFromV1("definitions.ts", v1)).text.split("\n");
    expect(lines).toContain(`export const searchSchema: Tool['inputSchema'] = {`);
    expect(lines[lines.indexOf(`export const searchSchema: Tool['inputSchema'] = {`) + 4]).toBe(`};`);
    expect(lines).toContain(`const mapSchema = { type: 'object', required: ['url'] } as const;`);
  });

  it("follow a result kept from a method of the class a field holds, into the module that declares it, in that module's quotes", () => {
    // A published Tavily load balancer: `const result = await this.toolRouter.callTool(name, args); return result;`.
    const handlers = [
      `import { Server } from "@modelcontextprotocol/server";`,
      `import { ToolRouter } from "./tool-router.js";`,
      `export class Host {`,
      `  private server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {} } });`,
      `  constructor(private toolRouter: ToolRouter) {`,
      `    this.server.setRequestHandler("tools/call", async (request) => {`,
      `      const result = await this.toolRouter.callTool(request.params.name);`,
      `      return result;`,
      `    });`,
      `  }`,
      `}`,
    ].join("\n");
    const demands = importedDemands("server.ts", handlers);
    expect(demands.get("./tool-router.js")).toEqual([{ exported: "ToolRouter", role: "member", method: "tools/call", member: "callTool" }]);
    const router = [
      `import { search } from './client.js';`,
      `export class ToolRouter {`,
      `  async callTool(name: string) {`,
      `    return { content: [{ type: 'text', text: await search(name) }] };`,
      `  }`,
      `}`,
    ].join("\n");
    expect(typedResults("tool-router.ts", router, demands.get("./tool-router.js")).split("\n")).toEqual([
      `import { search } from './client.js';`,
      `import { type CallToolResult } from '@modelcontextprotocol/server';`,
      `export class ToolRouter {`,
      `  async callTool(name: string): Promise<CallToolResult> {`,
      `    return { content: [{ type: 'text', text: await search(name) }] };`,
      `  }`,
      `}`,
    ]);
  });
});

describe("a list change pushed in v1's low-level spelling", () => {
  it("goes like send…ListChanged(), awaited or not, where no toggle is left for it to announce", () => {
    const text = [
      `import { Server, createMcpHandler } from "@modelcontextprotocol/server";`,
      `function build() {`,
      `  const server = new Server({ name: "s", version: "1" }, { capabilities: { resources: {} } });`,
      `  server.setRequestHandler("tools/call", async () => {`,
      `    await server.notification({ method: "notifications/resources/list_changed" });`,
      `    server.sendToolListChanged();`,
      `    return { content: [] };`,
      `  });`,
      `  return server;`,
      `}`,
      `export const handler = createMcpHandler(build);`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", text, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toBe(text.replace(`    await server.notification({ method: "notifications/resources/list_changed" });\n    server.sendToolListChanged();\n`, ""));
  });

  it("goes the same when sent on the request: v2's ctx.mcpReq.notify, v1's sendNotification", () => {
    const text = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `export function build(server: McpServer, sendNotification: (n: { method: string }) => Promise<void>) {`,
      `  server.registerTool("refresh", { description: "Reload" }, async (ctx) => {`,
      `    await ctx.mcpReq.notify({ method: "notifications/tools/list_changed" });`,
      `    await sendNotification({ method: "notifications/prompts/list_changed" });`,
      `    return { content: [] };`,
      `  });`,
      `}`,
      ``,
    ].join("\n");
    const result = migrateText("server.ts", text, { insertTodos: false });
    expect(result.findings).toEqual([]);
    expect(result.after).toBe(text.replace(`    await ctx.mcpReq.notify({ method: "notifications/tools/list_changed" });\n    await sendNotification({ method: "notifications/prompts/list_changed" });\n`, ""));
  });
});

describe("a ZodError's errors, which zod 4 calls issues only", () => {
  it("are its issues where the code has made sure it holds a ZodError; any other errors are left", async () => {
    const v1 = [
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `import { z } from "zod";`,
      `const Args = z.object({ key: z.string() });`,
      `export function check(input: unknown, response: { errors: string[] }) {`,
      `  try {`,
      `    const parsed = Args.safeParse(input);`,
      `    if (!parsed.success) return parsed.error.errors.length;`,
      `    return response.errors.length;`,
      `  } catch (error) {`,
      `    if (error instanceof z.ZodError) throw new Error(error.errors.map((e) => e.message).join(", "));`,
      `    const count = error instanceof z.ZodError ? error.errors.length : 0;`,
      `    return (error as { errors?: unknown[] }).errors?.length ?? count;`,
      `  }`,
      `}`,
      ``,
    ].join("\n");
    const lines = (await upgradeFromV1("server.ts", v1)).text.split("\n");
    expect(lines).toContain(`    if (!parsed.success) return parsed.error.issues.length;`);
    expect(lines).toContain(`    return response.errors.length;`);
    expect(lines).toContain(`    if (error instanceof z.ZodError) throw new Error(error.issues.map((e) => e.message).join(", "));`);
    expect(lines).toContain(`    const count = error instanceof z.ZodError ? error.issues.length : 0;`);
    expect(lines).toContain(`    return (error as { errors?: unknown[] }).errors?.length ?? count;`);
  });
});

describe("a schema zod-to-json-schema converted", () => {
  const v1 = (zodImport: string) => [
    `import { Server } from "@modelcontextprotocol/sdk/server/index.js";`,
    `import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";`,
    zodImport,
    `import { zodToJsonSchema } from "zod-to-json-schema";`,
    `const Args = z.object({ path: z.string() });`,
    `const Out = z.object({ size: z.number() });`,
    `type ToolInput = { type: "object" };`,
    `const server = new Server({ name: "s", version: "1" }, { capabilities: { tools: {} } });`,
    `server.setRequestHandler(ListToolsRequestSchema, async () => ({`,
    `  tools: [`,
    `    { name: "a", inputSchema: zodToJsonSchema(Args), outputSchema: zodToJsonSchema(Out) },`,
    `    { name: "b", inputSchema: zodToJsonSchema(Args) as ToolInput },`,
    `  ],`,
    `}));`,
    `export const named = zodToJsonSchema(Args, "Args");`,
    ``,
  ].join("\n");

  it("is zod's own toJSONSchema, reading a tool's input as the SDK does, typed as the tool's schema; a call with options is left with a note", async () => {
    const { text, notes } = await upgradeFromV1("server.ts", v1(`import { z } from "zod";`));
    const lines = text.split("\n");
    expect(lines).toContain(`    { name: "a", inputSchema: z.toJSONSchema(Args, { io: "input" }) as Tool["inputSchema"], outputSchema: z.toJSONSchema(Out) as Tool["outputSchema"] },`);
    // A cast the file wrote stays the only one.
    expect(lines).toContain(`    { name: "b", inputSchema: z.toJSONSchema(Args, { io: "input" }) as ToolInput },`);
    expect(lines).toContain(`import { Server, type Tool, type ListToolsResult } from "@modelcontextprotocol/server";`);
    expect(lines).toContain(`export const named = zodToJsonSchema(Args, "Args");`);
    expect(lines).toContain(`import { zodToJsonSchema } from "zod-to-json-schema";`);
    const namespaced = await upgradeFromV1("server.ts", v1(`import * as z from "zod/v4";`));
    expect(namespaced.text).toContain(`{ name: "b", inputSchema: z.toJSONSchema(Args, { io: "input" }) as ToolInput },`);
    expect(notes.map((n) => [lines[n.line - 1], n.message.split(":")[0]])).toEqual([[`export const named = zodToJsonSchema(Args, "Args");`, "zod-to-json-schema reads zod 3 schemas only, and migrate moves the project to zod 4"]]);
  });

  it("is imported from zod by name where the file has no z, and its import goes once nothing uses it", async () => {
    const source = v1(`import { object as zodObject, string, number } from "zod";\nconst z = { object: zodObject, string, number };`).replace(/^export const named.*\n/m, "");
    const lines = (await upgradeFromV1("server.ts", source)).text.split("\n");
    expect(lines).toContain(`import { object as zodObject, string, number, toJSONSchema } from "zod";`);
    expect(lines).toContain(`    { name: "b", inputSchema: toJSONSchema(Args, { io: "input" }) as ToolInput },`);
    expect(lines.some((line) => line.includes("zod-to-json-schema"))).toBe(false);
  });

  it("writes what it adds in the file's own quotes and semicolons, in a module of the project's own", () => {
    const table = [`import { z } from 'zod'`, `import zodToJsonSchema from 'zod-to-json-schema'`, ``, `const Args = z.object({ actor: z.string() })`, `export const addTool = { name: 'add-actor', inputSchema: zodToJsonSchema(Args) }`, ``].join("\n");
    expect(zodOwnJsonSchema("tools.ts", table).text).toBe(
      [`import { z } from 'zod'`, `import { type Tool } from '@modelcontextprotocol/server'`, ``, `const Args = z.object({ actor: z.string() })`, `export const addTool = { name: 'add-actor', inputSchema: z.toJSONSchema(Args, { io: 'input' }) as Tool['inputSchema'] }`, ``].join("\n"),
    );
  });
});

describe("a request header a v1 tool read", () => {
  it("is read with get() on v2's web Request, and stays string | undefined; the session header is left to session-state", async () => {
    const v1 = [
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `import { z } from "zod";`,
      `const server = new McpServer({ name: "t", version: "1" });`,
      `server.tool("whoami", "Who calls", { verbose: z.boolean() }, async ({ verbose }, extra) => {`,
      `  const key = extra.requestInfo?.headers["x-api-key"] as string | undefined;`,
      `  const agent = extra.requestInfo?.headers?.["user-agent"];`,
      `  const session = extra.requestInfo?.headers["mcp-session-id"];`,
      `  if (extra.requestInfo?.headers["x-debug"] === "1") console.error(agent, session);`,
      `  const auth = extra.requestInfo?.headers.authorization;`,
      `  extra.requestInfo?.headers.forEach?.(() => {});`,
      `  return { content: [{ type: "text", text: verbose ? String(key) : "" }] };`,
      `});`,
      ``,
    ].join("\n");
    const lines = (await upgradeFromV1("server.ts", v1)).text.split("\n");
    expect(lines).toContain(`  const key = (ctx.http?.req?.headers.get("x-api-key") ?? undefined) as string | undefined;`);
    expect(lines).toContain(`  const agent = ctx.http?.req?.headers?.get("user-agent") ?? undefined;`);
    expect(lines).toContain(`  const session = ctx.http?.req?.headers["mcp-session-id"];`);
    expect(lines).toContain(`  if ((ctx.http?.req?.headers.get("x-debug") ?? undefined) === "1") console.error(agent, session);`);
    // By name, unless the name is one of Headers' own members.
    expect(lines).toContain(`  const auth = ctx.http?.req?.headers.get("authorization") ?? undefined;`);
    expect(lines).toContain(`  ctx.http?.req?.headers.forEach?.(() => {});`);
  });

  it("is read with get() through a variable holding the headers, a cast or `?? {}` around them, or destructured", async () => {
    const v1 = [
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `import { z } from "zod";`,
      `const server = new McpServer({ name: "t", version: "1" });`,
      `server.tool("whoami", "Who calls", { verbose: z.boolean() }, async ({ verbose }, extra) => {`,
      `  const headers = extra.requestInfo?.headers;`,
      `  if (!headers) throw new Error("no headers");`,
      `  const auth = headers["authorization"] || headers["Authorization"];`,
      `  const ip = (extra.requestInfo?.headers as Record<string, string | string[] | undefined> | undefined)?.["x-client-ip"];`,
      `  const cast = extra.requestInfo?.headers as Record<string, string | undefined>;`,
      `  const tenant: Record<string, unknown> = extra.requestInfo?.headers ?? {};`,
      `  const { host, "x-trace": trace = "none" } = extra.requestInfo?.headers ?? {};`,
      `  const inner = () => { const headers = { x: "1" }; return headers["x"]; };`,
      `  const text = [auth, ip, cast["x-region"], tenant["x-tenant"] === undefined ? "" : "t", host, trace, inner()].join(" ");`,
      `  return { content: [{ type: "text", text: verbose ? text : "" }] };`,
      `});`,
      ``,
    ].join("\n");
    const { text, notes } = await upgradeFromV1("server.ts", v1);
    const lines = text.split("\n");
    expect(lines).toContain(`  const headers = ctx.http?.req?.headers;`);
    // Only truthiness counts on the left of ||, so null does as well as undefined there.
    expect(lines).toContain(`  const auth = headers.get("authorization") || (headers.get("Authorization") ?? undefined);`);
    expect(lines).toContain(`  const ip = ctx.http?.req?.headers?.get("x-client-ip") ?? undefined;`);
    // The cast hid whether the headers may be undefined: the read asks.
    expect(lines).toContain(`  const cast = ctx.http?.req?.headers;`);
    expect(lines).toContain(`  const tenant = ctx.http?.req?.headers ?? new Headers();`);
    expect(lines).toContain(`  const host = ctx.http?.req?.headers?.get("host") ?? undefined, trace = ctx.http?.req?.headers?.get("x-trace") ?? "none";`);
    // A variable of the same name in a nested scope is someone else's.
    expect(lines).toContain(`  const inner = () => { const headers = { x: "1" }; return headers["x"]; };`);
    expect(lines).toContain(`  const text = [auth, ip, cast?.get("x-region") ?? undefined, (tenant.get("x-tenant") ?? undefined) === undefined ? "" : "t", host, trace, inner()].join(" ");`);
    expect(notes.filter((note) => note.message.includes("headers"))).toEqual([]);
  });

  it("leaves no codemod 'verify' for RequestHandlerExtra where every use named the server's pair, and keeps it where one did not", async () => {
    const extra = (uses: string) =>
      [
        `import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";`,
        `import type { ClientNotification, ClientRequest, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";`,
        `export const signalOf = (extra: ${uses}) => extra.signal;`,
        ``,
      ].join("\n");
    const verify = async (uses: string) => (await upgradeFromV1("server.ts", extra(uses))).notes.map((note) => note.message).filter((message) => message.includes("Verify"));
    expect(await verify("RequestHandlerExtra<ServerRequest, ServerNotification>")).toEqual([]);
    expect(await verify("RequestHandlerExtra<ClientRequest, ClientNotification>")).toHaveLength(1);
    expect(await verify("RequestHandlerExtra<ServerRequest, ServerNotification> | RequestHandlerExtra<ClientRequest, ClientNotification>")).toHaveLength(1);
    // Without arguments the codemod guessed from the file's imports: that stays for a person to verify.
    expect(await verify("RequestHandlerExtra")).toHaveLength(1);
  });

  it("leaves no codemod 'verify' for ErrorCode where every member is a protocol code, and keeps it where one is the SDK's own", async () => {
    const thrown = (member: string) =>
      [
        `import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";`,
        `export function fail(name: string): never {`,
        `  throw new McpError(ErrorCode.${member}, \`Unknown tool: \${name}\`);`,
        `}`,
        ``,
      ].join("\n");
    const split = async (member: string) => (await upgradeFromV1("server.ts", thrown(member))).notes.filter((note) => note.message.startsWith("ErrorCode split"));
    expect(await split("MethodNotFound")).toEqual([]);
    expect(await split("InvalidParams")).toEqual([]);
    expect(await split("RequestTimeout")).toHaveLength(1);
  });

  it("handed on to code it cannot follow is a note of where, with what to do", async () => {
    const v1 = [
      `import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";`,
      `import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";`,
      `type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;`,
      `declare function tokenOf(headers: unknown): string;`,
      `export const token = (extra: Extra) => tokenOf(extra.requestInfo?.headers);`,
      `export function all(extra: Extra) {`,
      `  const headers = extra.requestInfo?.headers ?? {};`,
      `  const copy = new Headers(headers as HeadersInit);`,
      `  return { copy, headers };`,
      `}`,
      `export const raw = (extra: Extra) => extra.requestInfo?.headers;`,
      ``,
    ].join("\n");
    const { notes } = await upgradeFromV1("server.ts", v1);
    expect(notes.filter((note) => note.message.includes("headers")).map((note) => `${note.line}:${note.column} ${note.message.replace(/ as in v1.*/, "")} | ${note.fix}`)).toEqual([
      `5:48 the request's headers (extra.http?.req?.headers) are handed to tokenOf() | read each header there with .get(name), or hand it Object.fromEntries(extra.http?.req?.headers) for a plain object`,
      `9:18 the request's headers (headers) are handed to the property headers | read each header there with .get(name), or hand it Object.fromEntries(headers) for a plain object`,
      `11:38 the request's headers (extra.http?.req?.headers) are handed to the function's caller | read each header there with .get(name), or hand it Object.fromEntries(extra.http?.req?.headers) for a plain object`,
    ]);
  });
});

describe("a server served by a framework migrate does not rewrite", () => {
  it("is left as it was, each other finding saying to move the server first", () => {
    const fastmcp = [
      `import { FastMCP } from "fastmcp";`,
      `const counts = new Map<string, number>();`,
      `const server = new FastMCP({ name: "counter", version: "1.0.0" });`,
      `server.addTool({ name: "count", execute: async (_args, context) => String(counts.get(context.sessionId!) ?? 0) });`,
      ``,
    ].join("\n");
    expect(reasonsLeft(fastmcp, "session-state")).toEqual(["this file's server is FastMCP's, which migrate does not rewrite: move it to the SDK v2 first (fastmcp, line 3), then run migrate again"]);
    const agent = [`import { createMcpHandler, McpAgent } from "agents/mcp";`, `export class A extends McpAgent {}`, `export const legacy = createMcpHandler(server);`, `declare const server: never;`, ``].join("\n");
    expect(reasonsLeft(agent, "agents-handler")).toEqual(["this file's server is an McpAgent, which migrate does not rewrite: move it to the SDK v2 first (mcp-agent, line 2), then run migrate again"]);
    const framework = [`import { MCPServer } from "mcp-framework";`, `const server = new MCPServer({ transport: { type: "http-stream" } });`, `const seen = new Map<string, number>();`, `export const count = (extra: { sessionId: string }) => seen.set(extra.sessionId, 1);`, `await server.start();`, ``].join("\n");
    expect(reasonsLeft(framework, "session-state")).toEqual(["this file's server is mcp-framework's, which migrate does not rewrite: move it to the SDK v2 first (mcp-framework, line 2), then run migrate again"]);
    const nest = [`import { McpModule } from "@rekog/mcp-nest";`, `export const mcp = McpModule.forRoot({ name: "notes", version: "1.0.0" });`, `const seen = new Map<string, number>();`, `export const count = (extra: { sessionId: string }) => seen.set(extra.sessionId, 1);`, ``].join("\n");
    expect(reasonsLeft(nest, "session-state")).toEqual(["this file's server is @rekog/mcp-nest 1.x's, which migrate does not rewrite: move it to the SDK v2 first (mcp-nest-v1, line 2), then run migrate again"]);
    const smithery = [`import { createStatefulServer } from "@smithery/sdk/server/stateful.js";`, `import { McpServer } from "@modelcontextprotocol/server";`, `const seen = new Map<string, number>();`, `const { app } = createStatefulServer((arg: { sessionId: string }) => {`, `  seen.set(arg.sessionId, 1);`, `  return new McpServer({ name: "s", version: "1.0.0" }).server;`, `});`, `app.listen(8081);`, ``].join("\n");
    expect(reasonsLeft(smithery, "session-state")).toEqual(["this file's server is served by Smithery's SDK 1.x, which migrate does not rewrite: move it to createMcpHandler first (smithery, line 4), then run migrate again"]);
    // Half an entry would be worse than none: its session routes answered 405 while its POST still wants a session.
    const express = [
      `import express from "express";`,
      `import { randomUUID } from "node:crypto";`,
      `import { statefulHandlers } from "express-mcp-handler";`,
      `import { createServer } from "./server.js";`,
      `const app = express();`,
      `const handlers = statefulHandlers(createServer, { sessionIdGenerator: () => randomUUID() });`,
      `app.post("/mcp", handlers.postHandler);`,
      `app.get("/mcp", handlers.getHandler);`,
      `app.delete("/mcp", handlers.deleteHandler);`,
      ``,
    ].join("\n");
    expect(reasonsLeft(express, "transport-routing")).toEqual(["this file's server is served by express-mcp-handler with sessions, which migrate does not rewrite: move it to createMcpHandler first (express-mcp-sessions, line 6), then run migrate again"]);
  });
});

describe("express-mcp-handler's statelessHandler, where migrate cannot be sure", () => {
  const app = (lines: string[]) =>
    [`import express from "express";`, `import { statelessHandler } from "express-mcp-handler";`, `import { createServer } from "./server.js";`, `const app = express();`, ...lines, ``].join("\n");

  it("leaves the call, saying why: an option with no counterpart, no factory, a handler used besides routes, a createMcpHandler of the file's own", () => {
    expect(reasonsLeft(app([`app.post("/mcp", statelessHandler(createServer, { onClose: () => console.log("done") }));`]))).toEqual([expect.stringMatching(/^its onClose runs when each exchange ends, and createMcpHandler has no such option/)]);
    expect(reasonsLeft(app([`app.post("/mcp", statelessHandler(createServer, options));`, `declare const options: object;`]))).toEqual([expect.stringMatching(/^its options are passed by name/)]);
    expect(reasonsLeft(app([`app.post("/mcp", statelessHandler());`]))).toEqual([expect.stringMatching(/^statelessHandler\(\) serves express-mcp-handler's own placeholder server/)]);
    expect(reasonsLeft(app([`export const handler = statelessHandler(createServer);`, `app.post("/mcp", handler);`, `export default handler;`]))).toEqual([expect.stringMatching(/^handler is used besides being handed to routes \(line 7\)/)]);
    expect(reasonsLeft(app([`const mcp = { handler: statelessHandler(createServer) };`, `app.post("/mcp", mcp.handler);`]))).toEqual([expect.stringMatching(/^it is not handed to a route migrate can see/)]);
    const own = app([`app.post("/mcp", statelessHandler(createServer));`]).replace(`import express from "express";`, `import express from "express";\nimport { createMcpHandler } from "./mcp.js";\nvoid createMcpHandler;`);
    expect(reasonsLeft(own)).toEqual(["the file already has a createMcpHandler of its own: import @modelcontextprotocol/server's under another name by hand"]);
  });

  it("drops sessionIdGenerator: undefined, which said what createMcpHandler is", () => {
    const { after } = migrateText("app.ts", app([`app.use(express.json());`, `app.post("/mcp", statelessHandler(createServer, { sessionIdGenerator: undefined }));`]), { insertTodos: false });
    expect(after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(createServer));");
    expect(after).not.toContain("express-mcp-handler");
  });
});

describe("the SDK v1 upgrade of a call written one argument per line", () => {
  it("puts the rebuilt call's body one level in from the call, and its closing line where the call stands", async () => {
    for (const unit of ["  ", "    ", "\t"]) {
      const at = (level: number, line: string) => unit.repeat(level) + line;
      const v1 = [
        `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
        `import { z } from "zod";`,
        `export function build() {`,
        at(1, `const server = new McpServer({ name: "t", version: "1" });`),
        at(1, `server.tool(`),
        at(2, `"echo",`),
        at(2, `"Echo a message",`),
        at(2, `{ message: z.string() },`),
        at(2, `async ({ message }, extra) => ({`),
        at(3, "content: [{ type: \"text\", text: `${message} ${extra.sessionId}` }],"),
        at(2, `}),`),
        at(1, `);`),
        at(1, `return server;`),
        `}`,
        ``,
      ].join("\n");
      const { text } = await upgradeFromV1("server.ts", v1);
      const lines = text.split("\n");
      const head = lines.findIndex((line) => line.includes(`registerTool("echo"`));
      expect(lines[head]).toBe(at(1, `server.registerTool("echo", { description: "Echo a message", inputSchema: z.object({ message: z.string() }) }, async ({ message }, ctx) => ({`));
      expect(lines.slice(head + 1, head + 4)).toEqual([at(2, "content: [{ type: \"text\", text: `${message} ${ctx.sessionId}` }],"), at(1, `}));`), at(1, `return server;`)]);
    }
  });
});

describe("the SDK v1 upgrade in a single-quoted file", () => {
  it("writes the imports the codemod rebuilds in single quotes too", async () => {
    const v1 = [
      `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';`,
      `import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';`,
      `import * as z from 'zod/v4';`,
      `const server = new McpServer({ name: 't', version: '1' });`,
      `server.tool('echo', 'Echo', { text: z.string() }, async ({ text }) => ({ content: [{ type: 'text', text }] }));`,
      `await server.connect(new StdioServerTransport());`,
      ``,
    ].join("\n");
    const { text } = await upgradeFromV1("server.ts", v1);
    const imports = text.split("\n").filter((line) => line.startsWith("import"));
    expect(imports.length).toBeGreaterThan(1);
    expect(imports.filter((line) => line.includes('"'))).toEqual([]);
  });
});

describe("the SDK v1 upgrade in a file without semicolons", () => {
  it("writes what the codemod rebuilds without them too", async () => {
    const v1 = [
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"`,
      `import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"`,
      `import * as z from "zod/v4"`,
      `const server = new McpServer({ name: "t", version: "1" })`,
      `server.tool("echo", "Echo", { text: z.string() }, async ({ text }) => ({ content: [{ type: "text", text }] }))`,
      `await server.connect(new StdioServerTransport())`,
      ``,
    ].join("\n");
    const { text } = await upgradeFromV1("server.ts", v1);
    expect(text).toContain("@modelcontextprotocol/server");
    expect(text.split("\n").filter((line) => line.trimEnd().endsWith(";"))).toEqual([]);
  });
});

describe("package.json after a migration", () => {
  const v2Source = `import { McpServer } from "@modelcontextprotocol/server";\nimport { z } from "zod";`;

  it("changes only what it must, in place: dependencies keep their order, new ones go at the end", () => {
    const before = { name: "x", dependencies: { zod: "^3.25.0", express: "^5.1.0", "@modelcontextprotocol/sdk": "^1.17.0" } };
    const after = JSON.parse(upgradeManifest(JSON.stringify(before, null, 2), [v2Source])!);
    expect(Object.entries(after.dependencies)).toEqual([
      ["zod", "^4.6.7"],
      ["express", "^5.1.0"],
      ["@modelcontextprotocol/server", "^2.4.0"],
    ]);
  });

  it("adds every v2 package the migrated code imports, subpaths included", () => {
    const migrated = `import { createMcpExpressApp } from '@modelcontextprotocol/express';\nimport { requireBearerAuth } from '@modelcontextprotocol/server-legacy/auth';\n${v2Source}`;
    const before = { dependencies: { "@modelcontextprotocol/sdk": "^1.29.0", express: "^5.1.0", zod: "^4.3.0" } };
    const after = JSON.parse(upgradeManifest(JSON.stringify(before), [migrated])!);
    expect(after.dependencies).toEqual({
      "@modelcontextprotocol/express": "^2.0.2",
      "@modelcontextprotocol/server": "^2.4.0",
      "@modelcontextprotocol/server-legacy": "^2.3.1",
      express: "^5.1.0",
      zod: "^4.3.0",
    });
  });

  it("drops zod-to-json-schema once nothing imports it, and names @modelcontextprotocol/core where the code imports the protocol's schemas", () => {
    const before = JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", zod: "^3.25.0", "zod-to-json-schema": "^3.24.0" } });
    const schemas = `import { ToolSchema } from "@modelcontextprotocol/core";\n${v2Source}`;
    expect(JSON.parse(upgradeManifest(before, [schemas])!).dependencies).toEqual({ "@modelcontextprotocol/core": "^2.4.0", "@modelcontextprotocol/server": "^2.4.0", zod: "^4.6.7" });
    const stillUsed = `import { zodToJsonSchema } from "zod-to-json-schema";\n${v2Source}`;
    expect(JSON.parse(upgradeManifest(before, [stillUsed])!).dependencies).toHaveProperty("zod-to-json-schema");
  });

  it("keeps the v1 SDK while a file still imports it (an McpAgent, a file migrate left alone)", () => {
    const before = JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", agents: "^0.2.0", zod: "^3.25.0" } });
    const agent = `import { McpAgent } from "agents/mcp";\nimport { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`;
    expect(JSON.parse(upgradeManifest(before, [v2Source, agent])!).dependencies).toEqual({ "@modelcontextprotocol/sdk": "^1.17.0", "@modelcontextprotocol/server": "^2.4.0", agents: "^0.2.0", zod: "^4.6.7" });
  });

  it("raises agents to the release on this SDK once the code imports its stateless handler, and only then", () => {
    const handler = `import { createMcpHandler } from "agents/mcp/server";\n${v2Source}`;
    const upgraded = (agents: string, sources: string[]) => JSON.parse(upgradeManifest(JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", agents, zod: "^4.3.0" } }), sources)!).dependencies.agents;
    expect(upgraded("^0.2.0", [handler])).toBe("^0.32.0");
    expect(upgraded("0.24.0", [handler])).toBe("^0.32.0");
    expect(upgraded("^0.32.1", [handler])).toBe("^0.32.1");
    expect(upgraded("^1.0.0", [handler])).toBe("^1.0.0");
    expect(upgraded("workspace:*", [handler])).toBe("workspace:*");
    expect(upgraded("^0.2.0", [v2Source])).toBe("^0.2.0");
  });

  it("moves mcp-handler to 2.x, and @vercel/mcp-adapter to mcp-handler, once the route imports it so", () => {
    const route = `import { createMcpHandler } from "mcp-handler";\nimport { z } from "zod";`;
    const upgraded = (dependencies: Record<string, string>) => JSON.parse(upgradeManifest(JSON.stringify({ dependencies }), [route])!).dependencies;
    expect(upgraded({ "@modelcontextprotocol/sdk": "^1.25.0", "mcp-handler": "^1.0.2", redis: "^4.7.0", zod: "^3.24.2" })).toEqual({ "@modelcontextprotocol/server": "^2.4.0", "mcp-handler": "^2.4.0", redis: "^4.7.0", zod: "^4.6.7" });
    expect(upgraded({ "@vercel/mcp-adapter": "^0.11.0", zod: "^3.24.2" })).toEqual({ "@modelcontextprotocol/server": "^2.4.0", "mcp-handler": "^2.4.0", zod: "^4.6.7" });
    expect(upgradeManifest(JSON.stringify({ dependencies: { "@modelcontextprotocol/server": "^2.4.0", "mcp-handler": "^2.1.0", zod: "^4.3.0" } }), [route])).toBeUndefined();
  });

  it("leaves the manifest of a package on mcp-framework alone: its SDK v1 and zod 3 peers must stay", () => {
    const dependencies = { "@modelcontextprotocol/sdk": "^1.29.0", "mcp-framework": "^0.2.22", zod: "^3.25.0" };
    expect(upgradeManifest(JSON.stringify({ dependencies }), [v2Source])).toBeUndefined();
    const { "mcp-framework": _, ...without } = dependencies;
    expect(JSON.parse(upgradeManifest(JSON.stringify({ dependencies: without }), [v2Source])!).dependencies).toEqual({ "@modelcontextprotocol/server": "^2.4.0", zod: "^4.6.7" });
  });

  it("leaves the manifest of a package on @rekog/mcp-nest 1.x alone, and not one on 2.x or a range it cannot read", () => {
    const upgraded = (nest: string) => upgradeManifest(JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", "@rekog/mcp-nest": nest, zod: "^4.3.5" } }), [v2Source]);
    expect(upgraded("^1.9.9")).toBeUndefined();
    expect(upgraded("1.8.0")).toBeUndefined();
    for (const nest of ["^2.0.5", "workspace:*"]) expect(JSON.parse(upgraded(nest)!).dependencies).toEqual({ "@modelcontextprotocol/server": "^2.4.0", "@rekog/mcp-nest": nest, zod: "^4.3.5" });
  });

  it("leaves the manifest of a package on Smithery's SDK 1.x or 2.x alone, and not one on its types-only 3.x and later", () => {
    const upgraded = (smithery: string) => upgradeManifest(JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.20.0", "@smithery/sdk": smithery, zod: "^3.25.0" } }), [v2Source]);
    for (const smithery of ["^1.7.5", "2.1.0"]) expect(upgraded(smithery)).toBeUndefined();
    expect(JSON.parse(upgraded("^4.3.0")!).dependencies).toEqual({ "@modelcontextprotocol/server": "^2.4.0", "@smithery/sdk": "^4.3.0", zod: "^4.6.7" });
  });

  it("counts imports, exports from and requires, not strings that name a package", () => {
    const before = JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", zod: "^4.3.0" } });
    const named = `${v2Source}\nexport const ADAPTERS = ["@modelcontextprotocol/express", "@hono/mcp"];\n`;
    expect(Object.keys(JSON.parse(upgradeManifest(before, [named])!).dependencies)).toEqual(["@modelcontextprotocol/server", "zod"]);
    const used = `${v2Source}\nexport { createMcpExpressApp } from "@modelcontextprotocol/express";\nconst legacy = require("@modelcontextprotocol/server-legacy/auth");\n`;
    expect(Object.keys(JSON.parse(upgradeManifest(before, [used])!).dependencies)).toEqual(["@modelcontextprotocol/express", "@modelcontextprotocol/server", "@modelcontextprotocol/server-legacy", "zod"]);
  });

  it("drops @hono/mcp once nothing imports it, and keeps it while something does", () => {
    const before = JSON.stringify({ dependencies: { "@hono/mcp": "^0.1.0", "@modelcontextprotocol/sdk": "^1.17.0", hono: "^4.7.0", zod: "^4.3.0" } });
    expect(Object.keys(JSON.parse(upgradeManifest(before, [v2Source])!).dependencies)).toEqual(["@modelcontextprotocol/server", "hono", "zod"]);
    const stillUsed = `import { StreamableHTTPTransport } from "@hono/mcp";\n${v2Source}`;
    expect(Object.keys(JSON.parse(upgradeManifest(before, [stillUsed])!).dependencies)).toEqual(["@hono/mcp", "@modelcontextprotocol/server", "hono", "zod"]);
  });

  it("drops express-mcp-handler once nothing imports it, and keeps it while something does", () => {
    const before = JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", express: "^5.1.0", "express-mcp-handler": "^0.3.0", zod: "^4.3.0" } });
    expect(Object.keys(JSON.parse(upgradeManifest(before, [v2Source])!).dependencies)).toEqual(["@modelcontextprotocol/server", "express", "zod"]);
    const stillUsed = `import { statefulHandlers } from "express-mcp-handler";\n${v2Source}`;
    expect(Object.keys(JSON.parse(upgradeManifest(before, [stillUsed])!).dependencies)).toEqual(["@modelcontextprotocol/server", "express", "express-mcp-handler", "zod"]);
  });

  it("drops fetch-to-node once nothing imports it: the handler takes the web Request itself", () => {
    const before = JSON.stringify({ dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", "fetch-to-node": "^2.1.0", hono: "^4.7.0", zod: "^4.3.0" } });
    expect(Object.keys(JSON.parse(upgradeManifest(before, [v2Source])!).dependencies)).toEqual(["@modelcontextprotocol/server", "hono", "zod"]);
    const stillUsed = `import { toReqRes } from "fetch-to-node";\n${v2Source}`;
    expect(Object.keys(JSON.parse(upgradeManifest(before, [stillUsed])!).dependencies)).toEqual(["@modelcontextprotocol/server", "fetch-to-node", "hono", "zod"]);
  });

  it("keeps a sorted list sorted", () => {
    const before = { dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", express: "^5.1.0", zod: "^4.3.0" } };
    const after = JSON.parse(upgradeManifest(JSON.stringify(before), [v2Source])!);
    expect(Object.keys(after.dependencies)).toEqual(["@modelcontextprotocol/server", "express", "zod"]);
  });

  it("leaves versions it cannot read alone: a pnpm catalog, a workspace, an alias, a path", () => {
    for (const zod of ["catalog:runtimeShared", "catalog:", "workspace:^", "npm:zod@^3.25.0", "file:../zod", "github:colinhacks/zod"]) {
      const before = { dependencies: { "@modelcontextprotocol/server": "workspace:^", zod } };
      expect(upgradeManifest(JSON.stringify(before), [v2Source]), zod).toBeUndefined();
    }
  });
});

describe("what cannot be migrated safely", () => {
  it("is left exactly as it was and reported", () => {
    const text = read("unmigratable", "input.ts");
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.rule}`)).toEqual(["8:17 session-state", "16:3 session-telemetry"]);
  });

  it("moves a server built inline into its factory without changing a template literal's lines", () => {
    const text = read("transport-routing", "inline-server.input.ts").replace("text: String(a + b)", "text: `sum:\n      ${a + b}`");
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.after).toContain("function createMcpServer() {");
    expect(result.after).toContain("text: `sum:\n      ${a + b}`");
  });

  it("leaves a session id in a query, not a store's key, keyed by session, and says what it can follow", () => {
    const text = read("session-state", "store-key.input.ts").replaceAll("`shop:cart:${ctx.sessionId!}`", "`SELECT sku FROM carts WHERE session = '${ctx.sessionId!}'`");
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(new Set(result.findings.map((f) => f.fix))).toEqual(new Set([expect.stringMatching(/keys nothing it can follow \(.*a store's key written `kind:\$\{id\}`\)/)]));
  });

  it("names the function a session id is handed to, and then moves no map of the file (that function may key one of them)", () => {
    const text = [
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { cartFor } from "./state.js";`,
      `const notes = new Map<string, string[]>();`,
      `export function build(server: McpServer) {`,
      `  server.registerTool("add", { description: "Add." }, async (_args, ctx) => {`,
      `    notes.set(ctx.sessionId!, [...(notes.get(ctx.sessionId!) ?? []), "x"]);`,
      `    return { content: [{ type: "text", text: String(cartFor(ctx.sessionId).length) }] };`,
      `  });`,
      `}`,
      ``,
    ].join("\n");
    expect(reasonsLeft(text, "session-state")).toEqual([
      "ctx.sessionId is handed to cartFor(), which may keep state by it where this rewrite does not follow (into a function, or another module), so it stays keyed by session: give it a handle by hand (a create_* tool returns an id, each tool that reads it takes the id), or make it fit, then run migrate again",
    ]);
  });

  it("leaves a session's keys of two kinds alone: one handle should stand for both", () => {
    const text = read("session-state", "store-key.input.ts").replace("await redis.expire(key, 3600);", "await redis.incr(`shop:visits:${ctx.sessionId!}`);");
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(new Set(result.findings.map((f) => f.fix))).toEqual(new Set([expect.stringMatching(/^the store's cart:… keys and the store's visit:… keys are keyed by one session, and one handle should stand for both/)]));
  });

  it("leaves routing alone when the server it builds inline depends on the request", () => {
    const text = read("transport-routing", "inline-server.input.ts").replace('name: "example-server"', "name: String(req.headers.host)");
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.filter((f) => f.rule === "transport-routing").length).toBeGreaterThan(3);
  });

  it("with two maps keyed by the session, leaves both alone: one handle should stand for both", () => {
    const text = read("session-state", "record.input.ts").replace(
      "export function build",
      "const seen = new Map<string, number>();\nexport function noteSeen(server: McpServer) {\n  server.registerTool(\"seen\", { description: \"When\" }, async (ctx) => ({ content: [{ type: \"text\", text: String(seen.get(ctx.sessionId!)) }] }));\n}\n\nexport function build",
    );
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.filter((f) => f.rule === "session-state")).toHaveLength(8);
  });

  it("with a read outside any tool (a resource), leaves the whole map alone rather than half of it", () => {
    const resource = `\n  server.registerResource("basket", "basket://mine", {}, async (uri, ctx) => ({\n    contents: [{ uri: uri.href, text: (baskets.get(ctx.sessionId!) ?? []).join(",") }],\n  }));\n}\n`;
    const text = read("session-state", "basic.input.ts").replace(/\n}\n$/, resource);
    expect(text).toContain("registerResource");
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.filter((f) => f.rule === "session-state")).toHaveLength(5);
  });

  it("migrates a map that the session routing also cleared, once the routing is gone, in one run", () => {
    const text = `import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";
import { McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";

const todos = new Map<string, string[]>();
const transports = new Map<string, NodeStreamableHTTPServerTransport>();

function build(): McpServer {
  const server = new McpServer({ name: "todos", version: "1.0.0" });
  server.registerTool("add_todo", { description: "Add a todo", inputSchema: z.object({ item: z.string() }) }, async ({ item }, ctx) => {
    todos.set(ctx.sessionId!, [...(todos.get(ctx.sessionId!) ?? []), item]);
    return { content: [{ type: "text", text: "added" }] };
  });
  return server;
}

createServer(async (req, res) => {
  const sid = req.headers["mcp-session-id"] as string | undefined;
  let transport = sid ? transports.get(sid) : undefined;
  if (!transport) {
    const created = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void transports.set(id, created) });
    created.onclose = () => {
      if (created!.sessionId) todos.delete(created!.sessionId);
    };
    await build().connect(created);
    transport = created;
  }
  await transport.handleRequest(req, res);
}).listen(3000);
`;
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.error).toBeUndefined();
    expect(result.findings).toEqual([]);
    expect(result.applied).toEqual(["transport-routing", "session-state"]);
    expect(result.after).toContain(`const todos = new HandleMap<string[]>("todo", { createTool: "create_todo" });`);
    expect(result.after).toContain("todos.set(todos.open(todo_id, ctx), [...(todos.get(todos.open(todo_id, ctx)) ?? []), item]);");
    expect(result.after).not.toContain("sessionId");
    // And a second run has nothing left to do.
    expect(migrateText("input.ts", result.after!, { insertTodos: false }).after).toBeUndefined();
  });

  it("with a computed key, leaves the whole map alone rather than half of it", () => {
    // A key made from the session id (not the id itself) may collide with others: it is not followed.
    const text = read("session-state", "basic.input.ts").replace("const items = baskets.get(extra.sessionId!) ?? [];", "const sid = `cart:${extra.sessionId}`;\n    const items = baskets.get(sid) ?? [];");
    const result = migrateText("input.ts", text, { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.findings.filter((f) => f.rule === "session-state")).toHaveLength(4);
  });
});

describe("modules a migration leaves without an importer", () => {
  it("are those imported before, by any form of specifier, and by nothing after", () => {
    const before = new Map([
      ["/p/route.ts", `import { a } from "./registry.js";\nimport { b } from "./lib";\nexport { c } from "./util/index.ts";\n`],
      ["/p/registry.ts", "export const a = 1;\n"],
      ["/p/lib/index.ts", "export const b = 2;\n"],
      ["/p/util/index.ts", "export const c = 3;\n"],
      ["/p/main.ts", `import "./route.js";\n`],
    ]);
    const after = new Map(before).set("/p/route.ts", `import { b } from "./lib";\n`);
    expect(orphanedModules(before, after)).toEqual(new Map([["/p/registry.ts", ["/p/route.ts"]], ["/p/util/index.ts", ["/p/route.ts"]]]));
    expect(orphanedModules(before, before)).toEqual(new Map());
    // And what a file's relative import names, among the run's files.
    const imported = importedTexts(before)("/p/route.ts");
    expect(imported("./registry.js")).toBe("export const a = 1;\n");
    expect(imported("./lib")).toBe("export const b = 2;\n");
    expect(imported("./nowhere.js")).toBeNull();
    expect(imported("zod")).toBeUndefined();
  });

  it("follow the tsconfig's path aliases as they follow relative imports, the longest prefix first", () => {
    const texts = new Map([
      ["/p/app/route.ts", `import { a } from "@/registry";\nimport { b } from "@lib";\n`],
      ["/p/registry.ts", "export const a = 1;\n"],
      ["/p/lib/index.ts", "export const b = 2;\n"],
      ["/p/lib/special.ts", "export const s = 3;\n"],
    ]);
    const aliases = () => [
      { pattern: "@/*", targets: ["/p/src/*", "/p/*"] },
      { pattern: "@/special/*", targets: ["/p/lib/special"] },
      { pattern: "@lib", targets: ["/p/lib"] },
    ];
    const imported = importedTexts(texts, aliases)("/p/app/route.ts");
    expect(imported("@/registry")).toBe("export const a = 1;\n");
    expect(imported("@lib")).toBe("export const b = 2;\n");
    expect(imported("@/special/x")).toBe("export const s = 3;\n");
    expect(imported("@/nowhere")).toBeNull();
    expect(imported("zod")).toBeUndefined();
    const after = new Map(texts).set("/p/app/route.ts", `import { b } from "@lib";\n`);
    expect(orphanedModules(texts, after, aliases)).toEqual(new Map([["/p/registry.ts", ["/p/app/route.ts"]]]));
  });
});

describe("mcp-stateless migrate", () => {
  function project(): string {
    // Its own manifest, so the run never looks further up for one.
    const dir = scratchProject({ "package.json": `{ "name": "scratch", "private": true }\n` });
    dirs.push(dir);
    for (const rule of ["resumability", "list-mutation"]) copyFileSync(path.join(fixtures, rule, "basic.input.ts"), path.join(dir, `${rule}.ts`));
    copyFileSync(path.join(fixtures, "unmigratable/input.ts"), path.join(dir, "unmigratable.ts"));
    return dir;
  }

  it("rewrites what it can, reports the rest with file:line:col, and exits 1 while findings remain", async () => {
    const dir = project();
    const { code, stdout } = await runCli(["migrate", dir]);
    expect(code).toBe(1);
    expect(readFileSync(path.join(dir, "resumability.ts"), "utf8")).toBe(read("resumability", "basic.expected.ts"));
    expect(stdout).toMatch(/migrated .*resumability\.ts \(resumability\)/);
    expect(stdout).toMatch(/unmigratable\.ts:8:17  session-state  extra\.sessionId ties state to the client's session\n    to do: extra\.sessionId is handed to count\(\), which may keep state by it where this rewrite does not follow \(into a function, or another module\), so it stays keyed by session: give it a handle by hand/);
    expect(stdout).toMatch(/unmigratable\.ts:16:3  session-telemetry  metrics\.increment\(…\) is keyed on the session id/);
    expect(stdout).toMatch(/2 files changed, 2 findings left\./);
  });

  it("converts a module still using zod-to-json-schema when the run moves its project to zod 4, and reports a call it cannot", async () => {
    const manifest = { name: "s", private: true, dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", zod: "^3.25.0", "zod-to-json-schema": "^3.24.0" } };
    const server = [
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";`,
      `const server = new McpServer({ name: "s", version: "1.0.0" });`,
      `await server.connect(new StdioServerTransport());`,
      ``,
    ].join("\n");
    const schemas = [`import { z } from "zod";`, `import { zodToJsonSchema } from "zod-to-json-schema";`, `export const Args = zodToJsonSchema(z.object({ a: z.string() }));`, ``].join("\n");
    const dir = scratchProject({ "package.json": JSON.stringify(manifest), "server.ts": server, "schemas.ts": schemas });
    dirs.push(dir);
    const { code, stdout } = await runCli(["migrate", dir]);
    expect(stdout).toMatch(/migrated .*schemas\.ts \(sdk-v1\)/);
    expect(code).toBe(0);
    // Not an SDK module, but the run's move to zod 4 would break it: converted as an upgraded module's calls are.
    expect(readFileSync(path.join(dir, "schemas.ts"), "utf8")).toBe(`import { z } from "zod";\nexport const Args = z.toJSONSchema(z.object({ a: z.string() }), { io: "input" });\n`);
    const upgraded = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).dependencies;
    expect(upgraded.zod).toMatch(/^\^4\./);
    expect(upgraded["zod-to-json-schema"]).toBeUndefined();
    // A call with the converter's own options stays, reported, and so does the dependency.
    writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
    writeFileSync(path.join(dir, "server.ts"), server);
    writeFileSync(path.join(dir, "schemas.ts"), schemas.replace("z.string() }))", `z.string() }), "Args")`));
    const named = await runCli(["migrate", "--force", dir]);
    expect(named.stdout).toMatch(/schemas\.ts:3:1  sdk-v1  zod-to-json-schema reads zod 3 schemas only, and migrate moves the project to zod 4: this call \(with zod-to-json-schema's own options\)/);
    expect(named.code).toBe(1);
    expect(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).dependencies["zod-to-json-schema"]).toBe("^3.24.0");
    // Nor is a project whose zod needs no move touched (the converter worked, or did not, as it did before the run).
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...manifest, dependencies: { ...manifest.dependencies, zod: "^4.3.0" } }));
    writeFileSync(path.join(dir, "server.ts"), server);
    writeFileSync(path.join(dir, "schemas.ts"), schemas);
    const kept = await runCli(["migrate", "--force", dir]);
    expect(kept.stdout).not.toContain("zod-to-json-schema");
    expect(readFileSync(path.join(dir, "schemas.ts"), "utf8")).toBe(schemas);
  });

  it("leaves an McpAgent on SDK v1, as agents needs, beside a worker it moves to the stateless handler", async () => {
    const agent = [
      `import { McpAgent } from "agents/mcp";`,
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `import { registerTools } from "./tools.js";`,
      `export class Notes extends McpAgent {`,
      `  server = new McpServer({ name: "notes", version: "1.0.0" });`,
      `  async init() {`,
      `    registerTools(this.server);`,
      `  }`,
      `}`,
      ``,
    ].join("\n");
    // What fills the agent's server waits with it.
    const tools = [
      `import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `export function registerTools(server: McpServer) {`,
      `  server.tool("ping", async () => ({ content: [{ type: "text", text: "pong" }] }));`,
      `}`,
      ``,
    ].join("\n");
    const worker = [
      `import { createMcpHandler } from "agents/mcp";`,
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
      `export default {`,
      `  fetch(request: Request, env: unknown, ctx: any) {`,
      `    return createMcpHandler(new McpServer({ name: "w", version: "1.0.0" }))(request, env, ctx);`,
      `  },`,
      `};`,
      ``,
    ].join("\n");
    const manifest = `{ "name": "scratch", "private": true, "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0", "agents": "^0.2.0", "zod": "^4.3.0" } }\n`;
    const dir = scratchProject({ "package.json": manifest, "agent.ts": agent, "tools.ts": tools, "worker.ts": worker });
    dirs.push(dir);
    const { stdout, code } = await runCli(["migrate", dir]);
    expect(stdout).toMatch(/migrated .*worker\.ts \(sdk-v1, agents-handler\)/);
    expect(stdout).toMatch(/agent\.ts:4:14  mcp-agent  McpAgent serves each MCP session from a Durable Object of its own/);
    expect(stdout).toMatch(/tools\.ts:1:1  sdk-v1  left on SDK v1: the McpAgent in [^\n]*agent\.ts imports this module/);
    expect(code).toBe(1);
    expect(readFileSync(path.join(dir, "agent.ts"), "utf8")).toBe(agent);
    expect(readFileSync(path.join(dir, "tools.ts"), "utf8")).toBe(tools);
    expect(readFileSync(path.join(dir, "worker.ts"), "utf8")).toContain(`import { createMcpHandler } from "agents/mcp/server";`);
    expect(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).dependencies).toEqual({ "@modelcontextprotocol/sdk": "^1.17.0", "@modelcontextprotocol/server": "^2.4.0", agents: "^0.32.0", zod: "^4.3.0" });
  });

  it("leaves on SDK v1 a module an McpAgent reaches through another, and moves one it does not reach", async () => {
    const agent = `import { McpAgent } from "agents/mcp";\nimport { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { setUp } from "./setup.js";\nexport class Notes extends McpAgent {\n  server = new McpServer({ name: "notes", version: "1.0.0" });\n  async init() {\n    setUp(this.server);\n  }\n}\n`;
    const setup = `import { registerTools } from "./tools.js";\nexport const setUp = (server: Parameters<typeof registerTools>[0]) => registerTools(server);\n`;
    const tools = `import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nexport function registerTools(server: McpServer) {\n  server.tool("ping", async () => ({ content: [{ type: "text", text: "pong" }] }));\n}\n`;
    const manifest = `{ "name": "scratch", "private": true, "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0", "agents": "^0.2.0", "zod": "^4.3.0" } }\n`;
    const dir = scratchProject({ "package.json": manifest, "agent.ts": agent, "setup.ts": setup, "tools.ts": tools, "other.ts": tools });
    dirs.push(dir);
    const { stdout } = await runCli(["migrate", dir]);
    expect(stdout).toMatch(/tools\.ts:1:1  sdk-v1  left on SDK v1: the McpAgent in [^\n]*agent\.ts imports this module \(through [^\n]*setup\.ts\)/);
    expect(readFileSync(path.join(dir, "tools.ts"), "utf8")).toBe(tools);
    expect(readFileSync(path.join(dir, "other.ts"), "utf8")).toContain(`from "@modelcontextprotocol/server"`);
  });

  it("leaves a file a framework serves whole, the SDK v1 upgrade included", async () => {
    const server = `import { FastMCP } from "fastmcp";\nimport { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";\nconst server = new FastMCP({ name: "s", version: "1.0.0" });\nserver.addTool({ name: "fail", execute: async () => {\n  throw new McpError(ErrorCode.InvalidParams, "no");\n} });\n`;
    const manifest = `{ "name": "scratch", "private": true, "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0", "fastmcp": "^3.0.0", "zod": "^3.25.0" } }\n`;
    const dir = scratchProject({ "package.json": manifest, "server.ts": server });
    dirs.push(dir);
    const { stdout } = await runCli(["migrate", dir]);
    expect(stdout).toMatch(/server\.ts:3:16  fastmcp  /);
    expect(stdout).toContain("0 files changed");
    expect(readFileSync(path.join(dir, "server.ts"), "utf8")).toBe(server);
    expect(readFileSync(path.join(dir, "package.json"), "utf8")).toBe(manifest);
  });

  it("leaves the SDK v1 code of a package that serves through mcp-framework on v1, and its package.json", async () => {
    const index = `import { MCPServer } from "mcp-framework";\nconst server = new MCPServer({ transport: { type: "http-stream", options: { port: 8080 } } });\nawait server.start();\n`;
    const errors = `import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";\nexport const notFound = (what: string) => new McpError(ErrorCode.InvalidParams, \`no \${what}\`);\n`;
    const manifest = `{ "name": "scratch", "private": true, "dependencies": { "@modelcontextprotocol/sdk": "^1.29.0", "mcp-framework": "^0.2.22", "zod": "^3.25.0" } }\n`;
    const dir = scratchProject({ "package.json": manifest, "src/index.ts": index, "src/errors.ts": errors });
    dirs.push(dir);
    const { stdout, code } = await runCli(["migrate", dir]);
    expect(stdout).toMatch(/index\.ts:2:16  mcp-framework  mcp-framework serves only the handshake-based protocol [^\n]*, with a session per client over HTTP/);
    expect(stdout).toMatch(/errors\.ts:1:1  sdk-v1  left on SDK v1: its package serves MCP through mcp-framework \([^)]*package\.json\), which needs SDK v1 and zod 3/);
    expect(stdout).toContain("to do: move the package's server off mcp-framework to the SDK v2 first (mcp-framework), then run migrate again");
    expect(stdout).toContain("0 files changed");
    expect(code).toBe(1);
    expect(readFileSync(path.join(dir, "src/errors.ts"), "utf8")).toBe(errors);
    expect(readFileSync(path.join(dir, "package.json"), "utf8")).toBe(manifest);
  });

  it("moves a route serving transports a module of the project makes per session, and says that module can go", async () => {
    const transports = [
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `const sessions = new Map<string, NodeStreamableHTTPServerTransport>();`,
      `export function createTransport(sessionId: string): NodeStreamableHTTPServerTransport {`,
      `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => sessionId });`,
      `  sessions.set(sessionId, transport);`,
      `  return transport;`,
      `}`,
      `export function getTransport(sessionId: string | undefined) {`,
      `  return sessionId ? sessions.get(sessionId) : undefined;`,
      `}`,
      ``,
    ].join("\n");
    const index = [
      `import express from "express";`,
      `import { randomUUID } from "node:crypto";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { createTransport, getTransport } from "./transport.js";`,
      `const app = express();`,
      `function createServer() {`,
      `  return new McpServer({ name: "x", version: "1.0.0" });`,
      `}`,
      `app.post("/mcp", async (req, res) => {`,
      `  const existing = getTransport(req.headers["mcp-session-id"] as string | undefined);`,
      `  if (existing) return existing.handleRequest(req, res, req.body);`,
      `  const transport = createTransport(randomUUID());`,
      `  await createServer().connect(transport);`,
      `  await transport.handleRequest(req, res, req.body);`,
      `});`,
      ``,
    ].join("\n");
    const dir = scratchProject({ "src/transport.ts": transports, "src/index.ts": index });
    dirs.push(dir);
    const { stdout } = await runCli(["migrate", dir]);
    const after = readFileSync(path.join(dir, "src/index.ts"), "utf8");
    expect(after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(createServer));");
    expect(after).not.toContain("./transport.js");
    expect(stdout).toMatch(/transport\.ts:4:\d+  transport-routing  sessionIdGenerator [^\n]*\n    to do: nothing imports this module after the migration \([^)]*index\.ts did\)/);
  });

  it("leaves a file serving a server from an installed package built on SDK v1 on v1, and moves it where the package is on v2", async () => {
    // Stripe's MCP entry serves its toolkit's server (an SDK v1 McpServer) over stdio: serveStdio takes only v2 servers.
    const index = `import { Toolkit } from "agent-toolkit/mcp";\nimport { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";\nconst server = new Toolkit({ key: "k" });\nawait server.connect(new StdioServerTransport());\n`;
    const manifest = `{ "name": "scratch", "private": true, "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0", "agent-toolkit": "^0.7.0" } }\n`;
    const toolkit = (peers: Record<string, string>) => JSON.stringify({ name: "agent-toolkit", version: "0.7.0", peerDependencies: peers });
    const dir = scratchProject({ "package.json": manifest, "src/index.ts": index, "node_modules/agent-toolkit/package.json": toolkit({ "@modelcontextprotocol/sdk": "^1.17.1" }) });
    dirs.push(dir);
    const { stdout } = await runCli(["migrate", dir]);
    expect(stdout).toMatch(/index\.ts:1:1  sdk-v1  left on SDK v1: it serves MCP with agent-toolkit, a package built on SDK v1 \([^)]*node_modules\/agent-toolkit\/package\.json asks for @modelcontextprotocol\/sdk\)/);
    expect(stdout).toContain("0 files changed");
    // The stdio entry's own finding waits for the file, and does not say to run migrate, which just left it.
    expect(stdout).toMatch(/index\.ts:4:7  legacy-entry  [^\n]*\n    to do: this file is left on SDK v1 \(its sdk-v1 finding on line 1 says why/);
    expect(readFileSync(path.join(dir, "src/index.ts"), "utf8")).toBe(index);
    expect(readFileSync(path.join(dir, "package.json"), "utf8")).toBe(manifest);
    // A release of the package on SDK v2: the entry moves.
    writeFileSync(path.join(dir, "node_modules/agent-toolkit/package.json"), toolkit({ "@modelcontextprotocol/server": "^2.0.0" }));
    await runCli(["migrate", dir]);
    expect(readFileSync(path.join(dir, "src/index.ts"), "utf8")).toContain("serveStdio(() => server);");
  });

  it("follows a Next.js app's @/ alias (tsconfig paths, through extends) to the module that makes the server its API route imports", async () => {
    const route = [
      `import type { NextApiRequest, NextApiResponse } from "next";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { server } from "@/lib/mcp";`,
      ``,
      `export default async function handler(req: NextApiRequest, res: NextApiResponse) {`,
      `  const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
      `  await server.connect(transport);`,
      `  await transport.handleRequest(req, res, req.body);`,
      `}`,
      ``,
    ].join("\n");
    const lib = `import { McpServer } from "@modelcontextprotocol/server";\nexport function createServer() {\n  const s = new McpServer({ name: "n", version: "1.0.0" });\n  s.registerTool("hello", {}, async () => ({ content: [] }));\n  return s;\n}\nexport const server = createServer();\n`;
    const dir = scratchProject({
      "package.json": `{ "name": "scratch", "private": true }\n`,
      "tsconfig.base.json": `{\n  // Comments, as tsconfig allows.\n  "compilerOptions": { "paths": { "@/*": ["./src/*"] } }\n}\n`,
      "tsconfig.json": `{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true } }\n`,
      "src/pages/api/mcp.ts": route,
      "src/lib/mcp.ts": lib,
    });
    dirs.push(dir);
    const { stdout, code } = await runCli(["migrate", path.join(dir, "src")]);
    expect(stdout).toMatch(/migrated .*mcp\.ts \(legacy-entry\)/);
    expect(code).toBe(0);
    const after = readFileSync(path.join(dir, "src/pages/api/mcp.ts"), "utf8");
    expect(after).toContain(`import { createServer } from "@/lib/mcp";`);
    expect(after).toContain("const mcpHandler = toNodeHandler(createMcpHandler(createServer));");
    expect(after).not.toContain("server.connect");
  });

  it("keeps a package in package.json that files outside the run still import, and not for a package of their own", async () => {
    const v1 = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nexport const server = new McpServer({ name: "s", version: "1.0.0" });\n`;
    const manifest = (name: string) => `{ "name": "${name}", "private": true, "dependencies": { "@modelcontextprotocol/sdk": "^1.17.0", "zod": "^4.3.0" } }\n`;
    const dir = scratchProject({ "package.json": manifest("app"), "src/server.ts": v1, "scripts/seed.ts": v1, "tools/package.json": manifest("tools"), "tools/x.ts": v1 });
    dirs.push(dir);
    const dependencies = () => Object.keys(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).dependencies);
    expect((await runCli(["migrate", path.join(dir, "src")])).stdout).toMatch(/migrated .*server\.ts \(sdk-v1\)/);
    expect(dependencies()).toEqual(["@modelcontextprotocol/sdk", "@modelcontextprotocol/server", "zod"]);
    // Once scripts/ is migrated too, nothing of this package imports v1: tools/ has a package.json of its own.
    await runCli(["migrate", path.join(dir, "scripts")]);
    expect(dependencies()).toEqual(["@modelcontextprotocol/server", "zod"]);
  });

  it("says to delete a transport registry only the rewritten router imported, and not an entry file's bookkeeping", async () => {
    const registry = [
      `import type { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `export const getTransport = (id: string | undefined) => (id ? transports[id] : undefined);`,
      `export function addTransport(id: string, transport: NodeStreamableHTTPServerTransport) {`,
      `  transports[id] = transport;`,
      `}`,
      ``,
    ].join("\n");
    const route = [
      `import { randomUUID } from "node:crypto";`,
      `import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `import { McpServer } from "@modelcontextprotocol/server";`,
      `import { addTransport, getTransport } from "./transport.js";`,
      `function createServer() {`,
      `  return new McpServer({ name: "media", version: "1.0.0" });`,
      `}`,
      `export async function handleMcp(req: any, res: any) {`,
      `  let transport = getTransport(req.headers["mcp-session-id"]);`,
      `  if (!transport) {`,
      `    transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => addTransport(id, transport!) });`,
      `    await createServer().connect(transport);`,
      `  }`,
      `  await transport.handleRequest(req, res, req.body);`,
      `}`,
      ``,
    ].join("\n");
    // Not imported by anything: an entry whose shutdown loop does more than close.
    const entry = [
      `import type { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";`,
      `const transports: Record<string, NodeStreamableHTTPServerTransport> = {};`,
      `process.on("SIGINT", async () => {`,
      `  for (const id in transports) {`,
      `    console.log(\`closing \${id}\`);`,
      `    await transports[id]!.close();`,
      `  }`,
      `});`,
      ``,
    ].join("\n");
    const dir = scratchProject({ "package.json": `{ "name": "scratch", "private": true }\n`, "http/transport.ts": registry, "http/route.ts": route, "main.ts": entry });
    dirs.push(dir);
    const { stdout } = await runCli(["migrate", "--insert-todos", dir]);
    expect(stdout).toMatch(/migrated .*http\/route\.ts \(transport-routing\)/);
    const deleteIt = /http\/transport\.ts:\d+:\d+  transport-routing  [^\n]*\n(?:[^\n]*transport-routing[^\n]*\n)*    to do: nothing imports this module after the migration \([^)]*http\/route\.ts did\), and with one handler the per-session transports it keeps have no use: delete it/;
    expect(stdout).toMatch(deleteIt);
    expect(readFileSync(path.join(dir, "http/transport.ts"), "utf8")).toContain("// TODO(mcp-stateless): transport-routing: looks a transport up per session. nothing imports this module after the migration");
    expect(stdout).toMatch(/main\.ts:\d+:\d+  transport-routing  [^\n]*\n    to do: no request is routed through a transport here, but the per-session bookkeeping is still used/);
  });

  it("with --insert-todos marks each finding on its own line, never twice", async () => {
    const dir = project();
    await runCli(["migrate", "--insert-todos", dir]);
    const once = readFileSync(path.join(dir, "unmigratable.ts"), "utf8");
    expect(once).toContain("    // TODO(mcp-stateless): session-state: extra.sessionId ties state to the client's session. extra.sessionId is handed to count(), which may keep state by it");
    expect(once.match(/TODO\(mcp-stateless\)/g)).toHaveLength(2);
    await runCli(["migrate", "--insert-todos", dir]);
    expect(readFileSync(path.join(dir, "unmigratable.ts"), "utf8")).toBe(once);
    // check reports the markers too.
    expect((await runCli(["check", path.join(dir, "unmigratable.ts")])).stdout).toContain("todo-marker");
  });

  it("with --dry-run prints a unified diff and writes nothing", async () => {
    const dir = project();
    const before = readTree(dir);
    const { stdout } = await runCli(["migrate", "--dry-run", dir]);
    expect(stdout).toContain("-    eventStore, // replay for reconnecting clients");
    expect(stdout).toMatch(/^--- a\/.*resumability\.ts/m);
    expect(stdout).toContain("2 files would change");
    expect(readTree(dir)).toEqual(before);
  });

  it("with --dry-run --json prints one JSON document, each change's diff in it, and writes nothing", async () => {
    const dir = project();
    const before = readTree(dir);
    const { stdout } = await runCli(["migrate", "--dry-run", "--json", dir]);
    const report = JSON.parse(stdout) as { dryRun: boolean; files: Array<{ file: string; changed: boolean; diff?: string }> };
    expect(report.dryRun).toBe(true);
    const resumability = report.files.find((f) => f.file.endsWith("resumability.ts"))!;
    expect(resumability.diff).toMatch(/^={10,}\n--- a\/.*resumability\.ts/);
    expect(resumability.diff).toContain("-    eventStore, // replay for reconnecting clients");
    expect(report.files.filter((f) => f.changed).every((f) => f.diff)).toBe(true);
    expect(report.files.filter((f) => !f.changed).some((f) => f.diff)).toBe(false);
    expect(readTree(dir)).toEqual(before);
  });

  it("reports JSON, goes on past a file that does not parse, and leaves that file untouched", async () => {
    const dir = project();
    writeFileSync(path.join(dir, "broken.ts"), "const sessionId = ;\n");
    const { code, stdout } = await runCli(["migrate", "--json", dir]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.changed).toBe(2);
    expect(report.failed).toBe(1);
    expect(report.files.find((f: { file: string }) => f.file.endsWith("broken.ts")).error).toMatch(/does not parse/);
    expect(readFileSync(path.join(dir, "broken.ts"), "utf8")).toBe("const sessionId = ;\n");
  });

  it("refuses to rewrite files with uncommitted changes unless --force, and refuses unknown rules", async () => {
    const dir = path.join(scratchProject({ "package.json": "{}\n" }), "repo");
    dirs.push(path.dirname(dir));
    mkdirSync(dir);
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir });
    git("init", "-q");
    copyFileSync(path.join(fixtures, "resumability/basic.input.ts"), path.join(dir, "server.ts"));
    git("add", "-A");
    git("commit", "-qm", "start");
    writeFileSync(path.join(dir, "server.ts"), `${readFileSync(path.join(dir, "server.ts"), "utf8")}// edited\n`);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const refused = await runCli(["migrate", "."]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("uncommitted changes in files migrate would rewrite:\n  server.ts");
      expect((await runCli(["migrate", "--force", "."])).code).toBe(0);
      const unknown = await runCli(["migrate", "--rules", "resumabilty", "."]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(`unknown rule "resumabilty" (did you mean "resumability"?)`);
    } finally {
      process.chdir(cwd);
    }
  });

  it.each([
    [["--rules", ",", "."], "--rules: name at least one rule"],
    [["notes.md"], "notes.md: not a TypeScript or JavaScript file"],
  ])("refuses %j as a usage error, changing nothing", async (args, message) => {
    const dir = scratchProject({ "notes.md": "# sessionId\n", "server.ts": readFileSync(path.join(fixtures, "resumability/basic.input.ts"), "utf8") });
    dirs.push(dir);
    const before = readTree(dir);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { code, stderr } = await runCli(["migrate", ...args]);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
    } finally {
      process.chdir(cwd);
    }
    expect(readTree(dir)).toEqual(before);
  });

  it("brings SDK v1 code to v2 with the official codemod first, and moves package.json to the v2 packages and zod 4", async () => {
    const dir = scratchProject({
      "package.json": `{\n  "name": "notes",\n  "dependencies": {\n    "@modelcontextprotocol/sdk": "^1.17.0",\n    "zod": "^3.25.0"\n  }\n}\n`,
      "src/server.ts": read("session-state", "basic.input.ts").replace(`from "@modelcontextprotocol/server"`, `from "@modelcontextprotocol/sdk/server/mcp.js"`),
    });
    dirs.push(dir);
    const { code, stdout } = await runCli(["migrate", dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/migrated .*server\.ts \(sdk-v1, session-state\)/);
    const migrated = readFileSync(path.join(dir, "src/server.ts"), "utf8");
    expect(migrated).not.toContain("@modelcontextprotocol/sdk");
    expect(migrated).toContain(`import { HandleMap } from "./handle-map.js";`);
    expect(readFileSync(path.join(dir, "src/handle-map.ts"), "utf8")).toBe(readFileSync(path.join(repoRoot, "templates/migrate/handle-map.ts"), "utf8"));
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(manifest.dependencies).toEqual({ "@modelcontextprotocol/server": "^2.4.0", zod: "^4.6.7" });
    // A second run finds nothing to do and writes nothing.
    const again = await runCli(["migrate", dir]);
    expect(again.stdout).toContain("0 files changed, 0 findings left.");
  });

  it("leaves a file alone when the runtime already beside it predates what the rewrite imports", async () => {
    const runtime = readFileSync(path.join(repoRoot, "templates/migrate/handle-map.ts"), "utf8");
    const older = runtime.slice(0, runtime.indexOf("/**\n * Handles for state kept in a shared store")) + runtime.slice(runtime.indexOf("function ownerOf"));
    expect(older).not.toContain("HandleKeys {");
    const dir = scratchProject({ "src/handle-map.ts": older, "src/carts.ts": read("session-state", "store-key.input.ts") });
    dirs.push(dir);
    const before = readTree(dir);
    const { code, stdout } = await runCli(["migrate", dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ERR .*carts\.ts: .*handle-map\.ts has no HandleKeys, which the rewrite imports .*: delete it so that migrate writes the current one/m);
    expect(readTree(dir)).toEqual(before);
    // With it gone, the current runtime is written and the file migrates.
    rmSync(path.join(dir, "src/handle-map.ts"));
    expect((await runCli(["migrate", dir])).code).toBe(0);
    expect(readFileSync(path.join(dir, "src/handle-map.ts"), "utf8")).toBe(runtime);
  });
});
