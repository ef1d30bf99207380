// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * What every request's server registers: names, descriptions, schemas, annotations.
 * Built once when the module loads, because none of it changes between requests.
 */
import { z } from "zod";
import spec from "../../mcp.spec.ts";
import type { HandleKind } from "./handles/handles.ts";
import { convertedOnce } from "./handles/schemas.ts";

/** The spec's handle kinds, with the lifetimes their create tools promise. */
export const kinds = {
  connection: {
    name: "connection",
    prefix: "conn",
    ttlMs: 1800000,
    createTool: "connect_database",
    lifetime: "30 minutes",
  },
} satisfies Record<string, HandleKind>;

export const allKinds: readonly HandleKind[] = Object.values(kinds);

/** The `connection_id` parameter. Any non-empty string passes here; the runtime explains what is wrong with a bad one. */
const connectionId = z.string().min(1).meta({"description":"Handle of a connection (An open connection to a SQLite database file), as returned by connect_database.","x-mcp-handle":{"kind":"connection","prefix":"conn_","createdBy":["connect_database"]}});

export const closeConnectionTool = {
  description: "Close the connection.\n\nTakes connection_id, a connection handle from connect_database. The handle is no longer valid afterwards.",
  inputSchema: convertedOnce(z.object({ connection_id: connectionId })),
  annotations: {"destructiveHint":true,"idempotentHint":false,"readOnlyHint":false},
};

export const connectDatabaseTool = {
  description: "Open a SQLite database file in the server's data folder (created if missing, unless read-only).\n\nReturns connection_id, a handle to the new connection that expires 30 minutes after it is created. Pass it to list_tables, query, close_connection.",
  inputSchema: convertedOnce(spec.tools.connect_database.input),
  outputSchema: convertedOnce(z.object({ connection_id: z.string().meta({"description":"Handle of the new connection; valid for 30 minutes.","x-mcp-handle":{"kind":"connection","prefix":"conn_"}}), ...spec.tools.connect_database.output.shape })),
  annotations: {"destructiveHint":false,"idempotentHint":false,"readOnlyHint":false},
};

export const listTablesTool = {
  description: "List the tables of the connected database.\n\nTakes connection_id, a connection handle from connect_database.",
  inputSchema: convertedOnce(z.object({ connection_id: connectionId })),
  outputSchema: convertedOnce(spec.tools.list_tables.output),
  annotations: {"readOnlyHint":true},
};

export const queryTool = {
  description: "Run one SQL statement with optional ? parameters. Read-only connections refuse writes.\n\nTakes connection_id, a connection handle from connect_database.",
  inputSchema: convertedOnce(z.object({ connection_id: connectionId, ...spec.tools.query.input.shape })),
  outputSchema: convertedOnce(spec.tools.query.output),
};
