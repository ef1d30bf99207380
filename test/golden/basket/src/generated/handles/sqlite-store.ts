// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * Keeps handles in a SQLite file through Node's built-in `node:sqlite`: handles survive a
 * restart, and every process on the host that opens the same file shares them.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { EXPIRED_GRACE_MS, HandleConflictError, HandleEndedError, HandleLimitError, newHandle, type Clock, type HandleKind, type HandleLookup, type HandleStore } from "./handles.ts";

/** How long a connection waits for another that holds the file's write lock. */
const BUSY_TIMEOUT_MS = 5000;
/** SQLite's "database is locked". */
const SQLITE_BUSY = 5;

export class SqliteStore implements HandleStore {
  readonly #db: DatabaseSync;
  readonly #now: Clock;
  readonly #insert: StatementSync;
  readonly #select: StatementSync;
  readonly #update: StatementSync;
  readonly #delete: StatementSync;
  readonly #list: StatementSync;
  readonly #count: StatementSync;
  readonly #purge: StatementSync;
  readonly #extend: StatementSync;
  #nextPurge = 0;

  constructor(options: { file: string; now?: Clock }) {
    if (options.file !== ":memory:") mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    // The busy timeout makes several server processes on one file wait for each other, not fail;
    // set on opening, so it already holds for the switch to WAL (which lets them read and write
    // the file together) when several start at once, and execWhenFree waits where SQLite won't.
    this.#db = new DatabaseSync(options.file, { timeout: BUSY_TIMEOUT_MS });
    this.#now = options.now ?? Date.now;
    execWhenFree(this.#db, `
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS handles (
        handle     TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        owner      TEXT NOT NULL,
        state      TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        revision   INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX IF NOT EXISTS handles_by_owner ON handles (kind, owner, expires_at);
      CREATE INDEX IF NOT EXISTS handles_by_expiry ON handles (expires_at);
    `);
    this.#addRevisionColumn();
    this.#insert = this.#db.prepare("INSERT INTO handles (handle, kind, owner, state, expires_at) VALUES (?, ?, ?, ?, ?)");
    this.#select = this.#db.prepare("SELECT state, expires_at, revision FROM handles WHERE handle = ? AND kind = ? AND owner = ?");
    // Given a null revision (the last two parameters) it matches any: an update that did not say which it read.
    this.#update = this.#db.prepare(
      "UPDATE handles SET state = ?, revision = revision + 1 WHERE handle = ? AND kind = ? AND owner = ? AND expires_at > ? AND (? IS NULL OR revision = ?)",
    );
    this.#delete = this.#db.prepare("DELETE FROM handles WHERE handle = ? AND kind = ? AND owner = ? AND expires_at > ? AND (? IS NULL OR revision = ?)");
    this.#list = this.#db.prepare(
      "SELECT handle, expires_at FROM handles WHERE kind = ? AND owner = ? AND expires_at > ? ORDER BY expires_at, handle",
    );
    this.#count = this.#db.prepare("SELECT count(*) AS live FROM handles WHERE kind = ? AND owner = ? AND expires_at > ?");
    this.#purge = this.#db.prepare("DELETE FROM handles WHERE expires_at < ?");
    this.#extend = this.#db.prepare("UPDATE handles SET expires_at = ? WHERE handle = ?");
  }

  async create(kind: HandleKind, owner: string, state: unknown): Promise<string> {
    this.#purgeExpired();
    const handle = newHandle(kind.prefix);
    const now = this.#now();
    const insert = () => this.#insert.run(handle, kind.name, owner, JSON.stringify(state), now + kind.ttlMs);
    if (kind.maxPerOwner === undefined) {
      insert();
      return handle;
    }
    // Counted and kept under the write lock, so no create of another process can slip in between.
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const { live } = this.#count.get(kind.name, owner, now) as { live: number };
      if (live >= kind.maxPerOwner) throw new HandleLimitError(live);
      insert();
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
    return handle;
  }

  async get(kind: HandleKind, owner: string, handle: string, options: { extend?: boolean } = {}): Promise<HandleLookup> {
    const row = this.#select.get(handle, kind.name, owner) as { state: string; expires_at: number; revision: number } | undefined;
    if (!row) return { found: false, reason: "unknown" };
    const now = this.#now();
    if (row.expires_at <= now) return { found: false, reason: "expired" };
    let expiresAt = row.expires_at;
    if (options.extend) {
      expiresAt = now + kind.ttlMs;
      this.#extend.run(expiresAt, handle);
    }
    return { found: true, state: JSON.parse(row.state), expiresAt, revision: row.revision };
  }

  async update(kind: HandleKind, owner: string, handle: string, state: unknown, options: { revision?: number } = {}): Promise<string> {
    const now = this.#now();
    const revision = options.revision ?? null;
    const { changes } = this.#update.run(JSON.stringify(state), handle, kind.name, owner, now, revision, revision);
    if (changes > 0) return handle;
    // Nothing saved: either the handle is gone, or it is live at another revision.
    if (options.revision !== undefined && this.#isLive(kind, owner, handle, now)) throw new HandleConflictError(kind, handle);
    throw new HandleEndedError(kind, handle);
  }

  async destroy(kind: HandleKind, owner: string, handle: string, options: { revision?: number } = {}): Promise<boolean> {
    const now = this.#now();
    const revision = options.revision ?? null;
    if (this.#delete.run(handle, kind.name, owner, now, revision, revision).changes > 0) return true;
    // Nothing ended: either the handle is gone, or it is live at another revision.
    if (options.revision !== undefined && this.#isLive(kind, owner, handle, now)) throw new HandleConflictError(kind, handle);
    return false;
  }

  async list(kind: HandleKind, owner: string): Promise<Array<{ handle: string; expiresAt: number }>> {
    const rows = this.#list.all(kind.name, owner, this.#now()) as Array<{ handle: string; expires_at: number }>;
    return rows.map((row) => ({ handle: row.handle, expiresAt: row.expires_at }));
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  /**
   * A file made before handles had revisions gets the column, under the write lock so that
   * servers opening the file together add it once.
   */
  #addRevisionColumn(): void {
    const hasRevision = () => (this.#db.prepare("SELECT name FROM pragma_table_info('handles')").all() as Array<{ name: string }>).some((c) => c.name === "revision");
    if (hasRevision()) return;
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      if (!hasRevision()) this.#db.exec("ALTER TABLE handles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0");
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  #isLive(kind: HandleKind, owner: string, handle: string, now: number): boolean {
    const row = this.#select.get(handle, kind.name, owner) as { expires_at: number } | undefined;
    return row !== undefined && row.expires_at > now;
  }

  /** Drops long-expired rows, at most once a minute so a create stays one insert. */
  #purgeExpired(): void {
    const now = this.#now();
    if (now < this.#nextPurge) return;
    this.#nextPurge = now + 60_000;
    this.#purge.run(now - EXPIRED_GRACE_MS);
  }
}

/**
 * Runs `sql`, waiting while another connection holds the file. The busy timeout covers most of
 * that wait, but not all: when several processes open a new file at once, SQLite can answer the
 * switch to WAL with "database is locked" at once, without waiting (a third of the runs of the
 * four-connection test in test/unit/sqlite-store.test.ts failed so). Every statement it is given
 * can run again (IF NOT EXISTS; WAL once is WAL).
 */
function execWhenFree(db: DatabaseSync, sql: string): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return void db.exec(sql);
    } catch (error) {
      // The low byte is the primary code: SQLITE_BUSY_RECOVERY and the like are busy too.
      if ((((error as { errcode?: number }).errcode ?? 0) & 0xff) !== SQLITE_BUSY || Date.now() > deadline) throw error;
      // A constructor cannot await: pause this thread briefly, then try again.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
