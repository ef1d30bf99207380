/** `mcp-stateless generate`: spec → server code, schemas and tests, or `--check` that they are current. */
import path from "node:path";
import { generateFiles } from "../../generators/index.ts";
import { projectFolder } from "../paths.ts";
import { loadSpec } from "../spec/load.ts";
import { applyPlan, leftoverToolFiles, planWrites, staleFiles } from "../write.ts";

export interface GenerateOptions {
  dir: string;
  spec?: string;
  check?: boolean;
  quiet?: boolean;
}

export interface GenerateOutcome {
  exitCode: number;
  written: string[];
  stale: string[];
}

export async function generate(options: GenerateOptions, log: (line: string) => void = console.log): Promise<GenerateOutcome> {
  const root = path.resolve(options.dir);
  const { model, specFile } = await loadSpec(root, options.spec);
  const plan = await planWrites(root, generateFiles(model));

  if (options.check) {
    const stale = staleFiles(plan);
    if (stale.length) {
      log(`Generated files are out of date with ${specFile}:`);
      for (const file of stale) log(`  stale  ${file}`);
      log("Run `mcp-stateless generate` to bring them up to date.");
      return { exitCode: 1, written: [], stale };
    }
    if (!options.quiet) log(`Generated files are up to date with ${specFile}.`);
    return { exitCode: 0, written: [], stale: [] };
  }

  await applyPlan(root, plan);
  if (!options.quiet) {
    for (const file of plan.writes) log(`  ${file.owner === "user" ? "created" : "wrote  "}  ${file.path}`);
    for (const file of plan.removals) log(`  removed  ${file}`);
    const leftovers = await leftoverToolFiles(root, model.tools.map((t) => t.name));
    for (const file of leftovers) log(`  left     ${file}`);
    if (leftovers.length) log(`Left alone: written for tools no longer in ${specFile}, and yours. Delete them, or put the tools back.`);
    const tools = model.tools.length;
    log(`${model.name}: ${tools} tool${tools === 1 ? "" : "s"}, ${plan.writes.length} file(s) written, ${plan.unchanged.length} unchanged.`);
  }
  return { exitCode: 0, written: plan.writes.map((f) => f.path), stale: [] };
}

/** Generator-owned files that `generate` would change, for `check`. */
export async function staleOutput(root: string, spec?: string): Promise<string[]> {
  const { model } = await loadSpec(root, spec);
  return staleFiles(await planWrites(root, generateFiles(model)));
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
