/**
 * migrate on whole session-reliant projects (test/fixtures/migrate-projects), each written
 * for this suite in a different shape: SDK v1 over node:http, the SDK's documented express
 * setup, a v1 express server building each session's server from state made for it, a v1 server
 * whose per-session factory kept its pages in its closure, a v1 server
 * connecting one module-level server to a transport per request, a v2 server handing
 * createMcpHandler one shared server (which fails requests in flight together), a v1 server
 * keeping its carts in Redis under the session id (served after by two instances), three v1 servers on
 * the legacy SSE transport (one connecting a server another module built once, one on node:http), a v1 server whose
 * "current connection" is an object, a v1 database server with a "current database" pointer per session, a tool hidden
 * until it is set, and an event store, and
 * a low-level v1 server whose untyped tool list and results live in another module,
 * a v1 server with one stateless transport for every request, one building each request's server from its headers and auth, one routing inside a class, one whose app is made around a factory it is handed, one whose route a function of the app's context makes, one whose tools read the API key from AsyncLocalStorage, a v1 server served over stdio,
 * sessions and SSE at once, a v1 Hono server on @hono/mcp, a v1 Hono server on fetch-to-node, a v1 Express server on express-mcp-handler, a v1 fastify server connecting one server another module built to a transport per session,
 * a Cloudflare Worker on agents' SDK v1 handler, one on SDK v1 alone, a Next.js route on mcp-handler 1.x, and
 * a v1 server whose tools ask the client mid-call (elicitation, sampling; driven by a client that answers),
 * a v1 stdio server kept in a class (McpError, a #! line and a head comment), a v1 stdio server counting calls per session (moved to the caller) and pushing a heartbeat
 * (which only a person can move); and the code docs/mcp-agent.md shows for after a move by hand. Each result must
 * type-check against the v2 SDK; each HTTP server is then started and driven with the
 * official client through its new handle flow.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import { connectAskable, connectHttp, connectStdio } from "../support/client.ts";
import { run, startServer, type RunningServer } from "../support/processes.ts";
import { startRedis } from "../support/redis.ts";
import { removeProject, repoRoot, runCli, scratchProject } from "../support/project.ts";

const fixtures = path.join(repoRoot, "test/fixtures/migrate-projects");
const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc");
const vitest = path.join(repoRoot, "node_modules/vitest/vitest.mjs");
const fixtureConfig = path.join(repoRoot, "test/support/vitest.fixture.config.ts");
const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A copy of the fixture inside this repository, so it resolves the v2 SDK from our node_modules. */
function copyOf(name: string): string {
  const dir = scratchProject();
  cleanup.push(() => removeProject(dir));
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

function text(result: Awaited<ReturnType<Client["callTool"]>>): string {
  return (result.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? "").join("");
}

interface Flow {
  entry: string;
  /** The create tool and its handle parameter; none where state became a plain parameter. */
  create?: string;
  createArgs?: Record<string, unknown>;
  param?: string;
  /** Calls with the handle, and what the last one's answer must contain. */
  calls: Array<[tool: string, args: Record<string, unknown>]>;
  answer: RegExp;
  /** Sent with every request, for tools that read them. */
  requestHeaders?: Record<string, string>;
  /** Whether the server refuses a Host it was not told to serve (its transports' DNS rebinding protection). */
  checksHost?: boolean;
}

/** The status a POST to the endpoint gets with this Host header (fetch cannot set Host). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers: { host, "content-type": "application/json", accept: "application/json, text/event-stream" } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    request.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }));
  });
}

const HTTP_PROJECTS: Record<string, Flow> = {
  "notes-v1": {
    entry: "dist/server.js",
    create: "create_notebook",
    param: "notebook_id",
    calls: [["add_note", { text: "buy milk" }], ["add_note", { text: "call home" }], ["list_notes", {}]],
    answer: /^buy milk\ncall home$/,
  },
  "shop-express": {
    entry: "dist/index.js",
    create: "create_cart",
    param: "cart_id",
    calls: [["add_to_cart", { sku: "apple" }], ["add_to_cart", { sku: "cheese" }], ["checkout", { address: "1 Quay Street" }]],
    answer: /^2 items, 450 cents, to 1 Quay Street$/,
  },
  // Plain JavaScript: the Map has no types to keep, and the handle runtime comes as JavaScript.
  "carts-js": {
    entry: "server.js",
    create: "create_cart",
    param: "cart_id",
    calls: [["add_to_cart", { sku: "apple" }], ["add_to_cart", { sku: "pear" }], ["show_cart", {}]],
    answer: /^apple, pear$/,
  },
  // Each session's server kept its pages in the factory's closure: they are behind a handle now.
  "notebook-v1": {
    entry: "dist/server.js",
    create: "create_pages",
    param: "pages_id",
    calls: [["write_page", { text: "once upon a time" }], ["write_page", { text: "the end" }], ["read_pages", {}]],
    answer: /^once upon a time\nthe end$/,
  },
  // Each session's server was built from a Tape made for it: the tape is a handle now.
  "calculator-v1": {
    entry: "dist/server.js",
    create: "create_tape",
    param: "tape_id",
    calls: [["add", { value: 2 }], ["add", { value: 40 }], ["total", {}]],
    answer: /^42$/,
  },
  // The session's "current connection" is a handle that connect makes now.
  "connections-v1": {
    entry: "dist/server.js",
    create: "connect",
    createArgs: { name: "orders" },
    param: "connection_id",
    calls: [["query", { sql: "SELECT 1" }]],
    answer: /^orders: SELECT 1$/,
    checksHost: true,
  },
  // A low-level v1 Server whose tool list and results were untyped literals in another module, which
  // v1 accepted and v2's typed handlers do not: they have the SDK's types where they are written now.
  // One tool's schema came from zod-to-json-schema, which returns no properties for zod 4's schemas.
  "todos-lowlevel-v1": {
    entry: "dist/server.js",
    calls: [["add_todo", { text: "water the plants" }], ["add_todo", { text: "post the letter" }], ["list_todos", {}]],
    answer: /^water the plants\npost the letter$/,
  },
  // The legacy SSE transport, which SDK v2 does not have: Streamable HTTP at the stream's URL now.
  "echo-sse-v1": {
    entry: "dist/server.js",
    calls: [["echo", { text: "still here" }]],
    answer: /^still here$/,
  },
  // SSE again, split in two modules: the one server the entry made from the other's createServer() is made per request.
  "library-sse-v1": {
    entry: "dist/main.js",
    calls: [["search_books", { query: "le guin" }], ["book_year", { title: "Kindred" }]],
    answer: /^1979$/,
  },
  // fastify: Node's request and response are request.raw and reply.raw, and its routes answer 405 its own way.
  "catalog-fastify-v1": {
    entry: "dist/main.js",
    calls: [["items", {}], ["price", { item: "cheese" }]],
    answer: /^410$/,
  },
  // One stateless transport for every request, which the SDK refuses from the second on: one handler now.
  "media-v1": {
    entry: "dist/server.js",
    calls: [["search_shows", { query: "files" }], ["count_shows", {}]],
    answer: /^3$/,
  },
  // Hono with @hono/mcp's transport, which took the Context: createMcpHandler's fetch takes c.req.raw now.
  "adder-hono-v1": {
    entry: "dist/server.js",
    calls: [["negate", { n: 2 }], ["add", { a: 40, b: 2 }]],
    answer: /^42$/,
  },
  // Hono serving v1's Node transport through fetch-to-node: the handler's fetch, handed the web Request toReqRes was made from.
  "sums-hono-fetch-v1": {
    entry: "dist/server.js",
    calls: [["double", { n: 10 }], ["sum", { values: [20, 22] }]],
    answer: /^42$/,
  },
  // Express with express-mcp-handler's stateless handler: createMcpHandler through toNodeHandler, handed req.body.
  "units-express-handler-v1": {
    entry: "dist/server.js",
    calls: [["to_celsius", { f: 212 }], ["to_km", { miles: 26.2 }]],
    answer: /^42\.2$/,
  },
  // A Cloudflare Worker without agents, fetch(request, env, ctx): the handler's fetch, not a Node handler.
  "notes-worker-v1": {
    entry: "dist/dev.js",
    calls: [["shout", { text: "hi" }], ["count", { text: "forty two words" }]],
    answer: /^3$/,
  },
  // A Cloudflare Worker on agents' SDK v1 handler (run on Node here): agents/mcp/server's, handed a function that builds the server.
  "greeter-worker-v1": {
    entry: "dist/dev.js",
    calls: [["greet", { name: "there" }], ["team", {}]],
    answer: /^blue$/,
  },
  // A Next.js route on mcp-handler 1.x (run on Node here): 2.x's one options object, its tools on SDK v2.
  "dice-next-v1": {
    entry: "dist/dev.js",
    calls: [["echo", { message: "hi" }], ["add", { a: 40, b: 2 }]],
    answer: /^42$/,
  },
  // One module-level server served over stdio, per-session Streamable HTTP and SSE at once: one factory for all three.
  "docs-every-entry-v1": {
    entry: "dist/server.js",
    calls: [["list_pages", {}], ["read_page", { page: "usage" }]],
    answer: /^npx docs$/,
  },
  // The legacy SSE transport on plain node:http, routed by path in one handler.
  "echo-sse-node-v1": {
    entry: "dist/server.js",
    calls: [["echo", { text: "hello" }], ["shout", { text: "still here" }]],
    answer: /^STILL HERE$/,
  },
  // One server made at module level and connected per request: a factory now, nothing kept.
  "weather-v1": {
    entry: "dist/server.js",
    calls: [["cities", {}], ["forecast", { city: "Oslo", unit: "f" }]],
    // Both headers reach the tool: read with get() on v2's Request, one through a cast variable.
    requestHeaders: { "x-temperature-unit": "c", "x-request-id": "r-42" },
    answer: /^Oslo: 39°F \(you prefer °C\) \[request r-42\]$/,
  },
  // Routing inside a class, on a server one of its methods builds: the handler is a field of the class.
  "greeter-class-v1": {
    entry: "dist/server.js",
    calls: [["count_letters", { name: "Ada" }], ["greet", { name: "Ada" }]],
    answer: /^Hello, Ada!$/,
  },
  // A server built per request from the request's headers and auth: createMcpHandler's factory reads them now.
  "keyed-v1": {
    entry: "dist/server.js",
    calls: [["shout", { text: "hi" }], ["whoami", {}]],
    requestHeaders: { "x-api-key": "key-42", "x-tenant": "North", "x-client-id": "desk" },
    answer: /^key …42, tenant north, client desk$/,
  },
  // An app made around a server factory it is handed (createApp(serverFactory)), in another module: the handler is made there.
  "palette-app-v1": {
    entry: "dist/server.js",
    calls: [["primaries", {}], ["mix", { a: "red", b: "blue" }]],
    answer: /^purple$/,
  },
  // A stateless v1 route made by a function of the app's context, refusing a request without auth: the handler is made in
  // that function, its factory takes the auth the route made sure of, and the route's own GET stays the one answering.
  "projects-router-v1": {
    entry: "dist/server.js",
    calls: [["count", { text: "three little words" }], ["whoami", {}]],
    requestHeaders: { authorization: "Bearer tok-42" },
    answer: /^atlas as …42$/,
  },
  // The API key kept in AsyncLocalStorage while the transport handled the request, read by every tool: the handler runs in that scope now.
  "mail-als-v1": {
    entry: "dist/server.js",
    calls: [["outbox", {}], ["draft", { to: "ada@example.test" }]],
    requestHeaders: { "x-api-key": "key-42" },
    answer: /^draft to ada@example\.test with key …42$/,
  },
  database: {
    entry: "dist/main.js",
    // "The current database" of a session is now said on each call.
    calls: [["use_database", { name: "shop" }], ["list_tables", { database: "shop" }]],
    answer: /^orders, customers$/,
  },
};

describe.each(Object.entries(HTTP_PROJECTS))("migrating the %s server", (name, flow) => {
  let dir: string;
  let server: RunningServer;

  it("rewrites it completely: exit 0, nothing left for check, and it type-checks against the v2 SDK", async () => {
    dir = copyOf(name);
    const before = readFileSync(path.join(dir, "package.json"), "utf8");
    const migrated = await runCli(["migrate", dir]);
    expect(migrated.stdout).toMatch(/0 findings left\.$/);
    expect(migrated.code).toBe(0);
    const check = await runCli(["check", dir]);
    expect(check.stdout).toContain("No session reliance found");
    expect(check.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(manifest.dependencies["@modelcontextprotocol/sdk"]).toBeUndefined();
    expect(manifest.dependencies["@modelcontextprotocol/server"]).toMatch(/^\^2\./);
    // zod moves to what v2 accepts where the server has it; one that never used zod gets it through the SDK.
    if (JSON.parse(before).dependencies.zod) expect(manifest.dependencies.zod).toMatch(/^\^4\.([2-9]|\d\d)/);
    else expect(manifest.dependencies.zod).toBeUndefined();
    // zod-to-json-schema reads zod 3 only: the code uses zod's own toJSONSchema now.
    expect(manifest.dependencies["zod-to-json-schema"]).toBeUndefined();
    expect(before).not.toBe(readFileSync(path.join(dir, "package.json"), "utf8"));
    run(process.execPath, [tsc, "-p", dir], dir);
    // Running migrate again changes nothing.
    expect((await runCli(["migrate", dir])).stdout).toContain("0 files changed, 0 findings left.");
  });

  it("serves the same tools statelessly, through a handle any connection can use", async () => {
    server = await startServer(dir, flow.entry, {});
    cleanup.push(async () => void (await server.stop()));
    const headers: Headers[] = [];
    const watching: typeof fetch = async (input, init) => {
      const sent = new Headers(init?.headers);
      for (const [name, value] of Object.entries(flow.requestHeaders ?? {})) sent.set(name, value);
      const response = await fetch(input, { ...init, headers: sent });
      headers.push(response.headers);
      return response;
    };
    const first = await connectHttp(server.url, watching);
    cleanup.push(() => first.close());
    const listed = (await first.listTools()).tools;
    const tools = listed.map((t) => t.name);
    for (const [tool] of flow.calls) expect(tools).toContain(tool);

    let handle: Record<string, string> = {};
    if (flow.create) {
      expect(tools).toContain(flow.create);
      // Its output schema says where the handle is (and the client checks the answer against it).
      const schema = listed.find((t) => t.name === flow.create)!.outputSchema;
      expect(schema?.properties).toHaveProperty(flow.param!);
      expect(schema?.required).toEqual([flow.param]);
      const created = await first.callTool({ name: flow.create, arguments: flow.createArgs ?? {} });
      const id = (created.structuredContent as Record<string, string>)[flow.param!]!;
      expect(id).toMatch(/^[a-z_]+_[\w-]{22}$/);
      handle = { [flow.param!]: id };
    }
    // Each call on a fresh connection: the handle or the parameters, not a session, carry the state.
    let last = "";
    for (const [tool, args] of flow.calls) {
      const client = await connectHttp(server.url, watching);
      cleanup.push(() => client.close());
      const result = await client.callTool({ name: tool, arguments: { ...args, ...handle } });
      expect(result.isError, text(result)).toBeFalsy();
      last = text(result);
    }
    expect(last).toMatch(flow.answer);

    if (flow.create) {
      const [tool, args] = flow.calls.at(-1)!;
      const unknown = await first.callTool({ name: tool, arguments: { ...args, [flow.param!]: `${handle[flow.param!]}x` } });
      expect(unknown.isError).toBe(true);
      expect(text(unknown)).toContain(`Call ${flow.create} for a new one`);
    }
    expect(headers.length).toBeGreaterThan(3);
    expect(headers.filter((h) => h.has("mcp-session-id"))).toEqual([]);
    for (const method of ["GET", "DELETE"]) expect((await fetch(server.url, { method, headers: flow.requestHeaders })).status).toBe(405);
    // The Host check the transports made is the handler's guard's now (any port, as v2 compares hostnames).
    if (flow.checksHost) expect(await statusWithHost(server.url, "attacker.example")).toBe(403);
    // tools/list is the same before and after the calls: nothing appears or disappears.
    expect((await first.listTools()).tools.map((t) => t.name)).toEqual(tools);
    // And check's live probes, which know nothing of this test, agree.
    // A bearer token goes by --token, which the probes send as Authorization; other headers by --header.
    const given = Object.entries(flow.requestHeaders ?? {}).flatMap(([name, value]) => (name === "authorization" ? ["--token", value.replace(/^Bearer /, "")] : ["--header", `${name}: ${value}`]));
    const live = await runCli(["check", "--url", server.url, ...given]);
    expect(live.stdout).toMatch(/^PASS  no-session-id/m);
    expect(live.stdout).toMatch(/^PASS  get-delete-405/m);
    expect(live.stdout).toMatch(/^PASS  list-stable/m);
    expect(live.code, live.stdout).toBe(0);
  });
});

describe("migrating a v2 server whose createMcpHandler factory returns one shared server", () => {
  /** A long sleep call, and two short ones sent while it waits, each on its own connection: how many were answered. */
  async function answeredTogether(url: string): Promise<number> {
    const clients = [await connectHttp(url), await connectHttp(url), await connectHttp(url)];
    const sleep = async (client: Client, ms: number) => {
      try {
        return text(await client.callTool({ name: "sleep", arguments: { ms } })) === `slept ${ms} ms`;
      } catch {
        return false;
      }
    };
    const long = sleep(clients[0]!, 600);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const answered = await Promise.all([long, sleep(clients[1]!, 10), sleep(clients[2]!, 10)]);
    await Promise.all(clients.map((client) => client.close()));
    return answered.filter(Boolean).length;
  }

  it("answers requests in flight together only once each gets a server of its own", async () => {
    const dir = copyOf("shared-v2");
    run(process.execPath, [tsc, "-p", dir], dir);
    const before = await startServer(dir, "dist/server.js", {});
    cleanup.push(async () => void (await before.stop()));
    expect(await answeredTogether(before.url)).toBe(1);
    await before.stop();

    const migrated = await runCli(["migrate", dir]);
    expect(migrated.stdout).toMatch(/0 findings left\.$/);
    expect(readFileSync(path.join(dir, "src/server.ts"), "utf8")).toContain("createMcpHandler(createMcpServer)");
    run(process.execPath, [tsc, "-p", dir], dir);
    const after = await startServer(dir, "dist/server.js", {});
    cleanup.push(async () => void (await after.stop()));
    expect(await answeredTogether(after.url)).toBe(3);
  });
});

describe("migrating a v1 server with one stateless transport for every request", () => {
  /** Two tool calls, each on a connection of its own: how many were answered, and why the others were not. */
  async function answeredOneByOne(url: string): Promise<{ answered: number; errors: string[] }> {
    let answered = 0;
    const errors: string[] = [];
    for (let i = 0; i < 2; i++) {
      try {
        const client = await connectHttp(url);
        if (text(await client.callTool({ name: "count_shows", arguments: {} })) === "3") answered++;
        await client.close();
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    return { answered, errors };
  }

  it("answers no tool call with the codemod alone, and every one once migrated", async () => {
    const dir = copyOf("media-v1");
    // The official codemod alone (no rule of ours runs: only sticky-routing, which finds nothing).
    expect((await runCli(["migrate", "--rules", "sticky-routing", dir])).code).toBe(0);
    run(process.execPath, [tsc, "-p", dir], dir);
    const before = await startServer(dir, "dist/server.js", {});
    cleanup.push(async () => void (await before.stop()));
    // The transport serves the process's first request only: the first client's, as it connects.
    const refused = await answeredOneByOne(before.url);
    expect(refused.answered, refused.errors.join("\n")).toBe(0);
    // The second client's very first request (the version probe) is already refused with a 500.
    expect(refused.errors[1]).toMatch(/HTTP 500/);
    await before.stop();
    expect((await runCli(["check", dir])).stdout).toContain("one stateless Streamable HTTP transport for every request");

    expect((await runCli(["migrate", dir])).stdout).toMatch(/0 findings left\.$/);
    run(process.execPath, [tsc, "-p", dir], dir);
    const after = await startServer(dir, "dist/server.js", {});
    cleanup.push(async () => void (await after.stop()));
    expect(await answeredOneByOne(after.url)).toEqual({ answered: 2, errors: [] });
  });
});

describe("migrating a v1 server whose tools ask the client mid-call", () => {
  it("asks by returning the request once migrated, where the push-style ask failed every current client", async () => {
    const dir = copyOf("reminders-v1");
    const asked: string[] = [];
    const answers = (confirm: boolean) => ({
      form: (message: string) => (asked.push(message), confirm ? { confirm: true } : undefined),
      model: (prompt: string) => (asked.push(prompt), "water the plants"),
    });
    // The SDK upgrade and the routing alone: the tools still ask on a way back 2026-07-28 does not have.
    await runCli(["migrate", "--rules", "transport-routing", dir]);
    expect((await runCli(["check", dir])).stdout).toContain("server.server.elicitInput(…) asks the client during the call");
    run(process.execPath, [tsc, "-p", dir], dir);
    const before = await startServer(dir, "dist/server.js", {});
    cleanup.push(async () => void (await before.stop()));
    const early = await connectAskable(before.url, answers(true));
    cleanup.push(() => early.close());
    const failed = await early.callTool({ name: "clear_reminders", arguments: {} }).then(text, (error: Error) => error.message);
    expect(failed).toMatch(/Server-to-client requests are not available on protocol revision 2026-07-28/);
    expect(asked).toEqual([]);
    await before.stop();

    const migrated = await runCli(["migrate", dir]);
    expect(migrated.stdout).toMatch(/0 findings left\.$/);
    expect((await runCli(["check", dir])).stdout).toContain("No session reliance found");
    run(process.execPath, [tsc, "-p", dir], dir);
    const after = await startServer(dir, "dist/server.js", {});
    cleanup.push(async () => void (await after.stop()));
    const declining = await connectAskable(after.url, answers(false));
    const confirming = await connectAskable(after.url, answers(true));
    cleanup.push(() => declining.close(), () => confirming.close());
    expect(text(await confirming.callTool({ name: "add_reminder", arguments: { text: "post the letter" } }))).toBe("1 reminders");
    // The model's answer comes back with the retry, and the tool goes on with it.
    expect(text(await confirming.callTool({ name: "suggest_reminder", arguments: { topic: "the garden" } }))).toBe("Added: water the plants");
    expect(asked).toEqual(["One short reminder about the garden"]);
    // Declined, nothing is cleared; confirmed on another connection, everything is.
    expect(text(await declining.callTool({ name: "clear_reminders", arguments: {} }))).toBe("Kept 2 reminders");
    expect(text(await confirming.callTool({ name: "clear_reminders", arguments: {} }))).toBe("Cleared 2 reminders");
    expect(asked.slice(1)).toEqual(["Clear all 2 reminders?", "Clear all 2 reminders?"]);
    // A client that cannot be asked is told so by the SDK, and nothing is cleared behind its back.
    const plain = await connectHttp(after.url);
    cleanup.push(() => plain.close());
    await expect(plain.callTool({ name: "clear_reminders", arguments: {} })).rejects.toThrow(/elicitation/i);
  });
});

describe("migrating a v1 server that kept its carts in Redis by session", () => {
  it("keeps them in Redis under signed handles that every instance with the secret opens", async () => {
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const dir = copyOf("carts-redis-v1");
    const migrated = await runCli(["migrate", dir]);
    expect(migrated.stdout).toMatch(/0 findings left\.$/);
    expect(readFileSync(path.join(dir, "src/server.ts"), "utf8")).toContain("redis.lRange(`cart:${cartKeys.open(cart_id, extra)}`, 0, -1)");
    run(process.execPath, [tsc, "-p", dir], dir);

    const env = { REDIS_URL: redis.url, MCP_HANDLE_SECRET: "shared by both instances" };
    const [a, b, stranger] = await Promise.all([startServer(dir, "dist/server.js", env), startServer(dir, "dist/server.js", env), startServer(dir, "dist/server.js", { ...env, MCP_HANDLE_SECRET: "another" })]);
    for (const server of [a, b, stranger]) cleanup.push(async () => void (await server.stop()));
    const onA = await connectHttp(a.url);
    const onB = await connectHttp(b.url);
    cleanup.push(() => onA.close(), () => onB.close());
    const cart_id = ((await onA.callTool({ name: "create_cart", arguments: {} })).structuredContent as { cart_id: string }).cart_id;
    // Made on one instance, filled on the other, read back on the first: the state is in Redis, the handle checks anywhere.
    expect((await onB.callTool({ name: "add_item", arguments: { sku: "apple", cart_id } })).isError).toBeFalsy();
    expect((await onA.callTool({ name: "add_item", arguments: { sku: "pear", cart_id } })).isError).toBeFalsy();
    expect(text(await onA.callTool({ name: "show_cart", arguments: { cart_id } }))).toBe("apple, pear");
    // An instance with another secret cannot tell it from a made-up one.
    const elsewhere = await connectHttp(stranger.url);
    cleanup.push(() => elsewhere.close());
    const refused = await elsewhere.callTool({ name: "show_cart", arguments: { cart_id } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain("Call create_cart for a new one");
    // And check's live probes agree: handles made on one URL are usable on the other.
    const live = await runCli(["check", "--url", a.url, "--url", b.url, "--allow-writes"]);
    expect(live.stdout).toMatch(/^PASS  handles /m);
    expect(live.code).toBe(0);
  });
});

describe("adding tools to a migrated server", () => {
  it("adds tools that use and end a migrated handle kind: wired to its HandleMap, type-checked, their tests passing", async () => {
    const dir = copyOf("notes-v1");
    expect((await runCli(["migrate", dir])).code).toBe(0);
    const uses = ["add", "tool", "count_notes", "--uses", "notebook", "--description", "Count the notes.", "--dir", dir];
    const destroys = ["add", "tool", "close_notebook", "--destroys", "notebook", "--description", "Close the notebook.", "--dir", dir];
    for (const args of [uses, destroys]) {
      const added = await runCli(args);
      expect(added.stderr).toBe("");
      expect(added.code).toBe(0);
    }
    const server = readFileSync(path.join(dir, "src/server.ts"), "utf8");
    expect(server).toContain("registerCountNotes(server, notebooks);");
    expect(server).toContain("registerCloseNotebook(server, notebooks);");
    expect(readFileSync(path.join(dir, "src/tools/count_notes.ts"), "utf8")).toContain(`import type { HandleMap } from "../handle-map.js";`);
    run(process.execPath, [tsc, "-p", dir], dir);
    const tests = run(process.execPath, [vitest, "run", "--root", dir, "--config", fixtureConfig], dir, { NO_COLOR: "1" });
    expect(tests).toMatch(/Tests\s+2 passed/);

    // A second create tool for a migrated kind is written by hand, beside the first.
    const creates = await runCli(["add", "tool", "open_notebook", "--creates", "notebook", "--description", "Open one.", "--dir", dir]);
    expect(creates.code).toBe(2);
    expect(creates.stderr).toMatch(/handle kind "notebook" is kept by the HandleMap `notebooks` \(src\/server\.ts:\d+\), made by create_notebook/);
  });
});

describe("adding a tool to a migrated kind whose state a shared store keeps", () => {
  it("hands it the kind's HandleKeys, type-checked, its test passing; ending such a handle is refused", async () => {
    const dir = copyOf("carts-redis-v1");
    expect((await runCli(["migrate", dir])).code).toBe(0);
    const added = await runCli(["add", "tool", "clear_cart", "--uses", "cart", "--description", "Empty the cart.", "--dir", dir]);
    expect(added.stderr).toBe("");
    expect(readFileSync(path.join(dir, "src/tools/clear_cart.ts"), "utf8")).toContain("export function registerClearCart(server: McpServer, cartKeys: HandleKeys): void {");
    expect(readFileSync(path.join(dir, "src/server.ts"), "utf8")).toContain("registerClearCart(server, cartKeys);");
    run(process.execPath, [tsc, "-p", dir], dir);
    const tests = run(process.execPath, [vitest, "run", "--root", dir, "--config", fixtureConfig], dir, { NO_COLOR: "1" });
    expect(tests).toMatch(/Tests\s+1 passed/);
    const ends = await runCli(["add", "tool", "drop_cart", "--destroys", "cart", "--description", "End it.", "--dir", dir]);
    expect(ends.code).toBe(2);
    expect(ends.stderr).toMatch(/handle kind "cart" is signed by the HandleKeys `cartKeys` \(src\/server\.ts:\d+\), and a signed handle cannot be ended before it expires/);
  });
});

describe("migrating a v1 server served over stdio, sessions and SSE from one module-level server", () => {
  it("serves stdio from the same factory once migrated", async () => {
    const dir = copyOf("docs-every-entry-v1");
    expect((await runCli(["migrate", dir])).stdout).toMatch(/0 findings left\.$/);
    expect(readFileSync(path.join(dir, "src/server.ts"), "utf8")).toContain("serveStdio(createMcpServer)");
    run(process.execPath, [tsc, "-p", dir], dir);
    const client = await connectStdio({ command: process.execPath, args: [path.join(dir, "dist/server.js")], cwd: dir, env: { ...process.env, TRANSPORT: "stdio" } as Record<string, string>, stderr: "ignore" });
    cleanup.push(() => client.close());
    expect(text(await client.callTool({ name: "read_page", arguments: { page: "install" } }))).toBe("npm install");
  });
});

describe("adding a tool to a migrated kind whose state is a class of the server's file", () => {
  it("imports the state's type in the tool and its test, exporting it where it is declared", async () => {
    const dir = copyOf("calculator-v1");
    expect((await runCli(["migrate", dir])).code).toBe(0);
    const added = await runCli(["add", "tool", "clear_tape", "--uses", "tape", "--description", "Empty the tape.", "--dir", dir]);
    expect(added.stderr).toBe("");
    expect(readFileSync(path.join(dir, "src/tools/clear_tape.ts"), "utf8")).toContain(`import type { Tape } from "../server.js";`);
    expect(readFileSync(path.join(dir, "src/server.ts"), "utf8")).toMatch(/^export class Tape \{$/m);
    run(process.execPath, [tsc, "-p", dir], dir);
    const tests = run(process.execPath, [vitest, "run", "--root", dir, "--config", fixtureConfig], dir, { NO_COLOR: "1" });
    expect(tests).toMatch(/Tests\s+1 passed/);
  });
});

describe("adding a tool to a migrated kind whose state's type is imported under another name", () => {
  it("imports it from the same module, under the same name, and leaves that module alone", async () => {
    const dir = copyOf("calculator-v1");
    expect((await runCli(["migrate", dir])).code).toBe(0);
    // A person moves the Tape class to its own module and keeps a list of tapes under another name.
    const serverFile = path.join(dir, "src/server.ts");
    const migrated = readFileSync(serverFile, "utf8");
    const tapeClass = /^class Tape \{[\s\S]*?^\}\n/m.exec(migrated)![0];
    writeFileSync(path.join(dir, "src/tape.ts"), `export ${tapeClass}`);
    writeFileSync(
      serverFile,
      migrated
        .replace(tapeClass, "")
        .replace(`import { HandleMap } from "./handle-map.js";`, `import { HandleMap } from "./handle-map.js";\nimport { Tape as Ledger } from "./tape.js";`)
        .replace("HandleMap<Tape>", "HandleMap<Ledger[]>")
        .replace("new Tape()", "[new Ledger()]")
        .replaceAll("tape.entries", "tape[0]!.entries")
        .replace("tape.total()", "tape[0]!.total()"),
    );
    run(process.execPath, [tsc, "-p", dir], dir);
    const tapeModule = readFileSync(path.join(dir, "src/tape.ts"), "utf8");
    expect((await runCli(["add", "tool", "clear_tape", "--uses", "tape", "--description", "Empty the tape.", "--dir", dir])).code).toBe(0);
    expect(readFileSync(path.join(dir, "src/tools/clear_tape.ts"), "utf8")).toContain(`import type { Tape as Ledger } from "../tape.js";`);
    expect(readFileSync(path.join(dir, "test/clear_tape.test.ts"), "utf8")).toContain(`import type { Tape as Ledger } from "../src/tape.js";`);
    expect(readFileSync(path.join(dir, "src/tape.ts"), "utf8")).toBe(tapeModule);
    run(process.execPath, [tsc, "-p", dir], dir);
  });
});

describe("migrating the metrics stdio server", () => {
  it("upgrades it to v2, serves it with serveStdio, keys its counts on the caller, reports the heartbeat push for a person, marks it once, and it still type-checks", async () => {
    const dir = copyOf("metrics-stdio");
    const result = await runCli(["migrate", "--insert-todos", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/migrated .*src\/index\.ts \(sdk-v1, session-telemetry, legacy-entry\)/);
    expect(result.stdout).toMatch(/src\/index\.ts:\d+:1  session-push  setInterval pushes to a client after the request has ended/);
    expect(result.stdout).toMatch(/1 file changed, 1 finding left\.$/);
    const source = readFileSync(path.join(dir, "src/index.ts"), "utf8");
    expect(source).not.toContain("@modelcontextprotocol/sdk");
    // Counted per caller now, not per session.
    expect(source).toContain("counters.increment(`echo:${ctx.http?.authInfo?.clientId ?? \"anonymous\"}`);");
    expect(source.match(/TODO\(mcp-stateless\)/g)).toHaveLength(1);
    // The SDK's stdio entry, which serves 2026-07-28 as well as 2025-era clients.
    expect(source).toContain("serveStdio(() => server);");
    expect(source).not.toContain("StdioServerTransport");
    await runCli(["migrate", "--insert-todos", dir]);
    expect(readFileSync(path.join(dir, "src/index.ts"), "utf8")).toBe(source);
    run(process.execPath, [tsc, "-p", dir], dir);
    expect((await runCli(["check", dir])).stdout).toContain("todo-marker");
    // Started by the official client as a host would: it now speaks 2026-07-28 (it spoke 2025-11-25 before).
    const client = await connectStdio({ command: process.execPath, args: [path.join(dir, "src/index.ts")], cwd: dir, stderr: "ignore" });
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
      const echoed = await client.callTool({ name: "echo", arguments: { text: "hi" } });
      expect(echoed.content).toEqual([{ type: "text", text: "hi" }]);
    } finally {
      await client.close();
    }
  });
});

describe("migrating a v1 stdio server kept in a class, as many were started", () => {
  it("finishes with nothing left (its McpError codes are protocol codes), keeps its head, type-checks, and serves its tools and errors over stdio", async () => {
    const dir = copyOf("forecast-class-stdio-v1");
    const before = readFileSync(path.join(dir, "src/index.ts"), "utf8");
    const result = await runCli(["migrate", dir]);
    expect(result.stdout).toMatch(/1 file changed, 0 findings left\.$/);
    expect(result.code).toBe(0);
    const source = readFileSync(path.join(dir, "src/index.ts"), "utf8");
    // The #! line and the comment under it, as they were.
    expect(source.slice(0, before.indexOf("import"))).toBe(before.slice(0, before.indexOf("import")));
    expect(source).toContain("serveStdio(() => this.server);");
    run(process.execPath, [tsc, "-p", dir], dir);
    const client = await connectStdio({ command: process.execPath, args: [path.join(dir, "src/index.ts")], cwd: dir, stderr: "ignore" });
    try {
      const tools = (await client.listTools()).tools;
      expect(tools.map((t) => t.name)).toEqual(["get_forecast", "list_cities"]);
      expect(tools[0]!.inputSchema.required).toEqual(["city"]);
      const forecast = await client.callTool({ name: "get_forecast", arguments: { city: "Oslo", days: 2 } });
      expect(forecast.content).toEqual([{ type: "text", text: "Oslo: sunny for 2 days" }]);
      // Thrown as ProtocolError now: the same JSON-RPC error the client saw from McpError.
      await expect(client.callTool({ name: "get_forecast", arguments: {} })).rejects.toThrow(/get_forecast needs a city/);
    } finally {
      await client.close();
    }
  });
});

describe("docs/mcp-agent.md", () => {
  it("shows code for after the move that type-checks against agents' stateless handler and SDK v2", () => {
    const doc = readFileSync(path.join(repoRoot, "docs/mcp-agent.md"), "utf8");
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
    // The first block is the McpAgent before the move, on SDK v1; the others are the Worker after it.
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const after = blocks.slice(1).join("\n");
    expect(after).toContain(`from "agents/mcp/server"`);
    const worker = path.join(fixtures, "greeter-worker-v1");
    const dir = scratchProject({
      "package.json": `{ "name": "doc-worker", "private": true, "type": "module" }\n`,
      "tsconfig.json": readFileSync(path.join(worker, "tsconfig.json"), "utf8"),
      "src/index.ts": after,
      // The Worker's runtime types, as wrangler writes them.
      "src/worker-configuration.d.ts": readFileSync(path.join(worker, "src/worker-configuration.d.ts"), "utf8"),
    });
    cleanup.push(() => removeProject(dir));
    run(process.execPath, [tsc, "-p", dir], dir);
  });
});
