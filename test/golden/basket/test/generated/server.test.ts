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
  add_item: { sku: "A-100", quantity: 2 },
  checkout: {},
  create_basket: {},
  view_basket: {},
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

/** A new basket handle made through create_basket, as `as` (alice by default). */
async function newBasket(as: Client = client): Promise<string> {
  const result = await call(as, "create_basket", examples.create_basket);
  expect(result.isError, result.text).toBe(false);
  const handle = result.structured?.basket_id;
  expect(handle).toMatch(/^bsk_[A-Za-z0-9_-]{22,}$/);
  return handle as string;
}

describe("tools/list", () => {
  it("lists every tool in name order, with a description and the schemas in schemas/", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["add_item", "checkout", "create_basket", "view_basket"]);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(0);
      expect(tool.inputSchema, tool.name).toEqual(schemaFile(`${tool.name}.input.json`));
    }
    expect(tools.find((tool) => tool.name === "add_item")?.outputSchema).toEqual(schemaFile("add_item.output.json"));
    expect(tools.find((tool) => tool.name === "checkout")?.outputSchema).toEqual(schemaFile("checkout.output.json"));
    expect(tools.find((tool) => tool.name === "create_basket")?.outputSchema).toEqual(schemaFile("create_basket.output.json"));
    expect(tools.find((tool) => tool.name === "view_basket")?.outputSchema).toEqual(schemaFile("view_basket.output.json"));
  });

  it("states the handle lifetime in every create tool's description", async () => {
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === "create_basket")?.description).toContain("expires 1 hour after it is created");
  });

  it("is identical across requests and before and after every create tool", async () => {
    // Asked of the server each time: the client would otherwise answer from its cache (listTtl).
    const list = async () => JSON.stringify(await client.listTools(undefined, { cacheMode: "bypass" }));
    const first = await list();
    expect(await list()).toBe(first);
    expect(await call(client, "create_basket", examples.create_basket)).toMatchObject({ isError: false });
    expect(await list()).toBe(first);
  });
});

describe("basket handles", () => {
  it("work from create_basket through add_item, view_basket, checkout", async () => {
    expect(await call(client, "add_item", { ...examples.add_item, basket_id: await newBasket() })).toMatchObject({ isError: false });
    expect(await call(client, "view_basket", { ...examples.view_basket, basket_id: await newBasket() })).toMatchObject({ isError: false });
    {
      const handle = await newBasket();
      expect(await call(client, "checkout", { ...examples.checkout, basket_id: handle })).toMatchObject({ isError: false });
      const after = await call(client, "add_item", { ...examples.add_item, basket_id: handle });
      expect(after.isError).toBe(true);
      expect(after.text).toContain("create_basket");
    }
  });

  it("expire after 1 hour, with an error that says so and names create_basket", async () => {
    const handle = await newBasket();
    clock.advance(kinds.basket.ttlMs - 1);
    expect(await call(client, "add_item", { ...examples.add_item, basket_id: handle })).toMatchObject({ isError: false });
    clock.advance(1);
    const expired = await call(client, "add_item", { ...examples.add_item, basket_id: handle });
    expect(expired.isError).toBe(true);
    expect(expired.text).toMatch(/expired/);
    expect(expired.text).toContain("create_basket");
  });

  it("of another owner are treated exactly like unknown ones", async () => {
    const handle = await newBasket();
    const madeUp = "bsk_" + "A".repeat(24);
    const bob = await connect(app, "bob");
    const foreign = await call(bob, "add_item", { ...examples.add_item, basket_id: handle });
    const unknown = await call(bob, "add_item", { ...examples.add_item, basket_id: madeUp });
    await bob.close();
    expect(foreign.isError).toBe(true);
    expect(foreign.text.replace(handle, "<handle>")).toBe(unknown.text.replace(madeUp, "<handle>"));
    // Bob's attempt changed nothing for the owner.
    expect(await call(client, "add_item", { ...examples.add_item, basket_id: handle })).toMatchObject({ isError: false });
  });

  it("are refused where another kind of handle is passed, naming create_basket", async () => {
    const result = await call(client, "add_item", { ...examples.add_item, basket_id: "other_" + "A".repeat(24) });
    expect(result.text).toContain("is not a basket handle");
    expect(result.isError).toBe(true);
    expect(result.text).toContain("create_basket");
  });
});

describe("invalid input", () => {
  it("add_item rejects arguments without sku", async () => {
    const result = await call(client, "add_item", { basket_id: await newBasket() });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("sku");
  });
  it("checkout rejects arguments without basket_id", async () => {
    const result = await call(client, "checkout", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("basket_id");
  });
  it("view_basket rejects arguments without basket_id", async () => {
    const result = await call(client, "view_basket", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("basket_id");
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

  it("makes the token's subject the owner: another subject's basket is answered like an unknown one", async () => {
    const secured = await createApp({ store: new MemoryStore(), verifier: jwtVerifier({ secret }) });
    const alice = await connectWithToken(secured, await tokenFor("alice"));
    const bob = await connectWithToken(secured, await tokenFor("bob"));
    const handle = await newBasket(alice);
    const madeUp = "bsk_" + "A".repeat(24);
    const foreign = await call(bob, "add_item", { ...examples.add_item, basket_id: handle });
    const unknown = await call(bob, "add_item", { ...examples.add_item, basket_id: madeUp });
    expect(foreign.isError).toBe(true);
    expect(foreign.text.replace(handle, "<handle>")).toBe(unknown.text.replace(madeUp, "<handle>"));
    expect(await call(alice, "add_item", { ...examples.add_item, basket_id: handle })).toMatchObject({ isError: false });
    await alice.close();
    await bob.close();
    await secured.close();
  });
});
