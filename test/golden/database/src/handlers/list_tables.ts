import { withDatabase } from "../database.ts";
import type { ListTablesHandler } from "../generated/types.ts";

/** `list_tables` works on a connection handle. */
export const listTables: ListTablesHandler = async ({ state }) => {
  const tables = withDatabase(state.file, state.readOnly, (db) =>
    (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name),
  );
  return { output: { tables } };
};
