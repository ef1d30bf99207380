import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "./errors.ts";

/** The package's root folder, found from this file both in `src/` (tests) and in `dist/src/` (installed). */
export const packageRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "templates")) || !existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("create-mcp-stateless: cannot find its own templates/ folder");
    dir = parent;
  }
  return dir;
})();

export const templatesDir = path.join(packageRoot, "templates");

/** `to` relative to `from`, with forward slashes on every OS: how paths are shown and imported. */
export function relativePath(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/");
}

/** The folder `--dir` names (the current one without it), refused when there is no such folder. */
export function projectFolder(dir: unknown): string {
  const folder = path.resolve(typeof dir === "string" ? dir : ".");
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`--dir ${String(dir)}: no such folder`);
  return folder;
}
