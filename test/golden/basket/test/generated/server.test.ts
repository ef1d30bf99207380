// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * The server's promises, checked through the real MCP client: what tools/list shows,
 * and how every handle kind behaves from creation to its end.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/client";
import { createApp, type App } from "../../src/generated/app.ts";
import { MemoryStore } from "../../src/generated/handles/memory-store.ts";
import { kinds } from "../../src/generated/tools.ts";
import { call, connect, manualClock } from "./harness.ts";

/** Arguments each tool is called with (the spec's `example`, or one made from its schema), less any handle. */
const examples = {
  add_item: { sku: "A-100", quantity: 2 },
  checkout: {},
  create_basket: {},
  view_basket: {},
};

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
    const first = JSON.stringify(await client.listTools());
    expect(JSON.stringify(await client.listTools())).toBe(first);
    expect(await call(client, "create_basket", examples.create_basket)).toMatchObject({ isError: false });
    expect(JSON.stringify(await client.listTools())).toBe(first);
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
