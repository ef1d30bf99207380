/**
 * Baseline (b), the floor: plain node:http answering the same JSON-RPC by hand — no
 * validation, no SDK. No MCP server can be faster than this on the same machine.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

const counters = new Map<string, { value: number }>();
/** tools/list as the generated bench server answers it (given by the bench runner). */
const toolsList = process.env.BENCH_TOOLS_LIST ?? '{"tools":[]}';

function result(id: unknown, body: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${body}}`;
}

function answer(message: { id?: unknown; method?: string; params?: { name?: string; arguments?: Record<string, unknown> } }): string {
  if (message.method === "tools/list") return result(message.id, toolsList);
  if (message.method === "tools/call") {
    const args = message.params?.arguments ?? {};
    const structured = (value: object) => JSON.stringify({ content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: value });
    switch (message.params?.name) {
      case "ping":
        return result(message.id, structured({ echo: String(args.message) }));
      case "create_counter": {
        const counter_id = `ctr_${crypto.randomUUID()}`;
        counters.set(counter_id, { value: 0 });
        return result(message.id, structured({ counter_id }));
      }
      case "read_counter": {
        const counter = counters.get(String(args.counter_id));
        return result(message.id, counter ? structured({ value: counter.value }) : JSON.stringify({ content: [{ type: "text", text: "unknown" }], isError: true }));
      }
    }
  }
  return `{"jsonrpc":"2.0","id":${JSON.stringify(message.id ?? null)},"error":{"code":-32601,"message":"Method not found"}}`;
}

/**
 * The floor's request listener. `nextTurn` defers each write to the event loop's next turn, as
 * the generated Node bridge does (bench/experiments/next-turn.ts measures what that does here).
 */
export function floorListener({ nextTurn = false }: { nextTurn?: boolean } = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const text = answer(JSON.parse(body));
      const write = () => res.writeHead(200, { "content-type": "application/json" }).end(text);
      if (nextTurn) setImmediate(write);
      else write();
    });
  };
}

if (import.meta.main) {
  const port = Number(process.env.PORT ?? 3000);
  createServer(floorListener()).listen(port, "127.0.0.1", () => console.error(`bench-floor serving MCP at http://127.0.0.1:${port}/mcp`));
}
