/**
 * Scale-out for real: three instances of a generated server (redis store) behind nginx
 * round-robin, sharing one Redis. A handle made through one instance works through the
 * others; a call that asks its user (2026-07-28's multi round-trip requests) is asked by one
 * instance and finished by another; killing an instance in the middle of a bounded load run
 * loses no handle that was acknowledged; Redis going away gives clear errors, and its return
 * brings recovery.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type Cluster } from "../../scripts/cluster.ts";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { connectHttp as connect } from "../support/client.ts";
import { generateAndInstall, withRedisStore } from "../support/generated-project.ts";
import { repoRoot, startersDir } from "../support/project.ts";
import { packTarball } from "../support/processes.ts";

const work = mkdtempSync(path.join(tmpdir(), "mcp-stateless-cluster-"));
const dir = path.join(work, "basket");
let cluster: Cluster;

beforeAll(async () => {
  generateAndInstall(path.join(startersDir, "basket"), dir, packTarball(repoRoot, work), withRedisStore);
  writeFileSync(path.join(dir, "src/handlers/checkout.ts"), ASKING_CHECKOUT);
  cluster = await startCluster(dir, 3, { MCP_STATE_SECRET: "the cluster's shared secret, 32 bytes or more" });
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
});

const structured = (result: { structuredContent?: unknown }) => result.structuredContent as Record<string, unknown> | undefined;

/**
 * A checkout as a shop would write it: it asks its user to pay for what the basket holds, and
 * remembers what it showed, so a basket that changed while the user decided is asked about again.
 */
const ASKING_CHECKOUT = `import { randomUUID } from "node:crypto";
import { z } from "zod";
import { acceptedContent, ask, inputResponse } from "../generated/handles/ask.ts";
import type { CheckoutHandler } from "../generated/types.ts";

const pay = z.object({ pay: z.boolean() });

export const checkout: CheckoutHandler = async ({ state, answers, remembered }) => {
  const item_count = state.items.reduce((sum, item) => sum + item.quantity, 0);
  const answer = inputResponse(answers, "pay");
  if (answer.kind === "elicit" && answer.action !== "accept") throw new Error("Checkout cancelled: nothing was ordered, and the basket is kept.");
  const shown = (remembered as { item_count?: number } | undefined)?.item_count;
  if (shown !== item_count || acceptedContent(answers, "pay", pay)?.pay !== true) {
    return ask({ pay: ask.form(\`Pay for \${item_count} items?\`, pay) }, { remember: { item_count } });
  }
  return { output: { order_id: \`ord_\${randomUUID()}\`, item_count } };
};
`;

/** A client that sends each request to the next instance in turn, and answers forms with `answer`. */
async function roundRobinClient(answer: (message: string) => Promise<{ pay: boolean } | undefined>): Promise<Client> {
  let next = 0;
  const client = new Client({ name: "cluster-test", version: "1.0.0" }, { versionNegotiation: { mode: "auto" }, capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler("elicitation/create", async (request) => {
    const content = await answer(request.params.message);
    return content ? { action: "accept", content } : { action: "decline" };
  });
  const fetchNext: typeof fetch = (_url, init) => fetch(cluster.instances[next++ % cluster.instances.length]!.url, init);
  await client.connect(new StreamableHTTPClientTransport(new URL(cluster.url), { fetch: fetchNext }));
  return client;
}

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

  it("finish a call that asks its user on another instance than the one that asked, with what it remembered", async () => {
    const asked: string[] = [];
    const other = await connect(cluster.url);
    const basket_id = structured(await other.callTool({ name: "create_basket", arguments: {} }))!.basket_id as string;
    await other.callTool({ name: "add_item", arguments: { basket_id, sku: "C-3", quantity: 2 } });
    const client = await roundRobinClient(async (message) => {
      asked.push(message);
      // While the user decides the first time, the basket changes: the second answer is to a new question.
      if (asked.length === 1) await other.callTool({ name: "add_item", arguments: { basket_id, sku: "C-3", quantity: 1 } });
      return { pay: true };
    });
    const paid = await client.callTool({ name: "checkout", arguments: { basket_id } });
    expect(asked).toEqual(["Pay for 2 items?", "Pay for 3 items?"]);
    expect(structured(paid)).toMatchObject({ item_count: 3, order_id: expect.stringMatching(/^ord_/) });
    expect((await other.callTool({ name: "view_basket", arguments: { basket_id } })).isError).toBe(true);
    for (const each of [client, other]) await each.close();
  });

  it("keep the basket when its user declines to pay", async () => {
    const client = await roundRobinClient(async () => undefined);
    const basket_id = structured(await client.callTool({ name: "create_basket", arguments: {} }))!.basket_id as string;
    await client.callTool({ name: "add_item", arguments: { basket_id, sku: "D-4", quantity: 1 } });
    const declined = await client.callTool({ name: "checkout", arguments: { basket_id } });
    expect(declined).toMatchObject({ isError: true, content: [{ text: "Checkout cancelled: nothing was ordered, and the basket is kept." }] });
    expect(structured(await client.callTool({ name: "view_basket", arguments: { basket_id } }))).toMatchObject({ items: [{ sku: "D-4", quantity: 1 }] });
    await client.close();
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
