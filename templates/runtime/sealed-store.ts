/**
 * No store at all: a handle carries its state, sealed with AES-256-GCM (Web Crypto, so it
 * runs on Node, Workers, Deno and Bun) together with its kind, owner and expiry. Any
 * instance holding the key can open it. The price: state cannot change in place (an update
 * returns a new handle), a handle cannot be revoked before it expires, and handles cannot
 * be listed.
 *   handle = <prefix>_<key id>.<base64url(iv ‖ ciphertext ‖ tag)>
 */
import { base64url, DEFAULT_MAX_STATE_BYTES, HandleEndedError, type Clock, type HandleKind, type HandleLookup, type HandleStore } from "./handles.ts";

export interface SealingKey {
  /** A short name carried in every handle, so old keys can still open old handles after rotation. */
  id: string;
  /** 32 random bytes, base64url or base64. */
  secret: string;
}

/** Keys as `MCP_SEALED_KEYS` gives them: `id:secret,id:secret`, the first one sealing new handles. */
export function parseSealingKeys(text: string | undefined): SealingKey[] {
  const keys = (text ?? "").split(",").filter(Boolean).map((pair) => {
    const [id, secret] = pair.split(":");
    if (!id || !secret || !/^[A-Za-z0-9]+$/.test(id)) throw new Error("MCP_SEALED_KEYS must be id:secret pairs separated by commas, ids of letters and digits");
    return { id, secret };
  });
  if (keys.length === 0) throw new Error("the sealed store needs MCP_SEALED_KEYS (id:32-random-bytes-in-base64url)");
  return keys;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SealedStore implements HandleStore {
  readonly capabilities = { updatesInPlace: false, revocable: false, listable: false } as const;
  readonly #keys: Map<string, Promise<CryptoKey>>;
  readonly #current: string;
  readonly #now: Clock;

  constructor(options: { keys: SealingKey[]; now?: Clock }) {
    if (options.keys.length === 0) throw new Error("the sealed store needs at least one key");
    this.#keys = new Map(options.keys.map((k) => [k.id, importKey(k.secret)]));
    this.#current = options.keys[0]!.id;
    this.#now = options.now ?? Date.now;
  }

  async create(kind: HandleKind, owner: string, state: unknown): Promise<string> {
    return this.#seal(kind, owner, state, this.#now() + kind.ttlMs);
  }

  async get(kind: HandleKind, owner: string, handle: string): Promise<HandleLookup> {
    const opened = await this.#open(kind, handle);
    // Tampered, truncated, foreign-key, other-kind and other-owner handles all read as unknown.
    if (!opened || opened.o !== owner) return { found: false, reason: "unknown" };
    if (opened.e <= this.#now()) return { found: false, reason: "expired" };
    // A sealed handle is one state, never saved over: every handle is at its first revision.
    return { found: true, state: opened.s, expiresAt: opened.e, revision: 0 };
  }

  /**
   * Seals the new state into a new handle with the old one's expiry: the caller must use the new
   * handle. Changes never conflict (a revision is not checked): each makes its own handle.
   */
  async update(kind: HandleKind, owner: string, handle: string, state: unknown): Promise<string> {
    const found = await this.get(kind, owner, handle);
    if (!found.found) throw new HandleEndedError(kind, handle);
    return this.#seal(kind, owner, state, found.expiresAt);
  }

  /** A sealed handle stays valid until it expires: there is nowhere to record that it ended. */
  async destroy(): Promise<boolean> {
    return false;
  }

  async list(): Promise<Array<{ handle: string; expiresAt: number }>> {
    return [];
  }

  async close(): Promise<void> {}

  async #seal(kind: HandleKind, owner: string, state: unknown, expiresAt: number): Promise<string> {
    const plain = encoder.encode(JSON.stringify({ k: kind.name, o: owner, e: expiresAt, s: state }));
    // The handle's length grows with the state: bound it well before any URL or header limit.
    if (plain.length > (kind.maxStateBytes ?? DEFAULT_MAX_STATE_BYTES) + 256) throw new Error(`the ${kind.name}'s state is too large to seal into a handle`);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const head = `${kind.prefix}_${this.#current}`;
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(head) }, await this.#keys.get(this.#current)!, plain));
    const body = new Uint8Array(iv.length + sealed.length);
    body.set(iv);
    body.set(sealed, iv.length);
    return `${head}.${base64url(body)}`;
  }

  async #open(kind: HandleKind, handle: string): Promise<{ k: string; o: string; e: number; s: unknown } | undefined> {
    const match = /^([a-z0-9]+)_([A-Za-z0-9]+)\.([A-Za-z0-9_-]+)$/.exec(handle);
    if (!match || match[1] !== kind.prefix) return undefined;
    const key = this.#keys.get(match[2]!);
    if (!key) return undefined;
    try {
      const body = fromBase64Url(match[3]!);
      if (body.length < 12 + 16) return undefined;
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: body.subarray(0, 12), additionalData: encoder.encode(`${match[1]}_${match[2]}`) }, await key, body.subarray(12));
      const opened = JSON.parse(decoder.decode(plain)) as { k: string; o: string; e: number; s: unknown };
      return opened.k === kind.name ? opened : undefined;
    } catch {
      return undefined; // authentication failed: tampered, truncated or sealed with another key
    }
  }
}

function importKey(secret: string): Promise<CryptoKey> {
  const bytes = fromBase64Url(secret.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""));
  if (bytes.length !== 32) throw new Error("a sealing key must be 32 bytes (base64url); make one with: node -e \"console.log(crypto.randomBytes(32).toString('base64url'))\"");
  return crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
