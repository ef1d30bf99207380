/** `mcp-stateless generate`: spec → server code, schemas and tests, or `--check` that they are current. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { generateFiles } from "../../generators/index.ts";
import { missingDependencies, runtimeDependencies } from "../../generators/project.ts";
import { commandsOf, LOCKFILES, type PackageManager } from "../create/options.ts";
import type { ServerModel } from "../model/model.ts";
import { asFileProblem } from "../errors.ts";
import { projectFolder, relativePath } from "../paths.ts";
import { loadSpec } from "../spec/load.ts";
import { applyPlan, leftoverToolFiles, planWrites, staleFiles } from "../write.ts";

export interface GenerateOptions {
  dir: string;
  spec?: string;
  check?: boolean;
  quiet?: boolean;
  /** The project's package manager (create knows it); otherwise its lockfile tells, or npm. */
  packageManager?: PackageManager;
}

export interface GenerateOutcome {
  exitCode: number;
  written: string[];
  stale: string[];
}

export async function generate(options: GenerateOptions, log: (line: string) => void = console.log): Promise<GenerateOutcome> {
  const root = path.resolve(options.dir);
  const { model, specFile } = await loadSpec(root, options.spec);
  const pm = options.packageManager ?? packageManagerOf(root);
  const shown = (file: string) => relativePath(root, file) || file;
  const plan = await planWrites(root, generateFiles(model, pm)).catch((error: unknown) => {
    throw asFileProblem(error, "generate could not read", shown);
  });
  const missing = unlistedDependencies(root, model);

  if (options.check) {
    const stale = staleFiles(plan);
    if (stale.length) {
      log(`Generated files are out of date with ${specFile}:`);
      for (const file of stale) log(`  stale  ${file}`);
      log("Run `mcp-stateless generate` to bring them up to date.");
    }
    reportMissing(pm, model, missing, log);
    if (stale.length || missing.length) return { exitCode: 1, written: [], stale };
    if (!options.quiet) log(`Generated files are up to date with ${specFile}.`);
    return { exitCode: 0, written: [], stale: [] };
  }

  await applyPlan(root, plan).catch((error: unknown) => {
    throw asFileProblem(error, "generate could not write", shown);
  });
  if (!options.quiet) {
    const created = (file: { owner: string; path: string }) => file.owner === "user" || (file.owner === "sections" && !plan.regionsStale.includes(file.path));
    for (const file of plan.writes) log(`  ${created(file) ? "created" : "wrote  "}  ${file.path}`);
    for (const file of plan.removals) log(`  removed  ${file}`);
    const leftovers = await leftoverToolFiles(root, model.tools.map((t) => t.name));
    for (const file of leftovers) log(`  left     ${file}`);
    if (leftovers.length) log(`Left alone: written for tools no longer in ${specFile}, and yours. Delete them, or put the tools back.`);
    const tools = model.tools.length;
    log(`${model.name}: ${tools} tool${tools === 1 ? "" : "s"}, ${plan.writes.length} file(s) written, ${plan.unchanged.length} unchanged.`);
  }
  reportMissing(pm, model, missing, log);
  return { exitCode: 0, written: plan.writes.map((f) => f.path), stale: [] };
}

/** Packages the generated code imports that an existing package.json does not list. */
function unlistedDependencies(root: string, model: ServerModel): string[] {
  const file = path.join(root, "package.json");
  return existsSync(file) ? missingDependencies(readFileSync(file, "utf8"), model) : [];
}

/** The package manager whose lockfile the project has; npm without one. */
function packageManagerOf(root: string): PackageManager {
  return LOCKFILES.find(([lockfile]) => existsSync(path.join(root, lockfile)))?.[1] ?? "npm";
}

function reportMissing(pm: PackageManager, model: ServerModel, missing: string[], log: (line: string) => void): void {
  if (!missing.length) return;
  const pinned = runtimeDependencies(model);
  for (const name of missing) log(`  missing  ${name} (package.json)`);
  log(`The generated code imports packages that package.json does not list; add them: ${commandsOf(pm).add(missing.map((name) => `${name}@${pinned[name]}`))}`);
}

/** Generator-owned files that `generate` would change, for `check`. */
export async function staleOutput(root: string, spec?: string): Promise<string[]> {
  const { model } = await loadSpec(root, spec);
  return staleFiles(await planWrites(root, generateFiles(model, packageManagerOf(root))));
}

export default async function run(values: Record<string, unknown>): Promise<number> {
  const outcome = await generate({
    dir: projectFolder(values.dir),
    spec: values.spec as string | undefined,
    check: values.check === true,
    quiet: values.quiet === true,
  });
  return outcome.exitCode;
}
