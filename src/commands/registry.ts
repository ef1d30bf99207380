/**
 * What each command is called, what it accepts and its help text — kept apart from the
 * command bodies so `--help` and flag errors never load them (or their heavy imports).
 */
import type { ParseArgsOptionsConfig } from "node:util";

export interface CommandInfo {
  name: string;
  summary: string;
  help: string;
  options: ParseArgsOptionsConfig;
  /** The most positional arguments accepted. */
  maxPositionals: number;
  load: () => Promise<{ default: (values: Record<string, unknown>, positionals: string[]) => Promise<number> }>;
}

export const COMMANDS: CommandInfo[] = [
  {
    name: "create",
    summary: "Create a new stateless MCP server project (what `npm create mcp-stateless` runs)",
    help: `Usage: npm create mcp-stateless [dir] [options]
       mcp-stateless create [dir] [options]

Creates a project from a template (a spec and its handlers; everything else comes from
\`generate\`), installs it and makes a first git commit. On a terminal it asks for what the
flags leave open; without one (CI, pipes, agents) it takes the defaults and never waits.

Options:
  --template <name>     basket (default) | database | blank
  --store <name>        sqlite (default) | memory
  --transport <name>    both (default) | http | stdio
  --pm <name>           npm | pnpm | yarn | bun (default: the one running this, else npm)
  --name <package>      package and server name (default: the folder's name)
  --no-git              do not initialise a git repository
  --no-install          do not install dependencies
  --overwrite           create in a non-empty folder, replacing its contents (not its .git)
  -y, --yes             ask nothing; take the defaults for what the flags leave open
  -h, --help            show this help

Started from a packed tarball (npm exec --package ./create-mcp-stateless-X.tgz), the new project
depends on that tarball instead of the published version; MCP_STATELESS_SELF=<npm spec> sets it.

Exit codes: 0 created, 1 created but the install failed, 2 bad flags or folder, 130 cancelled.`,
    options: {
      template: { type: "string" },
      store: { type: "string" },
      transport: { type: "string" },
      pm: { type: "string" },
      name: { type: "string" },
      "no-git": { type: "boolean" },
      "no-install": { type: "boolean" },
      overwrite: { type: "boolean" },
      yes: { type: "boolean", short: "y" },
    },
    maxPositionals: 1,
    load: () => import("./create.ts"),
  },
  {
    name: "add",
    summary: "Add a tool or a handle kind to an existing project",
    help: `Usage: mcp-stateless add tool <name> [--creates <kind> | --uses <kind> | --destroys <kind>] [--description <text>] [--scope <scope>]…
       mcp-stateless add handle <kind> [--prefix <p>] [--ttl 30m] [--description <text>]

In a project with mcp.spec.ts, the entry is inserted into the spec (in the file's own
formatting, comments untouched) and \`generate\` writes the handler stub and test stub.
A new handle kind comes with its create_<kind> tool, since a kind nothing creates is invalid.

In a plain SDK v2 server (no spec), \`add tool\` writes src/tools/<name>.ts with a register
function, calls it from the factory that builds the McpServer, and writes a test. With
--creates/--uses/--destroys it also writes the handle runtime to src/handles/ (once) and
keeps the server's handle kinds in src/handles/kinds.ts. A kind that \`migrate\` left in a
HandleMap is used as it is: the tool is handed that map (--uses, --destroys).

On a terminal it asks for what is missing; otherwise the name and --description are required.

Options:
  --creates|--uses|--destroys <kind>   the tool makes, works on, or ends a handle of <kind>
  --description <text>   what the tool does, or what a handle stands for
  --prefix <p>           a new kind's handle prefix (default: the kind's first four letters)
  --ttl <duration>       a new kind's handle lifetime, like 90s, 30m, 12h, 7d (default 30m)
  --scope <scope>        an OAuth scope a token must grant to call the tool (repeat, or
                         space-separate, for several); projects with a spec only
  --dir <project>        the project folder (default: the current folder)
  --spec <file>          the spec file (default: mcp.spec.ts)
  --entry <file>         plain servers: the file that builds the McpServer
  --factory <name>       plain servers: the function that builds it, when a file has several
  --force                plain servers: overwrite files that differ
  -h, --help             show this help

Exit codes: 0 added, 2 refused (nothing written).`,
    options: {
      creates: { type: "string" },
      uses: { type: "string" },
      destroys: { type: "string" },
      description: { type: "string" },
      prefix: { type: "string" },
      ttl: { type: "string" },
      scope: { type: "string", multiple: true },
      dir: { type: "string" },
      spec: { type: "string" },
      entry: { type: "string" },
      factory: { type: "string" },
      force: { type: "boolean" },
    },
    maxPositionals: 2,
    load: () => import("./add.ts"),
  },
  {
    name: "check",
    summary: "Prove a codebase, or a running server, is stateless",
    help: `Usage: mcp-stateless check [paths…] [--dir <project>] [--json]
       mcp-stateless check --url <url> [--url <url2> …] [--token <t>] [--token-b <t2>] [--header "name: value" …] [--allow-writes] [--json]

Static (default: the current folder, or --dir's): reports every session reliance left in the code —
per-session transports, resumable streams, state keyed by session or kept by a server factory
for its tools, "current X" pointers,
lists changed by calls or by registrations made late, pushes tied to a session, auth or telemetry keyed by session, sticky
routing, entries that serve only the 2025-era protocol (one stateless transport for every request
too), a createMcpHandler factory returning one shared server, handlers for messages 2026-07-28
removed (the handshake, resource subscriptions), tools that ask the client mid-call, CORS
allow-lists without the headers a 2026-07-28 client sends, Cloudflare agents' McpAgent (a Durable
Object per session) and its SDK v1 createMcpHandler(server), Next.js routes on mcp-handler 1.x,
FastMCP, mcp-framework and @rekog/mcp-nest 1.x servers (no 2026-07-28 at all), express-mcp-handler
routes, Smithery SDK 1.x servers — and the markers
\`migrate --insert-todos\` left, each with file:line:col and what to do. In a project with
mcp.spec.ts, stale generated output is a finding too.

Live (--url): drives running servers with the official MCP client and reports each check as
pass, fail or skipped with its evidence: no Mcp-Session-Id, GET/DELETE 405, tools/list stable
(across requests, URLs and creates, asked past the client's cache), a list offered to every
caller's cache (cacheScope "public") the same for a second principal, handles usable on every
URL, unknown and foreign handles refused alike, descriptions and lifetimes stated, a browser's
CORS preflight allowed, Mcp-Param headers included (when the server answers CORS), a call
whose Mcp-Param header disagrees with the argument it mirrors (x-mcp-header) refused before
it runs, and, for a server that wants OAuth tokens, a 401 that leads a client to its Protected
Resource Metadata (RFC 9728), for this URL, naming an authorization server. It calls only
tools annotated as not destructive, unless --allow-writes, and never more than a fixed number
of tools.

Options:
  --json              machine-readable report
  --dir <project>     the project to check: its code (unless paths are given) and its generated
                      output (default: the current folder)
  --url <url>         a server's MCP endpoint; give several to check they agree
  --token <t>         bearer token for requests (principal A)
  --token-b <t>       a second principal's token, to check handles are not shared
  --header <h>        "name: value" sent with every request (an API key the server asks for);
                      give it again for another header
  --allow-writes      also call tools that may change things
  -h, --help          show this help

Exit codes: 0 nothing found (all live checks pass), 1 findings or failures, 2 usage errors.`,
    options: {
      json: { type: "boolean" },
      dir: { type: "string" },
      url: { type: "string", multiple: true },
      token: { type: "string" },
      "token-b": { type: "string" },
      header: { type: "string", multiple: true },
      "allow-writes": { type: "boolean" },
    },
    maxPositionals: Infinity,
    load: () => import("./check.ts"),
  },
  {
    name: "migrate",
    summary: "Rewrite session-reliant server code towards sessionless code, and report the rest",
    help: `Usage: mcp-stateless migrate [paths…] [--dry-run] [--json] [--insert-todos] [--rules a,b] [--force]

Finds every session reliance (the same rules as \`check\`), rewrites what can be rewritten without
guessing as minimal text edits, and reports everything else with file:line:col, the reason and what
to do. Files still on SDK v1 go through the official codemod (@modelcontextprotocol/codemod) first.
Every file is processed before any is written; a file that fails is reported (ERR) and left as it was.

Rewrites: per-session transports (the legacy SSE transport too) → one createMcpHandler (GET/DELETE
405), a server made once for all of them (or returned by its factory) → a factory it calls per
request; event stores removed;
a Map or record keyed by the session id → a create_<kind> tool returning a handle, a <kind>_id on
each tool that used it, the state kept per handle (owner, expiry) by handle-map.ts written beside
the file; state a per-session server factory kept for its tools → the same; a store's key made
from the session id (\`cart:\${sessionId}\`) → the same handle, signed (set MCP_HANDLE_SECRET on
every instance), the state left in the store; a "current X" string pointer → a parameter of each
tool that read it; tools enabled or disabled around that state → always listed; telemetry keyed on
the session → keyed on the caller; a session → AuthInfo map → ctx.http?.authInfo; logging aimed at
a session → ctx.mcpReq.log; entries that serve only the 2025 era (a transport per request,
server.connect(StdioServerTransport), one stateless transport for every request, @hono/mcp's,
express-mcp-handler's statelessHandler)
→ createMcpHandler or serveStdio, which serve 2026-07-28 too; agents' createMcpHandler(server)
(agents/mcp) → createMcpHandler(() => …) from agents/mcp/server, its session options dropped;
mcp-handler 1.x's createMcpHandler(init, serverOptions, config) → 2.x's (init, options); CORS
allow-lists → the headers a 2026-07-28 client sends added; package.json → the v2 packages and
zod 4 (the v1 SDK kept while a file still imports it). Timers pushing after a request, other per-session
records of the caller, sticky routing, handlers for removed messages, tools that ask the client
mid-call, McpAgent classes (left on SDK v1, as agents needs, with the v1 modules they import),
FastMCP, mcp-framework, @rekog/mcp-nest 1.x and Smithery SDK 1.x servers (a package on the last
three keeps SDK v1) and express-mcp-handler's session handlers are reported with what to do (in
their files, everything else waits for them).

Options:
  --dry-run         write nothing; print a unified diff per file
  --json            machine-readable report
  --insert-todos    put each finding in the code as a marker comment on its own line (never twice)
  --rules a,b       only these rules
  --force           rewrite files even when they have uncommitted changes
  -h, --help        show this help

Exit codes: 0 everything migrated, 1 findings remain or a file failed, 2 usage errors.`,
    options: {
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      "insert-todos": { type: "boolean" },
      rules: { type: "string" },
      force: { type: "boolean" },
    },
    maxPositionals: Infinity,
    load: () => import("./migrate.ts"),
  },
  {
    name: "generate",
    summary: "Generate server code, JSON Schemas and tests from mcp.spec.ts",
    help: `Usage: mcp-stateless generate [--check] [--spec <file>] [--dir <project>] [--quiet]

Reads the project's typed spec and writes:
  src/generated/**         tool registration, handle types, handle runtime and stores (rewritten each time)
  src/handlers/<tool>.ts   a typed stub per tool (written once, never overwritten)
  src/http.ts, stdio.ts, fetch.ts, package.json, tsconfig.json   (written once when missing)
  schemas/*.json           JSON Schema 2020-12 of every tool's input and output, and tools.json
  test/generated/*.test.ts vitest tests of the stateless contract
Packages the generated code needs that package.json does not list are named, with the
command that adds them; package.json itself is never rewritten.

Options:
  --check          write nothing; exit 1 naming the stale files, or packages missing from package.json
  --spec <file>    the spec file (default: mcp.spec.ts)
  --dir <project>  the project folder (default: the current folder)
  --quiet          print nothing on success
  -h, --help       show this help

Exit codes: 0 done (or up to date), 1 stale output or missing packages (--check), 2 a problem with the spec or the flags.`,
    options: {
      check: { type: "boolean" },
      spec: { type: "string" },
      dir: { type: "string" },
      quiet: { type: "boolean" },
    },
    maxPositionals: 0,
    load: () => import("./generate.ts"),
  },
];
