/**
 * `npm run bench` (`bench:quick` for a one-minute pass): every number next to a baseline
 * measured in the same run on the same machine, as a ratio. Prints one markdown table and
 * writes it, with the raw numbers as JSON, to bench/results/. Targets missed are said so.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "../test/support/processes.ts";
import { writeMigrateTree } from "./migrate-tree.ts";

const root = path.resolve(import.meta.dirname, "..");
const quick = process.argv.includes("--quick");
const work = path.join(root, ".cache/bench");
const node = process.execPath;
const cli = path.join(root, "bin/mcp-stateless.js");
// The generated servers under load are one caller making thousands of requests a second: their
// rate limit is set past anything a run reaches, so it is counted (its cost is in every number)
// but never refuses. Every server and in-process app this run starts inherits it.
process.env.MCP_RATE_LIMIT = "1000000000/s";

interface Row {
  section: string;
  measure: string;
  value: number;
  unit: string;
  baseline?: string;
  ratio?: number;
  target?: string;
  met?: boolean;
}
const rows: Row[] = [];
/** Signs that the machine was not steady enough for this run's ratios to be compared with others. */
const cautions: string[] = [];
const raw: Record<string, unknown> = {};
const log = (line: string) => console.error(line);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function timeRuns(args: string[], runs: number, cwd = root): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(node, args, { cwd, stdio: "ignore" });
    times.push(performance.now() - start);
  }
  return median(times);
}

// 1. Start-up: the CLI's help against Node doing nothing.
log("CLI start-up …");
execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "ignore" });
const runs = quick ? 7 : 21;
const nothing = timeRuns(["-e", "0"], runs);
const help = timeRuns([cli, "--help"], runs);
rows.push({ section: "CLI", measure: "mcp-stateless --help", value: help, unit: "ms", baseline: `node -e 0 (${nothing.toFixed(0)} ms)`, ratio: help / nothing, target: "≤ 2×", met: help / nothing <= 2 });

// 2. generate for specs of growing size: time and peak memory must grow linearly.
log("generate at 10, 100, 1000 tools …");
const sizes = quick ? [10, 100, 1000] : [10, 100, 1000];
const generated: Array<{ tools: number; ms: number; rssMb: number }> = [];
for (const size of sizes) {
  const dir = path.join(work, `generate-${size}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "mcp.spec.ts"), specWithTools(size));
  const script = `const { main } = await import(${JSON.stringify(path.join(root, "dist/src/cli.js"))}); const t = performance.now(); const code = await main(["generate", "--quiet", "--dir", ${JSON.stringify(dir)}]); console.log(JSON.stringify({ code, ms: performance.now() - t, rss: process.resourceUsage().maxRSS }));`;
  const out = JSON.parse(execFileSync(node, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!);
  if (out.code !== 0) throw new Error(`generate failed for ${size} tools`);
  generated.push({ tools: size, ms: out.ms, rssMb: out.rss / 1024 });
}
raw.generate = generated;
const [g10, g100, g1000] = generated as [(typeof generated)[0], (typeof generated)[0], (typeof generated)[0]];
rows.push({ section: "CLI", measure: "generate, 1,000 tools", value: g1000.ms, unit: "ms", target: "< 5000 ms", met: g1000.ms < 5000 });
rows.push({ section: "CLI", measure: "generate time per tool, 1,000 vs 100", value: g1000.ms / 1000 / (g100.ms / 100), unit: "×", baseline: "per tool at 100", target: "≈ 1 (linear)", met: g1000.ms / 1000 / (g100.ms / 100) < 1.5 });
rows.push({ section: "CLI", measure: "generate peak RSS, 10 → 1,000 tools", value: g1000.rssMb, unit: "MB", baseline: `${g10.rssMb.toFixed(0)} MB at 10 tools` });

// 3. create per template, without installing.
for (const template of ["basket", "database", "blank"]) {
  const target = path.join(work, `create-${template}`);
  rmSync(target, { recursive: true, force: true });
  const ms = timeRuns([path.join(root, "bin/create-mcp-stateless.js"), target, "--yes", "--no-install", "--no-git", "--template", template], 1);
  rows.push({ section: "CLI", measure: `create --template ${template} --no-install`, value: ms, unit: "ms", baseline: `node -e 0 (${nothing.toFixed(0)} ms)`, ratio: ms / nothing });
}

// 3b. migrate on trees of 100 and 1,000 files: files per second, peak memory, linear growth.
log("migrate on 100 and 1,000 files …");
const migrated: Array<{ files: number; reliant: number; ms: number; rssMb: number }> = [];
for (const count of [100, 1000]) {
  const dir = path.join(work, `migrate-${count}`);
  rmSync(dir, { recursive: true, force: true });
  const reliant = writeMigrateTree(dir, count);
  const script = `const { main } = await import(${JSON.stringify(path.join(root, "dist/src/cli.js"))}); const t = performance.now(); const code = await main(["migrate", "--force", ${JSON.stringify(dir)}]); console.error(JSON.stringify({ code, ms: performance.now() - t, rss: process.resourceUsage().maxRSS }));`;
  const run = spawnSync(node, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
  const out = JSON.parse(run.stderr.trim().split("\n").at(-1)!);
  if (out.code === 2 || !/changed/.test(run.stdout)) throw new Error(`migrate failed on ${count} files:\n${run.stdout}${run.stderr}`);
  migrated.push({ files: count, reliant, ms: out.ms, rssMb: out.rss / 1024 });
}
raw.migrate = migrated;
const [m100, m1000] = migrated as [(typeof migrated)[0], (typeof migrated)[0]];
rows.push({ section: "Codemod", measure: `migrate, 1,000 files (${m1000.reliant} session-reliant)`, value: m1000.ms, unit: "ms", target: "< 30000 ms", met: m1000.ms < 30_000 });
rows.push({ section: "Codemod", measure: "migrate throughput, 1,000 files", value: (1000 / m1000.ms) * 1000, unit: "files/s", baseline: `100 files (${((100 / m100.ms) * 1000).toFixed(0)} files/s)` });
rows.push({ section: "Codemod", measure: "migrate time per file, 1,000 vs 100", value: m1000.ms / 1000 / (m100.ms / 100), unit: "×", baseline: "per file at 100", target: "≈ 1 (linear)", met: m1000.ms / 1000 / (m100.ms / 100) < 1.5 });
rows.push({ section: "Codemod", measure: "migrate peak RSS, 100 → 1,000 files", value: m1000.rssMb, unit: "MB", baseline: `${m100.rssMb.toFixed(0)} MB at 100 files`, ratio: m1000.rssMb / m100.rssMb });

// 4. Servers under load: the generated server with each store, against the two baselines.
log("servers under load …");
const project = path.join(work, "server");
rmSync(project, { recursive: true, force: true });
cpSync(path.join(root, "bench/spec"), project, { recursive: true });
execFileSync(node, [cli, "generate", "--quiet", "--dir", project], { cwd: root });
// The generated server runs as its package.json's start script runs it (flags included), which is
// also what its Dockerfile runs: `node <flags> src/http.ts`.
const serve = startArgs(project);

const pin = (core: number, args: string[]) => (existsSync("/usr/bin/taskset") ? ["taskset", ["-c", String(core), ...args]] : [args[0]!, args.slice(1)]) as [string, string[]];
const seconds = quick ? 2 : 8;
const headers = (method: string, name?: string) => ({
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-method": method,
  "mcp-protocol-version": "2026-07-28",
  ...(name ? { "mcp-name": name } : {}),
});
const meta = { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} } };
const rpc = (method: string, params: object = {}) => JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, ...meta } });
const call = (name: string, args: object) => ({ headers: headers("tools/call", name), body: rpc("tools/call", { name, arguments: args }) });

interface Server {
  name: string;
  start: () => ReturnType<typeof launch>;
}
async function launch(args: string[], cwd: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess; startOutput: string }> {
  const port = await freePort();
  const [bin, rest] = pin(0, [node, ...args]);
  const child = spawn(bin, rest, { cwd, env: { ...process.env, ...env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      out += chunk;
      if (out.includes("serving MCP at")) resolve();
    });
    child.once("exit", () => reject(new Error(`server ${args.join(" ")} exited:\n${out}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, child, startOutput: out };
}

const redisAvailable = spawnSync("redis-server", ["--version"]).status === 0;
let redisUrl = "";
let redisChild: ChildProcess | undefined;
if (redisAvailable) {
  const { startRedis } = await import("../test/support/redis.ts");
  const redis = await startRedis();
  redisUrl = redis.url;
  redisChild = { kill: () => void redis.stop() } as unknown as ChildProcess;
}
const toolsListBody = JSON.stringify((await fetchJson(await launchOnce())).result);
async function launchOnce() {
  const s = await launch(serve, project, { MCP_HANDLE_STORE: "memory" });
  const r = await fetch(s.url, { method: "POST", headers: headers("tools/list"), body: rpc("tools/list") });
  s.child.kill();
  return r;
}
/**
 * One request between loads. A kept-alive socket that sat idle through a load may be closed by
 * the server just as it is reused ("other side closed"): that is the harness's race, not an
 * answer, so it is retried once on a fresh connection.
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}
async function fetchJson(response: Response) {
  return (await response.json()) as { result: unknown };
}

/** A server started with `args` in `cwd`, keeping handles in memory. */
const onMemoryStore = (args: string[], cwd: string) => () => launch(args, cwd, { MCP_HANDLE_STORE: "memory" });
const servers: Server[] = [
  { name: "generated, memory store", start: onMemoryStore(serve, project) },
  { name: "generated, sqlite store", start: () => launch(serve, project, { MCP_HANDLE_STORE: "sqlite", MCP_SQLITE_FILE: path.join(work, "bench.sqlite") }) },
  ...(redisAvailable ? [{ name: "generated, redis store", start: () => launch(serve, project, { MCP_HANDLE_STORE: "redis", REDIS_URL: redisUrl }) }] : []),
  { name: "(a) bare SDK v2", start: () => launch([path.join(root, "bench/baselines/sdk-server.ts")], root, {}) },
  { name: "(b) node:http floor", start: () => launch([path.join(root, "bench/baselines/floor-server.ts")], root, { BENCH_TOOLS_LIST: toolsListBody }) },
];

/**
 * The handle workflow on a server `start` starts for it, warmed first as long as the main
 * rows' server is by its two other workloads: a fresh server needs about 6 s of load to reach its
 * steady rate.
 */
async function warmHandleWorkflow(label: string, start: Server["start"]): Promise<{ load: Load; startOutput: string }> {
  const { url, child, startOutput } = await start();
  const made = (await (await fetchOnce(url, { method: "POST", ...call("create_counter", {}) })).json()) as { result?: { structuredContent?: { counter_id?: string } } };
  const counterId = made.result?.structuredContent?.counter_id;
  if (!counterId) throw new Error(`${label}: create_counter gave no counter_id`);
  const readCounter = call("read_counter", { counter_id: counterId });
  measureLoad(child, url, readCounter, 2 * seconds);
  const load = measureLoad(child, url, readCounter);
  child.kill();
  return { load, startOutput };
}

/** One bounded load from the other core: what autocannon saw, and the server's CPU and peak RSS. */
function measureLoad(child: ChildProcess, url: string, request: { headers: Record<string, string>; body: string }, duration = seconds): Load {
  const cpuBefore = cpuMs(child.pid!);
  const [bin, args] = pin(1, [node, path.join(root, "bench/load.ts"), JSON.stringify({ url, ...request, seconds: duration, connections: 16 })]);
  const load = JSON.parse(execFileSync(bin, args, { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!);
  const cpu = cpuMs(child.pid!) - cpuBefore;
  return { ...load, cpuUsPerRequest: (cpu * 1000) / Math.max(1, load.requests), peakRssMb: peakRss(child.pid!) };
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  cpuUsPerRequest: number;
  peakRssMb: number;
}
const results: Record<string, Record<string, Load>> = {};
const oneConnection: Record<string, { count: number; p50: number; p99: number; runs: unknown[] }> = {};
for (const server of servers) {
  const { url, child } = await server.start();
  const made = await fetchOnce(url, { method: "POST", ...call("create_counter", {}) });
  const counter = (await made.json()) as { result?: { structuredContent?: { counter_id?: string } } };
  const counterId = counter.result?.structuredContent?.counter_id;
  if (!counterId) throw new Error(`${server.name}: create_counter gave no counter_id`);
  const workloads = {
    "tools/list": { headers: headers("tools/list"), body: rpc("tools/list") },
    "trivial tool (ping)": call("ping", { message: "hi" }),
    "handle workflow (read_counter)": call("read_counter", { counter_id: counterId }),
  };
  results[server.name] = {};
  for (const [workload, request] of Object.entries(workloads)) {
    // Same answers from every server: checked before the load.
    const sample = (await (await fetchOnce(url, { method: "POST", ...request })).json()) as { result?: { structuredContent?: unknown; tools?: unknown[] } };
    const expected = workload.startsWith("tools/list") ? Array.isArray(sample.result?.tools) : JSON.stringify(sample.result?.structuredContent) === (workload.includes("ping") ? '{"echo":"hi"}' : '{"value":0}');
    if (!expected) throw new Error(`${server.name} answered ${workload} wrongly: ${JSON.stringify(sample).slice(0, 200)}`);
    const load = measureLoad(child, url, request);
    results[server.name]![workload] = load;
    log(`  ${server.name} · ${workload}: ${load.rps.toFixed(0)} req/s`);
  }
  // What a store adds to one request's own latency: one connection, so no queue in front of it.
  if (server.name.startsWith("generated")) {
    const [bin, args] = pin(1, [node, path.join(root, "bench/latency.ts"), JSON.stringify({ url, ...workloads["handle workflow (read_counter)"], count: quick ? 3_000 : 10_000 })]);
    oneConnection[server.name] = JSON.parse(execFileSync(bin, args, { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!);
    log(`  ${server.name} · read_counter at one connection: p99 ${oneConnection[server.name]!.p99.toFixed(2)} ms`);
  }
  child.kill();
}
redisChild?.kill();
raw.servers = results;

// The same handle workflow on a server with 60 more tools: what a request costs must not grow
// with the number of tools (docs/performance.md, step 11). Memory store, as the row it is read against.
log("a server with 64 tools …");
const manyTools = path.join(work, "server-64-tools");
rmSync(manyTools, { recursive: true, force: true });
cpSync(path.join(root, "bench/spec"), manyTools, { recursive: true });
const manySpec = path.join(manyTools, "mcp.spec.ts");
const extraTools = Array.from({ length: 60 }, (_, i) => `    extra_${i}: { description: "Extra tool ${i}.", input: z.object({ text: z.string() }), output: z.object({ echo: z.string() }) },`);
writeFileSync(manySpec, readFileSync(manySpec, "utf8").replace("  tools: {\n", `  tools: {\n${extraTools.join("\n")}\n`));
execFileSync(node, [cli, "generate", "--quiet", "--dir", manyTools], { cwd: root });
{
  const { load } = await warmHandleWorkflow("64 tools", onMemoryStore(startArgs(manyTools), manyTools));
  raw.manyTools = load;
  const four = results["generated, memory store"]!["handle workflow (read_counter)"]!;
  rows.push({ section: "Server", measure: `generated, memory store, 64 tools · handle workflow (read_counter) (p99 ${load.p99} ms, ${load.errors} errors)`, value: load.rps, unit: "req/s", baseline: `the same with 4 tools (${four.rps.toFixed(0)} req/s)`, ratio: load.rps / four.rps });
  log(`  64 tools · read_counter: ${load.rps.toFixed(0)} req/s`);
}

// What the floor target depends on where it is missed (docs/performance.md, under that heading): the
// same server with zod's failed-parse results on a prototype, by a preload that rewrites zod as it
// loads. An experiment, never shipped; the row reads near 1× of the shipped one once zod has made
// that change itself (the preload then says it did nothing).
log("the same server with zod's failed parses on a prototype (experiment) …");
{
  const experiment = path.join(root, "bench/experiments/zod-failure-shape.ts");
  const { load, startOutput } = await warmHandleWorkflow("zod experiment", onMemoryStore([`--import=${experiment}`, ...serve], project));
  const applied = startOutput.includes("zod-failure-shape: failed parses return"); // the preload's line when it rewrote zod
  raw.zodFailureShape = { applied, ...load };
  const floorRps = results["(b) node:http floor"]!["handle workflow (read_counter)"]!.rps;
  const shipped = results["generated, memory store"]!["handle workflow (read_counter)"]!.rps;
  const what = applied ? "zod's failed parses on a prototype" : "zod as installed (the experiment found nothing to change)";
  rows.push({ section: "Server", measure: `experiment, not shipped: generated, memory store, ${what} · handle workflow (read_counter) (p99 ${load.p99} ms, ${load.errors} errors)`, value: load.rps, unit: "req/s", baseline: `(b) node:http floor; shipped: ${formatRatio(shipped / floorRps)}×`, ratio: load.rps / floorRps });
  log(`  zod experiment (${applied ? "applied" : "not applied"}) · read_counter: ${load.rps.toFixed(0)} req/s`);
  // It removes work, so it is faster in every steady run; slower means the machine moved under us.
  if (applied && load.rps < shipped) cautions.push(`the zod experiment, which only removes work, served less than the shipped server (${load.rps.toFixed(0)} against ${shipped.toFixed(0)} req/s)`);
}

// Steadiness: the two servers the floor target compares, measured again after everything above.
// A neighbour on a shared machine can slow the floor's system calls more than a server's
// JavaScript (a run in docs/performance.md had the floor at half its usual rate and the ratio a
// quarter higher), and a ratio taken then is not comparable with a steady run's: the run says so.
// Quick runs move by ±15 % between runs anyway, so they are held to that.
log("the handle workflow and the floor again (steadiness) …");
for (const { name, start } of servers.filter((s) => s.name === "generated, memory store" || s.name === "(b) node:http floor")) {
  const first = results[name]!["handle workflow (read_counter)"]!.rps;
  const { load } = await warmHandleWorkflow(`${name} again`, start);
  const drift = load.rps / first;
  rows.push({ section: "Steadiness", measure: `${name} · handle workflow (read_counter), measured again at the end`, value: load.rps, unit: "req/s", baseline: `the first measurement (${first.toFixed(0)} req/s)`, ratio: drift });
  log(`  ${name} again · read_counter: ${load.rps.toFixed(0)} req/s`);
  if (Math.abs(drift - 1) > (quick ? 0.15 : 0.1)) cautions.push(`${name} measured ${formatRatio(drift)}× its first rate at the end of the run`);
}
raw.oneConnection = oneConnection;

const sdk = results["(a) bare SDK v2"]!;
const floor = results["(b) node:http floor"]!;
for (const [name, byWorkload] of Object.entries(results)) {
  if (name.startsWith("(")) continue;
  for (const [workload, load] of Object.entries(byWorkload)) {
    const handleFlow = workload.startsWith("handle") && name.includes("memory");
    rows.push({ section: "Server", measure: `${name} · ${workload} (p99 ${load.p99} ms, ${load.errors} errors)`, value: load.rps, unit: "req/s", baseline: "(a) bare SDK v2", ratio: load.rps / sdk[workload]!.rps, ...(handleFlow ? { target: "≥ 3×", met: load.rps / sdk[workload]!.rps >= 3 } : {}) });
    rows.push({ section: "Server", measure: `${name} · ${workload}`, value: load.rps, unit: "req/s", baseline: "(b) node:http floor", ratio: load.rps / floor[workload]!.rps, ...(handleFlow ? { target: "≥ 0.2×", met: load.rps / floor[workload]!.rps >= 0.2 } : {}) });
  }
}
const memoryCpu = results["generated, memory store"]!["handle workflow (read_counter)"]!.cpuUsPerRequest;
const sqliteCpu = results["generated, sqlite store"]!["handle workflow (read_counter)"]!.cpuUsPerRequest;
rows.push({ section: "Stores", measure: "sqlite CPU per request, handle workflow", value: sqliteCpu, unit: "µs", baseline: `memory store (${memoryCpu.toFixed(0)} µs)`, ratio: sqliteCpu / memoryCpu, target: "≤ 1.3×", met: sqliteCpu / memoryCpu <= 1.3 });
if (redisAvailable) {
  // The target reads the request's own latency (one connection). Under 16 connections on one
  // core a p99 is mostly queueing behind other requests, so that difference is shown, unjudged.
  const redis = oneConnection["generated, redis store"]!;
  const memory = oneConnection["generated, memory store"]!;
  rows.push({ section: "Stores", measure: "redis p99 added, handle workflow, one connection", value: redis.p99 - memory.p99, unit: "ms", baseline: `memory store p99 (${memory.p99.toFixed(2)} ms)`, target: "≤ 2 ms", met: redis.p99 - memory.p99 <= 2 });
  const redisP99 = results["generated, redis store"]!["handle workflow (read_counter)"]!.p99;
  const memoryP99 = results["generated, memory store"]!["handle workflow (read_counter)"]!.p99;
  rows.push({ section: "Stores", measure: "redis p99 added, handle workflow, 16 connections (queueing included)", value: redisP99 - memoryP99, unit: "ms", baseline: `memory store p99 (${memoryP99} ms)` });
}

// 5. Cold start: process start to the first good tools/list, the median of several starts, then
// what a fresh instance serves in its first second. The generated entry turns on Node's on-disk
// compile cache, so its first start (empty cache: a new container) and its later ones (a restart,
// a stdio host's next session) are measured apart; (a), as the SDK documents it, has no cache.
// The cache goes where it goes by default, under the temp dir (TMPDIR here): NODE_COMPILE_CACHE
// would also cache the entry file itself, which a default start strips and compiles every time.
log("cold start …");
const starts = quick ? 3 : 7;
const temp = path.join(work, "tmp");
async function coldStart(args: string[], cwd: string, env: Record<string, string>): Promise<{ firstMs: number; served: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(node, args, { cwd, env: { ...process.env, NODE_COMPILE_CACHE: undefined, ...env, PORT: String(port) }, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}/mcp`;
  const list = { method: "POST", headers: headers("tools/list"), body: rpc("tools/list") };
  let firstMs = 0;
  for (let attempt = 0; attempt < 2_000 && !firstMs; attempt++) {
    const ok = await fetch(url, list).then((r) => r.ok, () => false);
    if (ok) firstMs = performance.now() - started;
    else await new Promise((resolve) => setTimeout(resolve, 2));
  }
  // Its first second of life after that: sequential requests, as a fresh serverless instance sees them.
  let served = 0;
  const until = performance.now() + 1000;
  while (performance.now() < until) if ((await fetch(url, list)).ok) served += 1;
  child.kill();
  await new Promise((resolve) => child.once("exit", resolve));
  if (!firstMs) throw new Error(`${args.join(" ")} never answered tools/list`);
  return { firstMs, served };
}
interface Entry {
  args: string[];
  cwd: string;
  env: Record<string, string>;
}
const generatedEntry: Entry = { args: serve, cwd: project, env: { MCP_HANDLE_STORE: "memory" } };
const emptyCache = () => (rmSync(temp, { recursive: true, force: true }), mkdirSync(temp), { TMPDIR: temp });
const FIRST = "generated, memory store, first start (empty compile cache)";
const LATER = "generated, memory store, later starts (compile cache filled)";
const UNCACHED = "generated, memory store, compile cache off (NODE_DISABLE_COMPILE_CACHE=1)";
const IMAGE = "generated, memory store, first start of a container (compile cache filled at build by MCP_WARM_UP=1)";
const BARE = "(a) bare SDK v2";
const coldCases: Array<[string, () => Record<string, string>, Entry]> = [
  [FIRST, emptyCache, generatedEntry],
  [LATER, () => ({ TMPDIR: temp }), generatedEntry],
  // What filling the cache costs a first start (the generated README quotes it).
  [UNCACHED, () => ({ ...emptyCache(), NODE_DISABLE_COMPILE_CACHE: "1" }), generatedEntry],
  // As the Dockerfile builds it: NODE_COMPILE_CACHE set, filled by a warm-up run before the start.
  [IMAGE, warmedImageCache, generatedEntry],
  [BARE, () => ({ TMPDIR: temp }), { args: [path.join(root, "bench/baselines/sdk-server.ts")], cwd: root, env: {} }],
];
function warmedImageCache(): Record<string, string> {
  const { TMPDIR } = emptyCache();
  const cache = path.join(TMPDIR, "image-compile-cache");
  execFileSync(node, serve, { cwd: project, env: { ...process.env, NODE_COMPILE_CACHE: cache, MCP_WARM_UP: "1" }, stdio: "ignore" });
  return { TMPDIR, NODE_COMPILE_CACHE: cache };
}
const coldRaw: Record<string, Array<{ firstMs: number; served: number }>> = {};
const coldMs: Record<string, number> = {};
for (const [name, cacheEnv, entry] of coldCases) {
  const samples: Array<{ firstMs: number; served: number }> = [];
  for (let i = 0; i < starts; i++) samples.push(await coldStart(entry.args, entry.cwd, { ...entry.env, ...cacheEnv() }));
  coldRaw[name] = samples;
  coldMs[name] = median(samples.map((sample) => sample.firstMs));
  rows.push({ section: "Cold start", measure: `${name}: start → first tools/list (median of ${starts})`, value: coldMs[name], unit: "ms", baseline: `node -e 0 (${nothing.toFixed(0)} ms)`, ratio: coldMs[name] / nothing });
  rows.push({ section: "Cold start", measure: `${name}: tools/list served in its first second (one at a time)`, value: median(samples.map((sample) => sample.served)), unit: "requests" });
}
raw.coldStart = coldRaw;
for (const name of [FIRST, LATER, IMAGE]) {
  rows.push({ section: "Cold start", measure: `${name}: start → first tools/list`, value: coldMs[name]!, unit: "ms", baseline: `(a) bare SDK v2 (${coldMs[BARE]!.toFixed(0)} ms)`, ratio: coldMs[name]! / coldMs[BARE]! });
}
rows.push({ section: "Cold start", measure: "filling the compile cache, first start", value: coldMs[FIRST]! - coldMs[UNCACHED]!, unit: "ms", baseline: `cache off (${coldMs[UNCACHED]!.toFixed(0)} ms)` });

// 6. Memory: many create/destroy cycles through the handle runtime, in process.
log("memory over create/destroy cycles …");
const cycles = quick ? 200_000 : 1_000_000;
const memoryScript = `
const { createHandle } = await import(${JSON.stringify(path.join(root, "templates/runtime/handles.ts"))});
const { MemoryStore } = await import(${JSON.stringify(path.join(root, "templates/runtime/memory-store.ts"))});
const kind = { name: "counter", prefix: "ctr", ttlMs: 3600000, createTool: "create_counter", lifetime: "1 hour" };
const store = new MemoryStore();
const cycle = async (n) => { for (let i = 0; i < n; i++) { const saved = await createHandle(store, kind, "bench", { value: i }); await store.destroy(kind, "bench", saved.handle); } };
await cycle(20000); globalThis.gc(); const before = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
await cycle(${cycles}); globalThis.gc(); const after = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
console.log(JSON.stringify({ before, after }));`;
const memory = JSON.parse(execFileSync(node, ["--expose-gc", "--input-type=module", "-e", memoryScript], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!);
raw.memory = { cycles, ...memory };
const heapGrowth = memory.after.heap / memory.before.heap;
rows.push({ section: "Memory", measure: `heap after ${cycles.toLocaleString("en")} create/destroy cycles (runtime, memory store)`, value: memory.after.heap / 1e6, unit: "MB", baseline: `before (${(memory.before.heap / 1e6).toFixed(1)} MB)`, ratio: heapGrowth, target: "within 10 %", met: heapGrowth <= 1.1 });

// 6b. The same through a whole generated server in process: each cycle is two tools/call
// requests (create_counter, destroy_counter) through the app's fetch, the full MCP stack.
const appCycles = quick ? 20_000 : 1_000_000;
log(`memory over ${appCycles} create/destroy cycles through the generated app …`);
const appScript = `
const { createApp } = await import(${JSON.stringify(path.join(project, "src/generated/app.ts"))});
const { MemoryStore } = await import(${JSON.stringify(path.join(project, "src/generated/handles/memory-store.ts"))});
const app = await createApp({ store: new MemoryStore() });
const headers = (name) => (${JSON.stringify(headers("tools/call", "NAME"))});
const meta = ${JSON.stringify(meta._meta)};
const call = async (name, args) => {
  const h = { ...headers(), "mcp-name": name };
  const response = await app.fetch(new Request("http://127.0.0.1/mcp", { method: "POST", headers: h, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, _meta: meta } }) }));
  const body = await response.json();
  if (!body.result || body.result.isError) throw new Error(name + " failed: " + JSON.stringify(body));
  return body.result;
};
// Each cycle starts from the event loop, as a request arriving on a socket does: a loop of
// promises alone never lets FinalizationRegistry callbacks run, and memory piles up that no
// server would hold.
const turn = () => new Promise((resolve) => setImmediate(resolve));
const cycle = async (n) => { for (let i = 0; i < n; i++) { await turn(); const made = await call("create_counter", {}); await call("destroy_counter", { counter_id: made.structuredContent.counter_id }); } };
// Request objects free their abort listeners from a FinalizationRegistry: collect, then let it run.
const settle = async () => { for (let i = 0; i < 4; i++) { globalThis.gc(); await new Promise((resolve) => setTimeout(resolve, 50)); } };
// RSS settles after about 20,000 cycles (V8 and malloc reach their working size); flat from there.
await cycle(20000); await settle(); const before = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
const t = performance.now(); await cycle(${appCycles}); const ms = performance.now() - t;
await settle(); const after = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
await app.close();
console.log(JSON.stringify({ before, after, ms }));`;
const appMemory = JSON.parse(execFileSync(node, ["--expose-gc", "--input-type=module", "-e", appScript], { cwd: project, encoding: "utf8" }).trim().split("\n").at(-1)!);
raw.appMemory = { cycles: appCycles, ...appMemory };
const appHeap = appMemory.after.heap / appMemory.before.heap;
const appRss = appMemory.after.rss / appMemory.before.rss;
rows.push({ section: "Memory", measure: `heap after ${appCycles.toLocaleString("en")} create/destroy cycles (generated app, in process, ${((appCycles * 2) / (appMemory.ms / 1000)).toFixed(0)} calls/s)`, value: appMemory.after.heap / 1e6, unit: "MB", baseline: `before (${(appMemory.before.heap / 1e6).toFixed(1)} MB)`, ratio: appHeap, target: "within 10 %", met: appHeap <= 1.1 });
rows.push({ section: "Memory", measure: `RSS after ${appCycles.toLocaleString("en")} create/destroy cycles (generated app, in process)`, value: appMemory.after.rss / 1e6, unit: "MB", baseline: `before (${(appMemory.before.rss / 1e6).toFixed(1)} MB)`, ratio: appRss, target: "within 10 %", met: appRss <= 1.1 });

// Report.
const table = [
  `| section | measure | value | baseline | ratio | target | met |`,
  `|---|---|---|---|---|---|---|`,
  ...rows.map((r) => `| ${r.section} | ${r.measure} | ${format(r.value)} ${r.unit} | ${r.baseline ?? ""} | ${r.ratio === undefined ? "" : `${formatRatio(r.ratio)}×`} | ${r.target ?? ""} | ${r.met === undefined ? "" : r.met ? "yes" : "**no**"} |`),
].join("\n");
console.log(table);
const missed = rows.filter((r) => r.met === false);
console.log(missed.length ? `\nTargets missed: ${missed.map((r) => r.measure).join("; ")}. docs/performance.md says why and what would close them.` : "\nEvery target met.");
const unsteady = cautions.length ? `\nAn unsteady run: ${cautions.join("; ")}. Its ratios are not comparable with a steady run's; measure again when the machine is quiet.\n` : "";
if (unsteady) console.log(unsteady.trimEnd());
mkdirSync(path.join(root, "bench/results"), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
writeFileSync(path.join(root, "bench/results", `${stamp}${quick ? "-quick" : ""}.json`), JSON.stringify({ quick, node: process.version, rows, cautions, raw }, null, 2));
writeFileSync(path.join(root, "bench/results", `latest${quick ? "-quick" : ""}.md`), `${table}\n${unsteady}`);

/** The arguments after `node` in a project's start script (`node --flag src/http.ts`). */
function startArgs(dir: string): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.split(/\s+/);
  if (command !== "node" || args.length === 0) throw new Error(`unexpected start script in ${dir}: ${scripts.start}`);
  return args;
}

/** Three decimals below 1, so a ratio just short of a target (0.198×) does not print as the target. */
function formatRatio(ratio: number): string {
  return ratio.toFixed(ratio < 1 ? 3 : 2);
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

function peakRss(pid: number): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return line ? Number(line[1]) / 1024 : 0;
}

function specWithTools(count: number): string {
  const tools = Array.from({ length: count }, (_, i) =>
    i % 3 === 0
      ? `    create_item_${i}: { description: "Create item ${i}.", creates: "item", input: z.object({ name: z.string() }) },`
      : `    use_item_${i}: { description: "Use item ${i}.", uses: "item", input: z.object({ amount: z.number().int() }), output: z.object({ total: z.number() }) },`,
  );
  return `import { z } from "zod";\nexport default {\n  name: "gen-${count}",\n  handles: { item: { prefix: "itm", ttl: "1h", description: "An item", state: z.object({ total: z.number() }) } },\n  tools: {\n${tools.join("\n")}\n  },\n};\n`;
}
