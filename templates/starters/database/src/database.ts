/**
 * Opens the database a connection handle names. The handle keeps only the file name, so
 * any server instance can serve any request: each call opens the file and closes it again.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

/**
 * Databases live in one folder; a handle can never point outside it. By default that is under
 * .data/, which git and the image build leave out and the Dockerfile lets the server write to.
 */
export const dataDir = path.resolve(process.env.DATABASE_DIR ?? ".data/databases");

export function withDatabase<T>(file: string, readOnly: boolean, use: (db: DatabaseSync) => T): T {
  if (!readOnly) mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(path.join(dataDir, path.basename(file)), { readOnly });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

export type Cell = string | number | null;

/** SQLite values that JSON cannot carry (big integers, blobs) become numbers or base64 text. */
export function toCell(value: unknown): Cell {
  if (value === null || typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return String(value);
}
