/** What the templates render: plain data derived from a valid spec, nothing left to decide. */

export type JsonSchema = Record<string, unknown>;

export interface HandleKindModel {
  kind: string;
  prefix: string;
  ttlMs: number;
  /** "1 hour": how long a handle lives, in words for tool descriptions. */
  lifetime: string;
  sliding: boolean;
  maxPerOwner: number | undefined;
  maxStateBytes: number | undefined;
  description: string;
  /** `<kind>_id`: the parameter consumers take and the field creators return. */
  param: string;
  /** `Basket` from `basket`: the stem of generated type names. */
  typeName: string;
  /** Tools that create / use / destroy this kind, sorted by name. */
  createdBy: string[];
  usedBy: string[];
  destroyedBy: string[];
  /** The tool that tests and error messages point to for a new handle of this kind. */
  createTool: string;
  /** Metadata attached to the handle parameter's schema (and so to schemas/*.json). */
  paramMeta: Record<string, unknown>;
  /** Metadata of the optional new-handle field in a consumer's result (sealed handles). */
  renamedMeta: Record<string, unknown>;
  /** Metadata of the handle field in a creating tool's result. */
  resultMeta: Record<string, unknown>;
  /** A value of the state type, returned by a fresh creator stub; undefined when none could be made. */
  stateExample: unknown;
}

export type ToolRole = "creates" | "uses" | "destroys" | "plain";

export interface ToolModel {
  name: string;
  /** `add_item` → `addItem`: the handler's export name. */
  identifier: string;
  /** `add_item` → `AddItem`: the stem of its type names. */
  typeName: string;
  role: ToolRole;
  /** "works on a basket handle": the role in words, for comments in generated code. */
  roleText: string;
  /** The full description served to clients: the spec's text plus what the handles mean. */
  description: string;
  title: string | undefined;
  annotations: Record<string, unknown> | undefined;
  /** The kind this tool creates, if any. */
  creates: string | undefined;
  /** The kind whose handle this tool takes (`uses` or `destroys`), if any. */
  takes: string | undefined;
  destroys: boolean;
  /** Generated in full from the spec's handle kind (no handler): `list` or `destroy`. */
  builtin: "list" | "destroy" | undefined;
  /** The kind a built-in `list_<kind>s` lists. */
  lists: string | undefined;
  /** Returns the new handle after changing state (a project with sealed handles). */
  renames: boolean;
  hasInput: boolean;
  hasOutput: boolean;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema | undefined;
  /** Arguments for generated tests, without the handle parameter. */
  exampleInput: Record<string, unknown>;
  /** A value of the output type for a fresh stub (undefined when the tool has no output schema). */
  exampleOutput: unknown;
  /** Names of required input fields (not the handle), for the invalid-input test. */
  requiredInputs: string[];
  /** OAuth scopes a call of this tool needs beyond the server's; empty for none. */
  scopes: string[];
}

export interface ServerModel {
  name: string;
  version: string;
  instructions: string | undefined;
  /** How long clients may reuse tools/list and server/discover; undefined: not cached. */
  listTtlMs: number | undefined;
  /** OAuth scopes every request needs; empty for none. */
  scopes: string[];
  /** Every scope the server or a tool names, sorted: the protected resource's `scopes_supported`. */
  scopesSupported: string[];
  /** The store a server uses unless MCP_HANDLE_STORE says otherwise. */
  store: "sqlite" | "memory" | "redis" | "sealed";
  /** Every store generated into the project, in a fixed order; always includes memory. */
  stores: Array<"sqlite" | "memory" | "redis" | "sealed">;
  http: boolean;
  stdio: boolean;
  /** Path of the spec relative to the project root, with `/` separators. */
  specFile: string;
  handles: HandleKindModel[];
  /** Sorted by name: `tools/list` order is deterministic and independent of the spec's layout. */
  tools: ToolModel[];
}
