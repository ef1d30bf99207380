/**
 * What the `mcp-stateless` and `create-mcp-stateless` bins run: the Node version check, then the
 * CLI. This module imports nothing, so that on an old Node the check runs before anything that
 * Node cannot load (the CLI uses `node:module` hooks, and the projects it creates run TypeScript
 * with Node's own type stripping); otherwise the user would read a misleading internal error.
 */

/** The oldest Node this package and the projects it creates run on; package.json's engines say the same. */
export const MINIMUM_NODE = "22.18";

/** Why this Node cannot run the CLI, or undefined if it can. `version` is like "22.18.0". */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const [needMajor = 0, needMinor = 0] = MINIMUM_NODE.split(".").map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return (
    `create-mcp-stateless needs Node.js ${MINIMUM_NODE} or newer (this is ${version}): it and the projects it ` +
    `creates run TypeScript directly. Install a current Node.js (https://nodejs.org, or \`nvm install 24\`) and run this again.`
  );
}

/** Checks the Node version, then runs the CLI with `args`; resolves with the exit code. */
export async function launch(args: string[], nodeVersion = process.versions.node): Promise<number> {
  const problem = nodeVersionProblem(nodeVersion);
  if (problem) {
    console.error(problem);
    return 2;
  }
  const { main } = await import("./cli.ts");
  return main(args);
}
