/**
 * Latency at one connection, run in its own process (pinned to its own core): the same request
 * sent again as soon as its answer is back, so each latency is the request's own, with no
 * queue in front of it. autocannon's histogram counts whole milliseconds, too coarse for this.
 * A single run's p99 moves by a millisecond or more (a GC pause lands in it or not), so it
 * reports the median of three runs.
 */
import { Agent, request } from "node:http";

const { url, headers, body, count } = JSON.parse(process.argv[2]!) as { url: string; headers: Record<string, string>; body: string; count: number };
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function once(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume().on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", reject).end(body);
  });
}

for (let i = 0; i < 2_000; i++) await once(); // warm-up (the JIT settles), not counted

async function run(): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) latencies.push(await once());
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const runs = [await run(), await run(), await run()];
const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
agent.destroy();
console.log(JSON.stringify({ count, runs, p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) }));
