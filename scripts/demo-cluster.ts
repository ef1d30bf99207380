/**
 * `npm run demo:cluster`: three instances of a generated server behind nginx, sharing one
 * Redis, all on loopback; walks through what statelessness buys and prints each step.
 * `--keep` leaves the cluster serving until Ctrl-C.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { connectHttp as connect } from "../test/support/client.ts";
import { generateAndInstall, withRedisStore } from "../test/support/generated-project.ts";
import { packTarball } from "../test/support/processes.ts";
import { startCluster } from "./cluster.ts";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(root, "demo/cluster-basket");
const say = (line: string) => console.log(line);

const text = (result: { content?: unknown }) => ((result.content as Array<{ text?: string }>)[0]?.text ?? "").slice(0, 110);

if (!existsSync(path.join(dir, "node_modules"))) {
  say("Generating the basket example with the redis store into demo/cluster-basket …");
  mkdirSync(path.join(root, ".cache"), { recursive: true });
  generateAndInstall(path.join(root, "templates/starters/basket"), dir, packTarball(root, path.join(root, ".cache")), withRedisStore);
}
const cluster = await startCluster(dir, 3);
try {
  say(`\nRedis at ${cluster.redis.url}; instances at ${cluster.instances.map((i) => i.url).join(", ")}`);
  say(`nginx (round-robin, no stickiness) at ${cluster.url}\n`);
  const [one, two] = await Promise.all(cluster.instances.slice(0, 2).map((i) => connect(i.url)));
  const viaNginx = await connect(cluster.url);
  const made = await one!.callTool({ name: "create_basket", arguments: {} });
  const basket_id = (made.structuredContent as { basket_id: string }).basket_id;
  say(`1. create_basket through instance 1  → ${basket_id}`);
  say(`2. add_item through instance 2       → ${text(await two!.callTool({ name: "add_item", arguments: { basket_id, sku: "A-100", quantity: 2 } }))}`);
  for (let i = 0; i < 3; i++) say(`3. view_basket through nginx          → ${text(await viaNginx.callTool({ name: "view_basket", arguments: { basket_id } }))}`);
  cluster.instances[1]!.kill();
  say("4. instance 2 killed (SIGKILL)");
  for (let i = 0; i < 3; i++) say(`5. view_basket through nginx          → ${text(await viaNginx.callTool({ name: "view_basket", arguments: { basket_id } }))}`);
  await cluster.redis.stop();
  say("6. Redis stopped");
  say(`7. create_basket through nginx        → ${text(await viaNginx.callTool({ name: "create_basket", arguments: {} }))}`);
  await cluster.redis.start();
  say("8. Redis started again (empty: this demo keeps no Redis data on disk)");
  let answer = "";
  for (let attempt = 0; attempt < 50; attempt++) {
    const again = await viaNginx.callTool({ name: "create_basket", arguments: {} });
    answer = text(again);
    if (!again.isError) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  say(`9. create_basket through nginx        → ${answer}`);
  for (const client of [one, two, viaNginx]) await client!.close();
  if (process.argv.includes("--keep")) {
    say(`\nServing at ${cluster.url} until Ctrl-C.`);
    await new Promise((resolve) => process.once("SIGINT", resolve));
  }
} finally {
  await cluster.stop();
  say("\nCluster stopped.");
}
