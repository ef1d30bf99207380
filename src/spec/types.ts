/**
 * The shape of `mcp.spec.ts`. Import it type-only
 * (`import type { ServerSpec } from "create-mcp-stateless/spec"`) so that a generated
 * server needs nothing from this package at run time.
 */
import type { z } from "zod";

/** `"90s"`, `"30m"`, `"12h"`, `"7d"` (or milliseconds as `"500ms"`). */
export type Duration = `${number}${"ms" | "s" | "m" | "h" | "d"}`;

export interface HandleKindSpec {
  /** Short lowercase tag that starts every handle of this kind: `conn` → `conn_…`. */
  prefix: string;
  /** How long a handle lives after it is created. */
  ttl: Duration;
  /** What the handle stands for; shown to models in tool descriptions. */
  description: string;
  /** The state kept behind the handle; must survive a JSON round trip. */
  state: z.ZodType;
  /** "absolute" (default): the ttl counts from creation. "sliding": every use starts it again. */
  expiry?: "absolute" | "sliding";
  /** The most live handles of this kind one caller may hold (default: no limit). */
  maxPerOwner?: number;
  /** The largest state, as JSON bytes, a handle may keep (default 65536). */
  maxStateBytes?: number;
  /** Also generate `list_<kind>s`: the caller's live handles of this kind, no handler needed. */
  list?: boolean;
  /** Also generate `destroy_<kind>`: end a handle before it expires, no handler needed. */
  destroy?: boolean;
}

export interface ToolAnnotationsSpec {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolSpec {
  description: string;
  title?: string;
  /** The tool's own arguments. A handle parameter (`<kind>_id`) is added by the generator. */
  input?: z.ZodObject;
  /** Structured result. A creating tool's `<kind>_id` is added by the generator. */
  output?: z.ZodObject;
  /** Handle kind this tool creates: it returns `{ "<kind>_id": "…" }`. */
  creates?: string;
  /** Handle kind this tool works on: it takes `<kind>_id`, the handler gets the state. */
  uses?: string;
  /** Handle kind this tool ends: like `uses`, and the handle is gone afterwards. */
  destroys?: string;
  annotations?: ToolAnnotationsSpec;
  /**
   * Arguments the generated tests call this tool with (the handle parameter is added).
   * Optional: without one, an example is made from the input schema.
   */
  example?: Record<string, unknown>;
  /**
   * OAuth scopes a token must grant to call this tool, beyond the server's `scopes` (as
   * `["files:write"]`). Enforced where the server checks tokens (MCP_AUTH=jwt): a call whose
   * token lacks one is refused with 403 `insufficient_scope`, naming what to ask for.
   */
  scopes?: string[];
}

export type StoreName = "sqlite" | "memory" | "redis" | "sealed";
export type TransportName = "http" | "stdio";

export interface ServerSpec {
  /** Server name reported to clients; also the package name of a new project. */
  name: string;
  version?: string;
  /** The handle store used unless MCP_HANDLE_STORE says otherwise (default "sqlite"). */
  store?: StoreName;
  /** Further stores to generate, to switch to at run time (memory is always generated, for tests). */
  stores?: StoreName[];
  /** Entry points to write: HTTP (with a fetch export for serverless hosts) and/or stdio (default both). */
  transports?: TransportName[];
  /** Guidance for models using this server, sent as the server's instructions. */
  instructions?: string;
  /**
   * How long clients may reuse `tools/list` and `server/discover` (their `ttlMs`, with
   * `cacheScope: "public"`: a stateless server's list is the same for every caller). A client
   * that honours it skips those requests until then; a deploy that changes the tools reaches it
   * that much later. Default: not cached.
   */
  listTtl?: Duration;
  /**
   * OAuth scopes every token must grant, for any request (as `["files:read"]`). Named in the
   * 401 challenge, and listed with the tools' own as the protected resource's `scopes_supported`.
   */
  scopes?: string[];
  handles?: Record<string, HandleKindSpec>;
  tools: Record<string, ToolSpec>;
}
