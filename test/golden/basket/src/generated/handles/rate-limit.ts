// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * How many requests each caller may make. MCP asks servers to rate limit tool calls (2026-07-28,
 * tools, "Security Considerations"); this limits every request a caller sends over HTTP, so a
 * flood of lists or of 2025-era requests is held back too. A token bucket per principal: up to
 * `limit` requests at once, refilled at `limit` per `periodMs`. It is kept in memory, so it is a
 * limit per instance: N instances allow a caller N times as much. A limit for the whole
 * deployment is a gateway's to keep.
 */

export interface RateLimit {
  /** Requests a caller may make at once, and again each period. */
  limit: number;
  periodMs: number;
}

/** What MCP_RATE_LIMIT is when unset: ample for a person's agent, a stop to a runaway loop. */
export const DEFAULT_RATE_LIMIT = "1200/min";

const PERIODS: Record<string, number> = { s: 1_000, min: 60_000, h: 3_600_000 };

/** `1200/min`, `50/s`, `10000/h`; `off` for none. Throws on anything else, naming the setting. */
export function parseRateLimit(text: string, setting = "MCP_RATE_LIMIT"): RateLimit | undefined {
  if (text === "off") return undefined;
  const match = /^(\d+)\/(s|min|h)$/.exec(text);
  const limit = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(limit) || limit < 1) {
    throw new Error(`${setting}=${text} is not a rate: write requests per period, like 1200/min, 50/s or 10000/h (or off)`);
  }
  return { limit, periodMs: PERIODS[match[2]!]! };
}

const PERIOD_NAMES: Record<number, string> = { 1_000: "second", 60_000: "minute", 3_600_000: "hour" };

function describeRate({ limit, periodMs }: RateLimit): string {
  return `${limit} requests per ${PERIOD_NAMES[periodMs] ?? `${periodMs} ms`}`;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly rate: RateLimit;
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;
  readonly #maxCallers: number;

  /** `maxCallers` bounds the memory: past it, callers whose allowance is whole again are forgotten. */
  constructor(rate: RateLimit, now: () => number = Date.now, maxCallers = 10_000) {
    this.rate = rate;
    this.#now = now;
    this.#maxCallers = maxCallers;
  }

  /** Takes one request from `caller`'s allowance: 0 when it may go ahead, else the milliseconds until it may. */
  take(caller: string): number {
    const now = this.#now();
    let bucket = this.#buckets.get(caller);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxCallers) this.#forget(now);
      bucket = { tokens: this.rate.limit, at: now };
      this.#buckets.set(caller, bucket);
    } else {
      bucket.tokens = this.#refilled(bucket, now);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * this.rate.periodMs) / this.rate.limit);
  }

  /** How many callers it is keeping an allowance for. */
  get callers(): number {
    return this.#buckets.size;
  }

  #refilled(bucket: Bucket, now: number): number {
    return Math.min(this.rate.limit, bucket.tokens + ((now - bucket.at) * this.rate.limit) / this.rate.periodMs);
  }

  /** Drops the callers whose allowance is whole (as if never seen); if every one is still spending, the first seen. */
  #forget(now: number): void {
    for (const [caller, bucket] of this.#buckets) if (this.#refilled(bucket, now) >= this.rate.limit) this.#buckets.delete(caller);
    if (this.#buckets.size >= this.#maxCallers) this.#buckets.delete(this.#buckets.keys().next().value!);
  }
}

/**
 * The answer past the limit: 429 with Retry-After (whole seconds, as HTTP has it) and a JSON-RPC
 * error a client can show, for the request's id when its body was read, else null.
 */
export function tooManyRequests(waitMs: number, rate: RateLimit, body?: unknown): Response {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const id = typeof body === "object" && body !== null && "id" in body ? body.id : null;
  const message = `Too many requests: each caller may make ${describeRate(rate)} here; try again in ${seconds} s.`;
  return new Response(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32000, message } }), {
    status: 429,
    headers: { "content-type": "application/json", "retry-after": String(seconds) },
  });
}
