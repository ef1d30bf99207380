/**
 * The one place that pins what generated projects depend on: creating a project looks
 * nothing up in a registry, and every project made by one release gets the same versions.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "./paths.ts";

export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }
).version;

export const PROJECT_DEPENDENCIES = {
  "@modelcontextprotocol/node": "2.1.2",
  "@modelcontextprotocol/server": "2.4.0",
  jose: "6.2.17",
  zod: "4.6.7",
} as const;

/** Added to a project's dependencies only when it generates the redis store. */
export const REDIS_CLIENT = { "@redis/client": "6.3.1" } as const;

export const PROJECT_DEV_DEPENDENCIES = {
  "@modelcontextprotocol/client": "2.4.0",
  "@types/node": "24.19.2",
  typescript: "5.9.3",
  vitest: "4.1.12",
} as const;

/**
 * The other SDK v2 packages code can import after `migrate` (the official codemod moves v1's
 * express helpers and legacy auth/SSE there); migrate adds the ones the code imports.
 */
export const SDK_ADAPTERS = {
  "@modelcontextprotocol/express": "2.0.2",
  "@modelcontextprotocol/fastify": "2.0.1",
  "@modelcontextprotocol/hono": "2.0.2",
  "@modelcontextprotocol/server-legacy": "2.3.1",
} as const;

/**
 * Packages with an SDK v2 entry migrated code may import: a range below `since` serves only
 * SDK v1 and becomes `^version` once the code imports `entry` (agents/mcp/server arrived before
 * 0.32.0, but agents pins the SDK exactly, and 0.32.0 is the release on
 * @modelcontextprotocol/server 2.4.0, the version projects get).
 */
export const V2_READY_RELEASES: Record<string, { entry: string; since: string; version: string }> = {
  agents: { entry: "agents/mcp/server", since: "0.32.0", version: "0.32.0" },
  "mcp-handler": { entry: "mcp-handler", since: "2.0.0", version: "2.4.0" },
};

/**
 * Frameworks that serve MCP on SDK v1 only (below `before`, where a later major moved to v2):
 * what they need, what to do first and the check rule that says how. mcp-framework 0.2.22 takes
 * @modelcontextprotocol/sdk ^1.29 and zod 3.x as peers; @rekog/mcp-nest 1.x builds SDK v1
 * servers (2.0 is on v2, with another API); @smithery/sdk 1.x and 2.x serve SDK v1 with zod 3 of
 * their own, turning the config schema a project hands them into JSON Schema (3.0 has no server
 * entry). While a package depends on one, migrate leaves its SDK v1 code and its package.json as
 * they are.
 */
export const V1_ONLY_FRAMEWORKS: Record<string, { needs: string; before?: string; first: string; rule: string }> = {
  "mcp-framework": { needs: "SDK v1 and zod 3", first: "move the package's server off mcp-framework to the SDK v2", rule: "mcp-framework" },
  "@rekog/mcp-nest": { needs: "SDK v1", before: "2.0.0", first: "move the package to @rekog/mcp-nest 2.x, which is on SDK v2", rule: "mcp-nest-v1" },
  "@smithery/sdk": { needs: "SDK v1 and zod 3", before: "3.0.0", first: "move the package's entry off Smithery's SDK 1.x to createMcpHandler", rule: "smithery" },
};

/** Run on demand by the generated `inspect` script (npx), not installed with the project. */
export const INSPECTOR_VERSION = "2.12.0";

/**
 * What a new project's devDependency on this package says: the published version, or, when
 * `create` was started from a packed tarball (`npm exec --package ./create-mcp-stateless-X.tgz`),
 * that same tarball, since the version may not be published yet. MCP_STATELESS_SELF overrides both.
 */
export function selfDependency(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  if (env.MCP_STATELESS_SELF) return env.MCP_STATELESS_SELF;
  const launched = env.npm_config_package;
  if (launched && /(^|\/)create-mcp-stateless-[^/]+\.tgz$/.test(launched)) return `file:${path.resolve(cwd, launched)}`;
  return `^${TOOL_VERSION}`;
}
