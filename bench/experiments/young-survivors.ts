/**
 * Experiment (docs/performance.md, "what would close it"): how much of what a loop allocates
 * survives V8's young collections, for four loops of 2 s each, one object in flight at a time:
 *
 * - zod-ok / zod-fail: `safeParse` of a message that matches / does not match a small schema. The
 *   SDK runs five failing parses per request (is this a result? an error?), and since zod 4.6 a
 *   failed result is an object literal with a getter and a setter over the parse's issues.
 * - literal / literal-accessors: the same shape in plain JavaScript, without and with accessors.
 * - zod-strict-fail-large: a strict schema (the SDK's JSON-RPC schemas are strict) failing on a
 *   27 KB result, as the SDK's "is this an error?" check does on every answer: the failure's
 *   `unrecognized_keys` issue holds the whole input, so the message itself waits.
 *
 * Each loop runs in its own process under `--trace-gc-nvp`; printed: bytes promoted to the old
 * generation as a share of bytes allocated, and the time young collections took. Nothing of a
 * finished iteration is reachable, so a share above ~1 % is garbage that waits for a full GC.
 *
 *   node bench/experiments/young-survivors.ts
 */
import { spawnSync } from "node:child_process";
import { z } from "zod";

const LOOPS = ["zod-ok", "zod-fail", "literal", "literal-accessors", "zod-strict-fail-large"] as const;
type Loop = (typeof LOOPS)[number];

const mode = process.env.SURVIVOR_LOOP as Loop | undefined;
if (mode) await runLoop(mode);
else report();

async function runLoop(loop: Loop): Promise<void> {
  const schema = z.object({ jsonrpc: z.literal("2.0"), id: z.number(), result: z.record(z.string(), z.unknown()) });
  const request = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "ping", arguments: {} } });
  const result = JSON.stringify({ jsonrpc: "2.0", id: 1, result: {} });
  const errorResponse = z.strictObject({ jsonrpc: z.literal("2.0"), id: z.number(), error: z.object({ code: z.number(), message: z.string() }) });
  const largeResult = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { items: Array.from({ length: 1000 }, (_, i) => ({ i, name: `item${i}` })) } });
  const end = performance.now() + 2000;
  for (let i = 0; performance.now() < end; i++) {
    if (loop === "zod-ok") schema.safeParse(JSON.parse(result));
    else if (loop === "zod-fail") schema.safeParse(JSON.parse(request));
    else if (loop === "zod-strict-fail-large") errorResponse.safeParse(JSON.parse(largeResult));
    else if (loop === "literal") plainFailure([{ path: ["result"], input: JSON.parse(request) }]);
    else accessorFailure([{ path: ["result"], input: JSON.parse(request) }]);
    // Let the event loop turn now and then, as a server's does between requests.
    if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

function plainFailure(issues: unknown[]) {
  return { success: false, issues };
}

function accessorFailure(issues: unknown[] | undefined) {
  let error: unknown;
  return {
    success: false,
    get error() {
      return (error ??= issues?.length);
    },
    set error(value: unknown) {
      error = value;
      issues = undefined;
    },
  };
}

function report(): void {
  console.log("| loop | promoted / allocated | young GC time in 2 s |\n|---|---|---|");
  for (const loop of LOOPS) {
    const run = spawnSync(process.execPath, ["--trace-gc-nvp", import.meta.filename], { env: { ...process.env, SURVIVOR_LOOP: loop }, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${loop} failed:\n${run.stderr}`);
    let promoted = 0;
    let allocated = 0;
    let pauseMs = 0;
    for (const line of run.stdout.split("\n")) {
      const fields = gcFields(line);
      if (fields.gc !== "s") continue; // young collections (scavenges) only
      promoted += Number(fields.promoted);
      allocated += Number(fields.allocated);
      pauseMs += Number(fields.pause);
    }
    console.log(`| ${loop} | ${((100 * promoted) / allocated).toFixed(1)} % | ${pauseMs.toFixed(0)} ms |`);
  }
}

/** One `--trace-gc-nvp` line's fields: `name=value` pairs up to Node 24, JSON after "GC: " from Node 26. */
function gcFields(line: string): Record<string, unknown> {
  const json = line.indexOf("GC: {");
  if (json !== -1) return JSON.parse(line.slice(json + 4)) as Record<string, unknown>;
  return Object.fromEntries(line.split(" ").map((pair) => pair.split("=")));
}
