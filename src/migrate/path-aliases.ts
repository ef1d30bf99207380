/**
 * The path aliases a project's tsconfig declares (`"paths": { "@/*": ["./src/*"] }`, as every
 * Next.js app has), so that `migrate` follows `import { createServer } from "@/lib/mcp"` to the
 * module as it follows a relative import. Read with TypeScript's own parser, `extends` included.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { PathAlias, PathAliases } from "./relative-imports.ts";

/** For a file, the aliases of the tsconfig.json nearest above it; each folder looked up once. */
export function nearestPathAliases(): PathAliases {
  const byDir = new Map<string, readonly PathAlias[]>();
  const lookUp = (dir: string): readonly PathAlias[] => {
    let found = byDir.get(dir);
    if (found === undefined) {
      const here = path.join(dir, "tsconfig.json");
      found = existsSync(here) ? aliasesOf(here) : path.dirname(dir) === dir ? [] : lookUp(path.dirname(dir));
      byDir.set(dir, found);
    }
    return found;
  };
  return (file) => lookUp(path.dirname(file));
}

/** A config that does not parse has no aliases to offer: the imports through them stay unread, as before. */
function aliasesOf(configFile: string): readonly PathAlias[] {
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error || !config) return [];
  // No directory listing: only the options are wanted, not the files the config includes.
  const host: ts.ParseConfigHost = { ...ts.sys, readDirectory: () => [] };
  const { options } = ts.parseJsonConfigFileContent(config, host, path.dirname(configFile), undefined, configFile);
  if (!options.paths) return [];
  // Targets are relative to baseUrl, or without one to the config that declared them.
  const base = options.baseUrl ?? (options as { pathsBasePath?: string }).pathsBasePath ?? path.dirname(configFile);
  return Object.entries(options.paths).map(([pattern, targets]) => ({ pattern, targets: targets.map((target) => path.resolve(base, target)) }));
}
