// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * The server's promises, checked through the real MCP client: what tools/list shows,
 * and how every handle kind behaves from creation to its end.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/client";
import { createApp, type App } from "../../src/generated/app.ts";
import { SignJWT } from "jose";
import { jwtVerifier } from "../../src/generated/handles/jwt.ts";
import { MemoryStore } from "../../src/generated/handles/memory-store.ts";
import { kinds } from "../../src/generated/tools.ts";
import { call, connect, connectWithToken, manualClock } from "./harness.ts";

/** Arguments each tool is called with (the spec's `example`, or one made from its schema), less any handle. */
const examples = {
  close_connection: {},
  connect_database: { file: "example.sqlite", read_only: false },
  list_tables: {},
  query: { sql: "SELECT 1 AS one" },
};

/** The shared secret of the tests' MCP_AUTH=jwt servers. */
const secret = "a-shared-secret-of-at-least-32-bytes!";

/** A token for `sub` as MCP_AUTH=jwt checks them, granting `scope` (space-separated) and signed with `key`. */
const tokenFor = (sub: string, { key = secret, scope = "" } = {}) =>
  new SignJWT(scope ? { scope } : {}).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setExpirationTime("5m").sign(new TextEncoder().encode(key));

const schemaFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), "utf8"));

let clock: ReturnType<typeof manualClock>;
let app: App;
let client: Client;

beforeEach(async () => {
  clock = manualClock();
  app = await createApp({ store: new MemoryStore({ now: clock.now }) });
  client = await connect(app, "alice");
});

afterEach(async () => {
  await client.close();
  await app.close();
});

/** A new connection handle made through connect_database, as `as` (alice by default). */
async function newConnection(as: Client = client): Promise<string> {
  const result = await call(as, "connect_database", examples.connect_database);
  expect(result.isError, result.text).toBe(false);
  const handle = result.structured?.connection_id;
  expect(handle).toMatch(/^conn_[A-Za-z0-9_-]{22,}$/);
  return handle as string;
}

describe("tools/list", () => {
  it("lists every tool in name order, with a description and the schemas in schemas/", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["close_connection", "connect_database", "list_tables", "query"]);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(0);
      expect(tool.inputSchema, tool.name).toEqual(schemaFile(`${tool.name}.input.json`));
    }
    expect(tools.find((tool) => tool.name === "connect_database")?.outputSchema).toEqual(schemaFile("connect_database.output.json"));
    expect(tools.find((tool) => tool.name === "list_tables")?.outputSchema).toEqual(schemaFile("list_tables.output.json"));
    expect(tools.find((tool) => tool.name === "query")?.outputSchema).toEqual(schemaFile("query.output.json"));
  });

  it("states the handle lifetime in every create tool's description", async () => {
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === "connect_database")?.description).toContain("expires 30 minutes after it is created");
  });

  it("is identical across requests and before and after every create tool", async () => {
    // Asked of the server each time: the client would otherwise answer from its cache (listTtl).
    const list = async () => JSON.stringify(await client.listTools(undefined, { cacheMode: "bypass" }));
    const first = await list();
    expect(await list()).toBe(first);
    expect(await call(client, "connect_database", examples.connect_database)).toMatchObject({ isError: false });
    expect(await list()).toBe(first);
  });
});

describe("connection handles", () => {
  it("work from connect_database through list_tables, query, close_connection", async () => {
    expect(await call(client, "list_tables", { ...examples.list_tables, connection_id: await newConnection() })).toMatchObject({ isError: false });
    expect(await call(client, "query", { ...examples.query, connection_id: await newConnection() })).toMatchObject({ isError: false });
    {
      const handle = await newConnection();
      expect(await call(client, "close_connection", { ...examples.close_connection, connection_id: handle })).toMatchObject({ isError: false });
      const after = await call(client, "list_tables", { ...examples.list_tables, connection_id: handle });
      expect(after.isError).toBe(true);
      expect(after.text).toContain("connect_database");
    }
  });

  it("expire after 30 minutes, with an error that says so and names connect_database", async () => {
    const handle = await newConnection();
    clock.advance(kinds.connection.ttlMs - 1);
    expect(await call(client, "list_tables", { ...examples.list_tables, connection_id: handle })).toMatchObject({ isError: false });
    clock.advance(1);
    const expired = await call(client, "list_tables", { ...examples.list_tables, connection_id: handle });
    expect(expired.isError).toBe(true);
    expect(expired.text).toMatch(/expired/);
    expect(expired.text).toContain("connect_database");
  });

  it("of another owner are treated exactly like unknown ones", async () => {
    const handle = await newConnection();
    const madeUp = "conn_" + "A".repeat(24);
    const bob = await connect(app, "bob");
    const foreign = await call(bob, "list_tables", { ...examples.list_tables, connection_id: handle });
    const unknown = await call(bob, "list_tables", { ...examples.list_tables, connection_id: madeUp });
    await bob.close();
    expect(foreign.isError).toBe(true);
    expect(foreign.text.replace(handle, "<handle>")).toBe(unknown.text.replace(madeUp, "<handle>"));
    // Bob's attempt changed nothing for the owner.
    expect(await call(client, "list_tables", { ...examples.list_tables, connection_id: handle })).toMatchObject({ isError: false });
  });

  it("are refused where another kind of handle is passed, naming connect_database", async () => {
    const result = await call(client, "list_tables", { ...examples.list_tables, connection_id: "other_" + "A".repeat(24) });
    expect(result.text).toContain("is not a connection handle");
    expect(result.isError).toBe(true);
    expect(result.text).toContain("connect_database");
  });
});

describe("invalid input", () => {
  it("close_connection rejects arguments without connection_id", async () => {
    const result = await call(client, "close_connection", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("connection_id");
  });
  it("connect_database rejects arguments without file", async () => {
    const result = await call(client, "connect_database", { read_only: false });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("file");
  });
  it("list_tables rejects arguments without connection_id", async () => {
    const result = await call(client, "list_tables", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("connection_id");
  });
  it("query rejects arguments without sql", async () => {
    const result = await call(client, "query", { connection_id: await newConnection() });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("sql");
  });
});

describe("rate limit (MCP_RATE_LIMIT)", () => {
  it("answers a caller past its allowance with 429 and Retry-After, and another caller as before", async () => {
    const limited = await createApp({ store: new MemoryStore(), verifier: jwtVerifier({ secret }), rateLimit: { limit: 2, periodMs: 60_000 } });
    const list = async (token: string) =>
      limited.fetch(
        new Request("http://in-process.test/mcp", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}`, "mcp-method": "tools/list", "mcp-protocol-version": "2026-07-28" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } }),
        }),
      );
    const alice = await tokenFor("alice");
    expect((await list(alice)).status).toBe(200);
    expect((await list(alice)).status).toBe(200);
    const refused = await list(alice);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error.message).toContain("2 requests per minute");
    expect((await list(await tokenFor("bob"))).status).toBe(200);
    await limited.close();
  });
});

describe("bearer tokens (MCP_AUTH=jwt)", () => {
  it("refuses a request without a valid token with 401 and a Bearer challenge", async () => {
    const secured = await createApp({ store: new MemoryStore(), verifier: jwtVerifier({ secret }) });
    const list = () => ({ method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
    const bare = await secured.fetch(new Request("http://in-process.test/mcp", list()));
    expect(bare.status).toBe(401);
    // No token at all is no error of the token's (RFC 6750 §3.1): the challenge carries no error code.
    expect(bare.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    expect(bare.headers.get("www-authenticate")).not.toContain("error=");
    const forged = new Request("http://in-process.test/mcp", list());
    forged.headers.set("authorization", `Bearer ${await tokenFor("alice", { key: "not-the-secret-not-the-secret-not!" })}`);
    const refused = await secured.fetch(forged);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const alice = await connectWithToken(secured, await tokenFor("alice"));
    expect((await alice.listTools()).tools.length).toBe(4);
    await alice.close();
    await secured.close();
  });

  it("tells a client without a token where to get one (RFC 9728), when it has a protected resource", async () => {
    const protectedResource = { resource: "https://mcp.example.test/mcp", authorizationServers: ["https://auth.example.test"] };
    const secured = await createApp({ store: new MemoryStore(), verifier: jwtVerifier({ secret }), protectedResource });
    expect(secured.metadataPath).toBe("/.well-known/oauth-protected-resource/mcp");
    const metadata = await secured.fetch(new Request("https://mcp.example.test/.well-known/oauth-protected-resource/mcp"));
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toEqual({
      resource: protectedResource.resource,
      authorization_servers: protectedResource.authorizationServers,
      bearer_methods_supported: ["header"],
    });
    const bare = await secured.fetch(new Request("https://mcp.example.test/mcp", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toContain('resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"');
    // The document's path is no second MCP endpoint: a POST there is refused, even with a good token.
    const posted = await secured.fetch(
      new Request("https://mcp.example.test/.well-known/oauth-protected-resource/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${await tokenFor("alice")}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      }),
    );
    expect(posted.status).toBe(405);
    expect(posted.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    await secured.close();
  });

  it("makes the token's subject the owner: another subject's connection is answered like an unknown one", async () => {
    const secured = await createApp({ store: new MemoryStore(), verifier: jwtVerifier({ secret }) });
    const alice = await connectWithToken(secured, await tokenFor("alice"));
    const bob = await connectWithToken(secured, await tokenFor("bob"));
    const handle = await newConnection(alice);
    const madeUp = "conn_" + "A".repeat(24);
    const foreign = await call(bob, "list_tables", { ...examples.list_tables, connection_id: handle });
    const unknown = await call(bob, "list_tables", { ...examples.list_tables, connection_id: madeUp });
    expect(foreign.isError).toBe(true);
    expect(foreign.text.replace(handle, "<handle>")).toBe(unknown.text.replace(madeUp, "<handle>"));
    expect(await call(alice, "list_tables", { ...examples.list_tables, connection_id: handle })).toMatchObject({ isError: false });
    await alice.close();
    await bob.close();
    await secured.close();
  });
});
