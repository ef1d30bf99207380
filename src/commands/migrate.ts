/**
 * `mcp-stateless migrate`: session-reliant server code → sessionless code, or a precise
 * account of what could not be moved. SDK v1 files go through the official codemod first,
 * then every file through the rules; the handle runtime and package.json changes are
 * planned too, and only then is anything written. A file that fails is reported and left
 * as it was, and the run goes on.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";
import { analyzeText, RULES } from "../analysis/analyze.ts";
import { sourceFiles } from "../analysis/files.ts";
import { asFileProblem, UserError } from "../errors.ts";
import { migrateText, servedByFramework, toDo, type FileResult } from "../migrate/engine.ts";
import { builtOnSdkV1, packageOf, upgradeManifest, v1OnlyFramework } from "../migrate/manifest.ts";
import { nearestPathAliases } from "../migrate/path-aliases.ts";
import { importedFrom, importedTexts, orphanedModules, resolver, type PathAliases } from "../migrate/relative-imports.ts";
import { importedDemands, type ResultDemand } from "../migrate/result-types.ts";
import { isJavaScript } from "../migrate/rule.ts";
import { BOOKKEEPING_LEFT } from "../migrate/rules/transport-routing.ts";
import { MCP_AGENT, notesStanding, upgradeFromV1, V1_IMPORT } from "../migrate/sdk-v1.ts";
import { zodOwnJsonSchema } from "../migrate/zod-json-schema.ts";
import { packageRoot, relativePath } from "../paths.ts";
import { typoHint } from "../spec/did-you-mean.ts";
import { V1_ONLY_FRAMEWORKS } from "../versions.ts";
import { writeAllOrNone } from "../write.ts";
import { findingLines } from "./findings.ts";

interface Planned {
  results: FileResult[];
  /** Files to create or rewrite besides the sources: the handle runtime, package.json. */
  extra: { file: string; before: string; after: string; why: string }[];
}

export default async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const known = RULES.map((r) => r.id).filter((id) => id !== "todo-marker");
  let rules: Set<string> | undefined;
  if (typeof values.rules === "string") {
    rules = new Set(values.rules.split(",").map((r) => r.trim()).filter(Boolean));
    if (rules.size === 0) throw new UserError("--rules: name at least one rule", `rules: ${known.join(", ")}`);
    for (const rule of rules) if (!known.includes(rule)) throw new UserError(`--rules: unknown rule "${rule}"${typoHint(rule, known)}`, `rules: ${known.join(", ")}`);
  }
  const cwd = process.cwd();
  const files = await sourceFiles(positionals.length ? positionals : ["."], cwd);
  const dryRun = values["dry-run"] === true;
  const shown = (file: string) => relativePath(cwd, file) || file;
  const { results, extra } = await plan(files, shown, { insertTodos: values["insert-todos"] === true, rules });
  const changed = results.filter((r) => r.after !== undefined && !r.error);
  if (!dryRun && values.force !== true) refuseUncommitted([...changed, ...extra].map((f) => path.resolve(cwd, f.file)));
  // A dry run's unified diff per file: printed, or (with --json) part of the one JSON document stdout holds.
  const diffs = new Map<string, string>();
  if (dryRun) {
    const { createTwoFilesPatch } = await import("diff");
    for (const result of changed) {
      diffs.set(result.file, createTwoFilesPatch(`a/${result.file}`, `b/${result.file}`, await readFile(path.resolve(cwd, result.file), "utf8"), result.after!).trimEnd());
    }
    for (const file of extra) diffs.set(file.file, createTwoFilesPatch(file.before ? `a/${file.file}` : "/dev/null", `b/${file.file}`, file.before, file.after).trimEnd());
    if (values.json !== true) for (const diff of diffs.values()) console.log(diff);
  } else {
    // All or none: a failed write leaves the tree as it was, not half migrated.
    const writes = [...extra.map((file) => ({ target: path.resolve(cwd, file.file), content: file.after })), ...changed.map((result) => ({ target: path.resolve(cwd, result.file), content: result.after! }))];
    await writeAllOrNone(writes).catch((error: Error) => {
      const problem = asFileProblem(error, "migrate could not write", shown);
      throw problem instanceof UserError ? problem : new UserError(`migrate could not write (${error.message}); no file was changed`);
    });
  }

  const left = results.reduce((n, r) => n + r.findings.length, 0);
  const failed = results.filter((r) => r.error);
  if (values.json === true) {
    console.log(JSON.stringify({
      dryRun,
      files: results.map(({ after, usesHandleRuntime, ...rest }) => ({ ...rest, changed: after !== undefined, ...(diffs.has(rest.file) && { diff: diffs.get(rest.file) }) })),
      written: extra.map(({ file, why }) => ({ file, why, ...(diffs.has(file) && { diff: diffs.get(file) }) })),
      changed: changed.length,
      findingsLeft: left,
      failed: failed.length,
    }, null, 2));
  } else {
    for (const result of results) {
      if (result.error) console.log(`ERR ${result.file}: ${result.error}`);
      if (result.applied.length) console.log(`${dryRun ? "would migrate" : "migrated"} ${result.file} (${result.applied.join(", ")})`);
      for (const line of findingLines(result.findings, "to do", toDo)) console.log(line);
    }
    for (const file of extra) console.log(`${dryRun ? "would write" : "wrote"} ${file.file} (${file.why})`);
    console.log(`${changed.length} file${changed.length === 1 ? "" : "s"} ${dryRun ? "would change" : "changed"}, ${left} finding${left === 1 ? "" : "s"} left${failed.length ? `, ${failed.length} failed` : ""}.`);
  }
  return left || failed.length ? 1 : 0;
}

async function plan(files: string[], shown: (file: string) => string, options: { insertTodos: boolean; rules?: ReadonlySet<string> }): Promise<Planned> {
  const results: FileResult[] = [];
  // All read first: a rewrite may look at what a file imports from another (importedText).
  const originals = new Map<string, string>();
  const unread = new Map<string, string>();
  for (const file of files) await readFile(file, "utf8").then((text) => originals.set(file, text), (error: Error) => unread.set(file, error.message));
  // Each folder's package.json and tsconfig paths looked up once, for every use below.
  const aliasesOf = nearestPathAliases();
  const importedText = importedTexts(originals, aliasesOf);
  const manifestOf = nearestManifests();
  const keptOnV1 = v1Keepers(originals, shown, manifestOf, aliasesOf);
  const demandsOf = resultDemands(originals, (file) => V1_IMPORT.test(originals.get(file)!) && !keptOnV1(file), aliasesOf);
  const texts = new Map<string, string>();
  for (const file of files) {
    const name = shown(file);
    try {
      const original = originals.get(file);
      if (original === undefined) throw new Error(unread.get(file));
      const kept = V1_IMPORT.test(original) ? keptOnV1(file) : undefined;
      if (kept) {
        const note = { rule: "sdk-v1", file: name, line: 1, column: 1, message: `left on SDK v1: ${kept.why}`, fix: kept.fix };
        const rules = RULES.filter((r) => r.id !== "todo-marker" && (!options.rules || options.rules.has(r.id)));
        // "Run migrate" is no to-do in a file migrate has just left: what it waits for is the note's.
        const waiting = analyzeText(name, original, rules).findings.map((f) => (f.fix.startsWith("run `mcp-stateless migrate`") ? { ...f, fix: KEPT_ON_V1_WAITS } : f));
        results.push({ file: name, after: undefined, applied: [], findings: [note, ...waiting] });
        texts.set(file, original);
        continue;
      }
      // A file a framework serves waits whole, the SDK v1 upgrade included: its server is not the SDK's to move.
      const upgraded = servedByFramework(name, original) ? { text: original, notes: [] } : await upgradeFromV1(name, original, demandsOf.get(file));
      const result = migrateText(name, upgraded.text, { ...options, handleRuntime: runtimeSpecifier(file, upgraded.text), importedText: importedText(file) });
      const after = result.error ? undefined : (result.after ?? upgraded.text);
      const applied = upgraded.text !== original ? ["sdk-v1", ...result.applied] : result.applied;
      results.push({ ...result, file: name, applied: result.error ? [] : applied, findings: [...notesStanding(upgraded.notes, after ?? upgraded.text), ...result.findings], after: after === original ? undefined : after });
      texts.set(file, after ?? original);
    } catch (error) {
      results.push({ file: name, after: undefined, applied: [], findings: [], error: (error as Error).message });
    }
  }

  // A runtime left by an earlier migrate may predate what this rewrite imports from it: the file then fails, untouched.
  for (const [i, file] of files.entries()) {
    const result = results[i]!;
    if (result.after === undefined || !result.usesHandleRuntime) continue;
    const runtime = path.join(path.dirname(file), `handle-map${runtimeExtension(file)}`);
    if (!existsSync(runtime)) continue;
    const exported = await readFile(runtime, "utf8");
    const missing = importedFromRuntime(result.after).find((name) => !new RegExp(`export\\s+(class|function|const|interface)\\s+${name}\\b`).test(exported));
    if (missing) {
      results[i] = { ...result, after: undefined, applied: [], error: `${shown(runtime)} has no ${missing}, which the rewrite imports (it is older than this version's): delete it so that migrate writes the current one, then run migrate again` };
    }
  }
  // A module that only kept the sessions' transports for a router this run rewrote: nothing imports it now.
  // (Only looked for when some file is left with nothing but that bookkeeping: the import graph costs a scan of every file.)
  const onlyBookkeeping = (result: FileResult) => result.findings.length > 0 && result.findings.every((f) => f.fix === BOOKKEEPING_LEFT);
  const written = () => new Map(files.flatMap((file, i) => (originals.has(file) ? [[file, results[i]!.after ?? originals.get(file)!] as const] : [])));
  const orphans = results.some(onlyBookkeeping) ? orphanedModules(originals, written(), aliasesOf) : new Map<string, string[]>();
  for (const [i, file] of files.entries()) {
    const result = results[i]!;
    const importers = orphans.get(file);
    if (!importers || !onlyBookkeeping(result)) continue;
    const fix = `nothing imports this module after the migration (${importers.map(shown).join(", ")} did), and with one handler the per-session transports it keeps have no use: delete it`;
    // The to-do markers (--insert-todos) say it too.
    results[i] = { ...result, after: result.after?.replaceAll(BOOKKEEPING_LEFT, fix), findings: result.findings.map((f) => ({ ...f, fix })) };
  }
  const extra: Planned["extra"] = [];
  const changed = files.map((file, i) => ({ file, result: results[i]! })).filter(({ result }) => result.after !== undefined && !result.error);
  const changedFiles = changed.map(({ file }) => file);
  // One handle runtime beside each file that imports it, unless one is there already: TypeScript
  // beside TypeScript, JavaScript (the same code, its types stripped) beside JavaScript.
  const runtimes = new Set(changed.filter(({ result }) => result.usesHandleRuntime).map(({ file }) => path.join(path.dirname(file), `handle-map${runtimeExtension(file)}`)));
  if (runtimes.size) {
    const runtime = await readFile(path.join(packageRoot, "templates/migrate/handle-map.ts"), "utf8");
    for (const file of runtimes) {
      if (existsSync(file)) continue;
      const after = file.endsWith(".ts") ? runtime : await stripTypes(runtime);
      extra.push({ file: shown(file), before: "", after, why: "the handle runtime the migrated tools use" });
    }
  }
  // package.json of each project a file changed in: v1 SDK out, v2 packages and zod ≥ 4.2 in.
  for (const manifest of new Set(changedFiles.map(manifestOf).filter((m): m is string => !!m))) {
    const before = await readFile(manifest, "utf8");
    let after = upgradeManifest(before, await projectSources(manifest, texts, manifestOf));
    if (after && zodRange(before) !== zodRange(after)) {
      // zod-to-json-schema reads zod 3 only: a module the SDK upgrade did not touch (a project's own
      // tool table) still calling it would list schemas without properties, so it converts the same
      // way; the dependency then goes with its last import.
      for (const [i, file] of files.entries()) {
        if (manifestOf(file) === manifest) results[i] = withZodOwnJsonSchema(results[i]!, originals.get(file) ?? "");
        if (results[i]!.after !== undefined) texts.set(file, results[i]!.after!);
      }
      after = upgradeManifest(before, await projectSources(manifest, texts, manifestOf));
    }
    if (after) extra.push({ file: shown(manifest), before, after, why: "the SDK v2 packages and zod ≥ 4.2" });
  }
  return { results, extra };
}

/** A file still importing zod-to-json-schema, its calls converted to zod's own toJSONSchema; what is left importing it, reported. */
function withZodOwnJsonSchema(result: FileResult, original: string): FileResult {
  const text = result.after ?? original;
  if (result.error || lineImporting(text, "zod-to-json-schema") === undefined || result.findings.some((f) => f.message.startsWith("zod-to-json-schema"))) return result;
  const converted = zodOwnJsonSchema(result.file, text);
  const line = lineImporting(converted.text, "zod-to-json-schema");
  const message = "zod-to-json-schema reads zod 3 schemas only, and this migration moves the project to zod 4: what it converts would have no properties";
  // A call with the converter's own options has its note already; an import used some other way gets this one.
  const left = line === undefined || converted.notes.length ? [] : [{ rule: "sdk-v1", file: result.file, line, column: 1, message, fix: `convert with zod's own toJSONSchema(schema, { io: "input" })` }];
  if (converted.text === text) return { ...result, findings: [...result.findings, ...converted.notes, ...left] };
  const applied = result.applied.includes("sdk-v1") ? result.applied : [...result.applied, "sdk-v1"];
  return { ...result, after: converted.text, applied, findings: [...result.findings, ...converted.notes, ...left] };
}

/** The zod version range a package.json asks for. */
function zodRange(manifest: string): string | undefined {
  const { dependencies, devDependencies } = JSON.parse(manifest) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  return dependencies?.zod ?? devDependencies?.zod;
}

/** The line (from 1) of a file's import of `module`, if it has one. */
function lineImporting(text: string, module: string): number | undefined {
  const at = text.search(new RegExp(`from\\s*["']${module}["']`));
  return at === -1 ? undefined : text.slice(0, at).split("\n").length;
}

/**
 * What the low-level handlers of the files `upgraded` takes ask of the modules they import, and
 * those modules of theirs in turn: the results the handlers return from there get their v2 types
 * where they are declared (result-types.ts). Each module is asked each thing once.
 */
function resultDemands(originals: ReadonlyMap<string, string>, upgraded: (file: string) => boolean, aliasesOf: PathAliases): Map<string, ResultDemand[]> {
  const resolve = resolver(originals.keys(), aliasesOf);
  const demands = new Map<string, ResultDemand[]>();
  const pending = [...originals.keys()].filter(upgraded).map((file) => ({ file, asked: [] as ResultDemand[] }));
  for (let next = pending.shift(); next; next = pending.shift()) {
    for (const [specifier, onward] of importedDemands(next.file, originals.get(next.file)!, next.asked)) {
      const target = resolve(next.file, specifier);
      if (typeof target !== "string") continue;
      const had = demands.get(target) ?? [];
      const fresh = onward.filter((d) => !had.some((h) => h.exported === d.exported && h.role === d.role && h.method === d.method));
      if (fresh.length === 0) continue;
      demands.set(target, [...had, ...fresh]);
      pending.push({ file: target, asked: fresh });
    }
  }
  return demands;
}

/**
 * Why a module on SDK v1 must stay there, if it must: an McpAgent's file imports it, directly or
 * through other modules (it builds or fills the agent's v1 server, so it waits with the agent),
 * or its package serves MCP through a framework that needs SDK v1 (V1_ONLY_FRAMEWORKS).
 */
function v1Keepers(originals: ReadonlyMap<string, string>, shown: (file: string) => string, manifestOf: (file: string) => string | undefined, aliasesOf: PathAliases): (file: string) => { why: string; fix: string } | undefined {
  const agentImports = importedFrom(originals, (text) => MCP_AGENT.test(text), aliasesOf);
  const v1Package = installedV1Packages();
  const frameworks = new Map<string, string | undefined>();
  return (file) => {
    const agent = agentImports.get(file);
    if (agent !== undefined) {
      const through = agent.through.length ? ` (through ${agent.through.map(shown).join(", ")})` : "";
      return { why: `the McpAgent in ${shown(agent.root)} imports this module${through}, and an agent takes only an SDK v1 server`, fix: "move the McpAgent to createMcpHandler from agents/mcp/server first (mcp-agent), then run migrate again" };
    }
    const built = v1Package(file, originals.get(file)!);
    if (built) {
      return {
        why: `it serves MCP with ${built.name}, a package built on SDK v1 (${shown(built.manifest)} asks for @modelcontextprotocol/sdk), whose servers SDK v2's entries and transports do not take`,
        fix: `keep this file on SDK v1 until ${built.name} has a release on SDK v2 (update to it, then run migrate again), or serve what it gives with SDK v2's own McpServer`,
      };
    }
    const manifest = manifestOf(file);
    if (manifest === undefined) return undefined;
    if (!frameworks.has(manifest)) frameworks.set(manifest, v1OnlyFramework(readFileSync(manifest, "utf8")));
    const framework = frameworks.get(manifest);
    if (framework === undefined) return undefined;
    const { needs, first, rule } = V1_ONLY_FRAMEWORKS[framework]!;
    return { why: `its package serves MCP through ${framework} (${shown(manifest)}), which needs ${needs}`, fix: `${first} first (${rule}), then run migrate again` };
  };
}

/** The to-do of a finding migrate would rewrite, in a file it leaves on SDK v1. */
const KEPT_ON_V1_WAITS = "this file is left on SDK v1 (its sdk-v1 finding on line 1 says why and what to do first); once it can move, run migrate again and this goes with it";

/**
 * The first package a file imports, besides the SDK's own, that is installed (in a node_modules
 * folder above the file) and built on SDK v1: its name and manifest. Each package is read once.
 */
function installedV1Packages(): (file: string, text: string) => { name: string; manifest: string } | undefined {
  // Each manifest path looked at once: built on SDK v1, installed otherwise, or not there.
  const read = new Map<string, "v1" | "other" | "absent">();
  const state = (manifest: string) => {
    if (!read.has(manifest)) read.set(manifest, !existsSync(manifest) ? "absent" : builtOnSdkV1(readFileSync(manifest, "utf8")) ? "v1" : "other");
    return read.get(manifest)!;
  };
  return (file, text) => {
    const specifiers = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => packageOf(fileName));
    const names = new Set(specifiers.filter((name): name is string => name !== undefined && !name.startsWith("@modelcontextprotocol/")));
    for (const name of names) {
      // Node's resolution: the nearest node_modules above the file that has the package.
      for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        const manifest = path.join(dir, "node_modules", name, "package.json");
        const found = state(manifest);
        if (found === "v1") return { name, manifest };
        if (found === "other" || path.dirname(dir) === dir) break;
      }
    }
    return undefined;
  };
}

/**
 * The text of every source file whose package.json this is, as the run leaves it: the run may
 * cover part of a project, and a package the rest still imports stays.
 */
async function projectSources(manifest: string, texts: ReadonlyMap<string, string>, manifestOf: (file: string) => string | undefined): Promise<string[]> {
  const root = path.dirname(manifest);
  const files = await sourceFiles([root], root).catch(() => [...texts.keys()].filter((file) => file.startsWith(root + path.sep)));
  const own = files.filter((file) => manifestOf(file) === manifest);
  return Promise.all(own.map((file) => texts.get(file) ?? readFile(file, "utf8").catch(() => "")));
}

/** The names a migrated file imports from the handle runtime beside it. */
function importedFromRuntime(text: string): string[] {
  return [...text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*["']\.\/handle-map(?:\.[cm]?[jt]s)?["']/g)].flatMap((m) => m[1]!.split(",").map((name) => name.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!).filter(Boolean));
}

/**
 * How a file imports the runtime beside it: TypeScript as `./handle-map.ts` where its imports say
 * `.ts`, else `.js`; JavaScript by the runtime's own name (`./handle-map.js`, `./handle-map.mjs`).
 */
function runtimeSpecifier(file: string, text: string): string {
  const extension = runtimeExtension(file);
  if (extension !== ".ts") return `./handle-map${extension}`;
  return /from\s+["']\.{1,2}\/[^"']+\.ts["']/.test(text) ? "./handle-map.ts" : "./handle-map.js";
}

/** The runtime's extension beside a source file: `.ts` for TypeScript, the file's own for JavaScript. */
function runtimeExtension(file: string): string {
  return isJavaScript(file) ? path.extname(file).replace("x", "") : ".ts";
}

/** The runtime as JavaScript: TypeScript's own transpiler, comments kept, ES modules. */
async function stripTypes(code: string): Promise<string> {
  const { default: ts } = await import("typescript");
  const { outputText } = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  return outputText;
}

/** The package.json nearest above a file, if any, each folder looked up once. */
function nearestManifests(): (file: string) => string | undefined {
  const byDir = new Map<string, string | undefined>();
  const lookUp = (dir: string): string | undefined => {
    if (!byDir.has(dir)) {
      const here = path.join(dir, "package.json");
      byDir.set(dir, existsSync(here) ? here : path.dirname(dir) === dir ? undefined : lookUp(path.dirname(dir)));
    }
    return byDir.get(dir);
  };
  return (file) => lookUp(path.dirname(file));
}

/** In a git work tree, files with uncommitted changes are not rewritten: the diff must stay reviewable. */
function refuseUncommitted(files: string[]): void {
  if (files.length === 0) return;
  const cwd = path.dirname(files[0]!);
  const top = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8" });
  if (top.status !== 0) return; // not a git work tree
  const root = top.stdout.trim();
  const inside = files.filter((file) => !path.relative(root, file).startsWith(".."));
  if (inside.length === 0) return;
  const status = spawnSync("git", ["status", "--porcelain", "--", ...inside], { cwd: root, encoding: "utf8" });
  if (status.status !== 0) return; // not a git work tree
  const dirty = status.stdout.split("\n").filter(Boolean).map((line) => line.slice(3));
  if (dirty.length) {
    throw new UserError(`uncommitted changes in files migrate would rewrite:\n${dirty.map((f) => `  ${f}`).join("\n")}`, "commit or stash them first, or pass --force (or --dry-run to look first)");
  }
}
