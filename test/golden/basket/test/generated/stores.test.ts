// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * The contract every handle store keeps, run against each store in this project. A new
 * store is done when it passes this file unchanged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { changeHandle, endHandle, HandleConflictError, HandleLimitError, type HandleKind, type HandleStore } from "../../src/generated/handles/handles.ts";
import { SqliteStore } from "../../src/generated/handles/sqlite-store.ts";
import { MemoryStore } from "../../src/generated/handles/memory-store.ts";
import { manualClock } from "./harness.ts";

const cart: HandleKind = { name: "cart", prefix: "crt", ttlMs: 60_000, createTool: "create_cart", lifetime: "1 minute" };
const note: HandleKind = { name: "note", prefix: "nte", ttlMs: 60_000, createTool: "create_note", lifetime: "1 minute" };
const dir = mkdtempSync(path.join(tmpdir(), "handle-stores-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Clock = ReturnType<typeof manualClock>;
/** Each store in this process, opened on `file` (where its data lives, so a second instance can share it). */
const stores: Array<[string, (clock: Clock, file: string) => HandleStore]> = [
  ["sqlite", (clock, file) => new SqliteStore({ file, now: clock.now })],
  ["memory", (clock) => new MemoryStore({ now: clock.now })],
];

let counter = 0;
function contract(name: string, open: (clock: Clock, file: string) => HandleStore): void {
  let clock: Clock;
  let file: string;
  let store: HandleStore;
  beforeEach(() => {
    clock = manualClock();
    file = path.join(dir, `${name}-${++counter}.sqlite`);
    store = open(clock, file);
  });
  afterEach(() => store.close());

  it("mints unguessable handles carrying the kind's prefix", async () => {
    const a = await store.create(cart, "alice", {});
    const b = await store.create(cart, "alice", {});
    expect(a).toMatch(/^crt_[A-Za-z0-9_.-]{22,}$/); // 22 base64url characters hold 132 bits (sealed: key id, then the seal)
    expect(b).not.toBe(a);
  });

  it("returns a copy of the state to its owner", async () => {
    const state = { items: [{ sku: "A1", qty: 2 }] };
    const handle = await store.create(cart, "alice", state);
    state.items.length = 0;
    expect(await store.get(cart, "alice", handle)).toEqual({ found: true, state: { items: [{ sku: "A1", qty: 2 }] }, expiresAt: clock.now() + 60_000, revision: 0 });
  });

  it("reports another owner's or another kind's handle as unknown", async () => {
    const handle = await store.create(cart, "alice", { n: 1 });
    expect(await store.get(cart, "bob", handle)).toEqual({ found: false, reason: "unknown" });
    expect(await store.get(note, "alice", handle)).toEqual({ found: false, reason: "unknown" });
    expect(await store.get(cart, "alice", "crt_doesnotexist")).toEqual({ found: false, reason: "unknown" });
  });

  it("updates state for the owner only (in place, or under a new handle where the store cannot)", async () => {
    const handle = await store.create(cart, "alice", { n: 1 });
    const next = await store.update(cart, "alice", handle, { n: 2 });
    if (store.capabilities?.updatesInPlace === false) expect(next).not.toBe(handle);
    else expect(next).toBe(handle);
    await expect(store.update(cart, "bob", next, { n: 3 })).rejects.toThrow(/unknown/);
    expect(await store.get(cart, "alice", next)).toMatchObject({ found: true, state: { n: 2 } });
  });

  /** One change as a tool makes it: the item added to the cart's state, again on a conflict. */
  const addItem = (handle: string, item: number) =>
    changeHandle(store, [cart, note], cart, "alice", handle, async (state: { items: number[] }) => ({ state: { items: [...state.items, item] } }));

  it("saves no update made from a revision the handle has moved past, and says so", async () => {
    const handle = await store.create(cart, "alice", { n: 1 });
    const read = await store.get(cart, "alice", handle);
    if (!read.found) throw new Error("a handle just created is not found");
    if (store.capabilities?.updatesInPlace === false) return; // each change makes its own handle: nothing to conflict with
    await store.update(cart, "alice", handle, { n: 2 }, { revision: read.revision });
    await expect(store.update(cart, "alice", handle, { n: 3 }, { revision: read.revision })).rejects.toThrow(HandleConflictError);
    const after = await store.get(cart, "alice", handle);
    expect(after).toMatchObject({ found: true, state: { n: 2 } });
    expect(after.found && after.revision).not.toBe(read.revision);
    // Without a revision an update replaces whatever is there.
    await store.update(cart, "alice", handle, { n: 4 });
    expect(await store.get(cart, "alice", handle)).toMatchObject({ state: { n: 4 } });
    // A handle that has ended is reported as ended, whatever revision the update names.
    await store.destroy(cart, "alice", handle);
    await expect(store.update(cart, "alice", handle, { n: 5 }, { revision: read.revision })).rejects.toThrow(/unknown or has ended/);
  });

  it("lands every one of changes made together on one handle (changeHandle runs a losing change again)", async () => {
    if (store.capabilities?.updatesInPlace === false) return; // each change makes its own handle
    const handle = await store.create(cart, "alice", { items: [] });
    const changes = await Promise.all([1, 2, 3, 4].map((item) => addItem(handle, item)));
    expect(changes.map((c) => c.ok)).toEqual([true, true, true, true]);
    const found = await store.get(cart, "alice", handle);
    expect(found.found && (found.state as { items: number[] }).items.toSorted()).toEqual([1, 2, 3, 4]);
  });

  it("destroys a handle once, and only for its owner (where the store can revoke)", async () => {
    const handle = await store.create(cart, "alice", {});
    expect(await store.destroy(cart, "bob", handle)).toBe(false);
    if (store.capabilities?.revocable === false) {
      expect(await store.destroy(cart, "alice", handle)).toBe(false);
      expect(await store.get(cart, "alice", handle)).toMatchObject({ found: true });
      return;
    }
    expect(await store.destroy(cart, "alice", handle)).toBe(true);
    expect(await store.destroy(cart, "alice", handle)).toBe(false);
    expect(await store.get(cart, "alice", handle)).toEqual({ found: false, reason: "unknown" });
  });

  it("ends a handle only at the revision it names, and says so when it has moved past it", async () => {
    if (store.capabilities?.revocable === false) return; // nothing can end a sealed handle early
    const handle = await store.create(cart, "alice", { n: 1 });
    const read = await store.get(cart, "alice", handle);
    if (!read.found) throw new Error("a handle just created is not found");
    await store.update(cart, "alice", handle, { n: 2 }, { revision: read.revision });
    await expect(store.destroy(cart, "alice", handle, { revision: read.revision })).rejects.toThrow(HandleConflictError);
    const after = await store.get(cart, "alice", handle);
    expect(after).toMatchObject({ found: true, state: { n: 2 } });
    expect(await store.destroy(cart, "alice", handle, { revision: after.found ? after.revision : -1 })).toBe(true);
    // Gone is gone, whatever revision is named: false, as without one.
    expect(await store.destroy(cart, "alice", handle, { revision: read.revision })).toBe(false);
  });

  it("ends a handle with every change that landed before the end in it, and answers one of two ends as the end (endHandle)", async () => {
    if (store.capabilities?.revocable === false) return; // a sealed handle is not ended early
    const handle = await store.create(cart, "alice", { items: [] });
    const end = () => endHandle(store, [cart, note], cart, "alice", handle, async (state: { items: number[] }) => state.items);
    const [added, ended] = await Promise.all([Promise.all([1, 2].map((item) => addItem(handle, item))), Promise.all([end(), end()])]);
    const answered = ended.flatMap((outcome) => (outcome.ok ? [outcome.result] : []));
    expect(answered).toHaveLength(1);
    expect(ended.find((outcome) => !outcome.ok)).toMatchObject({ error: { isError: true, content: [{ text: expect.stringMatching(/ended/) }] } });
    // A change told it was saved is in what the end saw; one that came too late was told so.
    const landed = [1, 2].filter((_, i) => added[i]!.ok);
    expect(answered[0]!.toSorted()).toEqual(landed);
    expect(await store.get(cart, "alice", handle)).toEqual({ found: false, reason: "unknown" });
  });

  it("expires handles after the kind's ttl", async () => {
    const handle = await store.create(cart, "alice", {});
    clock.advance(59_999);
    expect(await store.get(cart, "alice", handle)).toMatchObject({ found: true });
    clock.advance(1);
    expect(await store.get(cart, "alice", handle)).toEqual({ found: false, reason: "expired" });
    await expect(store.update(cart, "alice", handle, {})).rejects.toThrow();
    expect(await store.destroy(cart, "alice", handle)).toBe(false);
    expect(await store.list(cart, "alice")).toEqual([]);
  });

  it("starts a handle's lifetime again when asked to extend it (sliding expiry)", async () => {
    if (store.capabilities?.updatesInPlace === false) return expect(name).toBe("sealed"); // no sliding expiry without a record
    const handle = await store.create(cart, "alice", {});
    clock.advance(50_000);
    expect(await store.get(cart, "alice", handle, { extend: true })).toMatchObject({ found: true, expiresAt: clock.now() + 60_000 });
    clock.advance(50_000);
    expect(await store.get(cart, "alice", handle)).toMatchObject({ found: true });
    expect(await store.get(cart, "bob", handle, { extend: true })).toEqual({ found: false, reason: "unknown" });
    clock.advance(10_000);
    expect(await store.get(cart, "alice", handle, { extend: true })).toEqual({ found: false, reason: "expired" });
  });

  it("lists an owner's live handles of one kind, soonest to expire first", async () => {
    if (store.capabilities?.listable === false) return expect(await store.list(cart, "alice")).toEqual([]);
    const first = await store.create(cart, "alice", {});
    clock.advance(10);
    const second = await store.create(cart, "alice", {});
    await store.create(cart, "bob", {});
    await store.create(note, "alice", {});
    expect(await store.list(cart, "alice")).toEqual([
      { handle: first, expiresAt: clock.now() - 10 + 60_000 },
      { handle: second, expiresAt: clock.now() + 60_000 },
    ]);
  });

  it("answers calls made together as soon as it is opened", async () => {
    const fresh = open(clock, file);
    const made = await Promise.all(Array.from({ length: 5 }, () => fresh.create(cart, "alice", {})));
    expect(new Set(made).size).toBe(5);
    await fresh.close();
  });

  it("keeps no more than a kind's maxPerOwner live handles per owner, however many creates race", async () => {
    if (store.capabilities?.listable === false) return expect(name).toBe("sealed"); // nothing to count without a record
    const capped: HandleKind = { ...cart, maxPerOwner: 2 };
    const made = await Promise.allSettled(Array.from({ length: 6 }, () => store.create(capped, "alice", {})));
    expect(made.filter((m) => m.status === "fulfilled")).toHaveLength(2);
    for (const m of made) if (m.status === "rejected") expect(m.reason).toEqual(new HandleLimitError(2));
    expect(await store.list(capped, "alice")).toHaveLength(2);
    expect(await store.create(capped, "bob", {})).toMatch(/^crt_/);
    clock.advance(60_000); // expired handles no longer count
    expect(await store.create(capped, "alice", {})).toMatch(/^crt_/);
  });

  it("does not bring back a handle ended while it was being extended", async () => {
    if (store.capabilities?.revocable === false) return expect(name).toBe("sealed"); // nothing can end a sealed handle
    // This store's clock ends the handle the first time it is read after `endIt` is set: a
    // concurrent destroy that lands between the lookup of the handle and its extension.
    let endIt: (() => void) | undefined;
    const now = () => {
      const end = endIt;
      endIt = undefined;
      end?.();
      return clock.now();
    };
    const racing = open({ ...clock, now }, file);
    const handle = await racing.create(cart, "alice", {});
    endIt = () => void racing.destroy(cart, "alice", handle);
    await racing.get(cart, "alice", handle, { extend: true });
    expect(await racing.get(cart, "alice", handle)).toEqual({ found: false, reason: "unknown" });
    expect(await racing.list(cart, "alice")).toEqual([]);
    await racing.close();
  });

  if (name !== "memory") {
    it("keeps handles across a restart and shares them between instances", async () => {
      const handle = await store.create(cart, "alice", { n: 7 });
      const other = open(clock, file);
      expect(await other.get(cart, "alice", handle)).toMatchObject({ found: true, state: { n: 7 } });
      await other.close();
      await store.close();
      store = open(clock, file);
      expect(await store.get(cart, "alice", handle)).toMatchObject({ found: true, state: { n: 7 } });
    });
  }
}

for (const [name, open] of stores) describe(`${name} store`, () => contract(name, open));
