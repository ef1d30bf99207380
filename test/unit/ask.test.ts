/**
 * Asking the client mid-call (templates/runtime/ask.ts): a generated tool returns `ask(...)`,
 * the official client answers and calls again, and what the tool asked to remember comes back
 * only to the same call of the same caller, unaltered and in time.
 */
import { Client, ProtocolError, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createMcpHandler, InMemoryTransport, type CallToolResult } from "@modelcontextprotocol/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { acceptedContent, ask, askResult, inputResponse, remembered, RequestStateRefused } from "../../templates/runtime/ask.ts";
import { changeHandle, createHandle, endHandle, type HandleKind } from "../../templates/runtime/handles.ts";
import { MemoryStore } from "../../templates/runtime/memory-store.ts";
import { convertedOnce } from "../../templates/runtime/schemas.ts";
import { ToolTable } from "../../templates/runtime/tool-server.ts";

beforeAll(() => {
  process.env.MCP_STATE_SECRET = "a test secret of more than thirty-two bytes";
});
afterEach(() => {
  vi.useRealTimers();
});

const sure = z.object({ sure: z.boolean() });
const name = z.object({ name: z.string() });
const colour = z.object({ colour: z.enum(["red", "blue"]) });

/** Every call each tool got: its input, answers and what came back remembered. */
const calls: Array<{ tool: string; input: unknown; answers: unknown; remembered: unknown }> = [];

const table = new ToolTable<{ caller: string }>({ callerOf: ({ caller }) => caller })
  .add("drop", { description: "Drops a table once its user says so.", inputSchema: convertedOnce(z.object({ table: z.string(), cascade: z.boolean().optional() })), outputSchema: convertedOnce(z.object({ dropped: z.string() })) }, async (input, _context, { answers, remembered }) => {
    calls.push({ tool: "drop", input, answers, remembered });
    if (acceptedContent(answers, "confirm", sure)?.sure !== true) return ask({ confirm: ask.form(`Drop ${input.table}?`, sure) });
    return { content: [{ type: "text", text: `dropped ${input.table}` }], structuredContent: { dropped: input.table } };
  })
  .add("profile", { description: "Asks two things, one at a time.", inputSchema: convertedOnce(z.object({})) }, async (input, _context, { answers, remembered }) => {
    calls.push({ tool: "profile", input, answers, remembered });
    const known = (remembered ?? {}) as { name?: string };
    const given = acceptedContent(answers, "name", name);
    if (!known.name && !given) return ask({ name: ask.form("Your name?", name) });
    const who = known.name ?? given!.name;
    const picked = acceptedContent(answers, "colour", colour);
    if (!picked) return ask({ colour: ask.form(`Which colour, ${who}?`, colour) }, { remember: { name: who } });
    return { content: [{ type: "text", text: `${who} likes ${picked.colour}` }] };
  })
  .add("mirrored", { description: "Asks, behind an McpServer (its input names a header).", inputSchema: convertedOnce(z.object({ region: z.string().meta({ "x-mcp-header": "Region" }) })) }, async (input, _context, { answers, remembered }) => {
    calls.push({ tool: "mirrored", input, answers, remembered });
    if (remembered === undefined) return ask({ confirm: ask.form("Sure?", sure) }, { remember: { region: input.region } });
    return { content: [{ type: "text", text: `remembered ${JSON.stringify(remembered)}` }] };
  })
  .add("publish", { description: "Asks for a sign-in page, its model and its roots at once.", inputSchema: convertedOnce(z.object({})) }, async (_input, _context, { answers }) => {
    const signIn = inputResponse(answers, "signIn");
    const summary = inputResponse(answers, "summary");
    const roots = inputResponse(answers, "roots");
    if (signIn.kind !== "elicit" || summary.kind !== "sampling" || roots.kind !== "roots") {
      return ask({ signIn: ask.url("Sign in to publish", "https://example.com/sign-in"), summary: ask.model({ messages: [{ role: "user", content: { type: "text", text: "Summarize the draft" } }], maxTokens: 20 }), roots: ask.roots() });
    }
    const text = summary.result.content;
    return { content: [{ type: "text", text: `${signIn.action}; ${"text" in text ? text.text : ""}; ${roots.roots.map((root) => root.uri).join(", ")}` }] };
  });

const handler = createMcpHandler(({ authInfo, requestInfo }) => table.serve({ name: "asking", version: "1.0.0" }, { caller: authInfo?.clientId ?? "nobody" }, {}, requestInfo));

async function connected(answer: (message: string) => Record<string, unknown> | undefined, options: { canAsk?: boolean; era?: "auto" | "legacy" } = {}): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" }, { versionNegotiation: { mode: options.era ?? "auto" }, capabilities: options.canAsk === false ? {} : { elicitation: { form: {} } } });
  if (options.canAsk !== false) {
    client.setRequestHandler("elicitation/create", async (request) => {
      const content = answer(request.params.message);
      return content ? { action: "accept", content: content as Record<string, string | number | boolean> } : { action: "decline" };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL("http://127.0.0.1/mcp"), { fetch: (url, init) => handler.fetch(new Request(url, init)) }));
  return client;
}

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "test", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
};

/** A raw tools/call, as a client sends one, answered in JSON: `caller` is the token's client. */
async function rawCall(tool: string, params: Record<string, unknown>, caller = "alice"): Promise<{ result?: { resultType?: string; requestState?: string; inputRequests?: Record<string, unknown> } & CallToolResult; error?: { code: number; message: string } }> {
  const headers = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-method": "tools/call", "mcp-name": tool, "mcp-protocol-version": "2026-07-28" };
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool, ...params, _meta: META } });
  const response = await handler.fetch(new Request("http://127.0.0.1/mcp", { method: "POST", headers, body }), { authInfo: { token: caller, clientId: caller, scopes: [] } });
  return response.json();
}

describe("a tool that asks", () => {
  it("is answered by the official client and finishes on its answer, in a second call", async () => {
    calls.length = 0;
    const asked: string[] = [];
    const client = await connected((message) => (asked.push(message), { sure: true }));
    const result = await client.callTool({ name: "drop", arguments: { table: "users" } });
    expect(result.structuredContent).toEqual({ dropped: "users" });
    expect(asked).toEqual(["Drop users?"]);
    expect(calls.map((call) => call.answers)).toEqual([undefined, { confirm: { action: "accept", content: { sure: true } } }]);
    await client.close();
  });

  it("asks for a page, the client's model and its roots, and reads each answer by its kind", async () => {
    const client = new Client({ name: "test", version: "1.0.0" }, { versionNegotiation: { mode: "auto" }, capabilities: { elicitation: { url: {} }, sampling: {}, roots: {} } });
    const asked: string[] = [];
    client.setRequestHandler("elicitation/create", async (request) => (asked.push(`${request.params.mode} ${"url" in request.params ? request.params.url : ""}`), { action: "accept" }));
    client.setRequestHandler("sampling/createMessage", async (request) => (asked.push(`model ${request.params.maxTokens}`), { role: "assistant", model: "m", content: { type: "text", text: "a short draft" } }));
    client.setRequestHandler("roots/list", async () => (asked.push("roots"), { roots: [{ uri: "file:///work/drafts" }] }));
    await client.connect(new StreamableHTTPClientTransport(new URL("http://127.0.0.1/mcp"), { fetch: (url, init) => handler.fetch(new Request(url, init)) }));
    const result = await client.callTool({ name: "publish", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "accept; a short draft; file:///work/drafts" }]);
    expect(asked.sort()).toEqual(["model 20", "roots", "url https://example.com/sign-in"]);
    await client.close();
  });

  it("answers input_required on the wire, its output schema not yet held to", async () => {
    const { result } = await rawCall("drop", { arguments: { table: "users" } });
    expect(result?.resultType).toBe("input_required");
    expect(result?.inputRequests?.confirm).toMatchObject({ method: "elicitation/create", params: { message: "Drop users?" } });
    // Nothing to remember, so no state goes out.
    expect(result?.requestState).toBeUndefined();
  });

  it("asks again when its user declines, and never runs to the end", async () => {
    calls.length = 0;
    const client = await connected(() => undefined);
    await expect(client.callTool({ name: "drop", arguments: { table: "users" } })).rejects.toThrow(/rounds|input/i);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((call) => (call.answers as { confirm?: { action: string } } | undefined)?.confirm?.action !== "accept")).toBe(true);
    await client.close();
  });

  it("is refused by the SDK, untouched, for a client that cannot show forms", async () => {
    const client = await connected(() => ({ sure: true }), { canAsk: false });
    const failure = await client.callTool({ name: "drop", arguments: { table: "users" } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProtocolError);
    expect((failure as ProtocolError).code).toBe(-32021);
    await client.close();
  });

  it("tells a client on a 2025 revision, which would need a session to be asked, that it cannot be", async () => {
    calls.length = 0;
    const client = await connected(() => ({ sure: true }), { era: "legacy" });
    const result = await client.callTool({ name: "drop", arguments: { table: "users" } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/per-request legacy serving cannot receive server-to-client requests/);
    expect(calls).toHaveLength(1);
    await client.close();
  });

  it("on a connection of its own (stdio), is asked of a client on a 2025 revision by the SDK itself, and gets back what it remembered", async () => {
    calls.length = 0;
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await table.serve({ name: "asking", version: "1.0.0" }, { caller: "anonymous" }).connect(serverSide);
    const client = new Client({ name: "test", version: "1.0.0" }, { versionNegotiation: { mode: "legacy" }, capabilities: { elicitation: { form: {} } } });
    const asked: string[] = [];
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(request.params.message);
      const content: Record<string, string> = request.params.message === "Your name?" ? { name: "Ada" } : { colour: "red" };
      return { action: "accept", content };
    });
    await client.connect(clientSide);
    const result = await client.callTool({ name: "profile", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "Ada likes red" }]);
    expect(asked).toEqual(["Your name?", "Which colour, Ada?"]);
    expect(calls.map((call) => call.remembered)).toEqual([undefined, undefined, { name: "Ada" }]);
    await client.close();
  });

  it("gets back what it remembered, one question after another", async () => {
    calls.length = 0;
    const client = await connected((message) => (message === "Your name?" ? { name: "Ada" } : { colour: "blue" }));
    const result = await client.callTool({ name: "profile", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "Ada likes blue" }]);
    expect(calls.map((call) => call.remembered)).toEqual([undefined, undefined, { name: "Ada" }]);
    await client.close();
  });

  it("remembers behind an McpServer too (a tool whose input names a header)", async () => {
    calls.length = 0;
    const client = await connected(() => ({ sure: true }));
    const result = await client.callTool({ name: "mirrored", arguments: { region: "eu" } });
    expect(result.content).toEqual([{ type: "text", text: 'remembered {"region":"eu"}' }]);
    await client.close();
  });
});

describe("what a tool remembers", () => {
  /** The state the profile tool hands out after its first answer, for `caller`. */
  async function stateFor(caller = "alice"): Promise<string> {
    const { result } = await rawCall("profile", { arguments: {}, inputResponses: { name: { action: "accept", content: { name: "Ada" } } } }, caller);
    expect(result?.requestState).toMatch(/^v1\./);
    return result!.requestState!;
  }

  it("comes back to the same caller's same call", async () => {
    const { result } = await rawCall("profile", { arguments: {}, requestState: await stateFor(), inputResponses: { colour: { action: "accept", content: { colour: "red" } } } });
    expect(result?.content).toEqual([{ type: "text", text: "Ada likes red" }]);
  });

  it.each([
    ["altered", async (state: string) => ({ tool: "profile", params: { arguments: {}, requestState: state.slice(0, -2) + (state.endsWith("A") ? "BB" : "AA") }, caller: "alice" })],
    ["sent by another caller", async (state: string) => ({ tool: "profile", params: { arguments: {}, requestState: state }, caller: "mallory" })],
    ["sent with another tool", async (state: string) => ({ tool: "drop", params: { arguments: { table: "users" }, requestState: state }, caller: "alice" })],
    ["not one of ours", async () => ({ tool: "profile", params: { arguments: {}, requestState: "v1.eyJwIjp7fX0.AAAA" }, caller: "alice" })],
  ])("is refused, %s, as the SDK refuses state, before the tool runs", async (_case, misuse) => {
    const { tool, params, caller } = await misuse(await stateFor());
    calls.length = 0;
    const answer = await rawCall(tool, params, caller);
    expect(answer.error).toEqual({ code: -32602, message: "Invalid or expired requestState", data: { reason: "invalid_request_state" } });
    expect(calls).toEqual([]);
  });

  it("is refused after ten minutes", async () => {
    const state = await stateFor();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    expect((await rawCall("profile", { arguments: {}, requestState: state })).error?.message).toBe("Invalid or expired requestState");
  });

  it("is bound to the input, not to how its keys were ordered", async () => {
    const asked = await askResult(ask({ a: ask.roots() }, { remember: 1 }), { caller: "c", tool: "t", input: { a: 1, b: { c: 2, d: [3] } } });
    await expect(remembered(asked.requestState!, { caller: "c", tool: "t", input: { b: { d: [3], c: 2 }, a: 1 } })).resolves.toBe(1);
    await expect(remembered(asked.requestState!, { caller: "c", tool: "t", input: { a: 1, b: { c: 2, d: [4] } } })).rejects.toBeInstanceOf(RequestStateRefused);
  });
});

describe("MCP_STATE_SECRET", () => {
  /** ask.ts loaded afresh (its key is read once) with MCP_STATE_SECRET set to `secret`. */
  async function withSecret(secret: string, use: (fresh: typeof import("../../templates/runtime/ask.ts")) => Promise<void>): Promise<void> {
    vi.resetModules();
    const before = process.env.MCP_STATE_SECRET;
    process.env.MCP_STATE_SECRET = secret;
    try {
      await use(await import("../../templates/runtime/ask.ts"));
    } finally {
      process.env.MCP_STATE_SECRET = before;
    }
  }
  const call = { caller: "c", tool: "t", input: {} };

  it("must be 32 bytes or more, or the call that remembers fails saying so", async () => {
    await withSecret("short", async (fresh) => {
      await expect(fresh.askResult(fresh.ask({ a: fresh.ask.roots() }, { remember: 1 }), call)).rejects.toThrow(/MCP_STATE_SECRET must be at least 32 bytes/);
    });
  });

  it("unset, is a key of this process alone, said once in a warning", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      await withSecret("", async (fresh) => {
        const asked = await fresh.askResult(fresh.ask({ a: fresh.ask.roots() }, { remember: 1 }), call);
        expect(await fresh.remembered(asked.requestState!, call)).toBe(1);
        await fresh.askResult(fresh.ask({ a: fresh.ask.roots() }, { remember: 2 }), call);
      });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/MCP_STATE_SECRET is not set/);
    } finally {
      warn.mockRestore();
    }
  });

  it("is needed only by a tool that remembers something", async () => {
    await withSecret("short", async (fresh) => {
      expect(await fresh.askResult(fresh.ask({ a: fresh.ask.roots() }), call)).toEqual({ resultType: "input_required", inputRequests: { a: { method: "roots/list" } } });
    });
  });
});

describe("the handle runtime, when a handler asks", () => {
  const note: HandleKind = { name: "note", prefix: "note", ttlMs: 60_000, createTool: "create_note", lifetime: "1 minute" };

  it("saves nothing for a change that asks", async () => {
    const store = new MemoryStore();
    const made = await createHandle(store, note, "alice", { n: 1 });
    if (!made.ok) throw new Error("setup");
    const before = await store.get(note, "alice", made.handle);
    const changed = await changeHandle(store, [note], note, "alice", made.handle, async () => ask({ confirm: ask.form("Sure?", sure) }));
    expect(changed).toMatchObject({ ok: true, result: { resultType: "input_required" } });
    expect(await store.get(note, "alice", made.handle)).toEqual(before);
  });

  it("ends nothing for an end that asks", async () => {
    const store = new MemoryStore();
    const made = await createHandle(store, note, "alice", { n: 1 });
    if (!made.ok) throw new Error("setup");
    const ended = await endHandle(store, [note], note, "alice", made.handle, async () => ask({ confirm: ask.form("Sure?", sure) }));
    expect(ended).toMatchObject({ ok: true, result: { resultType: "input_required" } });
    expect(await store.get(note, "alice", made.handle)).toMatchObject({ found: true, state: { n: 1 } });
  });
});
