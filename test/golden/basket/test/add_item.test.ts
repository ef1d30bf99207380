/**
 * Your tests of `add_item`: written once by `mcp-stateless generate`, yours from then on.
 * The stateless contract itself is covered in test/generated/.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/client";
import { createApp, type App } from "../src/generated/app.ts";
import { MemoryStore } from "../src/generated/handles/memory-store.ts";
import { call, connect } from "./generated/harness.ts";

let app: App;
let client: Client;

beforeEach(async () => {
  app = await createApp({ store: new MemoryStore() });
  client = await connect(app, "tester");
});

afterEach(async () => {
  await client.close();
  await app.close();
});

describe("add_item", () => {
  it("answers its example call without an error", async () => {
    const createdBasket = await call(client, "create_basket", {});
    expect(createdBasket.isError, createdBasket.text).toBe(false);
    const result = await call(client, "add_item", { sku: "A-100", quantity: 2, basket_id: createdBasket.structured?.basket_id });
    expect(result.isError, result.text).toBe(false);
    // TODO: check what add_item returned, e.g. expect(result.structured).toEqual({ … });
  });
});
