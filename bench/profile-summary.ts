/**
 * Where the time goes in a .cpuprofile (from `node --cpu-prof`): self time per function and
 * per package, largest first. `node bench/profile-summary.ts bench/profiles/<file>.cpuprofile`
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as { nodes: Node[]; samples: number[] };
const total = profile.samples.length;
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const url = node.callFrame.url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith("node:") ? "node internals" : url ? "project" : "(vm: gc, idle, native)");
  const name = `${node.callFrame.functionName || "(anonymous)"}  ${url.split("/").slice(-2).join("/")}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
}
const top = (map: Map<string, number>, n: number) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`).join("\n");
console.log(`self time by package (${total} samples)\n${top(byPackage, 10)}\n\nself time by function\n${top(byFunction, 25)}`);
