/**
 * The whole promise, end to end: the packed CLI generates each example into a fresh folder,
 * the project installs from the registry (this package as its devDependency, from the
 * tarball), type-checks, passes its own generated tests, and serves stateless MCP over HTTP.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from "@modelcontextprotocol/client";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli, startersDir } from "../support/project.ts";
import { connectHttp, connectStdio } from "../support/client.ts";
import { generateAndInstall } from "../support/generated-project.ts";
import { oldestNode, oldestNodeAvailable, oldestNodeVersion } from "../support/oldest-node.ts";
import { MINIMUM_NODE } from "../../src/launch.ts";
import { buildImage, nodeRunnableBy } from "../support/docker-image.ts";
import { packTarball, run, startServer, type RunningServer } from "../support/processes.ts";

const work = mkdtempSync(path.join(tmpdir(), "mcp-stateless-e2e-"));
let tarball: string;

beforeAll(() => {
  tarball = packTarball(repoRoot, work);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function passesOwnTests(dir: string): void {
  run("npx", ["tsc", "--noEmit"], dir);
  expect(run("npx", ["mcp-stateless", "generate", "--check"], dir)).toContain("up to date");
  const output = run("npx", ["vitest", "run"], dir, { NO_COLOR: "1", FORCE_COLOR: "0" });
  expect(output).toMatch(/Tests\s+\d+ passed/);
  expect(output).not.toMatch(/failed/);
}

/** How many modules a server started with TMPDIR=temp left in Node's default compile cache there. */
function compileCacheEntries(temp: string): number {
  return compileCacheFiles(path.join(temp, "node-compile-cache"));
}

/** How many modules Node's compile cache in `cache` holds. */
function compileCacheFiles(cache: string): number {
  return readdirSync(cache, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

/** A client over real HTTP that records the headers of every response it gets. */
function connect(url: string, seenHeaders: Headers[]) {
  return connectHttp(url, async (input, init) => {
    const response = await fetch(input, init);
    seenHeaders.push(response.headers);
    return response;
  });
}

/** A raw TCP connection to a server on loopback, and all it has received so far. */
async function rawConnection(port: string | number) {
  const socket = connectTcp(Number(port), "127.0.0.1");
  await once(socket, "connect");
  const connection = { socket, received: "" };
  socket.on("data", (chunk: Buffer) => (connection.received += chunk.toString()));
  return connection;
}

const cases = [
  {
    starter: "basket",
    kind: "basket",
    create: { name: "create_basket", args: { currency: "EUR" } },
    use: { name: "add_item", args: { sku: "A-100", quantity: 3 }, expect: { item_count: 3 } },
    destroy: { name: "checkout", args: {} },
  },
  {
    starter: "database",
    kind: "connection",
    create: { name: "connect_database", args: { file: "shop.sqlite" } },
    use: { name: "query", args: { sql: "SELECT 6 * 7 AS answer" }, expect: { rows: [{ answer: 42 }] } },
    destroy: { name: "close_connection", args: {} },
  },
];

describe.each(cases)("a project generated from the $starter example", (example) => {
  const dir = path.join(work, example.starter);
  const env = { MCP_HANDLE_STORE: "sqlite", MCP_SQLITE_FILE: path.join(dir, ".data/handles.sqlite"), DATABASE_DIR: path.join(dir, "data") };
  const param = `${example.kind}_id`;

  beforeAll(() => generateAndInstall(path.join(startersDir, example.starter), dir, tarball));

  it("type-checks under strict TypeScript, its output is current, and it passes its own generated tests", () => {
    passesOwnTests(dir);
  });

  it("serves the same tools over stdio", async () => {
    const temp = mkdtempSync(path.join(work, "tmp-"));
    const client = await connectStdio({ command: process.execPath, args: ["src/stdio.ts"], cwd: dir, env: { ...env, MCP_HANDLE_STORE: "memory", TMPDIR: temp } });
    const created = await client.callTool({ name: example.create.name, arguments: example.create.args });
    const handle = (created.structuredContent as Record<string, string>)[param];
    const used = await client.callTool({ name: example.use.name, arguments: { ...example.use.args, [param]: handle } });
    expect(used.structuredContent).toMatchObject(example.use.expect);
    await client.close();
    expect(compileCacheEntries(temp)).toBeGreaterThan(20);
  });

  it("warms Node's compile cache over stdio without serving (MCP_WARM_UP=1), and a start then compiles nothing itself", async () => {
    const cache = mkdtempSync(path.join(work, "cache-"));
    const warmUp = spawnSync(process.execPath, ["src/stdio.ts"], { cwd: dir, env: { ...process.env, ...env, NODE_COMPILE_CACHE: cache, MCP_WARM_UP: "1" }, encoding: "utf8", timeout: 30_000 });
    expect(warmUp.status, warmUp.stderr).toBe(0);
    expect(warmUp.stderr).not.toContain("serving");
    const warmed = compileCacheFiles(cache);
    expect(warmed).toBeGreaterThan(100);
    const client = await connectStdio({ command: process.execPath, args: ["src/stdio.ts"], cwd: dir, env: { ...env, NODE_COMPILE_CACHE: cache } });
    const created = await client.callTool({ name: example.create.name, arguments: example.create.args });
    expect((created.structuredContent as Record<string, string>)[param]).toMatch(/^[a-z]+_/);
    await client.close();
    expect(compileCacheFiles(cache)).toBe(warmed);
  });

  it.skipIf(!oldestNodeAvailable)(`passes its own tests and serves over stdio on Node ${oldestNodeVersion}, the oldest its engines accept`, async () => {
    const { engines } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { engines: { node: string } };
    expect(engines.node).toBe(`>=${MINIMUM_NODE}`);
    const node = oldestNode();
    const output = run(node, ["node_modules/vitest/vitest.mjs", "run"], dir, { NO_COLOR: "1", FORCE_COLOR: "0" });
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
    const client = await connectStdio({ command: node, args: ["src/stdio.ts"], cwd: dir, env: { ...env, MCP_HANDLE_STORE: "memory" } });
    const created = await client.callTool({ name: example.create.name, arguments: example.create.args });
    const handle = (created.structuredContent as Record<string, string>)[param];
    const used = await client.callTool({ name: example.use.name, arguments: { ...example.use.args, [param]: handle } });
    expect(used.structuredContent).toMatchObject(example.use.expect);
    await client.close();
  });

  // Building needs root, as docker build does (its RUN steps chown, its USER is another user).
  it.skipIf(process.getuid?.() !== 0)("builds and runs its image the way its Dockerfile says, as an unprivileged user, with npm's lockfile and without one", async () => {
    const dockerfile = readFileSync(path.join(dir, "Dockerfile"), "utf8");
    chmodSync(work, 0o755); // mkdtemp's folders are the creator's alone
    const node = nodeRunnableBy({ uid: 1000, gid: 1000 }, work);
    // With package-lock.json (npm's projects), and with package.json alone (pnpm's, yarn's, bun's).
    for (const absent of [[], ["package-lock.json"]]) {
      const root = mkdtempSync(path.join(work, "image-"));
      chmodSync(root, 0o755);
      const image = buildImage(dockerfile, dir, root, { absent, node });
      expect(existsSync(path.join(root, "node_modules/vitest")), "dev dependencies stay out").toBe(false);
      expect(image.user, "not root").toEqual({ uid: 1000, gid: 1000 });
      // Node's compile cache, filled at build time (MCP_WARM_UP=1) with every module a start loads.
      const cache = image.env.NODE_COMPILE_CACHE!;
      expect(cache).toBe(path.join(root, ".compile-cache"));
      const builtEntries = compileCacheFiles(cache);
      expect(builtEntries).toBeGreaterThan(100);
      // The image's own environment, but on loopback: this test sends traffic nowhere else.
      const { HOST: _host, PORT: _port, ...imageEnv } = image.env;
      const [command, ...args] = image.cmd;
      expect(command).toBe("node");
      // Its default store (sqlite) and the example's own files write under .data as that user.
      // SHUTDOWN_DELAY_MS: a window after SIGTERM in which the health check must already fail.
      const server = await startServer(root, [node, ...args], { ...imageEnv, SHUTDOWN_DELAY_MS: "1500" }, image.user);
      // (Without the cache: the check's own script would add its entries to the count below.)
      const healthy = () =>
        spawnSync(node, image.healthcheck!.slice(1), { env: { ...imageEnv, NODE_DISABLE_COMPILE_CACHE: "1", PORT: new URL(server.url).port }, ...image.user }).status;
      try {
        const client = await connectHttp(server.url);
        expect((await client.listTools()).tools.map((t) => t.name)).toContain(example.create.name);
        const created = await client.callTool({ name: example.create.name, arguments: example.create.args });
        const handle = (created.structuredContent as Record<string, string>)[param];
        expect(handle, absent.join() || "with the lockfile").toMatch(/^[a-z]+_/);
        const used = await client.callTool({ name: example.use.name, arguments: { ...example.use.args, [param]: handle } });
        expect(used.structuredContent, JSON.stringify(used.content)).toMatchObject(example.use.expect);
        await client.close();
        expect(existsSync(path.join(root, ".data/handles.sqlite"))).toBe(true);
        expect(healthy(), "HEALTHCHECK while serving").toBe(0);
        const stopped = server.stop();
        await server.printed("SIGTERM");
        expect(healthy(), "HEALTHCHECK while shutting down").toBe(1);
        expect(await stopped).toBe(0);
      } finally {
        await server.stop();
      }
      expect(compileCacheFiles(cache), "modules the start had to compile itself").toBe(builtEntries);
      // As OpenShift runs images: an arbitrary uid in group 0, in a new container (.data empty).
      for (const entry of readdirSync(path.join(root, ".data"))) rmSync(path.join(root, ".data", entry), { recursive: true });
      const arbitrary = await startServer(root, [node, ...args], imageEnv, { uid: 4321, gid: 0 });
      try {
        const client = await connectHttp(arbitrary.url);
        const created = await client.callTool({ name: example.create.name, arguments: example.create.args });
        expect((created.structuredContent as Record<string, string>)[param], JSON.stringify(created.content)).toMatch(/^[a-z]+_/);
        await client.close();
      } finally {
        await arbitrary.stop();
      }
    }
  });

  it("exports a fetch handler that serves a fresh request with no server running", () => {
    const script = `
      import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
      const { default: app } = await import("./src/fetch.ts");
      const transport = new StreamableHTTPClientTransport(new URL("https://serverless.example/mcp"), {
        fetch: (url, init) => app.fetch(new Request(url, init)),
      });
      const client = new Client({ name: "e2e", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
      await client.connect(transport);
      console.log(JSON.stringify((await client.listTools()).tools.map((t) => t.name)));
      await client.close();
      process.exit(0);`;
    const output = run(process.execPath, ["--input-type=module", "-e", script], dir, { ...env, MCP_HANDLE_STORE: "memory" });
    expect(JSON.parse(output.trim().split("\n").at(-1)!)).toContain(example.create.name);
  });

  describe("served over HTTP", () => {
    let server: RunningServer;
    const headers: Headers[] = [];
    beforeAll(async () => {
      server = await startServer(dir, "src/http.ts", env);
    });
    afterAll(() => server?.stop());

    it("runs the whole handle lifecycle with no session", async () => {
      const client = await connect(server.url, headers);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain(example.create.name);

      const created = await client.callTool({ name: example.create.name, arguments: example.create.args });
      const handle = (created.structuredContent as Record<string, string>)[param];
      expect(handle).toMatch(/^[a-z]+_[A-Za-z0-9_-]{22,}$/);

      const used = await client.callTool({ name: example.use.name, arguments: { ...example.use.args, [param]: handle } });
      expect(used.isError ?? false).toBe(false);
      expect(used.structuredContent).toMatchObject(example.use.expect);

      const ended = await client.callTool({ name: example.destroy.name, arguments: { ...example.destroy.args, [param]: handle } });
      expect(ended.isError ?? false).toBe(false);
      const after = await client.callTool({ name: example.use.name, arguments: { ...example.use.args, [param]: handle } });
      expect(after.isError).toBe(true);
      expect(JSON.stringify(after.content)).toContain(example.create.name);
      await client.close();

      expect(headers.length).toBeGreaterThan(3);
      for (const h of headers) expect(h.get("mcp-session-id")).toBeNull();
    });

    it("answers GET and DELETE with 405", async () => {
      for (const method of ["GET", "DELETE"]) {
        const response = await fetch(server.url, { method, headers: { accept: "application/json, text/event-stream" } });
        expect(response.status, method).toBe(405);
        expect(response.headers.get("mcp-session-id")).toBeNull();
      }
    });

    it("answers health checks at /healthz, and 404 elsewhere", async () => {
      const health = await fetch(new URL("/healthz", server.url));
      expect(health.status).toBe(200);
      expect(await health.text()).toBe("ok\n");
      expect((await fetch(new URL("/other", server.url))).status).toBe(404);
    });

    it("warns at start when it serves beyond loopback without authentication, not otherwise", async () => {
      const warning = "warning: no authentication (MCP_AUTH=none)";
      expect(server.output()).toContain("serving MCP at");
      expect(server.output()).not.toContain(warning);
      // Bound to every interface for a moment; this test still only talks to 127.0.0.1.
      const exposed = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", HOST: "0.0.0.0" });
      expect(exposed.output()).toContain(`${warning} on 0.0.0.0`);
      expect(await exposed.stop()).toBe(0);
      const withTokens = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", HOST: "0.0.0.0", MCP_AUTH: "jwt", MCP_JWT_SECRET: "a".repeat(32) });
      expect(withTokens.output()).not.toContain(warning);
      expect(await withTokens.stop()).toBe(0);
    });

    it("with tokens from an authorization server, publishes where to get one (RFC 9728) and points its 401 there", async () => {
      const resource = "https://mcp.example.test/mcp";
      // The JWKS is fetched only to check a token, and this test sends none.
      const oauth = { MCP_AUTH: "jwt", MCP_JWKS_URL: "http://127.0.0.1:9/jwks.json", MCP_JWT_ISSUER: "https://auth.example.test", MCP_JWT_AUDIENCE: resource };
      const secured = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", ...oauth });
      try {
        // Read as the official client reads them: the challenge of a request without a token, then the document.
        const bare = await fetch(secured.url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
        expect(bare.status).toBe(401);
        expect(extractWWWAuthenticateParams(bare).resourceMetadataUrl?.href).toBe("https://mcp.example.test/.well-known/oauth-protected-resource/mcp");
        const metadata = await discoverOAuthProtectedResourceMetadata(secured.url, { protocolVersion: "2026-07-28" });
        expect(metadata).toMatchObject({ resource, authorization_servers: ["https://auth.example.test"] });
        // A browser-based client sending MCP headers asks first (CORS preflight), without a token.
        const preflight = await fetch(new URL("/.well-known/oauth-protected-resource/mcp", secured.url), { method: "OPTIONS" });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
        // HEAD through Node's HTTP server: the headers of the GET, and no body.
        const head = await fetch(new URL("/.well-known/oauth-protected-resource/mcp", secured.url), { method: "HEAD" });
        expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([200, "application/json", ""]);
        expect((await fetch(new URL("/.well-known/oauth-protected-resource/other", secured.url))).status).toBe(404);
        expect(await secured.stop()).toBe(0);
      } finally {
        await secured.stop();
      }
      // Served at the URL its audience names, the chain is one the official client accepts, as check --url finds.
      const atItsUrl = await startServer(dir, "src/http.ts", (url) => ({ ...env, MCP_HANDLE_STORE: "memory", ...oauth, MCP_JWT_AUDIENCE: url }));
      try {
        const { stdout } = await runCli(["check", "--url", atItsUrl.url]);
        const metadataUrl = atItsUrl.url.replace("/mcp", "/.well-known/oauth-protected-resource/mcp");
        expect(stdout).toContain(`PASS  auth-discovery       ${atItsUrl.url}: its 401 names ${metadataUrl} (resource ${atItsUrl.url}, authorization server https://auth.example.test)`);
        expect(await atItsUrl.stop()).toBe(0);
      } finally {
        await atItsUrl.stop();
      }
      // Without an issuer there is nothing to publish; with a JWKS and no audience it will not start.
      const { MCP_JWT_ISSUER: _issuer, ...withoutIssuer } = oauth;
      const plain = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", ...withoutIssuer });
      try {
        expect((await fetch(new URL("/.well-known/oauth-protected-resource/mcp", plain.url))).status).toBe(404);
        expect(await plain.stop()).toBe(0);
      } finally {
        await plain.stop();
      }
      const { MCP_JWT_AUDIENCE: _audience, ...withoutAudience } = oauth;
      await expect(startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", ...withoutAudience })).rejects.toThrow(/needs the audience tokens must name \(MCP_JWT_AUDIENCE/);
    });

    it("writes its compiled modules to Node's compile cache once it serves, for the next start", async () => {
      const temp = mkdtempSync(path.join(work, "tmp-"));
      const own = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", TMPDIR: temp });
      // Still running: written at start, not only at a clean exit (a container may be killed).
      expect(compileCacheEntries(temp)).toBeGreaterThan(20);
      expect(await own.stop()).toBe(0);
    });

    it("refuses a Host that is not loopback (DNS rebinding), also after serving its own", async () => {
      const { port } = new URL(server.url);
      const post = async (hostHeader: string) => {
        const connection = await rawConnection(port);
        connection.socket.write(`POST /mcp HTTP/1.1\r\nhost: ${hostHeader}\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
        await once(connection.socket, "close");
        return connection.received.slice(0, 12);
      };
      // The first answered past the Host check (400: an empty message), the second stopped at it.
      expect(await post(`127.0.0.1:${port}`)).toBe("HTTP/1.1 400");
      expect(await post(`rebound.example:${port}`)).toBe("HTTP/1.1 403");
      expect(await post(`localhost:${port}`)).toBe("HTTP/1.1 400");
    });

    it("answers a request target that is no URL with 400, and goes on serving", async () => {
      const { port } = new URL(server.url);
      const connection = await rawConnection(port);
      const { socket } = connection;
      socket.write(`GET http://[ HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: close\r\n\r\n`);
      await once(socket, "close");
      expect(connection.received).toMatch(/^HTTP\/1\.1 400 /);
      expect((await fetch(new URL("/healthz", server.url))).status).toBe(200);
    });

    it("keeps an idle connection open past Node's 5 s default, for a load balancer to reuse", async () => {
      const { port } = new URL(server.url);
      const connection = await rawConnection(port);
      const { socket } = connection;
      const ask = () => socket.write(`GET /healthz HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`);
      const closed = once(socket, "close").then(() => Promise.reject(new Error("the server closed the connection")));
      closed.catch(() => {}); // only awaited while waiting for an answer
      const answer = async () => {
        while (!connection.received.endsWith("\r\n0\r\n\r\n")) await Promise.race([once(socket, "data"), closed]); // the chunked body's end
      };
      ask();
      await answer();
      await new Promise((resolve) => setTimeout(resolve, 6_000)); // idle longer than Node's default keep-alive
      connection.received = "";
      expect(socket.readyState).toBe("open");
      ask();
      await answer();
      expect(connection.received).toMatch(/^HTTP\/1\.1 200 /);
      socket.destroy();
    }, 20_000);

    it("passes every live check as two instances sharing the sqlite store", async () => {
      const second = await startServer(dir, "src/http.ts", env);
      try {
        const { code, stdout } = await runCli(["check", "--allow-writes", "--url", server.url, "--url", second.url]);
        expect(stdout).not.toMatch(/^FAIL/m);
        expect(stdout).toMatch(/^PASS  handles .* via http.* via http/m);
        expect(code).toBe(0);
      } finally {
        await second.stop();
      }
    });

    it("passes every live check with the memory store", async () => {
      const memory = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory" });
      try {
        const { code, stdout } = await runCli(["check", "--allow-writes", "--url", memory.url]);
        expect(stdout).not.toMatch(/^FAIL/m);
        expect(stdout).toMatch(/^PASS  unknown-handles/m);
        expect(code).toBe(0);
      } finally {
        await memory.stop();
      }
    });

    it("on SIGTERM answers the request in flight, closes its connection, and exits 0", async () => {
      const own = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory" });
      const { port } = new URL(own.url);
      // A 2025-era tools/list whose body is sent only after the signal. The server's
      // "100 Continue" says it has the request in hand before the signal is sent.
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
      const connection = await rawConnection(port);
      const { socket } = connection;
      const closedByServer = once(socket, "end");
      const head = [`POST /mcp HTTP/1.1`, `host: 127.0.0.1:${port}`, "content-type: application/json", "accept: application/json, text/event-stream", "mcp-protocol-version: 2025-11-25", `content-length: ${body.length}`, "expect: 100-continue"];
      socket.write(`${head.join("\r\n")}\r\n\r\n`);
      while (!connection.received.includes("100 Continue")) await once(socket, "data");
      const exited = own.stop();
      await own.printed("SIGTERM: finishing the requests in flight");
      socket.write(body);
      await closedByServer;
      expect(connection.received).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
      expect(connection.received.toLowerCase()).toContain("\r\nconnection: close\r\n");
      expect(connection.received).toContain(`"name":"${example.create.name}"`);
      expect(await exited).toBe(0);
    });

    it("with SHUTDOWN_DELAY_MS, keeps serving after SIGTERM with /healthz at 503, then stops", async () => {
      const own = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", SHUTDOWN_DELAY_MS: "1500" });
      const exited = own.stop();
      await own.printed("SIGTERM: finishing the requests in flight");
      // Inside the window a balancer still reaches this instance and is told to take it out.
      const health = await fetch(new URL("/healthz", own.url));
      expect(health.status).toBe(503);
      expect(await health.text()).toBe("draining\n");
      const client = await connect(own.url, []);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain(example.create.name);
      await client.close();
      expect(await exited).toBe(0);
      await expect(fetch(new URL("/healthz", own.url))).rejects.toThrow();
    });

    it("stops at once on a second signal", async () => {
      const own = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", SHUTDOWN_DELAY_MS: "60000" });
      void own.stop();
      await own.printed("taking new ones for 60000 ms first");
      expect(await own.stop()).toBe(1);
    }, 10_000);

    it("cuts a request still unfinished SHUTDOWN_TIMEOUT_MS after SIGTERM, and exits 0", async () => {
      const own = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", SHUTDOWN_TIMEOUT_MS: "300" });
      const { port } = new URL(own.url);
      // A client that sends its headers and half its body, then nothing: in flight for ever.
      const { socket } = await rawConnection(port);
      const cut = once(socket, "close");
      socket.write(`POST /mcp HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"jsonrpc"`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the server has the request
      expect(await own.stop()).toBe(0);
      await cut;
    }, 10_000);

    it("refuses to start on a setting that is not a number, naming it", () => {
      const started = spawnSync(process.execPath, ["src/http.ts"], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env, PORT: "0", SHUTDOWN_TIMEOUT_MS: "10s" }, timeout: 30_000 });
      expect(started.status).toBe(2);
      expect(started.stderr).toContain('SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds, not "10s"');
    });

    it("holds each caller to MCP_RATE_LIMIT, answering 429 with Retry-After past it, and refuses to start on a rate it cannot read", async () => {
      const limited = await startServer(dir, "src/http.ts", { ...env, MCP_HANDLE_STORE: "memory", MCP_RATE_LIMIT: "3/min" });
      try {
        const list = () =>
          fetch(limited.url, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-method": "tools/list", "mcp-protocol-version": "2026-07-28" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/list", params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } }),
          });
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await list()).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        const refused = await list();
        expect(refused.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
        expect(await refused.json()).toMatchObject({ id: 4, error: { message: expect.stringContaining("3 requests per minute") } });
      } finally {
        await limited.stop();
      }
      const started = spawnSync(process.execPath, ["src/http.ts"], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env, PORT: "0", MCP_RATE_LIMIT: "lots" }, timeout: 30_000 });
      expect(started.status).not.toBe(0);
      expect(started.stderr).toContain("MCP_RATE_LIMIT=lots is not a rate");
    });

    it("keeps a handle valid across a restart with the sqlite store", async () => {
      const client = await connect(server.url, []);
      const created = await client.callTool({ name: example.create.name, arguments: example.create.args });
      const handle = (created.structuredContent as Record<string, string>)[param];
      await client.close();

      await server.stop();
      server = await startServer(dir, "src/http.ts", env);

      const again = await connect(server.url, []);
      const used = await again.callTool({ name: example.use.name, arguments: { ...example.use.args, [param]: handle } });
      expect(used.isError ?? false).toBe(false);
      expect(used.structuredContent).toMatchObject(example.use.expect);
      await again.close();
    });
  });
});

describe("a project generated from a spec full of corner cases, with stub handlers only", () => {
  const dir = path.join(work, "edge-cases");
  beforeAll(() => generateAndInstall(path.join(repoRoot, "test/fixtures/edge-cases"), dir, tarball));

  it("type-checks, is current, and passes its own generated tests", () => {
    passesOwnTests(dir);
  });

  const secret = "a-shared-secret-of-at-least-32-bytes!";
  /** A token for `sub` granting `scope`: by default every scope the spec names. */
  const tokenFor = (sub: string, scope = "db:read db:connect db:write db:admin") =>
    new SignJWT({ scope }).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setExpirationTime("5m").sign(new TextEncoder().encode(secret));

  it("passes every live check for two principals, a handle made from another included, its list shared for the spec's listTtl", async () => {
    const server = await startServer(dir, "src/http.ts", { MCP_HANDLE_STORE: "memory", MCP_AUTH: "jwt", MCP_JWT_SECRET: secret });
    try {
      const { code, stdout } = await runCli(["check", "--allow-writes", "--url", server.url, "--token", await tokenFor("alice"), "--token-b", await tokenFor("bob")]);
      // Every check runs and passes but the browser's preflight: a generated server answers no CORS on /mcp (that is the user's call).
      expect(stdout).not.toMatch(/^(FAIL|SKIP)  (?!browser-preflight|auth-discovery)/m);
      expect(stdout).toMatch(/^SKIP  browser-preflight /m);
      // Tokens signed with a shared secret come from no authorization server: nothing to discover.
      expect(stdout).toMatch(/^SKIP  auth-discovery\s+.* wants bearer tokens, but its 401 names no resource_metadata/m);
      // open-cursor takes a connection handle to make a cursor: it is given the one db.open made.
      expect(stdout).toMatch(/^PASS  handles\s+db\.open → open-cursor via .*; open-cursor → \S+ via /m);
      expect(stdout).toMatch(/^PASS  list-cache\s+tools\/list may be shared between callers for 300000 ms, and a second principal gets the same list/m);
      // db.open mirrors its dsn into Mcp-Param-Dsn: a call whose header disagrees is refused before it runs.
      expect(stdout).toMatch(/^PASS  param-headers\s+a call whose Mcp-Param header disagrees with its argument is refused \(400, HeaderMismatch\): db\.open via /m);
      expect(code).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it("holds calls over HTTP to the spec's scopes: 403 insufficient_scope names what to ask for, and check --url says so", async () => {
    const server = await startServer(dir, "src/http.ts", { MCP_HANDLE_STORE: "memory", MCP_AUTH: "jwt", MCP_JWT_SECRET: secret });
    try {
      const open = async (scope: string) =>
        fetch(server.url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${await tokenFor("alice", scope)}`, "mcp-param-dsn": "sqlite:a" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "db.open", arguments: { dsn: "sqlite:a" } } }),
        });
      // The Node entry reads the body before the app: the tool it names decides the scopes needed.
      const refused = await open("db:read db:write");
      expect(refused.status).toBe(403);
      expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
      expect(refused.headers.get("www-authenticate")).toContain('scope="db:read db:connect"');
      expect((await open("db:connect")).status).toBe(403);
      expect((await open("db:read db:connect")).status).not.toBe(403);
      const { code, stdout } = await runCli(["check", "--url", server.url, "--token", await tokenFor("alice", "db:connect")]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^FAIL  connect .*the token lacks a scope: the server asks for db:read\)/m);
    } finally {
      await server.stop();
    }
  });

  it("refuses a call whose Mcp-Param header disagrees with the argument it mirrors, before the tool runs, and serves one that agrees", async () => {
    const server = await startServer(dir, "src/http.ts", { MCP_HANDLE_STORE: "memory" });
    try {
      const open = (header: Record<string, string>) =>
        fetch(server.url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "db.open", ...header },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "tools/call",
            params: { name: "db.open", arguments: { dsn: "sqlite:a" }, _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } },
          }),
        });
      // A gateway routing on the header would send this to the shard of sqlite:b; the body opens sqlite:a.
      const refused = await open({ "mcp-param-dsn": "sqlite:b" });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.code).toBe(-32020);
      expect((await open({})).status).toBe(400);
      const served = await open({ "mcp-param-dsn": "sqlite:a" });
      expect(served.status).toBe(200);
      expect((await served.json()).result.structuredContent.connection_id).toMatch(/^conn_/);
    } finally {
      await server.stop();
    }
  });
});
