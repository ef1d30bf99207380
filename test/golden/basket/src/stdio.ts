/**
 * Serves MCP over stdin/stdout, for hosts that start the server as a child process.
 * stdout carries the protocol, so anything else goes to stderr.
 */
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { ANONYMOUS } from "./generated/handles/handles.ts";
import { createApp } from "./generated/app.ts";
import { createServer } from "./generated/server.ts";

const app = await createApp();
// A stdio server has one local caller and no token: its handles belong to the anonymous principal.
serveStdio(() => createServer({ store: app.store, principal: ANONYMOUS }));
console.error("basket-server serving MCP on stdio");
// A host ends the session by closing stdin and waits for the process to exit. The SDK then drops
// what is in flight, but a store holding a connection (redis) would keep the process running.
process.stdin.once("end", () => void app.close());
