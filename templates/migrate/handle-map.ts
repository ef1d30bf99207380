/**
 * Written by `mcp-stateless migrate`: state that was kept per session is kept per handle.
 *
 * A HandleMap is a Map from handle to state. `create(ctx, initial?)` is what a create_* tool
 * returns: a fresh, unguessable handle bound to the caller. `open(handle, ctx)` is what a
 * consumer tool keys its state with: it refuses a handle that never existed, has expired
 * or belongs to another caller, with an error that names the create tool. `end(handle)` is
 * what a tool that closes one calls.
 *
 * The state lives in this process's memory, like the per-session state it replaces. That
 * is enough for one instance; to run several behind a load balancer, keep the state in a
 * shared store (Redis, a database) under the same handles.
 */
import { randomBytes } from "node:crypto";

/** The part of a tool call's context that says who is calling (`ctx.http?.authInfo`). */
export interface CallerContext {
  http?: { authInfo?: { clientId?: string } };
}

export interface HandleMapOptions {
  /** The tool that makes handles of this kind, named in every refusal. */
  createTool: string;
  /** How long a handle lives after its last use. Default: one hour. */
  ttlSeconds?: number;
}

interface Lease {
  owner: string;
  expiresAt: number;
}

export class HandleMap<T> extends Map<string, T> {
  readonly kind: string;
  readonly options: HandleMapOptions;
  readonly #leases = new Map<string, Lease>();
  readonly #ttlMs: number;
  #nextSweep = 0;

  // Plain fields, no parameter properties: the file also runs under Node's type stripping.
  constructor(kind: string, options: HandleMapOptions) {
    super();
    this.kind = kind;
    this.options = options;
    this.#ttlMs = (options.ttlSeconds ?? 3600) * 1000;
  }

  /** A new handle for the caller, as a create tool's result: `{ "<kind>_id": handle }`; `initial` is its state, if it starts with one. */
  create(ctx: CallerContext, initial?: T) {
    this.#sweep();
    const handle = `${this.kind}_${randomBytes(16).toString("base64url")}`;
    this.#leases.set(handle, { owner: ownerOf(ctx), expiresAt: Date.now() + this.#ttlMs });
    if (initial !== undefined) this.set(handle, initial);
    const structuredContent = { [`${this.kind}_id`]: handle };
    return {
      content: [{ type: "text" as const, text: `Created ${this.kind} ${handle}. ${JSON.stringify(structuredContent)}` }],
      structuredContent,
    };
  }

  /** The handle, checked: live, and the caller's own. Each use extends its life. */
  open(handle: string, ctx: CallerContext): string {
    const lease = this.#leases.get(handle);
    if (!lease || lease.expiresAt <= Date.now() || lease.owner !== ownerOf(ctx)) {
      // Another caller's handle reads exactly like one that does not exist.
      if (lease && lease.expiresAt <= Date.now()) this.end(handle);
      throw new Error(`Unknown ${this.kind}_id "${handle}": it does not exist or has expired. Call ${this.options.createTool} for a new one.`);
    }
    lease.expiresAt = Date.now() + this.#ttlMs;
    return handle;
  }

  /** Ends the handle: it opens no more, for anyone, and its state is dropped. (`delete` drops only the state.) */
  end(handle: string): void {
    this.#leases.delete(handle);
    super.delete(handle);
  }

  /** Drops expired handles and their state, at most once a minute. */
  #sweep(): void {
    const now = Date.now();
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 60_000;
    for (const [handle, lease] of this.#leases) if (lease.expiresAt <= now) this.end(handle);
  }
}

function ownerOf(ctx: CallerContext): string {
  return ctx.http?.authInfo?.clientId ?? "anonymous";
}
