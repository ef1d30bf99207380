import { toCell, withDatabase } from "../database.ts";
import type { QueryHandler } from "../generated/types.ts";

/** `query` works on a connection handle: statements that return rows give rows, others the number of changes. */
export const query: QueryHandler = async ({ input, state }) => {
  const output = withDatabase(state.file, state.readOnly, (db) => {
    const statement = db.prepare(input.sql);
    const columns = statement.columns().map((c) => c.name);
    if (columns.length === 0) {
      const { changes } = statement.run(...input.params);
      return { columns, rows: [], changes: Number(changes) };
    }
    const rows = statement.all(...input.params).map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, toCell(value)])),
    );
    return { columns, rows, changes: 0 };
  });
  return { output };
};
