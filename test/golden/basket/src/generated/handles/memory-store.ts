// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * Keeps handles in this process's memory: for tests and single-process development.
 * State is copied through JSON on the way in and out, exactly as the persistent stores
 * do, so code that works here works there.
 */
import { EXPIRED_GRACE_MS, HandleConflictError, HandleEndedError, HandleLimitError, newHandle, type Clock, type HandleKind, type HandleLookup, type HandleStore } from "./handles.ts";

interface Entry {
  kind: string;
  owner: string;
  json: string;
  expiresAt: number;
  revision: number;
}

export class MemoryStore implements HandleStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: Clock;
  #nextSweep = 0;

  constructor(options: { now?: Clock } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async create(kind: HandleKind, owner: string, state: unknown): Promise<string> {
    this.#sweep();
    const now = this.#now();
    // Counted and kept with no await between, so no other create can slip in.
    if (kind.maxPerOwner !== undefined) {
      const live = this.#live(kind, owner, now).length;
      if (live >= kind.maxPerOwner) throw new HandleLimitError(live);
    }
    const handle = newHandle(kind.prefix);
    this.#entries.set(handle, { kind: kind.name, owner, json: JSON.stringify(state), expiresAt: now + kind.ttlMs, revision: 0 });
    return handle;
  }

  async get(kind: HandleKind, owner: string, handle: string, options: { extend?: boolean } = {}): Promise<HandleLookup> {
    const entry = this.#owned(kind, owner, handle);
    if (!entry) return { found: false, reason: "unknown" };
    if (entry.expiresAt <= this.#now()) return { found: false, reason: "expired" };
    if (options.extend) entry.expiresAt = this.#now() + kind.ttlMs;
    return { found: true, state: JSON.parse(entry.json), expiresAt: entry.expiresAt, revision: entry.revision };
  }

  async update(kind: HandleKind, owner: string, handle: string, state: unknown, options: { revision?: number } = {}): Promise<string> {
    const entry = this.#owned(kind, owner, handle);
    if (!entry || entry.expiresAt <= this.#now()) throw new HandleEndedError(kind, handle);
    if (options.revision !== undefined && options.revision !== entry.revision) throw new HandleConflictError(kind, handle);
    entry.json = JSON.stringify(state);
    entry.revision++;
    return handle;
  }

  async destroy(kind: HandleKind, owner: string, handle: string, options: { revision?: number } = {}): Promise<boolean> {
    const entry = this.#owned(kind, owner, handle);
    if (!entry || entry.expiresAt <= this.#now()) return false;
    if (options.revision !== undefined && options.revision !== entry.revision) throw new HandleConflictError(kind, handle);
    return this.#entries.delete(handle);
  }

  async list(kind: HandleKind, owner: string): Promise<Array<{ handle: string; expiresAt: number }>> {
    return this.#live(kind, owner, this.#now()).sort((a, b) => a.expiresAt - b.expiresAt || (a.handle < b.handle ? -1 : 1));
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }

  #live(kind: HandleKind, owner: string, now: number): Array<{ handle: string; expiresAt: number }> {
    const live = [];
    for (const [handle, e] of this.#entries) if (e.kind === kind.name && e.owner === owner && e.expiresAt > now) live.push({ handle, expiresAt: e.expiresAt });
    return live;
  }

  #owned(kind: HandleKind, owner: string, handle: string): Entry | undefined {
    const entry = this.#entries.get(handle);
    return entry && entry.kind === kind.name && entry.owner === owner ? entry : undefined;
  }

  /** Forgets long-expired entries so memory stays bounded; at most once a minute, so creating stays O(1). */
  #sweep(): void {
    const now = this.#now();
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 60_000;
    const cutoff = now - EXPIRED_GRACE_MS;
    for (const [handle, entry] of this.#entries) if (entry.expiresAt < cutoff) this.#entries.delete(handle);
  }
}
