// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * The generated tools on the SDK's low-level `Server` (its documented "Low-level Server" API).
 * `McpServer` does the same job, but a stateless server builds one per request, and so pays
 * for its whole registry (and every tool's listing) on every request. Here the tools sit in a
 * table built once, a request builds a `Server` with two handlers, and each tool's listing comes
 * from schemas converted once.
 * What a client sees is what McpServer gives it: arguments validated against the schema the
 * list advertises, structured output checked against the output schema, a thrown error or a
 * failed check returned as a tool error the model can read, an unknown tool as -32602. A tool
 * may also ask the client for more first (ask.ts): the call is then answered `input_required`.
 */
import {
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type CallToolResult,
  type Implementation,
  type InputRequiredResult,
  type ServerContext,
  type ServerOptions,
  type StandardSchemaWithJSON,
  type Tool,
} from "@modelcontextprotocol/server";
import { askResult, remembered, RequestStateRefused, type AskingCall, type InputResponses } from "./ask.ts";
import { isAsk, type Ask } from "./results.ts";

export interface ToolDefinition<Input extends StandardSchemaWithJSON = StandardSchemaWithJSON> {
  description: string;
  inputSchema: Input;
  outputSchema?: StandardSchemaWithJSON;
  annotations?: Tool["annotations"];
}

/** What a call gets besides its input and its request's context. */
export interface ToolCall {
  /** Aborts when the caller stops waiting (the client goes away or cancels). */
  signal: AbortSignal;
  /** Tells the caller how far the call has got, when it asked to be told (a progress token); else does nothing. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** The client's answers to what this call asked before (`ask`), when it is making the call again with them. */
  answers?: InputResponses;
  /** What this call asked to remember when it asked, back from the client, its signature checked. */
  remembered?: unknown;
}

/** A tool's code: its validated input, the context of the request that called it, and the call. */
type Callback<Input extends StandardSchemaWithJSON, Context> = (input: StandardSchemaWithJSON.InferOutput<Input>, context: Context, call: ToolCall) => Promise<CallToolResult | Ask>;

interface Registered<Context> {
  definition: ToolDefinition;
  callback: (input: unknown, context: Context, call: ToolCall) => Promise<CallToolResult | Ask>;
}

/** The JSON Schema target the SDK itself converts to. */
const TARGET = { target: "draft-2020-12" } as const;

/**
 * The SDK's `Server`, closed without a stack trace. Closing builds a "Connection closed" error for
 * whatever still waits on the exchange, whether or not anything does, and capturing its stack was
 * about 5 % of a request's CPU (docs/performance.md, step 8). The error keeps its class, code and
 * message; only the stack of the SDK's own close path, which names no caller, is left out.
 */
class ExchangeServer extends Server {
  protected override _onclose(): void {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super._onclose();
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/**
 * The tools, registered once at module scope. Each exchange gets its own `Server` with two
 * handlers that look the tools up here and hand each call the request's context (the store,
 * the caller), so what a request builds does not grow with the number of tools.
 */
export class ToolTable<Context> {
  readonly #tools = new Map<string, Registered<Context>>();
  /** The tools whose input mirrors a parameter into an `Mcp-Param-*` header (`x-mcp-header`). */
  readonly #mirroring = new Set<string>();
  /** Who is calling, in a request's context: what a call remembers when it asks opens only for them. */
  readonly #callerOf: (context: Context) => string;

  constructor(options: { callerOf?: (context: Context) => string } = {}) {
    this.#callerOf = options.callerOf ?? (() => "");
  }

  add<Input extends StandardSchemaWithJSON>(name: string, definition: ToolDefinition<Input>, callback: Callback<Input, Context>): this {
    this.#tools.set(name, { definition, callback: callback as Registered<Context>["callback"] });
    if (declaresParamHeader(jsonSchema(definition.inputSchema, "input"))) this.#mirroring.add(name);
    return this;
  }

  /**
   * The server for one exchange, its calls made with `context`. `request` is the HTTP request
   * being served, when there is one: a call of a tool whose input declares `x-mcp-header` is
   * served by an McpServer holding that tool, because the SDK checks a call's `Mcp-Param-*`
   * headers against its arguments (400, HeaderMismatch, before the tool runs) only for an
   * McpServer. The SDK has checked `Mcp-Name` against the body before it asks for a server.
   */
  serve(info: Implementation, context: Context, options?: Omit<ServerOptions, "capabilities">): Server;
  serve(info: Implementation, context: Context, options: Omit<ServerOptions, "capabilities">, request: Request | undefined): Server | McpServer;
  serve(info: Implementation, context: Context, options: Omit<ServerOptions, "capabilities"> = {}, request?: Request): Server | McpServer {
    if (request && this.#mirroring.size > 0 && request.headers.get("mcp-method") === "tools/call") {
      const name = request.headers.get("mcp-name") ?? "";
      if (this.#mirroring.has(name)) return this.#mcpServer(info, context, options, [name]);
      // A name sent Base64-encoded (=?base64?…?=) is left for the SDK to decode, with every tool at hand.
      if (name.startsWith("=?base64?")) return this.#mcpServer(info, context, options, [...this.#tools.keys()]);
    }
    const server = new ExchangeServer(info, { ...options, capabilities: { tools: {} } });
    server.setRequestHandler("tools/list", () => ({ tools: [...this.#tools].map(([name, tool]) => listing(name, tool.definition)) }));
    server.setRequestHandler("tools/call", (request, ctx) => this.#call(server, context, request.params.name, request.params.arguments, ctx));
    return server;
  }

  /** An McpServer with the named tools, answering as the low-level server does (test/unit/tool-server.test.ts). */
  #mcpServer(info: Implementation, context: Context, options: Omit<ServerOptions, "capabilities">, names: string[]): McpServer {
    const server = new McpServer(info, options);
    for (const name of names) {
      const { definition, callback } = this.#tools.get(name)!;
      // McpServer answers anything thrown here, a refused requestState too, as a tool error.
      server.registerTool(name, definition, (input: unknown, ctx: ServerContext) => this.#run(name, callback, input, context, ctx));
    }
    return server;
  }

  async #call(server: Server, context: Context, name: string, args: Record<string, unknown> | undefined, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> {
    const tool = this.#tools.get(name);
    if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
    const { inputSchema, outputSchema } = tool.definition;
    try {
      const input = await inputSchema["~standard"].validate(args ?? {});
      if (input.issues) return toolError(`Input validation error: Invalid arguments for tool ${name}: ${describe(input.issues)}`);
      // As #run does, written out here: one async frame fewer a call on the hot path.
      const state = ctx.mcpReq.requestState<string>();
      const kept = state === undefined ? undefined : await remembered(state, this.#asking(context, name, input.value));
      const result = await tool.callback(input.value, context, toolCall(ctx, kept));
      if (isAsk(result)) return await askResult(result, this.#asking(context, name, input.value));
      if (outputSchema && !result.isError) {
        if (result.structuredContent === undefined) return toolError(`Output validation error: Tool ${name} has an output schema but no structured content was provided`);
        const output = await outputSchema["~standard"].validate(result.structuredContent);
        if (output.issues) return toolError(`Output validation error: Invalid structured content for tool ${name}: ${describe(output.issues)}`);
      }
      // The SDK's own last step for every tools/call result, for whichever protocol era is served.
      return server.projectCallToolResult(result, outputSchema && jsonSchema(outputSchema, "output"));
    } catch (error) {
      // State that fails its check is the caller's error, answered as the SDK answers it.
      if (error instanceof RequestStateRefused) throw error;
      return toolError(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Runs a tool's callback on its validated input, behind an McpServer. A call the client makes
   * again with answers gets back what it asked to remember, once its signature is checked; a
   * callback that asks (`ask`) is answered with the ask in its wire form, signed for this call alone.
   */
  async #run(name: string, callback: Registered<Context>["callback"], input: unknown, context: Context, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> {
    const state = ctx.mcpReq.requestState<string>();
    const kept = state === undefined ? undefined : await remembered(state, this.#asking(context, name, input));
    const result = await callback(input, context, toolCall(ctx, kept));
    return isAsk(result) ? askResult(result, this.#asking(context, name, input)) : result;
  }

  #asking(context: Context, tool: string, input: unknown): AskingCall {
    return { caller: this.#callerOf(context), tool, input };
  }
}

const NO_PROGRESS = async (): Promise<void> => {};

function toolCall(ctx: ServerContext, remembered: unknown): ToolCall {
  const token = ctx.mcpReq._meta?.progressToken;
  const answers = ctx.mcpReq.inputResponses as InputResponses | undefined;
  const call: ToolCall =
    token === undefined
      ? { signal: ctx.mcpReq.signal, progress: NO_PROGRESS }
      : {
          signal: ctx.mcpReq.signal,
          // Sent before the result, it turns the answer into an SSE stream (the SDK does that).
          progress: (progress, total, message) =>
            ctx.mcpReq.notify({ method: "notifications/progress", params: { progressToken: token, progress, ...(total !== undefined && { total }), ...(message !== undefined && { message }) } }),
        };
  // Only a call made again with answers carries them: the usual call stays two fields.
  if (answers !== undefined) call.answers = answers;
  if (remembered !== undefined) call.remembered = remembered;
  return call;
}

function listing(name: string, definition: ToolDefinition): Tool {
  return {
    name,
    description: definition.description,
    inputSchema: jsonSchema(definition.inputSchema, "input") as Tool["inputSchema"],
    ...(definition.outputSchema && { outputSchema: jsonSchema(definition.outputSchema, "output") as Tool["outputSchema"] }),
    ...(definition.annotations && { annotations: definition.annotations }),
  };
}

/** Whether a listed input schema names an `x-mcp-header` on a property, at any depth of `properties` (the only place the spec allows one). */
function declaresParamHeader(schema: Record<string, unknown>): boolean {
  const properties = schema.properties;
  if (typeof properties !== "object" || properties === null) return false;
  return Object.values(properties as Record<string, unknown>).some(
    (property) => typeof property === "object" && property !== null && ("x-mcp-header" in property || declaresParamHeader(property as Record<string, unknown>)),
  );
}

/** As the SDK lists a schema: an object at the root, stated. (convertedOnce makes this a lookup.) */
function jsonSchema(schema: StandardSchemaWithJSON, io: "input" | "output"): Record<string, unknown> {
  const json = schema["~standard"].jsonSchema[io](TARGET);
  return json.type === undefined ? { type: "object", ...json } : json;
}

function describe(issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined }>): string {
  return issues
    .map((issue) => (issue.path?.length ? `${issue.path.map((p) => String(typeof p === "object" ? p.key : p)).join(".")}: ${issue.message}` : issue.message))
    .join(", ");
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}
