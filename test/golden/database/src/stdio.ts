/**
 * Serves MCP over stdin/stdout, for hosts that start the server as a child process.
 * stdout carries the protocol, so anything else goes to stderr.
 */
import { enableCompileCache, flushCompileCache } from "node:module";

// A host starts this process for every session: Node's on-disk compile cache makes each start
// after the first cheaper. It must be on before the modules load, hence import() below.
enableCompileCache();
const { serveStdio } = await import("@modelcontextprotocol/server/stdio");
const { ANONYMOUS } = await import("./generated/handles/handles.ts");
const { createApp } = await import("./generated/app.ts");
const { createServer } = await import("./generated/server.ts");

// MCP_WARM_UP=1: load what a start loads (every store's code too), write the compile cache and
// exit without serving. The Dockerfile does this at build time, so containers start warm.
if (process.env.MCP_WARM_UP === "1") {
  await (await import("./generated/stores.ts")).loadEveryStore();
  flushCompileCache();
  process.exit(0);
}

const app = await createApp();
// A stdio server has one local caller and no token: its handles belong to the anonymous principal.
serveStdio(() => createServer({ store: app.store, principal: ANONYMOUS }));
console.error("database-server serving MCP on stdio");
flushCompileCache();
// A host ends the session by closing stdin and waits for the process to exit. The SDK then drops
// what is in flight, but a store holding a connection (redis) would keep the process running.
process.stdin.once("end", () => void app.close());
