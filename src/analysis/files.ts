/** The source files under the paths a command was given, skipping dependencies and build output. */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors.ts";

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "coverage", ".git", ".cache", ".next", ".turbo"]);

export async function sourceFiles(paths: string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UserError(`${given}: no such file or folder`);
    if (info.isFile()) {
      if (!SOURCE.test(absolute)) throw new UserError(`${given}: not a TypeScript or JavaScript file`);
      found.add(absolute);
    }
    else await collect(absolute, found);
  }
  // Nothing to read is almost always the wrong folder: say so rather than pass vacuously.
  if (found.size === 0) {
    throw new UserError(`no TypeScript or JavaScript files under ${paths.join(", ")}`, `give the folder of the server's source (${[...SKIPPED_DIRS].join(", ")} are skipped)`);
  }
  return [...found].sort();
}

async function collect(dir: string, found: Set<string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) await collect(full, found);
    else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) found.add(full);
  }
}
