// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * The server as a web-standard handler: `app.handler.fetch(request)` answers one MCP
 * request. The Node, stdio and serverless entry points all start here.
 */
import { createMcpHandler, type McpHttpHandler } from "@modelcontextprotocol/server";
import { principalOf, type HandleStore } from "./handles/handles.ts";
import { createServer } from "./server.ts";
import { storeFromEnv } from "./stores.ts";

export interface App {
  handler: McpHttpHandler;
  store: HandleStore;
  close(): Promise<void>;
}

/** `store` defaults to the one MCP_HANDLE_STORE names; tests pass their own. */
export async function createApp(options: { store?: HandleStore } = {}): Promise<App> {
  const store = options.store ?? (await storeFromEnv());
  const handler = createMcpHandler(({ authInfo }) => createServer({ store, principal: principalOf(authInfo) }));
  return {
    handler,
    store,
    async close() {
      await handler.close();
      await store.close();
    },
  };
}
