/**
 * The runtime `migrate` writes beside migrated code (templates/migrate/handle-map.ts): handles
 * bound to their caller, living an hour after their last use, refused with the create tool named.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HandleMap } from "../../templates/migrate/handle-map.ts";

const alice = { http: { authInfo: { clientId: "alice" } } };
const bob = { http: { authInfo: { clientId: "bob" } } };
const HOUR = 3_600_000;

describe("HandleMap", () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date("2026-11-22T12:00:00Z") }));
  afterEach(() => vi.useRealTimers());

  function created(carts: HandleMap<string[]>, ctx = alice): string {
    const result = carts.create(ctx);
    expect(result.content[0]!.text).toContain(result.structuredContent.cart_id!);
    return result.structuredContent.cart_id!;
  }

  it("hands out unguessable handles of its kind, usable as Map keys by their owner", () => {
    const carts = new HandleMap<string[]>("cart", { createTool: "create_cart" });
    const first = created(carts);
    const second = created(carts);
    expect(first).toMatch(/^cart_[\w-]{22}$/);
    expect(second).not.toBe(first);
    carts.set(carts.open(first, alice), ["apple"]);
    expect(carts.get(carts.open(first, alice))).toEqual(["apple"]);
  });

  it("starts a handle with the state it is given, and with none when given none", () => {
    const carts = new HandleMap<string[]>("cart", { createTool: "create_cart" });
    const filled = carts.create(alice, ["pear"]).structuredContent.cart_id!;
    expect(carts.get(carts.open(filled, alice))).toEqual(["pear"]);
    expect(carts.has(created(carts))).toBe(false);
  });

  it("refuses another caller's handle exactly as one that never existed, naming the create tool", () => {
    const carts = new HandleMap<string[]>("cart", { createTool: "create_cart" });
    const handle = created(carts);
    const foreign = () => carts.open(handle, bob);
    const unknown = () => carts.open("cart_nothing", alice);
    expect(foreign).toThrow(`Unknown cart_id "${handle}": it does not exist or has expired. Call create_cart for a new one.`);
    expect(unknown).toThrow(`Unknown cart_id "cart_nothing": it does not exist or has expired. Call create_cart for a new one.`);
  });

  it("ends a handle for good, state and all, where delete drops only the state", () => {
    const carts = new HandleMap<string[]>("cart", { createTool: "create_cart" });
    const handle = created(carts);
    carts.set(carts.open(handle, alice), ["apple"]);
    expect(carts.delete(handle)).toBe(true);
    expect(carts.open(handle, alice)).toBe(handle);
    carts.set(handle, ["pear"]);
    carts.end(carts.open(handle, alice));
    expect(() => carts.open(handle, alice)).toThrow(`Unknown cart_id "${handle}"`);
    expect(carts.has(handle)).toBe(false);
  });

  it("lets a handle expire an hour after its last use, and forgets its state then", () => {
    const carts = new HandleMap<string[]>("cart", { createTool: "create_cart" });
    const handle = created(carts);
    carts.set(carts.open(handle, alice), ["apple"]);
    vi.advanceTimersByTime(HOUR - 1000);
    carts.open(handle, alice); // a use: another hour from now
    vi.advanceTimersByTime(HOUR - 1000);
    expect(carts.open(handle, alice)).toBe(handle);
    vi.advanceTimersByTime(HOUR);
    expect(() => carts.open(handle, alice)).toThrow("Call create_cart for a new one.");
    expect(carts.has(handle)).toBe(false);
  });

  it("sweeps handles nobody opens again when new ones are made, state included", () => {
    const carts = new HandleMap<string[]>("cart", { createTool: "create_cart", ttlSeconds: 60 });
    const abandoned = created(carts);
    carts.set(carts.open(abandoned, alice), ["apple"]);
    vi.advanceTimersByTime(61_000);
    created(carts);
    expect(carts.has(abandoned)).toBe(false);
  });
});

describe("HandleKeys", () => {
  const SECRET = "one secret for every instance";
  /** The runtime as a fresh process loads it, with this MCP_HANDLE_SECRET (or none). */
  async function instance(secret: string | undefined) {
    vi.resetModules();
    if (secret === undefined) delete process.env.MCP_HANDLE_SECRET;
    else process.env.MCP_HANDLE_SECRET = secret;
    const { HandleKeys } = await import("../../templates/migrate/handle-map.ts");
    return new HandleKeys("cart", { createTool: "create_cart" });
  }
  const made = (keys: { create(ctx: typeof alice): { structuredContent: Record<string, string> } }, ctx = alice) => keys.create(ctx).structuredContent.cart_id!;
  afterEach(() => {
    delete process.env.MCP_HANDLE_SECRET;
    vi.useRealTimers();
  });

  it("makes handles of its kind that any instance with the same secret opens for their owner", async () => {
    const handle = made(await instance(SECRET));
    expect(handle).toMatch(/^cart_[\w-]{22}\.[0-9a-z]+\.[\w-]{32}$/);
    expect((await instance(SECRET)).open(handle, alice)).toBe(handle);
  });

  it("refuses another caller, another secret, a changed handle and another kind alike, naming the create tool", async () => {
    const keys = await instance(SECRET);
    const handle = made(keys);
    const refusal = /^Unknown cart_id ".*": it does not exist or has expired\. Call create_cart for a new one\.$/;
    expect(() => keys.open(handle, bob)).toThrow(refusal);
    const later = handle.replace(/\.([0-9a-z]+)\./, (_m, expiry: string) => `.${(parseInt(expiry, 36) + 3_600_000).toString(36)}.`);
    expect(() => keys.open(later, alice)).toThrow(refusal);
    expect(() => keys.open(`${handle.slice(0, -1)}${handle.endsWith("A") ? "B" : "A"}`, alice)).toThrow(refusal);
    expect(() => keys.open("cart_nothing", alice)).toThrow(refusal);
    const elsewhere = await instance("another secret");
    expect(() => elsewhere.open(handle, alice)).toThrow(refusal);
  });

  it("expires a handle an hour after it was made, however often it is used", async () => {
    vi.useFakeTimers({ now: new Date("2026-11-22T12:00:00Z") });
    const keys = await instance(SECRET);
    const handle = made(keys);
    vi.advanceTimersByTime(HOUR - 1000);
    expect(keys.open(handle, alice)).toBe(handle);
    vi.advanceTimersByTime(1000);
    expect(() => keys.open(handle, alice)).toThrow(/Call create_cart for a new one/);
  });

  it("without a secret, warns once and opens only its own handles", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const keys = await instance(undefined);
    const handle = made(keys);
    made(keys);
    expect(keys.open(handle, alice)).toBe(handle);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^MCP_HANDLE_SECRET is not set/);
    // Restarted (a new random secret), it no longer opens them.
    const restarted = await instance(undefined);
    expect(() => restarted.open(handle, alice)).toThrow(/Call create_cart for a new one/);
    warn.mockRestore();
  });
});
