// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/** The types handlers in src/handlers/ are written against, derived from the spec's zod schemas. */
import type { z } from "zod";
import type spec from "../../mcp.spec.ts";
import type { Ask, InputResponses } from "./handles/ask.ts";

export type { Ask };

type Spec = typeof spec;
type Tools = Spec["tools"];

/** State behind a connection handle: An open connection to a SQLite database file. */
export type ConnectionState = z.output<Spec["handles"]["connection"]["state"]>;

export interface CallContext {
  /** Who is calling: the owner of every handle this request creates or opens. */
  principal: string;
  /** Aborts when the caller stops waiting (the client goes away or cancels): hand it to slow work. */
  signal: AbortSignal;
  /**
   * Tells the caller how far a slow call has got (`progress` rising each time, `total` when known),
   * when it asked to be told; otherwise it does nothing.
   */
  progress: (progress: number, total?: number, message?: string) => Promise<void>;
  /**
   * The client's answers, keyed as asked, when it calls again after the handler returned
   * `ask(...)` (from ./handles/ask.ts): a form's is read and checked with
   * `acceptedContent(answers, key, schema)`. Sent by the client: check before trusting.
   */
  answers?: InputResponses;
  /** What the handler asked to `remember` when it asked, back from the client with its signature checked. */
  remembered?: unknown;
}

export type CloseConnectionInput = Record<string, never>;
/**
 * `close_connection` ends a connection handle. It ends the connection only if no other call saved it meanwhile; if one
 * did, it runs again on the newer state, so keep other effects safe to repeat.
 */
export type CloseConnectionHandler = (call: { input: CloseConnectionInput; state: ConnectionState; handle: string } & CallContext) => Promise<{ text: string } | Ask>;

export type ConnectDatabaseInput = z.output<Tools["connect_database"]["input"]>;
export type ConnectDatabaseOutput = z.output<Tools["connect_database"]["output"]>;
/** `connect_database` creates a connection handle. */
export type ConnectDatabaseHandler = (call: { input: ConnectDatabaseInput } & CallContext) => Promise<{ state: ConnectionState; output: ConnectDatabaseOutput } | Ask>;

export type ListTablesInput = Record<string, never>;
export type ListTablesOutput = z.output<Tools["list_tables"]["output"]>;
/**
 * `list_tables` works on a connection handle. Its new `state` is saved only if no other call saved the connection
 * meanwhile; if one did, it runs again on the newer state, so keep other effects safe to repeat.
 */
export type ListTablesHandler = (call: { input: ListTablesInput; state: ConnectionState; handle: string } & CallContext) => Promise<{ output: ListTablesOutput; state?: ConnectionState } | Ask>;

export type QueryInput = z.output<Tools["query"]["input"]>;
export type QueryOutput = z.output<Tools["query"]["output"]>;
/**
 * `query` works on a connection handle. Its new `state` is saved only if no other call saved the connection
 * meanwhile; if one did, it runs again on the newer state, so keep other effects safe to repeat.
 */
export type QueryHandler = (call: { input: QueryInput; state: ConnectionState; handle: string } & CallContext) => Promise<{ output: QueryOutput; state?: ConnectionState } | Ask>;
