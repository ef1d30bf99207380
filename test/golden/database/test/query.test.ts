/**
 * Your tests of `query`: written once by `mcp-stateless generate`, yours from then on.
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

describe("query", () => {
  it("answers its example call without an error", async () => {
    const createdConnection = await call(client, "connect_database", { file: "example.sqlite", read_only: false });
    expect(createdConnection.isError, createdConnection.text).toBe(false);
    const result = await call(client, "query", { sql: "SELECT 1 AS one", connection_id: createdConnection.structured?.connection_id });
    expect(result.isError, result.text).toBe(false);
    // TODO: check what query returned, e.g. expect(result.structured).toEqual({ … });
  });
});
