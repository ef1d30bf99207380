/**
 * `mcp-stateless migrate`: session-reliant server code → sessionless code, or a precise
 * account of what could not be moved. Every file is processed before any is written; a file
 * that fails is reported and left as it was, and the run goes on.
 */
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { RULES } from "../analysis/analyze.ts";
import { sourceFiles } from "../analysis/files.ts";
import { UserError } from "../errors.ts";
import { didYouMean } from "../spec/did-you-mean.ts";
import { migrateText, type FileResult } from "../migrate/engine.ts";

export default async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const known = RULES.map((r) => r.id).filter((id) => id !== "todo-marker");
  let rules: Set<string> | undefined;
  if (typeof values.rules === "string") {
    rules = new Set(values.rules.split(",").map((r) => r.trim()).filter(Boolean));
    for (const rule of rules) if (!known.includes(rule)) throw new UserError(`--rules: unknown rule "${rule}"${didYouMean(rule, known)}`, `rules: ${known.join(", ")}`);
  }
  const cwd = process.cwd();
  const files = await sourceFiles(positionals.length ? positionals : ["."], cwd);
  const dryRun = values["dry-run"] === true;
  if (!dryRun && values.force !== true) refuseUncommitted(files, cwd);

  const results: FileResult[] = [];
  for (const file of files) {
    const shown = path.relative(cwd, file).split(path.sep).join("/") || file;
    try {
      results.push({ ...migrateText(shown, await readFile(file, "utf8"), { insertTodos: values["insert-todos"] === true, rules }), file: shown });
    } catch (error) {
      results.push({ file: shown, after: undefined, applied: [], findings: [], error: (error as Error).message });
    }
  }

  const changed = results.filter((r) => r.after !== undefined && !r.error);
  if (dryRun) {
    const { createTwoFilesPatch } = await import("diff");
    for (const result of changed) {
      console.log(createTwoFilesPatch(`a/${result.file}`, `b/${result.file}`, await readFile(path.resolve(cwd, result.file), "utf8"), result.after!).trimEnd());
    }
  } else {
    for (const result of changed) await writeFile(path.resolve(cwd, result.file), result.after!);
  }

  const left = results.reduce((n, r) => n + r.findings.length, 0);
  const failed = results.filter((r) => r.error);
  if (values.json === true) {
    console.log(JSON.stringify({ dryRun, files: results.map(({ after, ...rest }) => ({ ...rest, changed: after !== undefined })), changed: changed.length, findingsLeft: left, failed: failed.length }, null, 2));
  } else {
    for (const result of results) {
      if (result.error) console.log(`ERR ${result.file}: ${result.error}`);
      if (result.applied.length) console.log(`${dryRun ? "would migrate" : "migrated"} ${result.file} (${result.applied.join(", ")})`);
      for (const f of result.findings) console.log(`${f.file}:${f.line}:${f.column}  ${f.rule}  ${f.message}\n    to do: ${f.fix.replace(/^run `mcp-stateless migrate` \([^)]*\): /, "")}`);
    }
    console.log(`${changed.length} file${changed.length === 1 ? "" : "s"} ${dryRun ? "would change" : "changed"}, ${left} finding${left === 1 ? "" : "s"} left${failed.length ? `, ${failed.length} failed` : ""}.`);
  }
  return left || failed.length ? 1 : 0;
}

/** In a git work tree, files with uncommitted changes are not rewritten: the diff must stay reviewable. */
function refuseUncommitted(files: string[], cwd: string): void {
  const status = spawnSync("git", ["status", "--porcelain", "--", ...files], { cwd, encoding: "utf8" });
  if (status.status !== 0) return; // not a git work tree
  const dirty = status.stdout.split("\n").filter(Boolean).map((line) => line.slice(3));
  if (dirty.length) {
    throw new UserError(`uncommitted changes in files migrate would rewrite:\n${dirty.map((f) => `  ${f}`).join("\n")}`, "commit or stash them first, or pass --force (or --dry-run to look first)");
  }
}
