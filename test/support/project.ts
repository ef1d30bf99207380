/** Scratch projects for tests, made inside this repository so a spec's `import "zod"` resolves. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const startersDir = path.join(repoRoot, "templates/starters");
const scratchRoot = path.join(repoRoot, ".cache/test-projects");

export function scratchProject(files: Record<string, string> = {}, starter?: string): string {
  mkdirSync(scratchRoot, { recursive: true });
  // The nearest package.json of a project that has none of its own: never this repository's, which
  // a migrate run would otherwise take for the project's and rewrite. ES modules, as the repository's.
  const boundary = path.join(scratchRoot, "package.json");
  if (!existsSync(boundary)) writeFileSync(boundary, `{ "name": "test-projects", "private": true, "type": "module" }\n`);
  const dir = mkdtempSync(path.join(scratchRoot, "p-"));
  if (starter) cpSync(path.join(startersDir, starter), dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file under `dir` (node_modules aside) with its content, for comparing whole trees. */
export function readTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      for (const [file, content] of Object.entries(readTree(full))) tree[`${entry.name}/${file}`] = content;
    } else if (entry.isFile()) {
      tree[entry.name] = readFileSync(full, "utf8");
    }
  }
  return tree;
}

/** Runs the CLI in this process and captures what it prints. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...parts: unknown[]) => void out.push(parts.join(" "));
  console.error = (...parts: unknown[]) => void err.push(parts.join(" "));
  try {
    const code = await main(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}
