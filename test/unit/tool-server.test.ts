/**
 * The generated servers' ToolTable (templates/runtime/tool-server.ts) against McpServer
 * itself: the same tools registered on both, the same requests sent to both through
 * createMcpHandler, and every answer compared. What a client sees must not change with the
 * faster server.
 */
import { createMcpHandler, McpServer, SdkError, SdkErrorCode, type CallToolResult, type Server } from "@modelcontextprotocol/server";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { convertedOnce } from "../../templates/runtime/schemas.ts";
import { ToolTable, type ToolDefinition } from "../../templates/runtime/tool-server.ts";

const definitions = {
  echo: {
    description: "Say it back.",
    inputSchema: convertedOnce(z.object({ text: z.string().min(1).describe("What to say"), times: z.number().int().positive().optional() })),
    outputSchema: convertedOnce(z.object({ said: z.string() })),
    annotations: { readOnlyHint: true },
  },
  forget_output: {
    description: "Claims an output schema, returns none.",
    inputSchema: convertedOnce(z.object({})),
    outputSchema: convertedOnce(z.object({ n: z.number() })),
  },
  wrong_output: {
    description: "Returns output its schema refuses.",
    inputSchema: convertedOnce(z.object({})),
    outputSchema: convertedOnce(z.object({ n: z.number() })),
  },
  fail: { description: "Throws.", inputSchema: convertedOnce(z.object({})) },
  refuse: { description: "Returns a tool error itself.", inputSchema: convertedOnce(z.object({})), outputSchema: convertedOnce(z.object({ n: z.number() })) },
  locate: {
    description: "Mirrors its region and shard into headers.",
    inputSchema: convertedOnce(z.object({ region: z.string().meta({ "x-mcp-header": "Region" }), shard: z.number().int().optional().meta({ "x-mcp-header": "Shard" }) })),
  },
};

/** How many times `locate` ran: a call refused for its headers must not run it. */
let locateCalls = 0;

const callbacks: Record<keyof typeof definitions, (input: never) => Promise<CallToolResult>> = {
  echo: async ({ text, times }: { text: string; times?: number }) => {
    const said = text.repeat(times ?? 1);
    return { content: [{ type: "text", text: said }], structuredContent: { said } };
  },
  forget_output: async () => ({ content: [{ type: "text", text: "none" }] }),
  wrong_output: async () => ({ content: [{ type: "text", text: "oops" }], structuredContent: { n: "one" } }),
  fail: async () => {
    throw new Error("the database is down");
  },
  refuse: async () => ({ content: [{ type: "text", text: "not today" }], isError: true }),
  locate: async ({ region, shard }: { region: string; shard?: number }) => {
    locateCalls++;
    return { content: [{ type: "text", text: `${region}/${shard ?? "-"}` }] };
  },
};

const table = new ToolTable<undefined>();
// The definitions differ in type per tool; the loop is for the test, not for typing.
for (const [name, definition] of Object.entries(definitions)) table.add(name, definition as ToolDefinition, callbacks[name as keyof typeof definitions] as never);

function viaToolTable(): Server {
  return table.serve({ name: "same", version: "1.0.0" }, undefined, { instructions: "Be kind." });
}

function viaMcpServer(): McpServer {
  const server = new McpServer({ name: "same", version: "1.0.0" }, { instructions: "Be kind." });
  for (const [name, definition] of Object.entries(definitions)) server.registerTool(name, definition as ToolDefinition, callbacks[name as keyof typeof definitions] as never);
  return server;
}

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "test", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

/** A tools/call of `name` with no arguments, as a client sends it; aborting `signal` is the client going away. */
function toolsCall(name: string, signal?: AbortSignal): Request {
  return new Request("http://127.0.0.1/mcp", {
    method: "POST",
    ...(signal && { signal }),
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-method": "tools/call", "mcp-name": name, "mcp-protocol-version": "2026-07-28" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: {}, _meta: META } }),
  });
}

async function ask(handler: ReturnType<typeof createMcpHandler>, method: string, params: Record<string, unknown> = {}, name?: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = {
    ...extra,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-method": method,
    "mcp-protocol-version": "2026-07-28",
    ...(name ? { "mcp-name": name } : {}),
  };
  const response = await handler.fetch(
    new Request("http://127.0.0.1/mcp", { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params: { ...params, _meta: META } }) }),
  );
  return { status: response.status, body: await response.json() };
}

describe("ToolTable answers exactly as McpServer does", () => {
  // As the generated app serves it: the HTTP request goes to the table with the exchange's context.
  const fast = createMcpHandler(({ requestInfo }) => table.serve({ name: "same", version: "1.0.0" }, undefined, { instructions: "Be kind." }, requestInfo));
  const reference = createMcpHandler(viaMcpServer);
  const both = async (method: string, params?: Record<string, unknown>, name?: string, extra?: Record<string, string>) => {
    const [mine, theirs] = await Promise.all([ask(fast, method, params, name, extra), ask(reference, method, params, name, extra)]);
    expect(mine).toEqual(theirs);
    return mine;
  };

  it("lists the same tools, schemas and annotations", async () => {
    const listed = await both("tools/list");
    expect(listed.body.result.tools.map((t: { name: string }) => t.name)).toEqual(Object.keys(definitions));
  });

  it("calls a tool with the same result", async () => {
    const called = await both("tools/call", { name: "echo", arguments: { text: "hi", times: 2 } }, "echo");
    expect(called.body.result.structuredContent).toEqual({ said: "hihi" });
  });

  it.each([
    ["arguments its schema refuses", "echo", { text: "", times: -1 }],
    ["no structured content where an output schema is declared", "forget_output", {}],
    ["structured content its output schema refuses", "wrong_output", {}],
    ["a thrown error", "fail", {}],
    ["a tool error of the tool's own", "refuse", {}],
  ])("turns %s into the same tool error", async (_what, name, args) => {
    const called = await both("tools/call", { name, arguments: args }, name);
    expect(called.body.result.isError).toBe(true);
    expect(called.body.result.content[0].text.length).toBeGreaterThan(3);
  });

  it("refuses an unknown tool with the same protocol error", async () => {
    const called = await both("tools/call", { name: "nope", arguments: {} }, "nope");
    expect(called.body.error.code).toBe(-32602);
  });

  it("calls a tool that mirrors arguments into headers when the headers match them, plain, Base64 or numeric", async () => {
    const matching = await both("tools/call", { name: "locate", arguments: { region: "eu-west", shard: 7 } }, "locate", { "mcp-param-region": "eu-west", "mcp-param-shard": "7" });
    expect(matching.body.result.content[0].text).toBe("eu-west/7");
    const region = "Zürich";
    const encoded = `=?base64?${Buffer.from(region).toString("base64")}?=`;
    const decoded = await both("tools/call", { name: "locate", arguments: { region } }, "locate", { "mcp-param-region": encoded });
    expect(decoded.body.result.content[0].text).toBe("Zürich/-");
  });

  it.each([
    ["a header that disagrees with its argument", { "mcp-param-region": "us-east" }, "locate"],
    ["a missing header", {}, "locate"],
    ["a header that is not valid Base64", { "mcp-param-region": "=?base64?@@?=" }, "locate"],
    ["a disagreeing header, the tool's name sent Base64-encoded", { "mcp-param-region": "us-east" }, `=?base64?${Buffer.from("locate").toString("base64")}?=`],
  ])("refuses a call with %s with the same 400 HeaderMismatch, before the tool runs", async (_what, extra, mcpName) => {
    const before = locateCalls;
    const refused = await both("tools/call", { name: "locate", arguments: { region: "eu-west" } }, mcpName, extra);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe(-32020);
    expect(locateCalls).toBe(before);
  });
});

describe("ToolTable serving each request", () => {
  it("builds an McpServer only for a call of a tool that mirrors arguments into headers", () => {
    const info = { name: "same", version: "1.0.0" };
    expect(table.serve(info, undefined, {}, toolsCall("locate"))).toBeInstanceOf(McpServer);
    expect(table.serve(info, undefined, {}, toolsCall("echo"))).not.toBeInstanceOf(McpServer);
    expect(table.serve(info, undefined, {}, undefined)).not.toBeInstanceOf(McpServer);
    const listing = new Request("http://127.0.0.1/mcp", { method: "POST", headers: { "mcp-method": "tools/list", "mcp-name": "locate" } });
    expect(table.serve(info, undefined, {}, listing)).not.toBeInstanceOf(McpServer);
  });

  it("hands every call its own request's context, from one table", async () => {
    const whoAmI = new ToolTable<{ caller: string }>().add(
      "who",
      { description: "Who is asking.", inputSchema: convertedOnce(z.object({})) },
      async (_input, { caller }) => ({ content: [{ type: "text", text: caller }] }),
    );
    const handler = createMcpHandler(({ authInfo }) => whoAmI.serve({ name: "who", version: "1.0.0" }, { caller: authInfo?.clientId ?? "nobody" }));
    const asked = (clientId: string) =>
      handler
        .fetch(toolsCall("who"), { authInfo: { token: clientId, clientId, scopes: [] } })
        .then((response) => response.json())
        .then((body: { result: { content: Array<{ text: string }> } }) => body.result.content[0]!.text);
    expect(await Promise.all([asked("alice"), asked("bob"), asked("alice")])).toEqual(["alice", "bob", "alice"]);
  });

  it("hands a call the signal that aborts when its client goes away", async () => {
    let seen: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = new ToolTable<undefined>().add("slow", { description: "Waits for its caller to go.", inputSchema: convertedOnce(z.object({})) }, (_input, _context, { signal }) => {
      seen = signal;
      started();
      return new Promise((resolve) => signal.addEventListener("abort", () => resolve({ content: [] })));
    });
    const handler = createMcpHandler(() => slow.serve({ name: "slow", version: "1.0.0" }, undefined));
    const client = new AbortController();
    const answered = handler.fetch(toolsCall("slow", client.signal));
    await running;
    expect(seen?.aborted).toBe(false);
    client.abort();
    await answered.catch(() => undefined);
    expect(seen?.aborted).toBe(true);
  });
});

describe("ToolTable reporting progress", () => {
  const counting = new ToolTable<undefined>().add(
    "count",
    { description: "Counts to three, telling how far it got.", inputSchema: convertedOnce(z.object({})) },
    async (_input, _context, { progress }) => {
      for (let done = 1; done <= 3; done++) await progress(done, 3, `counted ${done}`);
      return { content: [{ type: "text", text: "three" }] };
    },
  );
  const handler = createMcpHandler(() => counting.serve({ name: "count", version: "1.0.0" }, undefined));
  const connected = async () => {
    const client = new Client({ name: "test", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    await client.connect(new StreamableHTTPClientTransport(new URL("http://127.0.0.1/mcp"), { fetch: (url, init) => handler.fetch(new Request(url, init)) }));
    return client;
  };

  it("sends the caller each step when it asked for progress, then the result", async () => {
    const client = await connected();
    const steps: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await client.callTool({ name: "count", arguments: {} }, { onprogress: (step) => steps.push(step) });
    expect(result.content).toEqual([{ type: "text", text: "three" }]);
    expect(steps).toEqual([1, 2, 3].map((done) => ({ progress: done, total: 3, message: `counted ${done}` })));
    await client.close();
  });

  it("sends nothing but the result when the caller did not ask", async () => {
    const client = await connected();
    const result = await client.callTool({ name: "count", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "three" }]);
    await client.close();
    // Nothing went before the result: the answer is one JSON body, not a stream of messages.
    const answer = await handler.fetch(toolsCall("count"));
    expect(answer.headers.get("content-type")).toContain("application/json");
    expect((await answer.json()).result.content).toEqual([{ type: "text", text: "three" }]);
  });
});

describe("ToolTable closing an exchange", () => {
  it("ends what still waits with the SDK's own Connection closed error, built without a stack", async () => {
    let reason: unknown;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const handler = createMcpHandler(() => {
      const server = new ToolTable<undefined>().serve({ name: "slow", version: "1.0.0" }, undefined);
      // A call still being served when the client goes away: it sees the close as an abort.
      server.setRequestHandler("tools/call", (_request, ctx) => {
        const { signal } = ctx.mcpReq;
        started();
        return new Promise((resolve) => signal.addEventListener("abort", () => resolve((reason = signal.reason, { content: [] }))));
      });
      return server;
    });
    const client = new AbortController();
    const limit = Error.stackTraceLimit;
    const answered = handler.fetch(toolsCall("wait", client.signal));
    await running;
    client.abort();
    await answered.catch(() => undefined);
    expect(reason).toBeInstanceOf(SdkError);
    expect((reason as SdkError).code).toBe(SdkErrorCode.ConnectionClosed);
    expect((reason as SdkError).stack).toBe("SdkError: Connection closed");
    // The limit is put back: errors made after the close have their stacks again.
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("after").stack).toContain("tool-server.test.ts");
  });
});
