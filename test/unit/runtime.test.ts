/**
 * The handle runtime that generate emits, tested where it is written (templates/runtime):
 * the limits every store gets, and the errors that tell a model what to do next.
 */
import { describe, expect, it } from "vitest";
import { CHANGE_ATTEMPTS, changeHandle, createHandle, DEFAULT_MAX_STATE_BYTES, endHandle, type HandleKind, openHandle, saveState } from "../../templates/runtime/handles.ts";
import { MemoryStore } from "../../templates/runtime/memory-store.ts";
import { parseRateLimit, RateLimiter, tooManyRequests } from "../../templates/runtime/rate-limit.ts";
import { SealedStore } from "../../templates/runtime/sealed-store.ts";

const note: HandleKind = { name: "note", prefix: "note", ttlMs: 60_000, createTool: "create_note", lifetime: "1 minute", maxPerOwner: 2, maxStateBytes: 32 };
const textOf = (result: { content: Array<{ text: string }> }) => result.content[0]!.text;

describe("handle limits", () => {
  it("refuse state over the kind's size bound, on create and on update, saving nothing", async () => {
    const store = new MemoryStore();
    const big = await createHandle(store, note, "alice", { text: "x".repeat(40) });
    expect(big.ok).toBe(false);
    if (!big.ok) expect(textOf(big.error)).toBe("The note's state would be 51 bytes, over its limit of 32; nothing was saved. Keep less in it.");
    expect(await store.list(note, "alice")).toEqual([]);

    const made = await createHandle(store, note, "alice", { text: "hi" });
    if (!made.ok) throw new Error("setup");
    expect((await saveState(store, note, "alice", made.handle, { text: "y".repeat(40) })).ok).toBe(false);
    expect(await store.get(note, "alice", made.handle)).toMatchObject({ state: { text: "hi" } });
  });

  it("bound state to 64 KiB when a kind says nothing", async () => {
    const plain: HandleKind = { ...note, maxStateBytes: undefined, maxPerOwner: undefined };
    expect((await createHandle(new MemoryStore(), plain, "a", { text: "x".repeat(DEFAULT_MAX_STATE_BYTES) })).ok).toBe(false);
    expect((await createHandle(new MemoryStore(), plain, "a", { text: "x".repeat(DEFAULT_MAX_STATE_BYTES - 20) })).ok).toBe(true);
  });

  it("cap live handles per owner, counting only live ones of that owner", async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    expect((await createHandle(store, note, "alice", {})).ok).toBe(true);
    expect((await createHandle(store, note, "alice", {})).ok).toBe(true);
    const third = await createHandle(store, note, "alice", {});
    expect(third.ok).toBe(false);
    if (!third.ok) expect(textOf(third.error)).toContain("You already have 2 live note handles, the most allowed");
    expect((await createHandle(store, note, "bob", {})).ok).toBe(true);
    now += 60_000;
    expect((await createHandle(store, note, "alice", {})).ok).toBe(true);
  });

  it("cap live handles per owner when creates race each other", async () => {
    const store = new MemoryStore();
    const racing = await Promise.all(Array.from({ length: 6 }, () => createHandle(store, note, "alice", {})));
    expect(racing.filter((m) => m.ok)).toHaveLength(2);
    for (const m of racing) if (!m.ok) expect(textOf(m.error)).toContain("You already have 2 live note handles, the most allowed");
    expect(await store.list(note, "alice")).toHaveLength(2);
  });

  it("slide a sliding kind's expiry on every open", async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    const sliding = { ...note, sliding: true };
    const made = await createHandle(store, sliding, "alice", {});
    if (!made.ok) throw new Error("setup");
    for (let i = 0; i < 3; i++) {
      now += 59_000;
      expect((await openHandle(store, [sliding], sliding, "alice", made.handle)).ok).toBe(true);
    }
    now += 60_000;
    const late = await openHandle(store, [sliding], sliding, "alice", made.handle);
    expect(late.ok).toBe(false);
    if (!late.ok) expect(textOf(late.error)).toBe(`note ${made.handle} has expired (a note lasts 1 minute). Call create_note to get a new one.`);
  });
});

describe("changeHandle", () => {
  it("gives up with a tool error, saving nothing, when every attempt loses to another call", async () => {
    const store = new MemoryStore();
    const made = await createHandle(store, note, "alice", { n: 0 });
    if (!made.ok) throw new Error("setup");
    let runs = 0;
    const changed = await changeHandle(store, [note], note, "alice", made.handle, async (state: { n: number }) => {
      runs++;
      // Another call saves the handle while this one runs, every time.
      await store.update(note, "alice", made.handle, { n: state.n + 100 });
      return { state: { n: state.n + 1 } };
    });
    expect(runs).toBe(CHANGE_ATTEMPTS);
    expect(changed.ok).toBe(false);
    if (!changed.ok) expect(textOf(changed.error)).toBe(`note ${made.handle} kept changing under this call (${CHANGE_ATTEMPTS} tries, other calls saved it each time); nothing was saved. Call again.`);
    expect(await store.get(note, "alice", made.handle)).toMatchObject({ state: { n: 100 * CHANGE_ATTEMPTS } });
  });

  it("saves nothing and runs once when the change returns no state, and reports a handle that is gone", async () => {
    const store = new MemoryStore();
    const made = await createHandle(store, note, "alice", { n: 0 });
    if (!made.ok) throw new Error("setup");
    let runs = 0;
    const read = await changeHandle(store, [note], note, "alice", made.handle, async () => ({ output: ++runs, state: undefined }));
    expect(read).toEqual({ ok: true, result: { output: 1, state: undefined }, handle: made.handle });
    expect(await store.get(note, "alice", made.handle)).toMatchObject({ revision: 0 });
    await store.destroy(note, "alice", made.handle);
    const gone = await changeHandle(store, [note], note, "alice", made.handle, async () => ({ output: ++runs, state: undefined }));
    expect(gone.ok).toBe(false);
    expect(runs).toBe(1);
  });
});

describe("endHandle", () => {
  it("gives up with a tool error, ending nothing, when every attempt loses to another call", async () => {
    const store = new MemoryStore();
    const made = await createHandle(store, note, "alice", { n: 0 });
    if (!made.ok) throw new Error("setup");
    let runs = 0;
    const ended = await endHandle(store, [note], note, "alice", made.handle, async (state: { n: number }) => {
      runs++;
      await store.update(note, "alice", made.handle, { n: state.n + 1 }); // another call saves it meanwhile
      return { text: "done" };
    });
    expect(runs).toBe(CHANGE_ATTEMPTS);
    expect(ended.ok).toBe(false);
    if (!ended.ok) expect(textOf(ended.error)).toBe(`note ${made.handle} kept changing under this call (${CHANGE_ATTEMPTS} tries, other calls saved it each time); it was not ended. Call again.`);
    expect(await store.get(note, "alice", made.handle)).toMatchObject({ found: true, state: { n: CHANGE_ATTEMPTS } });
  });

  it("answers the end once and reports a handle that is gone; a sealed handle, which cannot be ended early, still gets its answer", async () => {
    const store = new MemoryStore();
    const made = await createHandle(store, note, "alice", { n: 0 });
    if (!made.ok) throw new Error("setup");
    expect(await endHandle(store, [note], note, "alice", made.handle, async (state: { n: number }) => state.n + 1)).toEqual({ ok: true, result: 1 });
    const gone = await endHandle(store, [note], note, "alice", made.handle, async () => "ran");
    expect(gone).toMatchObject({ ok: false, error: { content: [{ text: expect.stringMatching(/unknown or has ended/) }] } });

    const sealed = new SealedStore({ keys: [{ id: "k1", secret: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8" }] });
    const handle = await sealed.create(note, "alice", { n: 0 });
    expect(await endHandle(sealed, [note], note, "alice", handle, async (state: { n: number }) => state.n + 1)).toEqual({ ok: true, result: 1 });
  });
});

describe("rate limit", () => {
  const clockAt = (start = 0) => {
    let now = start;
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  };

  it("lets a caller make its limit at once, then tells it how long until the next", () => {
    const clock = clockAt();
    const limiter = new RateLimiter({ limit: 3, periodMs: 60_000 }, clock.now);
    expect([limiter.take("alice"), limiter.take("alice"), limiter.take("alice")]).toEqual([0, 0, 0]);
    expect(limiter.take("alice")).toBe(20_000);
    clock.advance(5_000);
    expect(limiter.take("alice")).toBe(15_000);
  });

  it("refills at the limit's rate, never past the limit, and counts each caller alone", () => {
    const clock = clockAt();
    const limiter = new RateLimiter({ limit: 2, periodMs: 1_000 }, clock.now);
    limiter.take("alice");
    limiter.take("alice");
    expect(limiter.take("bob")).toBe(0);
    clock.advance(500);
    expect(limiter.take("alice")).toBe(0);
    expect(limiter.take("alice")).toBeGreaterThan(0);
    clock.advance(60_000);
    expect([limiter.take("alice"), limiter.take("alice"), limiter.take("alice")]).toEqual([0, 0, 500]);
  });

  it("keeps at most maxCallers, forgetting first those whose allowance is whole again", () => {
    const clock = clockAt();
    const limiter = new RateLimiter({ limit: 1, periodMs: 1_000 }, clock.now, 3);
    for (const caller of ["a", "b", "c"]) limiter.take(caller);
    clock.advance(1_000); // a, b and c are whole again: forgotten when d arrives
    limiter.take("d");
    expect(limiter.callers).toBe(1);
    for (const caller of ["e", "f", "g"]) limiter.take(caller);
    // Nobody is whole: the first seen (d) makes room, and is as if new when it comes back.
    expect(limiter.callers).toBe(3);
    expect(limiter.take("d")).toBe(0);
    expect(limiter.take("g")).toBeGreaterThan(0);
  });

  it("reads MCP_RATE_LIMIT's forms and names the setting when it is wrong", () => {
    expect(parseRateLimit("1200/min")).toEqual({ limit: 1200, periodMs: 60_000 });
    expect(parseRateLimit("50/s")).toEqual({ limit: 50, periodMs: 1_000 });
    expect(parseRateLimit("10000/h")).toEqual({ limit: 10_000, periodMs: 3_600_000 });
    expect(parseRateLimit("off")).toBeUndefined();
    for (const bad of ["1200", "0/s", "-1/s", "1.5/s", "10/day", "lots"]) {
      expect(() => parseRateLimit(bad), bad).toThrow(`MCP_RATE_LIMIT=${bad} is not a rate: write requests per period, like 1200/min, 50/s or 10000/h (or off)`);
    }
  });

  it("answers 429 with Retry-After in whole seconds and the request's id", async () => {
    const refused = tooManyRequests(1_200, { limit: 1200, periodMs: 60_000 }, { jsonrpc: "2.0", id: 7, method: "tools/list" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(await refused.json()).toEqual({
      jsonrpc: "2.0",
      id: 7,
      error: { code: -32000, message: "Too many requests: each caller may make 1200 requests per minute here; try again in 2 s." },
    });
    expect((await tooManyRequests(10, { limit: 5, periodMs: 1_000 }).json()).id).toBeNull();
  });
});
