/**
 * Lays a new project down: the template's spec and handlers, then everything `generate`
 * makes. It all happens in a staging folder beside the target, moved into place only once
 * complete, so a failure (or Ctrl-C) never leaves a half-made project.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { generate } from "../commands/generate.ts";
import { UserError } from "../errors.ts";
import { relativePath, templatesDir } from "../paths.ts";
import type { CreateChoices } from "./options.ts";
import { patchSpec } from "./patch-spec.ts";

/**
 * Creates the project at `target` and returns the files written, relative to it. With
 * `overwrite`, the target's old contents (but not its .git) go only once the new project is ready.
 */
export async function scaffold(target: string, choices: CreateChoices, overwrite = false): Promise<string[]> {
  const staging = await makeStaging(target);
  try {
    await cp(path.join(templatesDir, "starters", choices.template), staging, { recursive: true });
    await renameDotfiles(staging);
    const specFile = path.join(staging, "mcp.spec.ts");
    await writeFile(specFile, patchSpec(await readFile(specFile, "utf8"), choices));
    await generate({ dir: staging, quiet: true, packageManager: choices.packageManager });
    const files = (await readdir(staging, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relativePath(staging, path.join(e.parentPath, e.name)))
      .sort();
    if (overwrite) await emptyFolder(target);
    await moveInto(staging, target);
    return files;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The staging folder beside the target; a parent that cannot be written is the user's to fix. */
async function makeStaging(target: string): Promise<string> {
  const parent = path.dirname(target);
  try {
    await mkdir(parent, { recursive: true });
    return await mkdtemp(path.join(parent, `.${path.basename(target)}-creating-`));
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (!code || !["EACCES", "EPERM", "EROFS", "ENOENT", "ENOTDIR", "ENOSPC", "EEXIST"].includes(code)) throw error;
    throw new UserError(`cannot create ${target}: ${message}`, `choose a folder you can write to; nothing was written`);
  }
}

/** Templates store dotfiles as `_gitignore` so that npm publishes them and git leaves them alone. */
async function renameDotfiles(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.startsWith("_")) {
      await rename(path.join(entry.parentPath, entry.name), path.join(entry.parentPath, `.${entry.name.slice(1)}`));
    }
  }
}

/** Moves the staged project to `target`, which is missing or empty (emptied by --overwrite). */
async function moveInto(staging: string, target: string): Promise<void> {
  try {
    await rename(staging, target);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
  }
  for (const entry of await readdir(staging)) await rename(path.join(staging, entry), path.join(target, entry));
}

/** What --overwrite removes: everything but the folder's git history. */
async function emptyFolder(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry !== ".git") await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}
