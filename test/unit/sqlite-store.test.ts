/**
 * The sqlite store shared by several connections to one file, as server processes on one host
 * share it: each racer is a worker thread with its own connection (test/support/sqlite-racer.ts).
 * The store contract every generated project runs covers one connection.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { HandleConflictError, type HandleKind } from "../../templates/runtime/handles.ts";
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

describe("a file written before handles had revisions", () => {
  it("gets the column once, from several connections opening it at once, and its handles start at revision 0", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sqlite-old-"));
    const file = path.join(dir, "handles.sqlite");
    const old = new DatabaseSync(file);
    old.exec("CREATE TABLE handles (handle TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, state TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT");
    old.prepare("INSERT INTO handles VALUES (?, ?, ?, ?, ?)").run("note_old", "note", "alice", JSON.stringify({ n: 1 }), Date.now() + 60_000);
    old.close();
    const reports = await race(file, 4, 0);
    expect(reports.map((r) => r.opened)).toEqual(["ok", "ok", "ok", "ok"]);
    const store = new SqliteStore({ file });
    expect(await store.get(note, "alice", "note_old")).toMatchObject({ found: true, state: { n: 1 }, revision: 0 });
    await store.update(note, "alice", "note_old", { n: 2 }, { revision: 0 });
    await expect(store.update(note, "alice", "note_old", { n: 3 }, { revision: 0 })).rejects.toThrow(HandleConflictError);
    expect(await store.get(note, "alice", "note_old")).toMatchObject({ state: { n: 2 }, revision: 1 });
    await store.close();
  });

  it("is not given the column twice when another connection adds it while this one waits for the write lock", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sqlite-old-"));
    const file = path.join(dir, "handles.sqlite");
    const other = new DatabaseSync(file);
    // Everything else already in place, so the only write the opening store needs is the column.
    other.exec("PRAGMA journal_mode = WAL");
    other.exec("CREATE TABLE handles (handle TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, state TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT");
    other.exec("CREATE INDEX handles_by_owner ON handles (kind, owner, expires_at); CREATE INDEX handles_by_expiry ON handles (expires_at)");
    // Another server is adding the column: it holds the write lock and has not committed yet.
    other.exec("BEGIN IMMEDIATE");
    other.exec("ALTER TABLE handles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0");
    const gate = new SharedArrayBuffer(8);
    const worker = new Worker(racer, { workerData: { file, kind: note, creates: 0, gate, racers: 1 } });
    const report = new Promise<{ opened: string }>((resolve, reject) => worker.once("message", resolve).once("error", reject));
    // The worker is opening the store: it sees no column yet (not committed) and waits for the lock.
    while (Atomics.load(new Int32Array(gate), 0) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 500));
    other.exec("COMMIT");
    other.close();
    expect((await report).opened).toBe("ok");
    const check = new DatabaseSync(file);
    const columns = check.prepare("SELECT name FROM pragma_table_info('handles')").all() as Array<{ name: string }>;
    check.close();
    expect(columns.filter((c) => c.name === "revision")).toHaveLength(1);
  });
});
