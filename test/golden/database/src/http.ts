/**
 * Serves the MCP endpoint over HTTP at http://HOST:PORT/mcp (default 127.0.0.1:3000).
 * Stateless: any number of these processes can sit behind a plain load balancer.
 */
import { createServer } from "node:http";
import { enableCompileCache, flushCompileCache } from "node:module";

// Node keeps the modules it compiles (types stripped) on disk, and a later start reads them back
// instead: about a fifth of a cold start. It must be on before they load, hence import() below.
// NODE_COMPILE_CACHE=dir moves the cache (default: the OS temp dir); NODE_DISABLE_COMPILE_CACHE=1 turns it off.
enableCompileCache();
const { localhostHostValidation } = await import("@modelcontextprotocol/node");
const { protectedResourceFromEnv, verifierFromEnv } = await import("./auth.ts");
const { createApp } = await import("./generated/app.ts");
const { toNodeListener } = await import("./generated/handles/node-http.ts");

// MCP_WARM_UP=1: load what a start loads (every store's code too), write the compile cache and
// exit without serving. The Dockerfile does this at build time, so containers start warm.
if (process.env.MCP_WARM_UP === "1") {
  await (await import("./generated/stores.ts")).loadEveryStore();
  flushCompileCache();
  process.exit(0);
}

const host = process.env.HOST ?? "127.0.0.1";
const port = numberFromEnv("PORT", 3000);
// On SIGTERM: how long to go on taking connections while /healthz answers 503, so a load
// balancer stops sending here before the port closes; then how long the requests in flight get.
const shutdownDelayMs = numberFromEnv("SHUTDOWN_DELAY_MS", 0);
const shutdownTimeoutMs = numberFromEnv("SHUTDOWN_TIMEOUT_MS", 10_000);
const verifier = verifierFromEnv();
const app = await createApp({ verifier, protectedResource: protectedResourceFromEnv() });
// Set on SIGTERM: answers sent from then on close their connection.
let draining = false;
// The app checks each request's bearer token itself, then serves it.
const mcp = toNodeListener(app, { onerror: (error) => console.error(error), draining: () => draining });
// On a loopback bind, checking Host stops DNS-rebinding attacks from web pages.
const loopback = host === "127.0.0.1" || host === "localhost" || host === "::1";
const validHost = loopback ? localhostHostValidation() : () => true;
// Checking a Host parses it as a URL; a client sends the same one every time, so the last Host
// allowed is remembered and only another is checked (docs/performance.md, step 14).
let allowedHost: string | undefined;

const server = createServer((req, res) => {
  if (draining) res.setHeader("connection", "close");
  // The endpoint itself needs no URL parsing (docs/performance.md, step 13).
  const pathname = req.url === "/mcp" ? "/mcp" : pathOf(req.url);
  if (pathname === undefined) {
    res.writeHead(400, { "content-type": "text/plain" }).end("Bad request: the request target is no URL path\n");
    return;
  }
  // For load balancers and orchestrators: 200 while serving, 503 once shutting down.
  if (pathname === "/healthz") {
    res.writeHead(draining ? 503 : 200, { "content-type": "text/plain" }).end(draining ? "draining\n" : "ok\n");
    return;
  }
  // The app also serves the document that tells clients where to get a token, when it has one.
  if (pathname !== "/mcp" && pathname !== app.metadataPath) {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the MCP endpoint is /mcp\n");
    return;
  }
  if (allowedHost === undefined || req.headers.host !== allowedHost) {
    if (!validHost(req, res)) return;
    allowedHost = req.headers.host;
  }
  mcp(req, res);
});

// Behind a load balancer, idle connections must be closed by the balancer, not by this process:
// one that reuses a connection this end is closing answers 502. Node's default is 5 s; common
// balancers idle out at 60 s (AWS ALB), so stay open longer. (Shutdown still closes them at once.)
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(port, host, () => {
  flushCompileCache(); // now, not at exit: a process that is killed never exits cleanly
  // Without tokens every caller is the same owner and a handle is a bearer secret: fine where
  // only you reach the port, not where others do (src/auth.ts says how to turn tokens on).
  if (verifier === undefined && !loopback) {
    console.error(`warning: no authentication (MCP_AUTH=none) on ${host}: whoever reaches this port can call every tool and use any handle they learn; set MCP_AUTH=jwt (src/auth.ts) or put an authenticating proxy in front`);
  }
  console.error(`database-server serving MCP at http://${host}:${port}/mcp`);
});

// A deploy or a scale-in sends SIGTERM: answer /healthz 503 and close each connection after its
// answer, for SHUTDOWN_DELAY_MS still taking new ones; then take no new connections, finish the
// requests in flight (idle keep-alive connections close now, busy ones after their answer), and
// close the app and its handle store. Connections still open SHUTDOWN_TIMEOUT_MS later are cut.
// A second signal stops the process at once.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (draining) process.exit(1);
    const window = shutdownDelayMs > 0 ? ` (taking new ones for ${shutdownDelayMs} ms first, /healthz answering 503)` : "";
    console.error(`${signal}: finishing the requests in flight, then stopping${window}`);
    draining = true;
    setTimeout(stop, shutdownDelayMs);
  });
}

function stop(): void {
  server.close(() => void app.close().finally(() => process.exit(0)));
  setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs).unref();
}

/** A request target's path; undefined when it does not parse (a throw here would end the process). */
function pathOf(target = "/"): string | undefined {
  try {
    return new URL(target, "http://localhost").pathname;
  } catch {
    return undefined;
  }
}

function numberFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (Number.isInteger(value) && value >= 0) return value;
  console.error(`${name} must be a whole number${name === "PORT" ? "" : " of milliseconds"}, not ${JSON.stringify(text)}`);
  process.exit(2);
}
