// The server every benchmark serves: a trivial tool, and a handle workflow (create once, then use).
import { z } from "zod";
import type { ServerSpec } from "create-mcp-stateless/spec";

export default {
  name: "bench-server",
  version: "1.0.0",
  store: "memory",
  stores: ["sqlite", "redis"],
  handles: {
    counter: { prefix: "ctr", ttl: "1h", description: "A counter", state: z.object({ value: z.number().int() }), destroy: true },
  },
  tools: {
    ping: { description: "Answer with the message.", input: z.object({ message: z.string() }), output: z.object({ echo: z.string() }) },
    create_counter: { description: "Start a counter at zero.", creates: "counter" },
    read_counter: { description: "Read a counter.", uses: "counter", output: z.object({ value: z.number().int() }), annotations: { readOnlyHint: true } },
  },
} satisfies ServerSpec;
