import { z } from "zod";
import type { ServerSpec } from "create-mcp-stateless/spec";

const cell = z.union([z.string(), z.number(), z.null()]);

export default {
  name: "database-server",
  version: "0.1.0",
  instructions: "Connect to a SQLite database file with connect_database, then list its tables and run SQL on it.",
  handles: {
    connection: {
      prefix: "conn",
      ttl: "30m",
      description: "An open connection to a SQLite database file",
      state: z.object({ file: z.string(), readOnly: z.boolean() }),
    },
  },
  tools: {
    connect_database: {
      description: "Open a SQLite database file in the server's data folder (created if missing, unless read-only).",
      creates: "connection",
      input: z.object({
        file: z
          .string()
          .regex(/^[\w-]+\.(sqlite|db)$/)
          .meta({ description: "File name inside the data folder", examples: ["shop.sqlite"] }),
        read_only: z.boolean().default(false),
      }),
      output: z.object({ tables: z.number().int() }),
      example: { file: "example.sqlite", read_only: false },
    },
    list_tables: {
      description: "List the tables of the connected database.",
      uses: "connection",
      output: z.object({ tables: z.array(z.string()) }),
      annotations: { readOnlyHint: true },
    },
    query: {
      description: "Run one SQL statement with optional ? parameters. Read-only connections refuse writes.",
      uses: "connection",
      input: z.object({
        sql: z.string().min(1),
        params: z.array(cell).default([]),
      }),
      output: z.object({
        columns: z.array(z.string()),
        rows: z.array(z.record(z.string(), cell)),
        changes: z.number().int(),
      }),
      example: { sql: "SELECT 1 AS one" },
    },
    close_connection: {
      description: "Close the connection.",
      destroys: "connection",
    },
  },
} satisfies ServerSpec;
