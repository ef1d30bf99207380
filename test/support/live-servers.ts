/**
 * Small servers on loopback for the live check's tests: one that behaves statelessly, and
 * variants that each break exactly one promise.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { acceptedContent, createMcpHandler, inputRequired, McpServer, Server as LowLevelServer, type Tool } from "@modelcontextprotocol/server";
import { z } from "zod";

export type Breakage = "mints-session" | "list-varies" | "list-per-capability" | "foreign-handles" | "get-stream" | "public-list-per-caller" | "session-cors";

type Notes = Map<string, { owner: string; text: string }>;

const CONFIRM = z.object({ ok: z.boolean() });

/**
 * Starts one server; `notes` can be shared to make several instances of one deployment.
 * `declareOutput: false` leaves create_note without an output schema (it still returns note_id).
 * `catalog: true` adds find_song and get_song: ids of data every caller may read, no handles.
 * `codedRead: true` makes read_note ask for a code no example can be guessed for (a bare pattern);
 * `deletable: true` adds delete_note, which ends a note. `confirmCreate: true` makes create_note
 * ask its user first (2026-07-28's multi round-trip requests), as a tool with a cost would.
 */
export async function startNotesServer(
  breakage?: Breakage,
  notes: Notes = new Map(),
  { declareOutput = true, catalog = false, codedRead = false, deletable = false, confirmCreate = false } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  let created = false;
  // Whether the request being served came from a client that can be asked for a form (check sends one at a time).
  let askable = false;
  const handler = createMcpHandler(({ authInfo }) => {
    const owner = authInfo?.clientId ?? "anonymous";
    // Its list is the same for every caller, so it says any cache may share it for a minute.
    const server = new McpServer({ name: "notes", version: "1.0.0" }, { cacheHints: { "tools/list": { ttlMs: 60_000, cacheScope: "public" } } });
    server.registerTool(
      "create_note",
      {
        description: "Start a note. Returns note_id, a handle that expires 10 minutes after it is created.",
        inputSchema: z.object({ text: z.string() }),
        ...(declareOutput && { outputSchema: z.object({ note_id: z.string() }) }),
        annotations: { destructiveHint: false },
      },
      async ({ text }, ctx) => {
        if (confirmCreate && acceptedContent(ctx.mcpReq.inputResponses, "confirm", CONFIRM)?.ok !== true) {
          return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: "Create the note?", requestedSchema: CONFIRM }) } });
        }
        const note_id = `note_${crypto.randomUUID().replaceAll("-", "")}`;
        notes.set(note_id, { owner, text });
        created = true;
        return { content: [{ type: "text", text: note_id }], structuredContent: { note_id } };
      },
    );
    server.registerTool(
      "read_note",
      {
        description: "Read a note by its note_id.",
        inputSchema: codedRead ? z.object({ note_id: z.string(), code: z.string().regex(/^[A-Z]{3}$/) }) : z.object({ note_id: z.string() }),
        annotations: { readOnlyHint: true },
      },
      async ({ note_id }) => {
        const note = notes.get(note_id);
        if (!note || (note.owner !== owner && breakage !== "foreign-handles")) return unknownNote(note_id);
        return { content: [{ type: "text", text: note.text }] };
      },
    );
    if (deletable) {
      server.registerTool(
        "delete_note",
        { description: "End a note.", inputSchema: z.object({ note_id: z.string() }), annotations: { destructiveHint: true } },
        async ({ note_id }) => {
          const note = notes.get(note_id);
          if (!note || note.owner !== owner) return unknownNote(note_id);
          notes.delete(note_id);
          return { content: [{ type: "text", text: "deleted" }] };
        },
      );
    }
    if (catalog) {
      const songs = new Map([["song_1", "Blue in Green"]]);
      const readOnly = { readOnlyHint: true };
      server.registerTool(
        "find_song",
        { description: "Find a song by its title.", inputSchema: z.object({ title: z.string() }), outputSchema: z.object({ song_id: z.string() }), annotations: readOnly },
        async () => ({ content: [{ type: "text", text: "song_1" }], structuredContent: { song_id: "song_1" } }),
      );
      server.registerTool("get_song", { description: "A song's title.", inputSchema: z.object({ song_id: z.string() }), annotations: readOnly }, async ({ song_id }) => {
        const title = songs.get(song_id);
        return title ? { content: [{ type: "text", text: title }] } : { content: [{ type: "text", text: `song ${song_id} not found` }], isError: true };
      });
    }
    if (breakage === "public-list-per-caller" && owner === "bob") {
      server.registerTool("bobs_notes", { description: "Only bob is offered this." }, async () => ({ content: [] }));
    }
    if (breakage === "list-per-capability" && askable) {
      server.registerTool("confirm_note", { description: "Offered only to clients that can show a form." }, async () => ({ content: [] }));
    }
    if (breakage === "list-varies" && created) {
      server.registerTool("share_note", { description: "Appears once a note exists." }, async () => ({ content: [] }));
    }
    return server;
  });

  const fetchLike = {
    async fetch(request: Request): Promise<Response> {
      // CORS for web pages of other origins; "session-cors" keeps an allow-list written for sessions.
      if (request.method === "OPTIONS") {
        const allowed = breakage === "session-cors" ? "content-type, mcp-session-id, authorization" : "content-type, mcp-protocol-version, mcp-method, mcp-name, authorization";
        return new Response(null, { status: 204, headers: { "access-control-allow-origin": "*", "access-control-allow-methods": "POST", "access-control-allow-headers": allowed } });
      }
      if (breakage === "get-stream" && request.method === "GET") {
        return new Response(": stream\n\n", { status: 200, headers: { "content-type": "text/event-stream" } });
      }
      if (breakage === "list-per-capability" && request.method === "POST") {
        const message = (await request.clone().json()) as { params?: { _meta?: Record<string, { elicitation?: unknown } | undefined> } };
        askable = message.params?._meta?.["io.modelcontextprotocol/clientCapabilities"]?.elicitation !== undefined;
      }
      const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
      const response = await handler.fetch(request, token ? { authInfo: { token, clientId: token, scopes: [] } } : undefined);
      if (breakage !== "mints-session") return response;
      const headers = new Headers(response.headers);
      headers.set("mcp-session-id", "session-1234");
      return new Response(response.body, { status: response.status, headers });
    },
  };
  const node = toNodeHandler(fetchLike as never);
  const server: Server = createServer((req, res) => void node(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await handler.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function unknownNote(id: string) {
  return { content: [{ type: "text" as const, text: `note ${id} is unknown or has ended. Call create_note.` }], isError: true };
}

/**
 * A server with one tool that mirrors its `region` argument into an `Mcp-Param-Region` header.
 * `checked: true` serves it with McpServer, which refuses a call whose header disagrees with the
 * argument; `checked: false` with a low-level Server, which does not look. `calls` counts runs.
 * `corsAllows`, when given, is the request headers its CORS preflight allows.
 */
export async function startRegionServer({ checked, corsAllows }: { checked: boolean; corsAllows?: string }): Promise<{ url: string; calls(): number; close(): Promise<void> }> {
  let calls = 0;
  const inputSchema = z.object({ region: z.string().meta({ "x-mcp-header": "Region" }), query: z.string() });
  const description = "Look a name up in one region's directory.";
  const run = (region: string) => {
    calls++;
    return { content: [{ type: "text" as const, text: `nothing in ${region}` }] };
  };
  const handler = createMcpHandler(() => {
    if (checked) {
      const server = new McpServer({ name: "regions", version: "1.0.0" });
      server.registerTool("lookup_region", { description, inputSchema, annotations: { readOnlyHint: true } }, async ({ region }) => run(region));
      return server;
    }
    const server = new LowLevelServer({ name: "regions", version: "1.0.0" }, { capabilities: { tools: {} } });
    const listed = { name: "lookup_region", description, inputSchema: z.toJSONSchema(inputSchema, { io: "input" }) as Tool["inputSchema"], annotations: { readOnlyHint: true } };
    server.setRequestHandler("tools/list", () => ({ tools: [listed] }));
    server.setRequestHandler("tools/call", (request) => run(String(request.params.arguments?.region)));
    return server;
  });
  const fetchLike = {
    fetch: (request: Request) =>
      corsAllows !== undefined && request.method === "OPTIONS"
        ? new Response(null, { status: 204, headers: { "access-control-allow-origin": "*", "access-control-allow-methods": "POST", "access-control-allow-headers": corsAllows } })
        : handler.fetch(request),
  };
  const server: Server = createServer(toNodeHandler(fetchLike as never));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls: () => calls,
    close: async () => {
      await handler.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
