/**
 * Experiment (docs/performance.md, "The Node bridge"): the bare SDK server behind three Node
 * bridges, chosen by BRIDGE: unset = toNodeHandler as the SDK documents it; "parsed" = the body
 * read and parsed first and handed to toNodeHandler; "lean" = a minimal bridge that buffers the
 * response (no streaming, no cancellation: not fit to ship, only to measure the ceiling).
 * Run it with PORT=… under `node --cpu-prof` if wanted, and drive it with bench/load.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { sdkHandler as handler } from "../baselines/sdk-server.ts";

const documented = toNodeHandler(handler);

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

async function parsedFirst(req: IncomingMessage, res: ServerResponse): Promise<void> {
  await documented(req, res, await readJson(req));
}

async function lean(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsedBody = await readJson(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, { method: req.method, headers });
  const response = await handler.fetch(request, parsedBody === undefined ? undefined : { parsedBody });
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
}

const bridge = process.env.BRIDGE === "parsed" ? parsedFirst : process.env.BRIDGE === "lean" ? lean : documented;
const port = Number(process.env.PORT ?? 3000);
createServer((req, res) => void bridge(req, res)).listen(port, "127.0.0.1", () => console.error(`bridge ${process.env.BRIDGE ?? "documented"} serving MCP at http://127.0.0.1:${port}/mcp`));
// So that --cpu-prof writes its profile when stopped with Ctrl-C.
process.on("SIGINT", () => process.exit(0));
