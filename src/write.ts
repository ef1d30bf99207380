/**
 * The I/O edge of generation: compares the files a generator wants with what is on disk,
 * then writes them so that a failure leaves the project as it was. The file system calls are
 * synchronous: a command does nothing else meanwhile, and each asynchronous one is a round trip
 * through libuv's thread pool, which for the thousands of small files of a large spec cost more
 * than the calls themselves (generate at 1,000 tools: about 107,000 futex calls under strace).
 */
import { randomUUID } from "node:crypto";
import { chmodSync, copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type GeneratedFile, HANDLERS_DIR, toolUserFiles } from "../generators/file.ts";
import { mergeSections } from "../generators/sections.ts";
import { relativePath } from "./paths.ts";

/** Folders that belong to the generator: anything in them that it no longer makes is removed. */
export const GENERATED_DIRS = ["src/generated", "test/generated", "schemas"];

export interface WritePlan {
  /** Files to write: generator-owned ones that differ, and user-owned ones that are missing. */
  writes: GeneratedFile[];
  /** Generator-owned files already up to date. */
  unchanged: string[];
  /** User-owned files that exist and are left alone. */
  kept: string[];
  /** Files in generator-owned folders that the generator no longer makes. */
  removals: string[];
  /** Existing files whose generator-kept regions (a README's handle flow) are out of date. */
  regionsStale: string[];
}

export async function planWrites(root: string, files: readonly GeneratedFile[]): Promise<WritePlan> {
  const plan: WritePlan = { writes: [], unchanged: [], kept: [], removals: [], regionsStale: [] };
  for (const file of files) {
    const current = readOrUndefined(path.join(root, file.path));
    if (current === undefined) plan.writes.push(file);
    else if (file.owner === "user") plan.kept.push(file.path);
    else if (file.owner === "sections") {
      // The user's text stays; only the regions between the generator's markers are brought up to date.
      const merged = mergeSections(current, file.content);
      if (merged === current) plan.unchanged.push(file.path);
      else {
        plan.writes.push({ ...file, content: merged });
        plan.regionsStale.push(file.path);
      }
    } else if (current === file.content) plan.unchanged.push(file.path);
    else plan.writes.push(file);
  }
  const wanted = new Set(files.map((f) => f.path));
  for (const dir of GENERATED_DIRS) {
    for (const existing of listFiles(root, dir)) if (!wanted.has(existing)) plan.removals.push(existing);
  }
  return plan;
}

/** Files a `--check` run reports: anything generator-owned that a `generate` would change. */
export function staleFiles(plan: WritePlan): string[] {
  return [...plan.writes.filter((f) => f.owner === "generator").map((f) => f.path), ...plan.regionsStale, ...plan.removals].sort();
}

/**
 * Writes every file to a temporary name first and renames them into place only when all
 * were written, so a full disk or a permission error leaves no half-generated project.
 */
export async function applyPlan(root: string, plan: WritePlan): Promise<void> {
  const writes = plan.writes.map((file) => ({ target: path.join(root, file.path), content: file.content }));
  await writeAllOrNone(writes, { makeDirs: true, removals: plan.removals.map((file) => path.join(root, file)) });
}

/**
 * Writes every file to a temporary name beside it first, and renames them into place only when
 * all were written: a full disk or a permission error leaves every file as it was. A file that
 * exists keeps its mode (an executable script stays executable). Each file replaced or removed
 * keeps its old content under a second name until every change has succeeded, so one failing
 * half-way puts back those already made.
 */
export async function writeAllOrNone(
  files: ReadonlyArray<{ target: string; content: string }>,
  options: { makeDirs?: boolean; removals?: readonly string[] } = {},
): Promise<void> {
  const staged: Array<Staged & { temp: string }> = [];
  // Few system calls per new file (generate writes thousands): a folder is made once, and a file
  // that is not there has no link to follow, no mode to keep and no old content to keep.
  const folders = new Set<string>();
  let target = "";
  try {
    for (const file of files) {
      target = file.target;
      const existing = statSync(target, { throwIfNoEntry: false });
      // Through a symlink to the file it names: the rename replaces that file, not the link.
      if (existing) target = realpathSync(target);
      const temp = `${target}.${randomUUID().slice(0, 8)}.tmp`;
      if (options.makeDirs && !existing && !folders.has(path.dirname(target))) {
        mkdirSync(path.dirname(target), { recursive: true });
        folders.add(path.dirname(target));
      }
      const mode = existing ? existing.mode & 0o7777 : undefined;
      staged.push({ temp, target, existed: !!existing });
      writeFileSync(temp, file.content, mode === undefined ? {} : { mode });
      if (mode !== undefined) chmodSync(temp, mode); // writeFile's mode is only for a new file, and the umask narrows it
    }
  } catch (error) {
    for (const { temp } of staged) rmSync(temp, { force: true });
    throw naming(error, target);
  }
  replaceAllOrNone([...staged, ...(options.removals ?? []).map((target) => ({ temp: undefined, target, existed: true }))]);
}

/** A file to put in place from `temp`, or to remove (no `temp`); `existed` when it was there before. */
interface Staged {
  temp: string | undefined;
  target: string;
  existed: boolean;
}

function replaceAllOrNone(staged: readonly Staged[]): void {
  const kept: Array<{ target: string; backup: string | undefined }> = [];
  let done = 0;
  let current = "";
  try {
    for (const { temp, target, existed } of staged) {
      current = target;
      const backup = `${temp ?? `${target}.${randomUUID().slice(0, 8)}`}.old`;
      kept.push({ target, backup: existed && keepOldContent(target, backup) ? backup : undefined });
    }
    for (const { temp, target } of staged) {
      current = target;
      if (temp === undefined) rmSync(target, { force: true });
      else renameSync(temp, target);
      done++;
    }
  } catch (error) {
    for (const [i, { target, backup }] of kept.entries()) {
      if (i >= done) {
        if (backup !== undefined) rmSync(backup, { force: true });
      } else if (backup === undefined) rmSync(target, { force: true });
      else renameSync(backup, target);
    }
    for (const { temp } of staged.slice(done)) if (temp !== undefined) rmSync(temp, { force: true });
    throw naming(error, current);
  }
  for (const { backup } of kept) if (backup !== undefined) rmSync(backup, { force: true });
}

/**
 * A file system error told of the file the user knows: a temporary or backup file's error names
 * the file it stands for, and a read on a directory (which names none) the path read.
 */
function naming(error: unknown, target: string): unknown {
  const failure = error as NodeJS.ErrnoException;
  if (typeof failure.code === "string") failure.path = target;
  return error;
}

/** Whether `target` existed; if so its content is reachable at `backup` too. */
function keepOldContent(target: string, backup: string): boolean {
  try {
    // A link, not a copy: free, where the file system has them.
    linkSync(target, backup);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
  }
  // A directory in the way fails here (EISDIR), before anything is renamed.
  copyFileSync(target, backup);
  return true;
}

/**
 * The handlers, and their tests, of tools the spec no longer has. They are the user's, so they
 * are named rather than removed; a handler is told from a helper module by its import of the
 * generated types, which no longer have its tool's type.
 */
export async function leftoverToolFiles(root: string, tools: readonly string[]): Promise<string[]> {
  const current = new Set(tools);
  const leftovers: string[] = [];
  for (const file of listFiles(root, HANDLERS_DIR)) {
    const tool = path.posix.basename(file, ".ts");
    if (path.posix.dirname(file) !== HANDLERS_DIR || !file.endsWith(".ts") || current.has(tool)) continue;
    const { handler, test } = toolUserFiles(tool);
    if (!readOrUndefined(path.join(root, handler))?.includes("../generated/types.ts")) continue;
    leftovers.push(handler);
    if (readOrUndefined(path.join(root, test)) !== undefined) leftovers.push(test);
  }
  return leftovers.sort();
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw naming(error, file);
  }
}

function listFiles(root: string, dir: string): string[] {
  try {
    const entries = readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relativePath(root, path.join(e.parentPath, e.name)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
