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
 *
 * HandleKeys is for state that already lives in such a store, keyed by session before and by
 * handle now (`cart:${carts.open(cart_id, ctx)}`): its handles are signed, so any instance
 * given the same MCP_HANDLE_SECRET checks one without asking anyone.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

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

/**
 * Handles for state kept in a shared store under the handle itself. A handle is
 * `<kind>_<nonce>.<expiry>.<signature>`, signed over its kind, nonce, expiry and owner with
 * MCP_HANDLE_SECRET, so every instance that has the secret opens the handles any of them made,
 * and nothing is written to make or check one. Its lifetime runs from when it was made (a use
 * does not extend it): give the store's keys the same lifetime, or a longer one.
 */
export class HandleKeys {
  readonly kind: string;
  readonly options: HandleMapOptions;
  readonly #ttlMs: number;

  constructor(kind: string, options: HandleMapOptions) {
    this.kind = kind;
    this.options = options;
    this.#ttlMs = (options.ttlSeconds ?? 3600) * 1000;
  }

  /** A new handle for the caller, as a create tool's result: `{ "<kind>_id": handle }`. */
  create(ctx: CallerContext) {
    const body = `${this.kind}_${randomBytes(16).toString("base64url")}.${(Date.now() + this.#ttlMs).toString(36)}`;
    const handle = `${body}.${sign(body, ownerOf(ctx))}`;
    const structuredContent = { [`${this.kind}_id`]: handle };
    return {
      content: [{ type: "text" as const, text: `Created ${this.kind} ${handle}. ${JSON.stringify(structuredContent)}` }],
      structuredContent,
    };
  }

  /** The handle, checked: made by an instance with this secret, for this caller, and not expired. */
  open(handle: string, ctx: CallerContext): string {
    const cut = handle.lastIndexOf(".");
    const body = handle.slice(0, cut);
    const expiry = parseInt(body.slice(body.lastIndexOf(".") + 1), 36);
    const given = Buffer.from(handle.slice(cut + 1));
    const expected = Buffer.from(sign(body, ownerOf(ctx)));
    const valid = cut > 0 && body.startsWith(`${this.kind}_`) && given.length === expected.length && timingSafeEqual(given, expected);
    // Another caller's handle, a forged one and an expired one read alike.
    if (!valid || !(expiry > Date.now())) {
      throw new Error(`Unknown ${this.kind}_id "${handle}": it does not exist or has expired. Call ${this.options.createTool} for a new one.`);
    }
    return handle;
  }
}

let secret: string | undefined;

/** The signature of a handle's body for its owner, with MCP_HANDLE_SECRET (or, without it, a secret of this process alone). */
function sign(body: string, owner: string): string {
  if (secret === undefined) {
    secret = process.env.MCP_HANDLE_SECRET ?? "";
    if (!secret) {
      process.emitWarning("MCP_HANDLE_SECRET is not set: handles open only on the instance that made them, until it restarts. Set it to the same value on every instance.");
      secret = randomBytes(32).toString("base64url");
    }
  }
  return createHmac("sha256", secret).update(`${body}\n${owner}`).digest("base64url").slice(0, 32);
}

function ownerOf(ctx: CallerContext): string {
  return ctx.http?.authInfo?.clientId ?? "anonymous";
}
