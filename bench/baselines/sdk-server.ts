/**
 * Baseline (a): the same tools written the way the SDK's documentation shows — a factory
 * per request through createMcpHandler, zod schemas, and a Map for the handle state.
 */
import { createServer } from "node:http";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";

const counters = new Map<string, { value: number }>();

export const sdkHandler = createMcpHandler(() => {
  const server = new McpServer({ name: "bench-sdk", version: "1.0.0" });
  server.registerTool(
    "ping",
    { description: "Answer with the message.", inputSchema: z.object({ message: z.string() }), outputSchema: z.object({ echo: z.string() }) },
    async ({ message }) => ({ content: [{ type: "text", text: JSON.stringify({ echo: message }) }], structuredContent: { echo: message } }),
  );
  server.registerTool("create_counter", { description: "Start a counter at zero.", outputSchema: z.object({ counter_id: z.string() }) }, async () => {
    const counter_id = `ctr_${crypto.randomUUID()}`;
    counters.set(counter_id, { value: 0 });
    return { content: [{ type: "text", text: JSON.stringify({ counter_id }) }], structuredContent: { counter_id } };
  });
  server.registerTool(
    "read_counter",
    { description: "Read a counter.", inputSchema: z.object({ counter_id: z.string() }), outputSchema: z.object({ value: z.number().int() }) },
    async ({ counter_id }) => {
      const counter = counters.get(counter_id);
      if (!counter) return { content: [{ type: "text", text: `counter ${counter_id} is unknown` }], isError: true };
      return { content: [{ type: "text", text: JSON.stringify({ value: counter.value }) }], structuredContent: { value: counter.value } };
    },
  );
  return server;
});

if (import.meta.main) {
  const port = Number(process.env.PORT ?? 3000);
  createServer(toNodeHandler(sdkHandler)).listen(port, "127.0.0.1", () => console.error(`bench-sdk serving MCP at http://127.0.0.1:${port}/mcp`));
}
