/**
 * A tree for the migrate benchmark: mostly ordinary application code, with session-reliant
 * MCP servers sprinkled in (one file in twenty), half of them still on SDK v1 so the
 * official codemod runs too. Deterministic: the same count gives the same tree.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const fixtures = path.join(root, "test/fixtures/migrate-projects");
const SESSION_RELIANT = [
  readFileSync(path.join(fixtures, "notes-v1/src/server.ts"), "utf8"),
  readFileSync(path.join(fixtures, "shop-express/src/server.ts"), "utf8"),
  readFileSync(path.join(fixtures, "database/src/main.ts"), "utf8"),
  readFileSync(path.join(fixtures, "shop-express/src/index.ts"), "utf8"),
  readFileSync(path.join(fixtures, "weather-v1/src/server.ts"), "utf8"),
  readFileSync(path.join(fixtures, "shared-v2/src/server.ts"), "utf8"),
];

/** Ordinary code of the size real modules have (about 60 lines): types, functions, a class. */
function ordinary(i: number): string {
  return `/** Module ${i}: inventory arithmetic, nothing to do with MCP. */
import { strict as assert } from "node:assert";

export interface Item${i} {
  sku: string;
  quantity: number;
  priceCents: number;
  tags: readonly string[];
}

export function total${i}(items: readonly Item${i}[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);
}

export function restock${i}(items: Item${i}[], sku: string, quantity: number): Item${i}[] {
  assert(quantity > 0, "restock needs a positive quantity");
  return items.map((item) => (item.sku === sku ? { ...item, quantity: item.quantity + quantity } : item));
}

export class Ledger${i} {
  readonly #entries: Array<{ at: number; sku: string; delta: number }> = [];

  record(sku: string, delta: number): void {
    this.#entries.push({ at: Date.now(), sku, delta });
  }

  balance(sku: string): number {
    let sum = 0;
    for (const entry of this.#entries) if (entry.sku === sku) sum += entry.delta;
    return sum;
  }

  /** The busiest skus first. */
  busiest(limit = 10): string[] {
    const counts = new Map<string, number>();
    for (const { sku } of this.#entries) counts.set(sku, (counts.get(sku) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([sku]) => sku);
  }
}

export const DEFAULT_TAGS_${i} = ["fresh", "local", "seasonal"] as const;

export function describe${i}(item: Item${i}): string {
  const tags = item.tags.length ? \` [\${item.tags.join(", ")}]\` : "";
  return \`\${item.quantity} × \${item.sku} at \${(item.priceCents / 100).toFixed(2)}\${tags}\`;
}
`;
}

/** Writes `count` files under `dir` (in folders of 50) and returns how many rely on sessions. */
export function writeMigrateTree(dir: string, count: number): number {
  let reliant = 0;
  mkdirSync(dir, { recursive: true });
  // Its own manifest, on SDK v1 like the servers in it, which migrate moves to v2.
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "bench-tree", private: true, type: "module", dependencies: { "@modelcontextprotocol/sdk": "^1.17.0", zod: "^3.25.0" } }, null, 2)}\n`);
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, "src", `part-${Math.floor(i / 50)}`);
    mkdirSync(folder, { recursive: true });
    const text = i % 20 === 7 ? SESSION_RELIANT[reliant++ % SESSION_RELIANT.length]! : ordinary(i);
    writeFileSync(path.join(folder, `module-${i}.ts`), text);
  }
  return reliant;
}
