import { withDatabase } from "../database.ts";
import type { ConnectDatabaseHandler } from "../generated/types.ts";

/** `connect_database` creates a connection handle, after checking the file opens. */
export const connectDatabase: ConnectDatabaseHandler = async ({ input }) => {
  const tables = withDatabase(input.file, input.read_only, (db) => {
    const row = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    return row.n;
  });
  return { state: { file: input.file, readOnly: input.read_only }, output: { tables } };
};
