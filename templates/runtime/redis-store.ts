/**
 * Keeps handles in Redis (or Valkey): every instance of the server sees every handle, so
 * instances can come and go behind a plain load balancer. Each handle is a hash (kind,
 * owner, state, expiry); Redis's own TTL removes it a grace period after it expires. When
 * Redis is unreachable, calls fail fast with a clear error and recover once it is back.
 * One server or primary: its scripts touch a handle's hash and its owner's index together,
 * which Redis Cluster would refuse across slots.
 */
import { createClient } from "@redis/client";
import { EXPIRED_GRACE_MS, HandleConflictError, HandleEndedError, HandleLimitError, newHandle, type Clock, type HandleKind, type HandleLookup, type HandleStore } from "./handles.ts";

/** Thrown (and shown to the caller as a tool error) when Redis does not answer in time. */
export class StoreUnavailableError extends Error {}

// Check-and-write in one step, so a handle cannot change owner or outlive its expiry in a race.
// Answers 1 when saved, 0 for no such live handle, -1 when at another revision than ARGV[5]
// ('' for any). A handle without 'rev' has never been saved over: revision 0.
const UPDATE = `local v = redis.call('HMGET', KEYS[1], 'kind', 'owner', 'exp', 'rev')
if v[1] ~= ARGV[1] or v[2] ~= ARGV[2] or tonumber(v[3]) <= tonumber(ARGV[4]) then return 0 end
if ARGV[5] ~= '' and (tonumber(v[4]) or 0) ~= tonumber(ARGV[5]) then return -1 end
redis.call('HSET', KEYS[1], 'state', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return 1`;
// The same answers, for an end at revision ARGV[5].
const DESTROY = `local v = redis.call('HMGET', KEYS[1], 'kind', 'owner', 'exp', 'rev')
if v[1] ~= ARGV[1] or v[2] ~= ARGV[2] or tonumber(v[3]) <= tonumber(ARGV[3]) then return 0 end
if ARGV[5] ~= '' and (tonumber(v[4]) or 0) ~= tonumber(ARGV[5]) then return -1 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[4])
return 1`;
// Answers -1 when kept, else the owner's live count (at its most, ARGV[8]; 0 for no limit).
const CREATE = `if tonumber(ARGV[8]) > 0 then
  local live = redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[7], '+inf')
  if live >= tonumber(ARGV[8]) then return live end
end
redis.call('HSET', KEYS[1], 'kind', ARGV[1], 'owner', ARGV[2], 'state', ARGV[3], 'exp', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return -1`;
// Extends only a handle still live for this kind and owner: one ended meanwhile stays ended.
const EXTEND = `local v = redis.call('HMGET', KEYS[1], 'kind', 'owner', 'exp')
if v[1] ~= ARGV[4] or v[2] ~= ARGV[5] or tonumber(v[3]) <= tonumber(ARGV[6]) then return 0 end
redis.call('HSET', KEYS[1], 'exp', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
return 1`;

export class RedisStore implements HandleStore {
  readonly #client;
  readonly #now: Clock;
  readonly #timeoutMs: number;
  readonly #prefix: string;
  #connecting: Promise<unknown> | undefined;

  constructor(options: { url: string; now?: Clock; timeoutMs?: number; keyPrefix?: string }) {
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 2_000;
    this.#prefix = options.keyPrefix ?? "mcp:";
    this.#client = createClient({
      url: options.url,
      // Without a connection, fail at once instead of queueing requests that would hang.
      disableOfflineQueue: true,
      socket: { connectTimeout: this.#timeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
    });
    this.#client.on("error", () => {
      // Reported per call as StoreUnavailableError; the client keeps reconnecting on its own.
    });
  }

  async create(kind: HandleKind, owner: string, state: unknown): Promise<string> {
    const handle = newHandle(kind.prefix);
    const now = this.#now();
    const expiresAt = now + kind.ttlMs;
    const command = ["EVAL", CREATE, "2", this.#key(handle), this.#index(kind, owner), kind.name, owner, JSON.stringify(state), String(expiresAt), String(kind.ttlMs + EXPIRED_GRACE_MS), handle, String(now), String(kind.maxPerOwner ?? 0)];
    const live = Number(
      await this.#run(command, (late) => {
        // Made after the caller was told the store did not answer: nobody holds this handle, so
        // end it rather than let it count against the owner's maxPerOwner until it expires.
        if (Number(late) < 0) this.destroy(kind, owner, handle).catch(() => {});
      }),
    );
    if (live >= 0) throw new HandleLimitError(live);
    return handle;
  }

  async get(kind: HandleKind, owner: string, handle: string, options: { extend?: boolean } = {}): Promise<HandleLookup> {
    const [k, o, state, exp, rev] = (await this.#run(["HMGET", this.#key(handle), "kind", "owner", "state", "exp", "rev"])) as Array<string | null>;
    if (k !== kind.name || o !== owner || state == null || exp == null) return { found: false, reason: "unknown" };
    const now = this.#now();
    if (Number(exp) <= now) return { found: false, reason: "expired" };
    let expiresAt = Number(exp);
    if (options.extend) {
      expiresAt = now + kind.ttlMs;
      const extended = await this.#run(["EVAL", EXTEND, "2", this.#key(handle), this.#index(kind, owner), String(expiresAt), String(kind.ttlMs + EXPIRED_GRACE_MS), handle, kind.name, owner, String(now)]);
      if (Number(extended) !== 1) return { found: false, reason: "unknown" }; // ended since it was read
    }
    return { found: true, state: JSON.parse(state), expiresAt, revision: Number(rev ?? 0) };
  }

  async update(kind: HandleKind, owner: string, handle: string, state: unknown, options: { revision?: number } = {}): Promise<string> {
    const changed = Number(await this.#run(["EVAL", UPDATE, "1", this.#key(handle), kind.name, owner, JSON.stringify(state), String(this.#now()), String(options.revision ?? "")]));
    if (changed === -1) throw new HandleConflictError(kind, handle);
    if (changed !== 1) throw new HandleEndedError(kind, handle);
    return handle;
  }

  async destroy(kind: HandleKind, owner: string, handle: string, options: { revision?: number } = {}): Promise<boolean> {
    const ended = Number(await this.#run(["EVAL", DESTROY, "2", this.#key(handle), this.#index(kind, owner), kind.name, owner, String(this.#now()), handle, String(options.revision ?? "")]));
    if (ended === -1) throw new HandleConflictError(kind, handle);
    return ended === 1;
  }

  async list(kind: HandleKind, owner: string): Promise<Array<{ handle: string; expiresAt: number }>> {
    const index = this.#index(kind, owner);
    const now = this.#now();
    await this.#run(["ZREMRANGEBYSCORE", index, "-inf", String(now - EXPIRED_GRACE_MS)]);
    // RESP2 answers a flat [member, score, …]; RESP3 answers [[member, score], …]: flatten either.
    const flat = ((await this.#run(["ZRANGE", index, `(${now}`, "+inf", "BYSCORE", "WITHSCORES"])) as unknown[]).flat() as string[];
    const entries: Array<{ handle: string; expiresAt: number }> = [];
    for (let i = 0; i < flat.length; i += 2) entries.push({ handle: flat[i]!, expiresAt: Number(flat[i + 1]) });
    return entries;
  }

  async close(): Promise<void> {
    if (this.#client.isOpen) await this.#client.close();
    else this.#client.destroy();
  }

  #key(handle: string): string {
    return `${this.#prefix}h:${handle}`;
  }

  #index(kind: HandleKind, owner: string): string {
    return `${this.#prefix}i:${kind.name}:${owner}`;
  }

  /**
   * One command, connected lazily and bounded in time, so a lost Redis is an error, not a hang.
   * A command sent before the time ran out may still be carried out after it: `onLateAnswer`
   * then gets what Redis answered, which nobody else will see.
   */
  async #run(command: string[], onLateAnswer?: (answer: unknown) => void): Promise<unknown> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new StoreUnavailableError(`the handle store (Redis) did not answer within ${this.#timeoutMs} ms; try again shortly`));
      }, this.#timeoutMs);
    });
    try {
      if (!this.#client.isOpen && !this.#connecting) {
        this.#connecting = this.#client.connect().finally(() => (this.#connecting = undefined));
        this.#connecting.catch(() => {}); // its failure reaches callers through the race below
      }
      // Every call waits for a connection being made (the client is "open" from its start, so
      // that alone does not say). Once made, the client reconnects by itself, and until it has,
      // commands fail at once (no offline queue).
      if (this.#connecting) await Promise.race([this.#connecting, timeout]);
      const answer = this.#client.sendCommand(command);
      if (onLateAnswer) answer.then((value) => timedOut && onLateAnswer(value), () => {});
      return await Promise.race([answer, timeout]);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(`the handle store (Redis) is unavailable (${(error as Error).message}); try again shortly`);
    } finally {
      clearTimeout(timer);
    }
  }
}
