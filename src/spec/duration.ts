import type { Duration } from "./types.ts";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Handles are bearer secrets when a server has no auth, so their lifetime stays bounded. */
export const MAX_TTL_MS = 30 * UNIT_MS.d;

/** Milliseconds for a duration like "30m", or a reason it is not one. */
export function parseDuration(text: unknown): { ms: number } | { error: string } {
  const match = typeof text === "string" ? /^(\d+)(ms|s|m|h|d)$/.exec(text) : null;
  if (!match) {
    return { error: `ttl must be a string like "90s", "30m", "12h" or "7d", got ${JSON.stringify(text)}` };
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms < 1_000) return { error: `ttl ${JSON.stringify(text)} is shorter than one second` };
  if (ms > MAX_TTL_MS) return { error: `ttl ${JSON.stringify(text)} is longer than the 30-day maximum` };
  return { ms };
}

/** "1 hour", "30 minutes", "90 seconds": for tool descriptions read by models. */
export function describeDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [UNIT_MS.d, "day"],
    [UNIT_MS.h, "hour"],
    [UNIT_MS.m, "minute"],
    [UNIT_MS.s, "second"],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${ms} milliseconds`;
}
