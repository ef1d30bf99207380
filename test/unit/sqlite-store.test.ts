/**
 * The sqlite store shared by several connections to one file, as server processes on one host
 * share it: each racer is a worker thread with its own connection (test/support/sqlite-racer.ts).
 * The store contract every generated project runs covers one connection.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import type { HandleKind } from "../../templates/runtime/handles.ts";
import { SqliteStore } from "../../templates/runtime/sqlite-store.ts";

const note: HandleKind = { name: "note", prefix: "note", ttlMs: 60_000, createTool: "create_note", lifetime: "1 minute", maxPerOwner: 3 };
const racer = new URL("../support/sqlite-racer.ts", import.meta.url);
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Starts `count` racers on `file` at once; what each reports. */
async function race(file: string, count: number, creates: number) {
  const gate = new SharedArrayBuffer(8);
  const reports = Array.from({ length: count }, () => {
    const worker = new Worker(racer, { workerData: { file, kind: note, creates, gate, racers: count } });
    return new Promise<{ opened: string; kept: number; refused: number }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  });
  return Promise.all(reports);
}

describe("the sqlite store across connections", () => {
  it("opens a new file from several connections at once", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sqlite-race-"));
    const reports = await race(path.join(dir, "handles.sqlite"), 4, 0);
    expect(reports.map((r) => r.opened)).toEqual(["ok", "ok", "ok", "ok"]);
  });

  it("keeps one owner's live handles at maxPerOwner when connections create at the same time", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sqlite-race-"));
    const file = path.join(dir, "handles.sqlite");
    await new SqliteStore({ file }).close();
    const reports = await race(file, 4, 5);
    expect(reports.map((r) => r.opened)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(reports.reduce((sum, r) => sum + r.kept, 0)).toBe(3);
    expect(reports.reduce((sum, r) => sum + r.refused, 0)).toBe(17);
    const store = new SqliteStore({ file });
    expect(await store.list(note, "alice")).toHaveLength(3);
    await store.close();
  });
});
