// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * One server per request, as the stateless protocol wants: everything a request needs
 * comes from its arguments (handles) and its auth (the principal), never from the instance.
 * It is the SDK's low-level Server over a table of the tools built once (handles/tool-server.ts),
 * so a request pays for a server and two handlers, not for a whole McpServer.
 */
import type { McpServer, Server } from "@modelcontextprotocol/server";
import { changeHandle, createHandle, endHandle, type HandleStore } from "./handles/handles.ts";
import { created, isAsk, reply } from "./handles/results.ts";
import { ToolTable } from "./handles/tool-server.ts";
import {
  allKinds,
  kinds,
  closeConnectionTool,
  connectDatabaseTool,
  listTablesTool,
  queryTool,
} from "./tools.ts";
import type { ConnectionState } from "./types.ts";
import { closeConnection as closeConnectionHandler } from "../handlers/close_connection.ts";
import { connectDatabase as connectDatabaseHandler } from "../handlers/connect_database.ts";
import { listTables as listTablesHandler } from "../handlers/list_tables.ts";
import { query as queryHandler } from "../handlers/query.ts";

export interface ServerDeps {
  store: HandleStore;
  /** The caller: owner of the handles this request creates, and the only one who may open them. */
  principal: string;
}

/**
 * Every tool, registered once; each call gets its request's store and caller. New state for a
 * handle a call took is saved by changeHandle, and a handle is ended by endHandle: if another
 * call saved that handle meanwhile, the handler runs again on the newer state, so calls made
 * together do not undo each other, and an end does not drop a change it did not see. A handler
 * that asks the client first (ask.ts) changes, makes and ends nothing until it is called again.
 * What a handler asks to remember opens only for the same caller.
 */
const tools = new ToolTable<ServerDeps>({ callerOf: (deps) => deps.principal })
  .add("close_connection", closeConnectionTool, async ({ connection_id: handle, ...input }, { store, principal }, { signal, progress, answers, remembered }) => {
    const ended = await endHandle(store, allKinds, kinds.connection, principal, handle, (state: ConnectionState) =>
      closeConnectionHandler({ input, state, handle, principal, signal, progress, answers, remembered }),
    );
    return ended.ok ? reply(ended.result) : ended.error;
  })
  .add("connect_database", connectDatabaseTool, async (input, { store, principal }, { signal, progress, answers, remembered }) => {
    const result = await connectDatabaseHandler({ input, principal, signal, progress, answers, remembered });
    if (isAsk(result)) return result;
    const saved = await createHandle(store, kinds.connection, principal, result.state);
    return saved.ok ? created(kinds.connection, saved.handle, result) : saved.error;
  })
  .add("list_tables", listTablesTool, async ({ connection_id: handle, ...input }, { store, principal }, { signal, progress, answers, remembered }) => {
    const changed = await changeHandle(store, allKinds, kinds.connection, principal, handle, (state: ConnectionState) =>
      listTablesHandler({ input, state, handle, principal, signal, progress, answers, remembered }),
    );
    if (!changed.ok) return changed.error;
    return reply(changed.result);
  })
  .add("query", queryTool, async ({ connection_id: handle, ...input }, { store, principal }, { signal, progress, answers, remembered }) => {
    const changed = await changeHandle(store, allKinds, kinds.connection, principal, handle, (state: ConnectionState) =>
      queryHandler({ input, state, handle, principal, signal, progress, answers, remembered }),
    );
    if (!changed.ok) return changed.error;
    return reply(changed.result);
  });

const info = { name: "database-server", version: "0.1.0" };
const options = { instructions: "Connect to a SQLite database file with connect_database, then list its tables and run SQL on it." };

/**
 * The server for one request. `request` is the HTTP request, when there is one: a call of a tool
 * that mirrors an argument into a header (`x-mcp-header` in its schema) is then served so that
 * the SDK checks the header against the argument (handles/tool-server.ts).
 */
export function createServer(deps: ServerDeps, request?: Request): Server | McpServer {
  return tools.serve(info, deps, options, request);
}
