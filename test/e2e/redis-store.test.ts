/**
 * The redis store for real: a project generated with `store: "redis"` installs, passes its
 * own tests with the store contract run against a real redis-server, serves two instances
 * that share every handle, and turns a Redis outage into clear tool errors, then recovers.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runCli, startersDir } from "../support/project.ts";
import { connectHttp as connect } from "../support/client.ts";
import { generateAndInstall, withRedisStore } from "../support/generated-project.ts";
import { packTarball, run, startServer, type RunningServer } from "../support/processes.ts";
import { startRedis, type RunningRedis } from "../support/redis.ts";

const work = mkdtempSync(path.join(tmpdir(), "mcp-stateless-redis-"));
const dir = path.join(work, "basket");
let redis: RunningRedis;
const servers: RunningServer[] = [];

beforeAll(async () => {
  redis = await startRedis();
  generateAndInstall(path.join(startersDir, "basket"), dir, packTarball(repoRoot, work), withRedisStore);
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("a project generated with the redis store", () => {
  it("generates only the stores it uses, and depends on the Redis client", () => {
    expect(readFileSync(path.join(dir, "src/generated/stores.ts"), "utf8")).toContain(`env.MCP_HANDLE_STORE ?? "redis"`);
    expect(() => readFileSync(path.join(dir, "src/generated/handles/sqlite-store.ts"))).toThrow();
    expect(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).dependencies["@redis/client"]).toBeDefined();
  });

  it("type-checks and passes its own tests, the store contract included, against a real Redis", () => {
    run("npx", ["tsc", "--noEmit"], dir);
    const output = run("npx", ["vitest", "run", "--reporter=verbose"], dir, { NO_COLOR: "1", REDIS_URL: redis.url });
    expect(output).toMatch(/redis store \(at REDIS_URL\) > keeps handles across a restart and shares them between instances/);
    expect(output).not.toMatch(/skipped|failed/);
  });

  it("over stdio, exits when the host closes stdin, the Redis connection notwithstanding", async () => {
    const child = spawn(process.execPath, ["src/stdio.ts"], { cwd: dir, env: { ...process.env, REDIS_URL: redis.url }, stdio: ["pipe", "pipe", "inherit"] });
    const exited = once(child, "exit");
    let answer = "";
    child.stdout.on("data", (chunk: Buffer) => (answer += chunk.toString()));
    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "test", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "create_basket", arguments: {}, _meta: meta } })}\n`);
    while (!answer.includes("\n")) await once(child.stdout, "data");
    expect(JSON.parse(answer).result.structuredContent.basket_id).toMatch(/^bsk_/);
    child.stdin.end(); // how a host ends a stdio session
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    const [code, signal] = await exited;
    clearTimeout(timer);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it("serves two instances that share every handle, passing every live check", async () => {
    const env = { REDIS_URL: redis.url };
    servers.push(await startServer(dir, "src/http.ts", env), await startServer(dir, "src/http.ts", env));
    const [a, b] = servers as [RunningServer, RunningServer];
    const { code, stdout } = await runCli(["check", "--allow-writes", "--url", a.url, "--url", b.url]);
    expect(stdout).not.toMatch(/^FAIL/m);
    expect(code).toBe(0);

    const viaA = await connect(a.url);
    const viaB = await connect(b.url);
    const created = await viaA.callTool({ name: "create_basket", arguments: {} });
    const basket_id = (created.structuredContent as { basket_id: string }).basket_id;
    expect((await viaB.callTool({ name: "add_item", arguments: { basket_id, sku: "A-1", quantity: 3 } })).structuredContent).toEqual({ item_count: 3 });
    expect((await viaA.callTool({ name: "view_basket", arguments: { basket_id } })).structuredContent).toMatchObject({ items: [{ sku: "A-1", quantity: 3 }] });
    await viaA.close();
    await viaB.close();
  });

  it("answers with a clear error while Redis is down, and recovers by itself when it is back", async () => {
    const client = await connect(servers[0]!.url);
    await redis.stop();
    const down = await client.callTool({ name: "create_basket", arguments: {} });
    expect(down.isError).toBe(true);
    expect(JSON.stringify(down.content)).toMatch(/handle store \(Redis\) (is unavailable|did not answer)/);

    await redis.start();
    let recovered = false;
    // Bounded: the client reconnects on its own within a few seconds.
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      const again = await client.callTool({ name: "create_basket", arguments: {} });
      recovered = !again.isError;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered).toBe(true);
    await client.close();
  });
});
