/** A generated project installed for real: this checkout's packed CLI as its devDependency. */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./project.ts";
import { run } from "./processes.ts";

/** Copies a spec folder to `dir`, optionally edits its spec, generates with this checkout's build, and installs. */
export function generateAndInstall(from: string, dir: string, tarball: string, editSpec?: (spec: string) => string): void {
  cpSync(from, dir, { recursive: true });
  if (editSpec) {
    const spec = path.join(dir, "mcp.spec.ts");
    writeFileSync(spec, editSpec(readFileSync(spec, "utf8")));
  }
  run(process.execPath, [path.join(repoRoot, "bin/mcp-stateless.js"), "generate", "--quiet"], dir);
  run("npm", ["pkg", "set", `devDependencies.create-mcp-stateless=file:${tarball}`], dir);
  // A registry request that stalls is given up after 2 minutes and tried again, not waited on until
  // the hook's timeout (npm's own default is 5 minutes a try): a CI run once lost its cluster tests so.
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--fetch-timeout=120000", "--fetch-retries=4"], dir);
}

/** The basket example switched to the redis store. */
export const withRedisStore = (spec: string) => spec.replace(`  version: "0.1.0",`, `  version: "0.1.0",\n  store: "redis",`);
