/**
 * package.json after a migration: the v1 SDK gives way to the v2 packages the migrated
 * code imports, and zod moves to a version the v2 SDK accepts (≥ 4.2). The manifest's own
 * layout (indentation, key order) is kept: a sorted dependency list stays sorted, any other
 * keeps its order with new packages at the end. A version that is no semver range (a pnpm
 * catalog, workspace:, npm: aliases, paths, git) is left alone: it cannot be judged from here.
 */
import ts from "typescript";
import { PROJECT_DEPENDENCIES, PROJECT_DEV_DEPENDENCIES, SDK_ADAPTERS, V1_ONLY_FRAMEWORKS, V2_READY_RELEASES } from "../versions.ts";

/** Every SDK v2 package migrated code may import, at the version new projects get. */
const V2_PACKAGES: Record<string, string> = {
  "@modelcontextprotocol/server": PROJECT_DEPENDENCIES["@modelcontextprotocol/server"],
  "@modelcontextprotocol/node": PROJECT_DEPENDENCIES["@modelcontextprotocol/node"],
  "@modelcontextprotocol/client": PROJECT_DEV_DEPENDENCIES["@modelcontextprotocol/client"],
  // The protocol's zod schemas (`ToolSchema`), where the codemod moves v1's; released with the server package.
  "@modelcontextprotocol/core": PROJECT_DEPENDENCIES["@modelcontextprotocol/server"],
  ...SDK_ADAPTERS,
  "mcp-handler": V2_READY_RELEASES["mcp-handler"]!.version,
};

/**
 * Packages whose job, serving v1's MCP over a framework, the migrated code now does itself (or,
 * for @vercel/mcp-adapter, under the name it has since: mcp-handler). fetch-to-node made Node's
 * request and response from a web Request for v1's Node transport; createMcpHandler takes the
 * Request itself.
 */
const V1_ADAPTERS = ["@hono/mcp", "@vercel/mcp-adapter", "express-mcp-handler", "fetch-to-node"];
/** zod-to-json-schema reads zod 3 only: where the code no longer imports it (zod-json-schema.ts), it goes with zod 3. */
const ZOD_3_ONLY = ["zod-to-json-schema"];

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The framework of V1_ONLY_FRAMEWORKS a manifest depends on at a v1-only version, if any (not for a range it cannot read, nor a manifest that does not parse). */
export function v1OnlyFramework(text: string): string | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    return undefined;
  }
  const declared = { ...manifest.dependencies, ...manifest.devDependencies };
  return Object.entries(V1_ONLY_FRAMEWORKS).find(([name, { before }]) => name in declared && (before === undefined || lowestAtLeast(declared[name]!, before) === false))?.[0];
}

/**
 * Whether an installed package is built on SDK v1: its manifest asks for @modelcontextprotocol/sdk
 * (a dependency or a peer) and for none of the v2 packages. Its servers are v1's, which SDK v2's
 * entries and transports do not take. False for a manifest that does not parse.
 */
export function builtOnSdkV1(text: string): boolean {
  let manifest: Manifest & { peerDependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch {
    return false;
  }
  const asked = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  return asked.includes("@modelcontextprotocol/sdk") && !asked.some((name) => name in V2_PACKAGES);
}

/** The package a bare import names (`@scope/name` of `@scope/name/sub`), or undefined for a relative or absolute one. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? (parts.length > 1 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

/** The new manifest text, or undefined when nothing needs to change. */
export function upgradeManifest(text: string, migratedSources: readonly string[]): string | undefined {
  const manifest = JSON.parse(text) as Manifest;
  // Only an MCP server's own manifest: never a workspace root that happens to be above it.
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  if (!declared.some((name) => name.startsWith("@modelcontextprotocol/") || V1_ADAPTERS.includes(name) || name in V2_READY_RELEASES)) return undefined;
  // A framework on SDK v1 keeps its package there, zod 3 and all (V1_ONLY_FRAMEWORKS says why each).
  if (v1OnlyFramework(text)) return undefined;
  // A package is imported by its name or by a subpath of it (`@modelcontextprotocol/server/stdio`),
  // in an import, an export … from, a require or an import(): not a string that happens to name it.
  const specifiers = new Set(migratedSources.flatMap((source) => ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName)));
  const imports = (name: string) => [...specifiers].some((specifier) => specifier === name || specifier.startsWith(`${name}/`));
  const dependencies = { ...manifest.dependencies };
  const hadV1 = "@modelcontextprotocol/sdk" in dependencies || "@modelcontextprotocol/sdk" in (manifest.devDependencies ?? {});
  const devDependencies = manifest.devDependencies && { ...manifest.devDependencies };
  // The v1 SDK goes unless some file still imports it (one migrate left alone), and so does a
  // v1-era adapter the migrated code no longer imports (its transport became createMcpHandler),
  // and zod-to-json-schema once zod's own toJSONSchema took its place.
  for (const name of ["@modelcontextprotocol/sdk", ...V1_ADAPTERS, ...ZOD_3_ONLY].filter((name) => !imports(name))) {
    delete dependencies[name];
    if (devDependencies) delete devDependencies[name];
  }

  // mcp-handler 2.x and agents/mcp/server take the SDK as a peer: the project names it.
  const servesThroughAdapter = Object.values(V2_READY_RELEASES).some(({ entry }) => imports(entry));
  for (const [name, version] of Object.entries(V2_PACKAGES)) {
    const installed = name in dependencies || (devDependencies && name in devDependencies);
    if (!installed && (imports(name) || (name === "@modelcontextprotocol/server" && (hadV1 || servesThroughAdapter)))) dependencies[name] = `^${version}`;
  }
  // A package whose SDK v2 entry the code now imports, at a release that has it.
  for (const [name, { entry, since, version }] of Object.entries(V2_READY_RELEASES)) {
    const range = dependencies[name] ?? devDependencies?.[name];
    const importsEntry = specifiers.has(entry);
    if (range === undefined || !importsEntry || lowestAtLeast(range, since) !== false) continue;
    if (name in dependencies) dependencies[name] = `^${version}`;
    else devDependencies![name] = `^${version}`;
  }
  const zod = dependencies.zod ?? devDependencies?.zod;
  if ((zod === undefined && imports("zod")) || (zod !== undefined && lowestAtLeast(zod, "4.2.0") === false)) {
    if (devDependencies && "zod" in devDependencies && !("zod" in dependencies)) devDependencies.zod = `^${PROJECT_DEPENDENCIES.zod}`;
    else dependencies.zod = `^${PROJECT_DEPENDENCIES.zod}`;
  }

  const next = {
    ...manifest,
    dependencies: inOrderOf(manifest.dependencies, dependencies),
    ...(devDependencies ? { devDependencies: inOrderOf(manifest.devDependencies, devDependencies) } : {}),
  };
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? "  ";
  const result = `${JSON.stringify(next, null, indent)}${text.endsWith("\n") ? "\n" : ""}`;
  return JSON.stringify(next) === JSON.stringify(manifest) ? undefined : result;
}

/**
 * Whether a range's lowest version is `min` or later (for 4.2.0: `^4.2.0`, `~4.6.1`, `4.3.0`,
 * `>=4.2`); undefined for what is no semver range (`catalog:`, `workspace:^`, `npm:zod@…`, `file:…`).
 */
function lowestAtLeast(range: string, min: string): boolean | undefined {
  if (/^[\w+.-]+:|\//.test(range)) return undefined;
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(range);
  if (!match) return range === "latest" || range === "*" || range === "";
  const lowest = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  const wanted = min.split(".").map(Number);
  const first = lowest.findIndex((part, i) => part !== wanted[i]);
  return first === -1 || lowest[first]! > wanted[first]!;
}

/** `next` sorted if `original` was (as npm writes it); otherwise as built: old order, new keys last. */
function inOrderOf(original: Record<string, string> | undefined, next: Record<string, string>): Record<string, string> {
  const byName = ([a]: [string, string], [b]: [string, string]) => (a < b ? -1 : 1);
  const entries = Object.entries(original ?? {});
  const wasSorted = entries.every((entry, i) => i === 0 || byName(entries[i - 1]!, entry) < 0);
  return wasSorted ? Object.fromEntries(Object.entries(next).sort(byName)) : next;
}
