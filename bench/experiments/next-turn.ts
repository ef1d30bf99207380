/**
 * Experiment (docs/performance.md, step 5): the two baselines with and without their answers
 * written on the event loop's next turn, as the generated Node bridge writes them. KIND=sdk|floor
 * picks the baseline, NEXT_TURN=1 defers the write. Drive it with bench/load.ts (read_counter).
 */
import { createServer } from "node:http";
import { setImmediate as nextTurn } from "node:timers/promises";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { floorListener } from "../baselines/floor-server.ts";
import { sdkHandler } from "../baselines/sdk-server.ts";

const deferred = process.env.NEXT_TURN === "1";
const sdk = toNodeHandler({
  async fetch(request: Request, options?: { parsedBody?: unknown }) {
    const response = await sdkHandler.fetch(request, options);
    if (deferred) await nextTurn();
    return response;
  },
});
const listener = process.env.KIND === "floor" ? floorListener({ nextTurn: deferred }) : (req: Parameters<typeof sdk>[0], res: Parameters<typeof sdk>[1]) => void sdk(req, res);
const port = Number(process.env.PORT ?? 3000);
createServer(listener).listen(port, "127.0.0.1", () => console.error(`${process.env.KIND ?? "sdk"} (next turn: ${deferred}) serving MCP at http://127.0.0.1:${port}/mcp`));
