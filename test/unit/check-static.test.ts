/**
 * The static check's rules against fixtures: each positive file marks the lines it must
 * report with `// expect: <rule>`, and nothing else may be reported; each negative file —
 * stateless code that looks alike — must give nothing. A generated project is clean.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { analyzeText, RULES } from "../../src/analysis/analyze.ts";
import { removeProject, repoRoot, runCli, scratchProject } from "../support/project.ts";

const fixtures = path.join(repoRoot, "test/fixtures/check");
const ruleIds = RULES.map((r) => r.id);

describe.each(ruleIds)("rule %s", (rule) => {
  it("reports exactly the marked lines of its positive fixture", () => {
    const text = readFileSync(path.join(fixtures, "positive", `${rule}.ts`), "utf8");
    const expected = text.split("\n").flatMap((line, i) => [...line.matchAll(/expect: ([\w-]+)/g)].map((m) => `${i + 1} ${m[1]}`));
    expect(expected.length).toBeGreaterThan(0);
    const { findings, error } = analyzeText(`${rule}.ts`, text);
    expect(error).toBeUndefined();
    expect(findings.map((f) => `${f.line} ${f.rule}`)).toEqual(expected);
    for (const finding of findings) expect(finding.fix.length).toBeGreaterThan(10);
  });

  it("reports nothing in its negative fixture", () => {
    const text = readFileSync(path.join(fixtures, "negative", `${rule}.ts`), "utf8");
    expect(analyzeText(`${rule}.ts`, text)).toEqual({ findings: [] });
  });
});

describe("session-state outside MCP code", () => {
  it("leaves a web or analytics session alone, and still finds a tool's context handed to a helper", () => {
    const analytics = `const views = new Map<string, string[]>();\nexport function record(view: { sessionId: string; path: string }) {\n  views.set(view.sessionId, [view.path]);\n}\n`;
    expect(analyzeText("analytics.ts", analytics)).toEqual({ findings: [] });
    const helper = `const carts = new Map<string, string[]>();\nexport function cartFor(extra: { sessionId?: string }) {\n  return carts.get(extra.sessionId!) ?? [];\n}\n`;
    expect(analyzeText("carts.ts", helper).findings.map((f) => `${f.line} ${f.rule}`)).toEqual(["3 session-state"]);
  });

  it("leaves a parameter or variable typed with the project's own type alone, and still finds one typed as the SDK's", () => {
    // A telemetry id per process forwarded to the project's own API, as a published server does.
    const body = `  const headers: Record<string, string> = {};\n  if (context.sessionId) headers["mcp-session-id"] = context.sessionId;\n  return headers;\n}\n`;
    const own = `import type { ClientContext } from "./types.js";\nexport function apiHeaders(context: ClientContext) {\n${body}`;
    expect(analyzeText("api.ts", own)).toEqual({ findings: [] });
    const local = `interface ClientContext { sessionId?: string }\nexport function apiHeaders(context: ClientContext) {\n${body}`;
    expect(analyzeText("api.ts", local)).toEqual({ findings: [] });
    // A logger's own context held in a variable, as a published server's structured logger keeps it.
    const logger = `interface LogContext { sessionId?: string }\nlet globalContext: LogContext = {};\nexport function metadata() {\n  return { sessionId: globalContext.sessionId };\n}\n`;
    expect(analyzeText("logger.ts", logger)).toEqual({ findings: [] });
    expect(analyzeText("logger.ts", logger.replace("let globalContext: LogContext = {};", "let globalContext: any = {};")).findings.map((f) => `${f.line} ${f.rule}`)).toEqual(["4 session-state"]);
    const rules = (text: string) => analyzeText("api.ts", text).findings.map((f) => `${f.line} ${f.rule}`);
    // The SDK's context by its own name, or a project's alias of it by an SDK-like name: the session's id.
    expect(rules(`import type { RequestHandlerExtra } from "./types.js";\nexport function apiHeaders(context: RequestHandlerExtra) {\n${body}`)).toEqual(["4 session-state", "4 session-state"]);
    expect(rules(`interface ClientContext extends Base { sessionId?: string }\nexport function apiHeaders(context: ClientContext) {\n${body}`)).toEqual(["4 session-state", "4 session-state"]);
    // A server's own response headers are routing, MCP code or not.
    expect(rules(`export function reply(res: any, id: string) {\n  res.headers["mcp-session-id"] = id;\n}\n`)).toEqual(["2 transport-routing"]);
  });
});

describe("finding messages", () => {
  it("quote code written over lines on one line", () => {
    const text = `import { McpServer } from "@modelcontextprotocol/server";\nexport function nudge(server: McpServer) {\n  void server.server\n    .elicitInput({ message: "Sign in?", requestedSchema: { type: "object", properties: {} } })\n    .catch(() => {});\n}\n`;
    const [finding] = analyzeText("nudge.ts", text).findings;
    expect(finding?.message).toMatch(/^server\.server\.elicitInput\(…\) asks the client/);
  });
});

describe("the session id read from the Mcp-Session-Id header", () => {
  const rules = (line: string) => {
    const text = `import { McpServer } from "@modelcontextprotocol/server";\nconst carts = new Map<string, string[]>();\nexport function tool(extra: any, ctx: any, req: any) {\n  ${line}\n}\n`;
    return analyzeText("server.ts", text).findings.map((f) => `${f.rule}: ${f.message}`);
  };

  it("is the session id when read off a handler's context, in either SDK's shape, and a fallback to X.sessionId is reported once", () => {
    expect(rules(`carts.get(ctx.http?.req?.headers.get("mcp-session-id") ?? "");`)).toEqual([`session-state: ctx.http?.req?.headers.get("mcp-session-id") ties state to the client's session`]);
    expect(rules(`carts.get(extra.requestInfo?.headers["Mcp-Session-Id"] as string);`)).toEqual([`session-state: extra.requestInfo?.headers["Mcp-Session-Id"] ties state to the client's session`]);
    expect(rules(`carts.get(extra.sessionId || (extra.requestInfo?.headers["mcp-session-id"] as string));`)).toEqual(["session-state: extra.sessionId ties state to the client's session"]);
  });

  it("is routing when read off the request itself", () => {
    expect(rules(`carts.get(req.headers["mcp-session-id"]);`)).toEqual(["transport-routing: reads or writes the Mcp-Session-Id header"]);
    // Koa names its request context ctx: its own headers are the request's.
    expect(rules(`carts.get(ctx.headers["mcp-session-id"]);`)).toEqual(["transport-routing: reads or writes the Mcp-Session-Id header"]);
  });
});

describe("session-telemetry outside MCP code", () => {
  it("leaves a web session's counts alone, and still finds a tool's context handed to a helper", () => {
    const web = `declare const metrics: { increment(name: string, tags: object): void };\nexport function onPage(req: { cookies: { sessionId: string } }) {\n  const sessionId = req.cookies.sessionId;\n  metrics.increment("page", { sessionId });\n}\n`;
    expect(analyzeText("pages.ts", web)).toEqual({ findings: [] });
    const helper = `declare const limiter: { consume(key: string): Promise<void> };\nexport async function limit(ctx: { sessionId?: string }) {\n  await limiter.consume(\`calls:\${ctx.sessionId}\`);\n}\n`;
    expect(analyzeText("limits.ts", helper).findings.map((f) => `${f.line} ${f.rule}`)).toEqual(["3 session-telemetry"]);
  });
});

describe("Cloudflare's agents", () => {
  const messages = (text: string) => analyzeText("worker.ts", text).findings.map((f) => `${f.line} ${f.rule}: ${f.message}`);

  it("names what an McpAgent keeps per session, or says it keeps a Durable Object per session all the same", () => {
    const found = messages(readFileSync(path.join(fixtures, "positive/mcp-agent.ts"), "utf8"));
    expect(found[0]).toMatch(/^9 mcp-agent: McpAgent keeps this\.state per MCP session, in that session's Durable Object; 2026-07-28 has no sessions/);
    expect(found[1]).toMatch(/^22 mcp-agent: McpAgent serves each MCP session from a Durable Object of its own;/);
    const stored = `import { McpAgent as Base } from "agents/mcp";\nexport class Notes extends Base {\n  server = undefined as never;\n  last = "";\n  async init() {\n    this.sql\`SELECT 1\`;\n    await this.ctx.storage.put("k", 1);\n    this.last = "x";\n  }\n}\n`;
    expect(messages(stored)).toEqual(["2 mcp-agent: McpAgent keeps this.sql, this.ctx.storage, this.last per MCP session, in that session's Durable Object; 2026-07-28 has no sessions, and agents has frozen McpAgent (which takes an SDK v1 server) for createMcpHandler from agents/mcp/server"]);
  });

  it("reports an import from agents/mcp that loads SDK v1 for nothing, and a v1 handler beside an McpAgent", () => {
    const helper = `import { getMcpAuthContext } from "agents/mcp";\nexport const team = () => getMcpAuthContext()?.props.team;\n`;
    expect(messages(helper)).toEqual(["1 agents-handler: agents/mcp loads SDK v1 (for McpAgent), which a project on SDK v2 does not have; agents/mcp/server exports createMcpHandler and getMcpAuthContext without it"]);
    const factory = `import { createMcpHandler } from "agents/mcp";\nimport { createServer } from "./server.js";\nexport default { fetch: createMcpHandler(createServer) };\n`;
    expect(messages(factory)).toEqual([expect.stringMatching(/^1 agents-handler: agents\/mcp loads SDK v1/)]);
    const beside = `import { createMcpHandler, McpAgent } from "agents/mcp";\nimport { server } from "./server.js";\nexport class A extends McpAgent {}\nexport const legacy = createMcpHandler(server);\n`;
    expect(messages(beside).map((m) => m.split(":")[0])).toEqual(["3 mcp-agent", "4 agents-handler"]);
  });
});

describe("FastMCP", () => {
  it("says a server started stateless still serves only the handshake-based protocol, and takes its sessions for MCP ones", () => {
    const text = [
      `import { FastMCP } from "fastmcp";`,
      `const counts = new Map<string, number>();`,
      `const server = new FastMCP({ name: "counter", version: "1.0.0" });`,
      `server.addTool({ name: "count", execute: async (_args, context) => {`,
      `  const n = (counts.get(context.sessionId!) ?? 0) + 1;`,
      `  counts.set(context.sessionId!, n);`,
      `  return String(n);`,
      `} });`,
      `server.start({ transportType: "httpStream", httpStream: { port: 8080, stateless: true } });`,
      ``,
    ].join("\n");
    const found = analyzeText("server.ts", text).findings.map((f) => `${f.line} ${f.rule}: ${f.message}`);
    expect(found[0]).toBe("3 fastmcp: FastMCP serves only the handshake-based protocol (2025-11-25 and earlier, SDK v1); 2026-07-28 clients get none of it");
    expect(found.slice(1).map((f) => f.split(":")[0])).toEqual(["5 session-state", "6 session-state"]);
    expect(analyzeText("server.ts", text.replace(", stateless: true", "")).findings[0]!.message).toContain("with a session per client over HTTP (it is not started stateless)");
  });
});

describe("mcp-framework", () => {
  const messages = (text: string) => analyzeText("index.ts", text).findings.map((f) => `${f.line} ${f.rule}: ${f.message}`);
  const server = (options: string, serve: string) => [`import { MCPServer as Server } from "mcp-framework";`, `const server = new Server(${options});`, serve, ``].join("\n");

  it("says a server that start()s over HTTP keeps a session per client, and one served per request or on stdio does not", () => {
    expect(messages(server(`{ transport: { type: "http-stream", options: { port: 8080 } } }`, `await server.start();`))).toEqual([
      "2 mcp-framework: mcp-framework serves only the handshake-based protocol (2025-11-25 and earlier, on SDK v1), with a session per client over HTTP (start() on its http-stream or sse transport keeps each client's transport in this process); 2026-07-28 clients get none of it",
    ]);
    expect(messages(server(`{ transport: { type: "sse" } }`, `server.start();`))[0]).toContain("with a session per client");
    const stdio = "2 mcp-framework: mcp-framework serves only the handshake-based protocol (2025-11-25 and earlier, on SDK v1); 2026-07-28 clients get none of it";
    expect(messages(server(`{ name: "notes" }`, `await server.start();`))).toEqual([stdio]);
    expect(messages(server(`{ transport: { type: "http-stream" } }`, `export default { fetch: (request: Request) => server.handleRequest(request) };`))).toEqual([stdio]);
  });

  it("counts its files as MCP code for the session rules", () => {
    const keyed = `const seen = new Map<string, number>();\nexport function count(info: { sessionId: string }) {\n  seen.set(info.sessionId, 1);\n}\n`;
    expect(messages(`import { MCPTool } from "mcp-framework";\n${keyed}`).map((m) => m.split(":")[0])).toEqual(["4 session-state"]);
    expect(messages(keyed)).toEqual([]);
  });
});

describe("@rekog/mcp-nest 1.x", () => {
  const clauses = (options: string, method = "forRoot") => {
    const text = `import { McpModule, McpTransportType } from "@rekog/mcp-nest";\nexport const mcp = McpModule.${method}(${options});\n`;
    const [finding, ...others] = analyzeText("app.module.ts", text).findings;
    expect(others).toEqual([]);
    expect(finding!.message).toMatch(new RegExp(`^McpModule\\.${method} is @rekog/mcp-nest 1\\.x, which serves only the handshake-based protocol \\(2025-11-25 and earlier, on SDK v1\\)`));
    return [...finding!.message.matchAll(/, and its (SSE|Streamable HTTP)/g)].map((m) => m[1]);
  };

  it("names the transports that keep sessions: SSE wherever it is served, Streamable HTTP once streamableHttp drops statelessMode", () => {
    expect(clauses(`{ name: "notes", version: "1.0.0" }`)).toEqual(["SSE"]);
    expect(clauses(`{ transport: [McpTransportType.STREAMABLE_HTTP] }`)).toEqual([]);
    expect(clauses(`{ transport: [McpTransportType.STREAMABLE_HTTP], streamableHttp: { enableJsonResponse: true, statelessMode: true } }`)).toEqual([]);
    expect(clauses(`{ transport: [McpTransportType.STREAMABLE_HTTP], streamableHttp: { enableJsonResponse: false } }`)).toEqual(["Streamable HTTP"]);
    expect(clauses(`{ streamableHttp: { statelessMode: false } }`)).toEqual(["SSE", "Streamable HTTP"]);
    expect(clauses(`{ transport: ["sse", "stdio"] }`)).toEqual(["SSE"]);
    expect(clauses(`{ transport: McpTransportType.STDIO }`)).toEqual([]);
    expect(clauses(`{ transport: transports, streamableHttp: options }`)).toEqual([]);
    expect(clauses(`{ useFactory: () => ({ transport: [McpTransportType.SSE] }) }`, "forRootAsync")).toEqual([]);
  });
});

it("has a fixture pair for every rule and no fixture without a rule", () => {
  expect(readdirSync(path.join(fixtures, "positive")).sort()).toEqual(ruleIds.map((id) => `${id}.ts`).sort());
  expect(readdirSync(path.join(fixtures, "negative")).sort()).toEqual(ruleIds.map((id) => `${id}.ts`).sort());
});

describe("mcp-stateless check", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeProject));

  it("prints file:line:col, the rule and the fix, and exits 1", async () => {
    const { code, stdout } = await runCli(["check", path.join(fixtures, "positive/session-state.ts")]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/positive\/session-state\.ts:7:\d+  session-state  extra\.sessionId ties state to the client's session\n[^\n]*:8:\d+  session-state  [^\n]*\n    fix: run `mcp-stateless migrate` \(session-state\)/);
    expect(stdout).toContain("2 findings in 1 of 1 files: not stateless yet.");
  });

  it("reports JSON for machines", async () => {
    const { code, stdout } = await runCli(["check", "--json", path.join(fixtures, "positive/list-mutation.ts")]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.files).toBe(1);
    expect(report.findings.map((f: { rule: string; line: number }) => [f.rule, f.line])).toEqual([["list-mutation", 5], ["list-mutation", 7], ["list-mutation", 8], ["list-mutation", 9], ["list-mutation", 14], ["list-mutation", 17], ["list-mutation", 24]]);
  });

  it("finds nothing in a generated project, and exits 0", async () => {
    const dir = path.join(scratchProject(), "clean");
    dirs.push(path.dirname(dir));
    expect((await runCli(["create", dir, "--template", "database", "--no-git", "--no-install"])).code).toBe(0);
    const { code, stdout } = await runCli(["check", dir, "--dir", dir]);
    expect(stdout).toMatch(/No session reliance found in \d+ files\./);
    expect(code).toBe(0);
    // --dir alone checks that project's code too, not the current folder's (this repository's
    // fixtures, full of findings).
    const dirOnly = await runCli(["check", "--dir", dir]);
    expect(dirOnly.stdout).toBe(stdout);
    expect(dirOnly.code).toBe(0);
  });

  it("reports stale generated output in a generated project", async () => {
    const dir = path.join(scratchProject(), "stale");
    dirs.push(path.dirname(dir));
    expect((await runCli(["create", dir, "--template", "blank", "--no-git", "--no-install"])).code).toBe(0);
    const spec = path.join(dir, "mcp.spec.ts");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(spec, readFileSync(spec, "utf8").replace(`ttl: "1h"`, `ttl: "2h"`));
    const { code, stdout } = await runCli(["check", dir, "--dir", dir]);
    expect(code).toBe(1);
    expect(stdout).toContain("src/generated/tools.ts:1:1  stale-generated");
  });

  it("reports a file that does not parse as ERR and goes on", async () => {
    const dir = scratchProject({ "broken.ts": "const sessionId = ;\n", "ok.ts": "export const a = 1;\n" });
    dirs.push(dir);
    const { code, stdout } = await runCli(["check", dir, "--dir", dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/ERR .*broken\.ts: does not parse \(1:19: Expression expected\.\)/);
  });

  it("refuses a path that does not exist, and live flags without --url", async () => {
    expect((await runCli(["check", "/nonexistent/place"])).stderr).toContain("/nonexistent/place: no such file or folder");
    const flags = await runCli(["check", "--token", "t"]);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain("--token, --token-b, --header and --allow-writes go with --url");
    // A header given for the live checks is "name: value", and none the checks set themselves.
    const malformed = await runCli(["check", "--url", "http://127.0.0.1:9/mcp", "--header", "x-api-key=k1"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain(`--header "x-api-key=k1": not "name: value"`);
    const own = await runCli(["check", "--url", "http://127.0.0.1:9/mcp", "--header", "Authorization: Bearer t"]);
    expect(own.code).toBe(2);
    expect(own.stderr).toContain("--header Authorization: the checks set this header themselves");
    expect(own.stderr).toContain("give a bearer token with --token");
    // And code to read beside --url, which reads none, rather than ignoring it.
    const mixed = await runCli(["check", "--url", "http://127.0.0.1:9/mcp", "src"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain("check: paths (src) and --url do not go together");
  });

  it("refuses a folder with no source in it rather than passing it", async () => {
    const dir = scratchProject({ "README.md": "# notes\n", "node_modules/dep/index.ts": "export const sessionId = 1;\n" });
    dirs.push(dir);
    const { code, stdout, stderr } = await runCli(["check", dir]);
    expect(code).toBe(2);
    expect(stdout).not.toContain("No session reliance found");
    expect(stderr).toContain(`no TypeScript or JavaScript files under ${dir}`);
  });
});

describe("a client's own code", () => {
  it("is no server's state: a client logging or ending its session has nothing to report", () => {
    const client = [
      `import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";`,
      `import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";`,
      `const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1:3000/mcp"));`,
      `await new Client({ name: "c", version: "1" }).connect(transport);`,
      `console.log("connected with session", transport.sessionId);`,
      `export type Result = CallToolResult;`,
      ``,
    ].join("\n");
    expect(analyzeText("client.ts", client).findings).toEqual([]);
    // The same lines in a file that also serves are a server's.
    const serving = client.replace(`import type { CallToolResult }`, `import { McpServer } from "@modelcontextprotocol/server";\nimport type { CallToolResult }`);
    expect(analyzeText("both.ts", serving).findings.map((f) => f.rule)).toEqual(["session-telemetry"]);
  });
});

describe("a list change pushed after a call", () => {
  it("says a resource list's push reaches no client, and a tool list's toggles vary with what a client did", () => {
    const pushed = (call: string) => analyzeText("server.ts", `import { McpServer } from "@modelcontextprotocol/server";\nexport const announce = (server: McpServer) => server.${call}();\n`).findings.map((f) => f.message);
    expect(pushed("sendResourceListChanged")).toEqual([
      "sendResourceListChanged() tells the connected client its resource list changed, and a server built per request has no connection left to tell: 2026-07-28 clients hear of changes through subscriptions/listen (createMcpHandler's handler.notify)",
    ]);
    expect(pushed("sendToolListChanged")).toEqual(["sendToolListChanged() after a call makes lists vary with what a client did"]);
    // Each with advice for what it is: a push to drop or announce another way, a toggle to stop making.
    const fixes = (call: string) => analyzeText("server.ts", `import { McpServer } from "@modelcontextprotocol/server";\nexport const announce = (server: McpServer) => server.${call}();\n`).findings.map((f) => f.fix);
    expect(fixes("sendResourceListChanged")).toEqual([expect.stringContaining("announce it with createMcpHandler's handler.notify")]);
    expect(fixes("sendToolListChanged")).toEqual([expect.stringContaining("register every tool always")]);
  });

  it("is found in v1's low-level spelling too, and a resource list's push is left to a server only stdio serves", () => {
    const notify = (method: string, entry = "") =>
      analyzeText("server.ts", `import { Server } from "@modelcontextprotocol/server";
${entry}export const announce = (server: Server) => server.notification({ method: "${method}" });
`).findings.map((f) => f.message);
    expect(notify("notifications/resources/list_changed")).toEqual([
      `notification({ method: "notifications/resources/list_changed" }) tells the connected client its resource list changed, and a server built per request has no connection left to tell: 2026-07-28 clients hear of changes through subscriptions/listen (createMcpHandler's handler.notify)`,
    ]);
    expect(notify("notifications/tools/list_changed")).toEqual([`notification({ method: "notifications/tools/list_changed" }) after a call makes lists vary with what a client did`]);
    expect(notify("notifications/message")).toEqual([]);
    // serveStdio keeps one server for its one client and hands the push to the client's subscriptions.
    const stdio = `import { serveStdio } from "@modelcontextprotocol/server/stdio";
serveStdio(() => new Server({ name: "s", version: "1" }));
`;
    expect(notify("notifications/resources/list_changed", stdio)).toEqual([]);
    expect(notify("notifications/tools/list_changed", stdio)).toHaveLength(1);
  });
});
