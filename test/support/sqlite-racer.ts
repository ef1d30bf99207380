/**
 * A worker thread with its own connection to one SQLite file, as another server process on the
 * host would have: it opens the store, waits until every racer is ready, then creates handles
 * for one owner and reports how many the store kept and refused (test/unit/sqlite-store.test.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import { HandleLimitError, type HandleKind } from "../../templates/runtime/handles.ts";
import { SqliteStore } from "../../templates/runtime/sqlite-store.ts";

const { file, kind, creates, gate, racers } = workerData as { file: string; kind: HandleKind; creates: number; gate: SharedArrayBuffer; racers: number };
const arrived = new Int32Array(gate);

/** Waits at `slot` until every racer has arrived there, so they go on together. */
function lineUp(slot: number): void {
  Atomics.add(arrived, slot, 1);
  Atomics.notify(arrived, slot);
  for (let seen = Atomics.load(arrived, slot); seen < racers; seen = Atomics.load(arrived, slot)) Atomics.wait(arrived, slot, seen, 50);
}

lineUp(0);
let store: SqliteStore | undefined;
let opened = "ok";
try {
  store = new SqliteStore({ file });
} catch (error) {
  opened = String(error);
}
lineUp(1);
let kept = 0;
let refused = 0;
for (let i = 0; store && i < creates; i++) {
  try {
    await store.create(kind, "alice", { i });
    kept++;
  } catch (error) {
    if (!(error instanceof HandleLimitError)) throw error;
    refused++;
  }
}
await store?.close();
parentPort!.postMessage({ opened, kept, refused });
