// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * Chooses the handle store from the environment, loading only the one chosen (so a host
 * that lacks the others never loads them).
 *   MCP_HANDLE_STORE  sqlite | memory (default: sqlite, from the spec)
 *   MCP_SQLITE_FILE   where the sqlite store keeps handles (default .data/handles.sqlite)
 */
import type { HandleStore } from "./handles/handles.ts";

export const STORES = ["sqlite", "memory"] as const;
export type StoreName = (typeof STORES)[number];

export async function storeFromEnv(env: Record<string, string | undefined> = process.env): Promise<HandleStore> {
  const name = env.MCP_HANDLE_STORE ?? "sqlite";
  switch (name) {
    case "sqlite": {
      const { SqliteStore } = await import("./handles/sqlite-store.ts");
      return new SqliteStore({ file: env.MCP_SQLITE_FILE ?? ".data/handles.sqlite" });
    }
    case "memory": {
      const { MemoryStore } = await import("./handles/memory-store.ts");
      return new MemoryStore();
    }
    default:
      throw new Error(`MCP_HANDLE_STORE=${name} is not a store this server has; use one of: ${STORES.join(", ")}`);
  }
}

/**
 * Loads every store's module and opens none. A warm-up start (MCP_WARM_UP=1) calls it, so that
 * Node's compile cache holds whichever store the server is later started with.
 */
export async function loadEveryStore(): Promise<void> {
  await Promise.all([import("./handles/sqlite-store.ts"), import("./handles/memory-store.ts")]);
}
