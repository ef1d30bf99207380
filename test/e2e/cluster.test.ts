/**
 * Scale-out for real: three instances of a generated server (redis store) behind nginx
 * round-robin, sharing one Redis. A handle made through one instance works through the
 * others; killing an instance in the middle of a bounded load run loses no handle that was
 * acknowledged; Redis going away gives clear errors, and its return brings recovery.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type Cluster } from "../../scripts/cluster.ts";
import { connectHttp as connect } from "../support/client.ts";
import { generateAndInstall, withRedisStore } from "../support/generated-project.ts";
import { repoRoot, startersDir } from "../support/project.ts";
import { packTarball } from "../support/processes.ts";

const work = mkdtempSync(path.join(tmpdir(), "mcp-stateless-cluster-"));
const dir = path.join(work, "basket");
let cluster: Cluster;

beforeAll(async () => {
  generateAndInstall(path.join(startersDir, "basket"), dir, packTarball(repoRoot, work), withRedisStore);
  cluster = await startCluster(dir, 3);
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
});

const structured = (result: { structuredContent?: unknown }) => result.structuredContent as Record<string, unknown> | undefined;

describe("three instances behind nginx sharing one Redis", () => {
  it("serve a handle created through one instance from every other, directly and through nginx", async () => {
    const [one, two, three] = await Promise.all(cluster.instances.map((i) => connect(i.url)));
    const viaNginx = await connect(cluster.url);
    const basket_id = structured(await one!.callTool({ name: "create_basket", arguments: {} }))!.basket_id as string;
    expect(structured(await two!.callTool({ name: "add_item", arguments: { basket_id, sku: "A-1", quantity: 1 } }))).toEqual({ item_count: 1 });
    expect(structured(await three!.callTool({ name: "add_item", arguments: { basket_id, sku: "A-1", quantity: 1 } }))).toEqual({ item_count: 2 });
    for (let i = 0; i < 6; i++) {
      // Round-robin: these land on every instance in turn.
      const viewed = await viaNginx.callTool({ name: "view_basket", arguments: { basket_id } });
      expect(structured(viewed)).toMatchObject({ items: [{ sku: "A-1", quantity: 2 }] });
    }
    for (const client of [one, two, three, viaNginx]) await client!.close();
  });

  it("lose no acknowledged handle when an instance is killed in the middle of a bounded load run", async () => {
    const OPERATIONS = 240;
    const WORKERS = 8;
    const acknowledged: string[] = [];
    let failed = 0;
    let started = 0;
    const clients = await Promise.all(Array.from({ length: WORKERS }, () => connect(cluster.url)));
    await Promise.all(
      clients.map(async (client) => {
        while (started < OPERATIONS) {
          if (++started === OPERATIONS / 3) cluster.instances[1]!.kill();
          try {
            const made = await client.callTool({ name: "create_basket", arguments: {} });
            const handle = structured(made)?.basket_id;
            if (made.isError || typeof handle !== "string") {
              failed += 1;
              continue;
            }
            acknowledged.push(handle);
            const added = await client.callTool({ name: "add_item", arguments: { basket_id: handle, sku: "B-2", quantity: 1 } });
            if (added.isError) failed += 1;
          } catch {
            failed += 1; // a request cut off with the instance: never acknowledged
          }
        }
      }),
    );
    expect(acknowledged.length).toBeGreaterThan(OPERATIONS / 2);
    const check = await connect(cluster.url);
    const lost: string[] = [];
    for (const basket_id of acknowledged) {
      const viewed = await check.callTool({ name: "view_basket", arguments: { basket_id } });
      if (viewed.isError) lost.push(`${basket_id}: ${JSON.stringify(viewed.content)}`);
    }
    for (const client of [...clients, check]) await client.close();
    expect(lost).toEqual([]);
    expect(failed).toBeLessThan(OPERATIONS / 4);
  });

  it("answer with clear errors while Redis is down, and recover when it is back", async () => {
    const client = await connect(cluster.url);
    await cluster.redis.stop();
    const down = await client.callTool({ name: "create_basket", arguments: {} });
    expect(down.isError).toBe(true);
    expect(JSON.stringify(down.content)).toMatch(/handle store \(Redis\)/);
    await cluster.redis.start();
    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      recovered = !(await client.callTool({ name: "create_basket", arguments: {} })).isError;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered).toBe(true);
    await client.close();
  });
});
