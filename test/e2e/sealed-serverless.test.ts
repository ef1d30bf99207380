/**
 * Serverless with no store at all: the fetch export of a project generated with the sealed
 * store, called the way a serverless host calls it — a fresh module instance for every
 * request — serves the whole handle flow, so nothing can be held between requests.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAndInstall } from "../support/generated-project.ts";
import { repoRoot, startersDir } from "../support/project.ts";
import { packTarball, run } from "../support/processes.ts";

const work = mkdtempSync(path.join(tmpdir(), "mcp-stateless-sealed-"));
const dir = path.join(work, "basket");
const keys = "k2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8,k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

beforeAll(() => {
  generateAndInstall(path.join(startersDir, "basket"), dir, packTarball(repoRoot, work), (spec) =>
    spec.replace(`  version: "0.1.0",`, `  version: "0.1.0",\n  store: "sealed",`),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs in the project: every request goes to a module instance of src/fetch.ts made for it alone. */
const DRIVER = `
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
let instances = 0;
const transport = new StreamableHTTPClientTransport(new URL("https://edge.example/mcp"), {
  fetch: async (url, init) => {
    const { default: app } = await import("./src/fetch.ts?instance=" + ++instances);
    return app.fetch(new Request(url, init));
  },
});
const client = new Client({ name: "edge", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
await client.connect(transport);
const call = async (name, args) => (await client.callTool({ name, arguments: args })).structuredContent;
const list = JSON.stringify((await client.listTools()).tools);
const { basket_id: first } = await call("create_basket", {});
const { basket_id: second, item_count } = await call("add_item", { basket_id: first, sku: "A-1", quantity: 2 });
const viewed = await call("view_basket", { basket_id: second });
const stale = await call("view_basket", { basket_id: first });
const sameList = list === JSON.stringify((await client.listTools()).tools);
console.log(JSON.stringify({ first, second, item_count, viewed, stale, sameList, instances }));
process.exit(0);
`;

describe("the sealed store behind the fetch export", () => {
  it("is what the project generates, with no other persistent store", () => {
    expect(readFileSync(path.join(dir, "src/generated/stores.ts"), "utf8")).toContain(`env.MCP_HANDLE_STORE ?? "sealed"`);
    run("npx", ["tsc", "--noEmit"], dir);
    expect(run("npx", ["vitest", "run"], dir, { NO_COLOR: "1" })).toMatch(/Tests\s+\d+ passed/);
  });

  it("serves the whole handle flow with a fresh module instance per request", () => {
    const output = run(process.execPath, ["--input-type=module", "-e", DRIVER], dir, { MCP_SEALED_KEYS: keys });
    const result = JSON.parse(output.trim().split("\n").at(-1)!);
    expect(result.first).toMatch(/^bsk_k2\./);
    expect(result.second).toMatch(/^bsk_k2\./);
    expect(result.second).not.toBe(result.first); // the state changed, so the handle did
    expect(result.item_count).toBe(2);
    expect(result.viewed).toEqual({ currency: "EUR", items: [{ sku: "A-1", quantity: 2 }] });
    expect(result.stale).toEqual({ currency: "EUR", items: [] }); // the old handle still holds the old state
    expect(result.sameList).toBe(true);
    expect(result.instances).toBeGreaterThanOrEqual(7);
  });

  it("opens handles sealed before a key rotation, and refuses them once the old key is gone", () => {
    const create = DRIVER.replace(/const \{ basket_id: second[\s\S]*process\.exit\(0\);/, "console.log(JSON.stringify({ first })); process.exit(0);");
    const sealedWithK1 = JSON.parse(run(process.execPath, ["--input-type=module", "-e", create], dir, { MCP_SEALED_KEYS: keys.split(",")[1]! }).trim().split("\n").at(-1)!).first;
    const view = (k: string) =>
      run(process.execPath, ["--input-type=module", "-e", DRIVER.replace(/const list[\s\S]*process\.exit\(0\);/, `const r = await client.callTool({ name: "view_basket", arguments: { basket_id: ${JSON.stringify(sealedWithK1)} } }); console.log(JSON.stringify(r)); process.exit(0);`)], dir, { MCP_SEALED_KEYS: k });
    expect(JSON.parse(view(keys).trim().split("\n").at(-1)!).isError).toBeFalsy();
    const refused = JSON.parse(view(keys.split(",")[0]!).trim().split("\n").at(-1)!);
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain("is unknown or has ended. Call create_basket");
  });
});
