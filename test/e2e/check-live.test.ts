/**
 * `check --url` against servers on loopback: a stateless one passes every check; each
 * deliberately broken one fails exactly the check it breaks and passes the others.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { startNotesServer, startRegionServer, type Breakage } from "../support/live-servers.ts";
import { freePort } from "../support/processes.ts";
import { runCli } from "../support/project.ts";

const CHECKS = ["no-session-id", "get-delete-405", "list-stable", "list-cache", "browser-preflight", "param-headers", "auth-discovery", "descriptions", "lifetimes", "handles", "unknown-handles", "principals"];
const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

let lastExitCode: number | undefined;

async function statuses(urls: string[]): Promise<Record<string, string>> {
  const { code, stdout, stderr } = await runCli(["check", "--json", "--token", "alice", "--token-b", "bob", ...urls.flatMap((u) => ["--url", u])]);
  expect(stderr).toBe("");
  lastExitCode = code;
  const report = JSON.parse(stdout) as { results: Array<{ check: string; status: string; evidence: string }> };
  expect(report.results.map((r) => r.check)).toEqual(CHECKS);
  for (const r of report.results) expect(r.evidence.length, r.check).toBeGreaterThan(10);
  return Object.fromEntries(report.results.map((r) => [r.check, r.status]));
}

// The notes servers mirror no argument into a header, and take a request without a token: nothing
// for param-headers to try, nor for auth-discovery to follow.
const allPass = { ...Object.fromEntries(CHECKS.map((c) => [c, "pass"])), "param-headers": "skip", "auth-discovery": "skip" };

/**
 * A server that wants bearer tokens: without one, a 401 with the challenge `challenge(base)`
 * gives; the documents `documents(base)` maps paths to (the rest of /.well-known is 404); with a
 * token, MCP.
 */
async function startOAuthServer(challenge: (base: string) => string | undefined, documents: (base: string) => Record<string, unknown>): Promise<string> {
  const mcp = toNodeHandler(createMcpHandler(() => new McpServer({ name: "oauth", version: "1.0.0" })));
  let base = "";
  const server = createServer((req, res) => {
    const document = documents(base)[req.url ?? ""];
    if (req.method === "GET" && document !== undefined) return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(document));
    if (req.url?.startsWith("/.well-known/")) return void res.writeHead(404).end();
    if (req.headers.authorization) return void mcp(req, res);
    const said = challenge(base);
    res.writeHead(401, said === undefined ? {} : { "www-authenticate": said }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return `${base}/mcp`;
}

describe("check --url", () => {
  it("passes a stateless server on every check, across two instances sharing their state", async () => {
    const shared = new Map();
    const a = await startNotesServer(undefined, shared);
    const b = await startNotesServer(undefined, shared);
    running.push(a, b);
    expect(await statuses([a.url, b.url])).toEqual(allPass);
    expect(lastExitCode).toBe(0);
    const { code, stdout } = await runCli(["check", "--url", a.url]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^PASS  no-session-id\s+\d+ responses, none with Mcp-Session-Id/m);
    expect(stdout).toContain("Every check that could run passed.");
  });

  it("follows create_<kind> to the tools that take <kind>_id when the create tool declares no output", async () => {
    const server = await startNotesServer(undefined, new Map(), { declareOutput: false });
    running.push(server);
    expect(await statuses([server.url])).toEqual(allPass);
  });

  it("compares principals on handles only, not on ids of data every caller may read", async () => {
    const server = await startNotesServer(undefined, new Map(), { catalog: true });
    running.push(server);
    expect(await statuses([server.url])).toEqual(allPass);
    const { stdout } = await runCli(["check", "--url", server.url, "--token", "alice", "--token-b", "bob"]);
    expect(stdout).toMatch(/^PASS  handles\s+.*find_song → get_song/m);
    expect(stdout).toMatch(/^PASS  lifetimes\s+create_note: /m);
    expect(stdout).toMatch(/^PASS  principals\s+read_note answers a foreign handle exactly like an unknown one \(not compared: song_id, ids from tools that make no handle\)/m);
  });

  it("uses a consumer it can make arguments for, and gives a tool that ends handles one handle per call", async () => {
    const shared = new Map();
    const a = await startNotesServer(undefined, shared, { codedRead: true, deletable: true });
    const b = await startNotesServer(undefined, shared, { codedRead: true, deletable: true });
    running.push(a, b);
    const { code, stdout } = await runCli(["check", "--url", a.url, "--url", b.url, "--token", "alice", "--token-b", "bob", "--allow-writes"]);
    expect(stdout).toMatch(/^PASS  handles\s+create_note → delete_note via .*; create_note → delete_note via /m);
    expect(stdout).toMatch(/^PASS  principals\s+delete_note answers a foreign handle exactly like an unknown one/m);
    expect(code).toBe(0);
  });

  it("skips, saying why, a handle flow whose create tool asks its client for input first, and goes on with the other checks", async () => {
    const server = await startNotesServer(undefined, new Map(), { confirmCreate: true });
    running.push(server);
    const { code, stdout } = await runCli(["check", "--url", server.url, "--token", "alice", "--token-b", "bob"]);
    expect(stdout).toMatch(/^SKIP  handles\s+no handle flow could be exercised \(not exercised: create_note asks its client for elicitation first, which check does not answer\)/m);
    expect(stdout).toMatch(/^PASS  no-session-id /m);
    // No create was answered, so no list was compared after one.
    expect(stdout).toMatch(/^PASS  list-stable\s+tools\/list identical across requests, client capabilities$/m);
    expect(code).toBe(0);
  });

  it("says which tool it could make no arguments for", async () => {
    const server = await startNotesServer(undefined, new Map(), { codedRead: true, deletable: true });
    running.push(server);
    // Without --allow-writes delete_note is not called, so the flow waits on writes, not on read_note.
    const { stdout } = await runCli(["check", "--url", server.url]);
    expect(stdout).toMatch(/^SKIP  handles\s+no handle flow could be exercised \(1 flow skipped: tools not annotated as safe; --allow-writes to include\)$/m);
    const readOnly = await startNotesServer(undefined, new Map(), { codedRead: true });
    running.push(readOnly);
    const { stdout: guessed } = await runCli(["check", "--url", readOnly.url]);
    expect(guessed).toMatch(/^SKIP  handles\s+no handle flow could be exercised \(no valid arguments could be made up for read_note: `examples` in an input schema say what to send\)$/m);
  });

  it.each<[Breakage, string]>([
    ["mints-session", "no-session-id"],
    ["list-varies", "list-stable"],
    ["list-per-capability", "list-stable"],
    ["foreign-handles", "principals"],
    ["get-stream", "get-delete-405"],
    ["public-list-per-caller", "list-cache"],
    ["session-cors", "browser-preflight"],
  ])("fails a server that breaks %s on %s alone", async (breakage, check) => {
    const server = await startNotesServer(breakage);
    running.push(server);
    expect(await statuses([server.url])).toEqual({ ...allPass, [check]: "fail" });
    expect(lastExitCode).toBe(1);
  });

  it("passes a server that refuses a call whose Mcp-Param header disagrees with the argument, and fails one that runs it", async () => {
    const checked = await startRegionServer({ checked: true });
    const unchecked = await startRegionServer({ checked: false });
    running.push(checked, unchecked);
    const good = await runCli(["check", "--url", checked.url]);
    expect(good.stdout).toMatch(/^PASS  param-headers\s+a call whose Mcp-Param header disagrees with its argument is refused \(400, HeaderMismatch\): lookup_region via /m);
    expect(good.code).toBe(0);
    // A server that keeps the rule ran nothing; the other ran the call it should have refused.
    expect(checked.calls()).toBe(0);
    const bad = await runCli(["check", "--url", unchecked.url]);
    expect(bad.stdout).toMatch(/^FAIL  param-headers\s+lookup_region via \S+ answered a call with Mcp-Param-Region disagreeing with its region with HTTP 200, not 400 HeaderMismatch/m);
    expect(bad.code).toBe(1);
    expect(unchecked.calls()).toBe(1);
  });

  it("asks a CORS preflight for the Mcp-Param headers the listed tools mirror, and fails one that refuses them", async () => {
    const standard = "content-type, mcp-protocol-version, mcp-method, mcp-name";
    const forgets = await startRegionServer({ checked: true, corsAllows: standard });
    const allows = await startRegionServer({ checked: true, corsAllows: `${standard}, mcp-param-region` });
    running.push(forgets, allows);
    const refused = await runCli(["check", "--url", forgets.url]);
    expect(refused.stdout).toMatch(/^FAIL  browser-preflight\s+a browser's 2026-07-28 requests are refused: \S+ answers its preflight without mcp-param-region /m);
    expect(refused.code).toBe(1);
    const allowed = await runCli(["check", "--url", allows.url]);
    expect(allowed.stdout).toMatch(/^PASS  browser-preflight\s+the CORS preflight allows content-type, mcp-protocol-version, mcp-method, mcp-name, mcp-param-region on 1 URL/m);
    expect(allowed.code).toBe(0);
  });

  it("fails instances that lose handles between them on handles alone", async () => {
    const a = await startNotesServer(undefined, new Map());
    const b = await startNotesServer(undefined, new Map());
    running.push(a, b);
    expect(await statuses([a.url, b.url])).toEqual({ ...allPass, handles: "fail" });
  });

  it("reports a server it cannot reach as a failed connection", async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const { code, stdout } = await runCli(["check", "--url", url]);
    expect(code).toBe(1);
    // The URL and the cause are named, not only the client's "fetch failed".
    expect(stdout).toMatch(new RegExp(`^FAIL  connect\\s+could not connect to ${url}: .*ECONNREFUSED`, "m"));
    expect(stdout).toContain("Nothing else was checked: no MCP connection could be made.");
    expect(stdout).not.toContain("not stateless");
  });

  it("says to pass --token or --header when the server asks for authorization, and sends what --header gives with every request", async () => {
    // An API key in a header of its own, as many servers ask for one.
    const mcp = toNodeHandler(createMcpHandler(() => new McpServer({ name: "keyed", version: "1.0.0" })));
    const server = createServer((req, res) => (req.headers["x-api-key"] === "k1" ? void mcp(req, res) : void res.writeHead(401, { "www-authenticate": "Bearer" }).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    const refused = await runCli(["check", "--url", url]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^FAIL  connect\s+could not connect to .*401.*\(pass --token <bearer token>, or --header "name: value" for an API key\)$/m);
    // Its 401 is a Bearer challenge that leads nowhere: no check of its own fails for that.
    expect(refused.stdout).toMatch(/^SKIP  auth-discovery\s+.* wants bearer tokens, but its 401 names no resource_metadata and no Protected Resource Metadata is at /m);
    const keyed = await runCli(["check", "--url", url, "--header", "X-Api-Key: k1"]);
    expect(keyed.stdout).toMatch(/^PASS  no-session-id/m);
    // GET and DELETE carry it too: refused for the key they would be 401, not 405.
    expect(keyed.stdout).toMatch(/^PASS  get-delete-405/m);
    expect(keyed.code).toBe(0);
  });

  const metadataPath = "/.well-known/oauth-protected-resource/mcp";
  const issuer = "https://auth.example.test";
  it.each([
    {
      what: "passes a 401 that names metadata for this URL, with the scope it asks for",
      challenge: (base: string) => `Bearer resource_metadata="${base}${metadataPath}", scope="notes:read"`,
      documents: (base: string) => ({ [metadataPath]: { resource: `${base}/mcp`, authorization_servers: [issuer] } }),
      line: /^PASS  auth-discovery\s+http:\/\/\S+\/mcp: its 401 names http:\/\/\S+\/\.well-known\/oauth-protected-resource\/mcp \(resource http:\/\/\S+\/mcp, authorization server https:\/\/auth\.example\.test, scope "notes:read"\)$/m,
    },
    {
      what: "passes metadata a client finds at the well-known URI when the 401 names none",
      challenge: () => "Bearer",
      documents: (base: string) => ({ "/.well-known/oauth-protected-resource": { resource: base, authorization_servers: [issuer] } }),
      line: /^PASS  auth-discovery\s+.*: its 401 names none; found at the well-known URI http:\/\/\S+\/\.well-known\/oauth-protected-resource \(/m,
    },
    {
      what: "fails metadata for another resource, which a client refuses",
      challenge: (base: string) => `Bearer resource_metadata="${base}${metadataPath}"`,
      documents: () => ({ [metadataPath]: { resource: "https://mcp.example.test/mcp", authorization_servers: [issuer] } }),
      line: /^FAIL  auth-discovery\s+.*is for the resource https:\/\/mcp\.example\.test\/mcp, which a client at http:\/\/\S+ refuses/m,
    },
    {
      what: "fails a 401 naming metadata that is not there",
      challenge: (base: string) => `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/elsewhere"`,
      documents: () => ({}),
      line: /^FAIL  auth-discovery\s+.*: \S+\/elsewhere \(named by its 401\) cannot be read as Protected Resource Metadata: HTTP 404$/m,
    },
    {
      what: "fails metadata that names no authorization server",
      challenge: (base: string) => `Bearer resource_metadata="${base}${metadataPath}"`,
      documents: (base: string) => ({ [metadataPath]: { resource: `${base}/mcp`, authorization_servers: [] } }),
      line: /^FAIL  auth-discovery\s+.*lists no authorization_servers, and MCP requires at least one/m,
    },
    {
      what: "skips a 401 with no challenge at all, as API-key servers often send",
      challenge: () => undefined,
      documents: () => ({}),
      line: /^SKIP  auth-discovery\s+.*answers 401 with no WWW-Authenticate challenge \(RFC 9110 asks for one\)/m,
    },
  ])("$what", async ({ challenge, documents, line }) => {
    const url = await startOAuthServer(challenge, documents);
    const { code, stdout } = await runCli(["check", "--url", url, "--token", "alice"]);
    expect(stdout).toMatch(line);
    // With a token the rest runs as for any server; only auth-discovery decides the exit code here.
    expect(stdout).toMatch(/^PASS  no-session-id/m);
    expect(code).toBe(line.source.startsWith("^FAIL") ? 1 : 0);
  });

  it("asks a server that offers no tools for none, and has nothing to describe", async () => {
    const handler = createMcpHandler(() => new McpServer({ name: "empty", version: "1.0.0" }));
    const server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    running.push({
      close: async () => {
        await handler.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    });
    const { port } = server.address() as AddressInfo;
    const { code, stdout, stderr } = await runCli(["check", "--url", `http://127.0.0.1:${port}/mcp`]);
    expect(stdout).toMatch(/^SKIP  descriptions\s+the server lists no tools: nothing to describe$/m);
    // No CORS at all: no page of another origin is served, which is no failure.
    expect(stdout).toMatch(/^SKIP  browser-preflight\s+no CORS answer to a preflight/m);
    // The client warns each time it is asked for tools a server does not offer: it never is.
    expect(stdout + stderr).not.toContain("does not advertise tools capability");
    expect(code).toBe(0);
  });

  it("gives no --token hint when the server fails otherwise", async () => {
    const server = createServer((_req, res) => void res.writeHead(502).end("bad gateway"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const { port } = server.address() as AddressInfo;
    const { code, stdout } = await runCli(["check", "--url", `http://127.0.0.1:${port}/mcp`]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL  connect\s+could not connect to .*: .*HTTP 502$/m);
    expect(stdout).not.toContain("--token");
  });
});
