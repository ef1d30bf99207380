// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * Handles: opaque ids that stand for state kept between requests, so the server itself
 * keeps none. A `create_*` tool mints one; consumer tools take it as a parameter.
 */
import { isAsk, type Ask } from "./results.ts";

/** What the runtime knows about one handle kind of the spec. */
export interface HandleKind {
  name: string;
  prefix: string;
  ttlMs: number;
  /** The tool that makes a new handle of this kind: error messages point there. */
  createTool: string;
  /** "1 hour": the lifetime in words, as the create tool's description states it. */
  lifetime: string;
  /** Sliding: every use starts the lifetime again. Absolute: it counts from creation. */
  sliding?: boolean;
  /** The most live handles of this kind one owner may hold. */
  maxPerOwner?: number;
  /** The largest state, as JSON, a handle may keep. */
  maxStateBytes?: number;
}

/** When a kind sets no bound of its own. */
export const DEFAULT_MAX_STATE_BYTES = 64 * 1024;

export type Clock = () => number;

/**
 * `revision` counts the handle's saved states: an update made with the revision it read fails
 * (HandleConflictError) when another call saved the handle in between.
 */
export type HandleLookup =
  | { found: true; state: unknown; expiresAt: number; revision: number }
  | { found: false; reason: "unknown" | "expired" };

/**
 * Where handle state lives. Every method is scoped by kind and owner: a handle of another
 * owner is reported exactly like one that does not exist, so handles reveal nothing.
 */
export interface HandleStore {
  /** What a store cannot do, when it cannot (the sealed store): every other store does all of it. */
  readonly capabilities?: { updatesInPlace: boolean; revocable: boolean; listable: boolean };
  /**
   * Keeps `state` under a new handle of `kind` for `owner` and returns the handle. When the owner
   * already holds `kind.maxPerOwner` live ones it keeps nothing and throws `HandleLimitError`; it
   * counts and keeps in one step, so creates that race each other cannot pass the limit together.
   */
  create(kind: HandleKind, owner: string, state: unknown): Promise<string>;
  /** With `extend`, a live handle's lifetime starts again from now (sliding expiry). */
  get(kind: HandleKind, owner: string, handle: string, options?: { extend?: boolean }): Promise<HandleLookup>;
  /**
   * Replaces the state; returns the handle to use from now on (the same one for stores that
   * update in place). With `revision` (from `get`), it saves only if the handle is still at that
   * revision and throws `HandleConflictError` otherwise; a store whose every update makes a new
   * handle (the sealed store) has nothing to conflict with. No live handle: `HandleEndedError`.
   */
  update(kind: HandleKind, owner: string, handle: string, state: unknown, options?: { revision?: number }): Promise<string>;
  /**
   * Ends a handle; false when there was no such live handle for this owner. With `revision`
   * (from `get`), it ends it only if it is still at that revision and throws
   * `HandleConflictError` otherwise, so an end does not drop a change it never saw.
   */
  destroy(kind: HandleKind, owner: string, handle: string, options?: { revision?: number }): Promise<boolean>;
  /** The owner's live handles of a kind, soonest to expire first. */
  list(kind: HandleKind, owner: string): Promise<Array<{ handle: string; expiresAt: number }>>;
  close(): Promise<void>;
}

/** Thrown by `HandleStore.create` when the owner already holds `live` handles of the kind, its most. */
export class HandleLimitError extends Error {
  readonly live: number;

  constructor(live: number) {
    super(`already ${live} live handles of this kind, the most allowed`);
    this.live = live;
  }
}

/** Thrown by `HandleStore.update` when there is no live handle to save (it ended or expired meanwhile). */
export class HandleEndedError extends Error {
  constructor(kind: HandleKind, handle: string) {
    super(`${kind.name} ${handle} is unknown or has ended`);
  }
}

/** Thrown by `HandleStore.update` and `destroy` given a revision the handle has moved past: nothing was done. */
export class HandleConflictError extends Error {
  constructor(kind: HandleKind, handle: string) {
    super(`${kind.name} ${handle} was saved by another call since it was read`);
  }
}

/** The owner recorded for requests that carry no auth: every caller shares it, so handles are bearer secrets. */
export const ANONYMOUS = "anonymous";

/** Records of expired handles are kept this long so a late caller hears "expired", not "unknown". */
export const EXPIRED_GRACE_MS = 24 * 60 * 60 * 1000;

/** `prefix_` + 144 bits from the platform CSPRNG, base64url: unguessable, and the kind is visible at a glance. */
export function newHandle(prefix: string): string {
  return `${prefix}_${base64url(crypto.getRandomValues(new Uint8Array(18)))}`;
}

/** Bytes as unpadded base64url, with web APIs alone: the runtime also runs on serverless hosts that have no Buffer. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The owner of a request: the verified subject of its token when there is one, else the anonymous principal. */
export function principalOf(authInfo: { clientId: string; extra?: Record<string, unknown> } | undefined): string {
  if (!authInfo) return ANONYMOUS;
  const subject = authInfo.extra?.sub;
  return typeof subject === "string" && subject !== "" ? subject : authInfo.clientId;
}

/** A tool result that tells the model what went wrong and what to call instead. */
export interface ToolErrorResult {
  [key: string]: unknown;
  content: Array<{ type: "text"; text: string }>;
  isError: true;
}

export function toolError(text: string): ToolErrorResult {
  return { content: [{ type: "text", text }], isError: true };
}

export type Opened = { ok: true; state: unknown; revision: number } | { ok: false; error: ToolErrorResult };

/**
 * Resolves a handle parameter to its state for one request's owner, turning every way it
 * can fail into an error that names the tool to call next.
 */
export async function openHandle(
  store: HandleStore,
  kinds: readonly HandleKind[],
  kind: HandleKind,
  owner: string,
  handle: string,
): Promise<Opened> {
  const next = `Call ${kind.createTool} to get a new one.`;
  if (!handle.startsWith(`${kind.prefix}_`)) {
    // Judged from the text alone, so it tells nothing about other owners' handles.
    const other = kinds.find((k) => handle.startsWith(`${k.prefix}_`));
    const what = other ? `is a ${other.name} handle` : `is not a ${kind.name} handle (those start with "${kind.prefix}_")`;
    return { ok: false, error: toolError(`"${handle}" ${what}, but a ${kind.name} handle is needed here. ${next}`) };
  }
  const found = await store.get(kind, owner, handle, { extend: kind.sliding === true });
  if (found.found) return { ok: true, state: found.state, revision: found.revision };
  if (found.reason === "expired") {
    return { ok: false, error: toolError(`${kind.name} ${handle} has expired (a ${kind.name} lasts ${kind.lifetime}). ${next}`) };
  }
  return { ok: false, error: toolError(`${kind.name} ${handle} is unknown or has ended. ${next}`) };
}

export type Saved = { ok: true; handle: string } | { ok: false; error: ToolErrorResult };

/** Keeps new state under a new handle, within the kind's limits on size and on live handles per owner. */
export async function createHandle(store: HandleStore, kind: HandleKind, owner: string, state: unknown): Promise<Saved> {
  const tooBig = sizeError(kind, state);
  if (tooBig) return { ok: false, error: tooBig };
  try {
    return { ok: true, handle: await store.create(kind, owner, state) };
  } catch (error) {
    if (!(error instanceof HandleLimitError)) throw error;
    return {
      ok: false,
      error: toolError(`You already have ${error.live} live ${kind.name} handles, the most allowed. End one you no longer need, or wait for one to expire (a ${kind.name} lasts ${kind.lifetime}).`),
    };
  }
}

/** Replaces a handle's state, within the kind's size limit; the handle to use from now on comes back. */
export async function saveState(store: HandleStore, kind: HandleKind, owner: string, handle: string, state: unknown, revision?: number): Promise<Saved> {
  const tooBig = sizeError(kind, state);
  if (tooBig) return { ok: false, error: tooBig };
  return { ok: true, handle: await store.update(kind, owner, handle, state, { revision }) };
}

/** How often a change runs before giving up to calls that keep saving the same handle. */
export const CHANGE_ATTEMPTS = 5;

export type Changed<Result> = { ok: true; result: Result; handle: string } | { ok: false; error: ToolErrorResult };

/**
 * Opens a handle, runs `change` on its state and saves the state it returns, if any. Saved only
 * if no other call saved the handle meanwhile; if one did, `change` runs again on the newer
 * state. So calls made together on one handle (a model's parallel tool calls, say, each served
 * by a different instance) all land, where the last to save would otherwise undo the others.
 * `change` may therefore run more than once: what it does besides returning state should be
 * safe to repeat. The handle to use from now on comes back (a sealed handle changes with its state).
 * A change that asks the client first (ask.ts) saves nothing.
 */
export async function changeHandle<State, Result extends { state?: State } | Ask>(
  store: HandleStore,
  kinds: readonly HandleKind[],
  kind: HandleKind,
  owner: string,
  handle: string,
  change: (state: State) => Promise<Result>,
): Promise<Changed<Result>> {
  return untilSettled(kind, handle, "nothing was saved", async () => {
    const opened = await openHandle(store, kinds, kind, owner, handle);
    if (!opened.ok) return opened;
    const result = await change(opened.state as State);
    const state = isAsk(result) ? undefined : (result as { state?: State }).state;
    if (state === undefined) return { ok: true, result, handle };
    const saved = await saveState(store, kind, owner, handle, state, opened.revision);
    return saved.ok ? { ok: true, result, handle: saved.handle } : saved;
  });
}

export type Ended<Result> = { ok: true; result: Result } | { ok: false; error: ToolErrorResult };

/**
 * Opens a handle, runs `end` on its state, then ends the handle, at the revision `end` saw: if
 * another call saved the handle meanwhile, `end` runs again on the newer state, so an end never
 * drops a change it did not see. When calls end one handle together, one is answered as its end
 * and the others are told another call ended it. As with `changeHandle`, `end` may run more than
 * once, and each of those calls runs it: what it does besides returning should be safe to repeat.
 */
export async function endHandle<State, Result>(
  store: HandleStore,
  kinds: readonly HandleKind[],
  kind: HandleKind,
  owner: string,
  handle: string,
  end: (state: State) => Promise<Result>,
): Promise<Ended<Result>> {
  return untilSettled(kind, handle, "it was not ended", async () => {
    const opened = await openHandle(store, kinds, kind, owner, handle);
    if (!opened.ok) return opened;
    const result = await end(opened.state as State);
    // One that asks the client first ends nothing until the client calls again with its answers.
    if (isAsk(result)) return { ok: true, result };
    // A sealed handle stays valid until it expires: there is no end to record, nor to race for.
    if (store.capabilities?.revocable === false) return { ok: true, result };
    if (await store.destroy(kind, owner, handle, { revision: opened.revision })) return { ok: true, result };
    return { ok: false, error: toolError(`${kind.name} ${handle} was ended by another call while this one ran; this call did not end it. Call ${kind.createTool} to get a new one.`) };
  });
}

/**
 * Runs `attempt` again while another call keeps saving the handle under it, up to CHANGE_ATTEMPTS
 * times. A handle that ended while `attempt` ran is opened again too: the open says how it ended.
 */
async function untilSettled<Outcome>(kind: HandleKind, handle: string, undone: string, attempt: () => Promise<Outcome>): Promise<Outcome | { ok: false; error: ToolErrorResult }> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof HandleConflictError || error instanceof HandleEndedError)) throw error;
      if (tries === CHANGE_ATTEMPTS) {
        return { ok: false, error: toolError(`${kind.name} ${handle} kept changing under this call (${tries} tries, other calls saved it each time); ${undone}. Call again.`) };
      }
    }
  }
}

function sizeError(kind: HandleKind, state: unknown): ToolErrorResult | undefined {
  const limit = kind.maxStateBytes ?? DEFAULT_MAX_STATE_BYTES;
  const size = new TextEncoder().encode(JSON.stringify(state) ?? "").length;
  if (size <= limit) return undefined;
  return toolError(`The ${kind.name}'s state would be ${size} bytes, over its limit of ${limit}; nothing was saved. Keep less in it.`);
}
