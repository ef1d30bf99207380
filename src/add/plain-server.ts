/**
 * `add tool` in a plain SDK v2 server (no spec): writes src/tools/<name>.ts exporting a
 * register function and test/<name>.test.ts, then adds the import and the call to the one
 * factory that builds the McpServer, as two minimal text edits. New files go through
 * yeoman's conflicter; nothing is written unless everything can be.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Project, type SourceFile, SyntaxKind, ts } from "ts-morph";
import { asFileProblem, UserError } from "../errors.ts";
import { identifierFor, typeNameFor } from "../spec/names.ts";
import { TOOL_NAME } from "../spec/validate.ts";
import { readTemplate, render } from "../render.ts";
import { closest, didYouMean } from "../spec/did-you-mean.ts";
import { describeDuration, parseDuration } from "../spec/duration.ts";
import { KIND_NAME, PREFIX } from "../spec/validate.ts";
import { checkConflicts, type NewFile } from "./conflicts.ts";
import { inStyle, type Quote, requote } from "../style.ts";
import { applyEdits, insertInto, styleOf } from "./text-edits.ts";
import { findFactories, type FactoryCandidate } from "./find-factory.ts";
import { findHandleMaps, type HandleMapKind } from "./handle-maps.ts";
import { relativePath } from "../paths.ts";
import { writeAllOrNone } from "../write.ts";

export interface PlainAddition {
  name: string;
  role: { role: "creates" | "uses" | "destroys"; kind: string } | undefined;
  description: string | undefined;
  /** For a new handle kind (with --creates). */
  prefix?: string | undefined;
  ttl?: string | undefined;
  entry: string | undefined;
  factory: string | undefined;
  force: boolean;
  interactive: boolean;
}

export async function addToPlainServer(root: string, addition: PlainAddition): Promise<number> {
  const { name } = addition;
  if (!TOOL_NAME.test(name)) throw new UserError(`"${name}" cannot be a tool name: MCP allows 1–64 characters of A–Z a–z 0–9 _ - .`);
  const project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
  project.addSourceFilesAtPaths([path.join(root, "src/**/*.{ts,mts}"), path.join(root, "*.{ts,mts}"), `!${path.join(root, "**/node_modules/**")}`]);
  if (project.getSourceFiles().length === 0) {
    // A JavaScript server is one `add` cannot extend (it writes TypeScript): say so, not "nothing here".
    const javaScript = project.addSourceFilesAtPaths([path.join(root, "src/**/*.{js,mjs}"), path.join(root, "*.{js,mjs}"), `!${path.join(root, "**/node_modules/**")}`]);
    const server = javaScript.find((file) => /\bMcpServer\b/.test(file.getFullText()));
    if (server) {
      throw new UserError(
        `${relativePath(root, server.getFilePath())} builds its McpServer in JavaScript, and add writes TypeScript tools; nothing was changed`,
        "register the tool in that file by hand (server.registerTool), or move the server to TypeScript",
      );
    }
    throw new UserError(`no mcp.spec.ts and no TypeScript sources in ${root}`, "run this in a project's folder, or pass --dir");
  }
  refuseRegistered(project, root, name);

  const factory = chooseFactory(findFactories(project, root), addition);
  const register = `register${typeNameFor(name)}`;
  const toolFile = `src/tools/${name}.ts`;
  const testFile = `test/${name}.test.ts`;
  const existing = importStyleSample(project, factory.source, root);
  // What is written for this project follows the house style of the file that builds its server.
  const style = styleOf(factory.source.getFullText());
  const view: ToolView = {
    name,
    register,
    input: `${identifierFor(name)}Input`,
    description: addition.description ?? `TODO: say what ${name} does.`,
    // Generated files import each other the way the project's own files do.
    ext: extensionStyle(existing),
    toolImport: importSpecifier(path.join(root, testFile), path.join(root, toolFile), existing),
    // Styling requotes string literals, not comments: the one in a comment is written in style.
    quote: style.quote,
  };
  const handleMaps = addition.role ? findHandleMaps(project, root) : [];
  const migrated = migratedKind(root, handleMaps, addition, factory);
  const files = migrated
    ? handleMapToolFiles(root, addition, view, migrated, { toolFile, testFile, existing })
    : addition.role
    ? await handleToolFiles(project, root, addition, view, { toolFile, testFile, existing }, handleMaps)
    : [
        { path: toolFile, content: render("plain/tool.ts.hbs", view) },
        { path: testFile, content: render("plain/tool.test.ts.hbs", view) },
      ];
  const styled = files.map((file) => (file.edit || isRuntime(file.path) ? file : { ...file, content: inStyle(file.content, style) }));
  const toWrite = await checkConflicts(root, styled, { force: addition.force, interactive: addition.interactive });

  // The factory file: an import after the last import, and the call where the factory says.
  const source = factory.source;
  const text = source.getFullText();
  const imports = source.getImportDeclarations();
  const importAt = imports.length ? imports.at(-1)!.getEnd() : 0;
  const specifier = importSpecifier(source.getFilePath(), path.join(root, toolFile), existing);
  const lineStart = text.lastIndexOf("\n", factory.insertAt!) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const returning = text.slice(factory.insertAt!).startsWith("return");
  // Written as the file writes: same quotes, semicolons or none.
  const { quote } = style;
  const semi = style.semicolons ? ";" : "";
  // A tool on a migrated kind is handed the map that holds its handles.
  const call = `${register}(${[factory.serverVariable, migrated?.variable].filter(Boolean).join(", ")})${semi}`;
  const edits = [
    { at: importAt, text: `${importAt ? "\n" : ""}import { ${register} } from ${quote}${specifier}${quote}${semi}${importAt ? "" : "\n"}` },
    { at: factory.insertAt!, text: returning ? `${call}\n${indent}` : `\n${indent}${call}` },
    // The state's own type, declared beside the map, is exported for the tool file to name it.
    ...(migrated?.stateTypeNames ?? []).flatMap((t) => (t.exportAt === undefined ? [] : [{ at: t.exportAt, text: "export " }])),
  ].sort((a, b) => b.at - a.at);
  let edited = text;
  for (const edit of edits) edited = edited.slice(0, edit.at) + edit.text + edited.slice(edit.at);

  // The new files and the edit land together or not at all.
  const writes = [...toWrite.map((file) => ({ target: path.join(root, file.path), content: file.content })), { target: source.getFilePath(), content: edited }];
  await writeAllOrNone(writes, { makeDirs: true }).catch((error: unknown) => {
    throw asFileProblem(error, "add could not write", (file) => relativePath(root, file) || file);
  });
  console.log(`Added tool ${name}: ${toolFile} (registered in ${factory.file}${factory.name ? `, ${factory.name}` : ""}) and ${testFile}.`);
  const pkg = path.join(root, "package.json");
  if (existsSync(pkg) && !readFileSync(pkg, "utf8").includes('"@modelcontextprotocol/client"')) {
    console.log("The test drives the tool with the MCP client: npm install -D @modelcontextprotocol/client vitest");
  }
  return 0;
}

/** The same tool twice would be refused by the SDK at run time; say so now, with the place. */
function refuseRegistered(project: Project, root: string, name: string): void {
  for (const source of project.getSourceFiles()) {
    for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression().getText();
      const [first] = call.getArguments();
      if (!/\.(registerTool|tool)$/.test(callee) || !first || !first.isKind(SyntaxKind.StringLiteral)) continue;
      if (first.getLiteralText() === name) {
        const file = relativePath(root, source.getFilePath());
        throw new UserError(`a tool named "${name}" is already registered (${file}:${call.getStartLineNumber()})`);
      }
    }
  }
}

function chooseFactory(all: FactoryCandidate[], addition: PlainAddition): FactoryCandidate {
  let candidates = all;
  if (addition.entry) candidates = candidates.filter((c) => c.file === addition.entry!.replace(/^\.\//, ""));
  if (addition.factory) candidates = candidates.filter((c) => c.name === addition.factory);
  const list = (cs: FactoryCandidate[]) => cs.map((c) => `  ${c.file}:${c.line}  ${c.name ?? "(anonymous)"}${c.serverVariable ? "" : "  (built dynamically)"}`).join("\n");
  if (candidates.length === 0) {
    throw new UserError(
      all.length ? `no McpServer is built where --entry/--factory point; the candidates are:\n${list(all)}` : "found no `new McpServer(...)` in this project's sources",
      all.length ? "pass --entry <file> and/or --factory <name> naming one of them" : "pass --dir for the project's folder",
    );
  }
  if (candidates.length > 1) {
    throw new UserError(`found ${candidates.length} places that build an McpServer; cannot tell which one to add to:\n${list(candidates)}`, "choose with --entry <file> and/or --factory <name>");
  }
  const [chosen] = candidates as [FactoryCandidate];
  if (chosen.serverVariable === undefined || chosen.insertAt === undefined) {
    throw new UserError(`the McpServer at ${chosen.file}:${chosen.line} is built dynamically (not a plain const in a function body); cannot insert a registration safely`, "register the tool there by hand: the tool module is the same");
  }
  return chosen;
}

/**
 * Relative imports that show how this project ends them: the factory's file's own; else any
 * other file's; else, for a project whose files import nothing of each other yet, what its
 * tsconfig lets tsc compile (`.js` under node16/nodenext resolution unless `.ts` imports are
 * allowed, none under a bundler's); `.ts` without a tsconfig (Node runs TypeScript as it is).
 */
function importStyleSample(project: Project, factory: SourceFile, root: string): string[] {
  const relativeOf = (file: SourceFile) => file.getImportDeclarations().map((i) => i.getModuleSpecifierValue()).filter((s) => s.startsWith("."));
  const own = relativeOf(factory);
  if (own.length) return own;
  const others = project.getSourceFiles().flatMap(relativeOf);
  if (others.length) return others;
  const config = path.join(root, "tsconfig.json");
  if (!existsSync(config)) return [];
  const read = ts.readConfigFile(config, ts.sys.readFile);
  if (read.error) return [];
  const options = ts.parseJsonConfigFileContent(read.config, ts.sys, root).options;
  if (options.allowImportingTsExtensions || options.rewriteRelativeImportExtensions) return ["./x.ts"];
  const resolution = options.moduleResolution ?? (options.module === ts.ModuleKind.Node16 || options.module === ts.ModuleKind.NodeNext ? ts.ModuleResolutionKind.NodeNext : undefined);
  if (resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext) return ["./x.js"];
  return resolution === ts.ModuleResolutionKind.Bundler ? ["./x"] : [];
}

/** `.ts`, `.js` or nothing: how the project's relative imports end. */
function extensionStyle(existing: string[]): string {
  return importSpecifier("/a/b.ts", "/a/c.ts", existing).replace("./c", "");
}

/** What every tool template is rendered with. */
interface ToolView {
  name: string;
  register: string;
  input: string;
  description: string;
  ext: string;
  toolImport: string;
  quote: Quote;
}

const KINDS_FILE = "src/handles/kinds.ts";
const RUNTIME = ["handles.ts", "results.ts", "memory-store.ts", "sqlite-store.ts"];
/** The handle runtime is copied as this package ships it, the same in every project. */
const isRuntime = (file: string) => RUNTIME.some((name) => file === `src/handles/${name}`);

/**
 * The files of a tool that creates, uses or ends a handle: the handle runtime (once), the
 * kinds registry with this kind in it, the tool and its test.
 */
async function handleToolFiles(
  project: Project,
  root: string,
  addition: PlainAddition,
  view: ToolView,
  paths: { toolFile: string; testFile: string; existing: string[] },
  handleMaps: HandleMapKind[],
): Promise<NewFile[]> {
  const { role, kind } = addition.role!;
  const kindsSource = project.getSourceFile(path.join(root, KINDS_FILE));
  const literal = kindsSource?.getVariableDeclaration("kinds")?.getInitializer();
  const kindsObject = literal?.isKind(SyntaxKind.SatisfiesExpression) ? literal.getExpression() : literal;
  if (kindsSource && !kindsObject?.isKind(SyntaxKind.ObjectLiteralExpression)) {
    throw new UserError(`${KINDS_FILE} has no \`kinds\` object literal to add to`, "add the kind there by hand, then run add again");
  }
  const known = kindsObject?.isKind(SyntaxKind.ObjectLiteralExpression)
    ? kindsObject.getProperties().flatMap((p) => (p.isKind(SyntaxKind.PropertyAssignment) ? [p.getName()] : []))
    : [];
  const files: NewFile[] = RUNTIME.map((file) => ({
    path: `src/handles/${file}`,
    content: `// Written by \`mcp-stateless add\`; yours to change.\n${readTemplate(`runtime/${file}`).replaceAll(/(from "\.\/[\w-]+)\.ts"/g, `$1${view.ext}"`)}`,
  }));
  files.push({ path: "src/handles/store.ts", content: render("plain/store.ts.hbs", view) });

  let createTool: string;
  let prefix: string;
  if (known.includes(kind)) {
    const given = (["prefix", "ttl"] as const).filter((flag) => addition[flag] !== undefined);
    if (given.length) throw new UserError(`handle kind "${kind}" exists already (src/handles/kinds.ts), so ${given.map((f) => `--${f}`).join(" and ")} would change nothing; change the kind there`);
    const entry = kindsObject!.asKindOrThrow(SyntaxKind.ObjectLiteralExpression).getPropertyOrThrow(kind).getText();
    createTool = /createTool:\s*["']([^"']+)["']/.exec(entry)?.[1] ?? `create_${kind}`;
    prefix = /prefix:\s*["']([^"']+)["']/.exec(entry)?.[1] ?? kind;
  } else {
    if (role !== "creates") {
      const kinds = [...known, ...handleMaps.map((m) => m.kind)];
      throw new UserError(
        `unknown handle kind "${kind}"${didYouMean(kind, kinds)}`,
        closest(kind, kinds) ? undefined : `add the tool that creates it first: add tool create_${kind} --creates ${kind}`,
      );
    }
    if (!KIND_NAME.test(kind)) throw new UserError(`"${kind}" cannot be a handle kind: use lowercase letters, digits and _ (starting with a letter)`);
    prefix = addition.prefix ?? kind.replace(/[^a-z0-9]/g, "").slice(0, 4);
    if (!PREFIX.test(prefix)) throw new UserError(`--prefix "${prefix}" must be 1–12 lowercase letters or digits, starting with a letter`);
    const ttl = parseDuration(addition.ttl ?? "30m");
    if ("error" in ttl) throw new UserError(`--${ttl.error}`);
    createTool = view.name;
    const entry = `${kind}: { name: "${kind}", prefix: "${prefix}", ttlMs: ${ttl.ms}, createTool: "${createTool}", lifetime: "${describeDuration(ttl.ms)}" }`;
    if (kindsSource && kindsObject) {
      const text = kindsSource.getFullText();
      const style = styleOf(text);
      const kinds = kindsObject.asKindOrThrow(SyntaxKind.ObjectLiteralExpression);
      const last = kinds.getProperties().at(-1);
      const span = { start: kinds.getStart(), end: kinds.getEnd(), last: last && { start: last.getStart(), end: last.getEnd() } };
      const edits = insertInto(text, span, [requote(entry, style.quote)], style);
      files.push({ path: KINDS_FILE, content: applyEdits(text, edits), edit: true });
    } else {
      files.push({ path: KINDS_FILE, content: render("plain/kinds.ts.hbs", { ...view, entry: `${entry},` }) });
    }
  }
  const param = `${kind}_id`;
  const roleText = role === "creates" ? `creates a ${kind} handle` : role === "destroys" ? `ends a ${kind} handle` : `works on a ${kind} handle`;
  const tail = role === "destroys" ? " The handle is no longer valid afterwards." : "";
  const toolView = {
    ...view,
    kind,
    param,
    prefix,
    createTool,
    roleText,
    creates: role === "creates",
    destroys: role === "destroys",
    descriptionWithHandle: `${sentence(view.description)} Takes ${param}, a ${kind} handle from ${createTool}.${tail}`,
    creatorRegister: `register${typeNameFor(createTool)}`,
    creatorImport: importSpecifier(path.join(root, paths.testFile), path.join(root, `src/tools/${createTool}.ts`), paths.existing),
  };
  files.push({ path: paths.toolFile, content: render("plain/handle-tool.ts.hbs", toolView) });
  files.push({ path: paths.testFile, content: render("plain/handle-tool.test.ts.hbs", toolView) });
  return files;
}

/**
 * The HandleMap that `migrate` left for this kind, when there is one and the tool can be handed
 * it: the map must be in the file that builds the McpServer, where the registration goes.
 */
function migratedKind(root: string, handleMaps: HandleMapKind[], addition: PlainAddition, factory: FactoryCandidate): HandleMapKind | undefined {
  const map = handleMaps.find((m) => m.kind === addition.role?.kind);
  if (!map) return undefined;
  const where = `the ${map.runtimeClass} \`${map.variable}\` (${map.file}:${map.line})`;
  if (addition.role!.role === "destroys" && map.runtimeClass === "HandleKeys") {
    throw new UserError(`handle kind "${map.kind}" is signed by ${where}, and a signed handle cannot be ended before it expires`, `add it with --uses instead, and have it delete what your store keeps under the handle`);
  }
  if (addition.role!.role === "creates") {
    throw new UserError(`handle kind "${map.kind}" is kept by ${where}, made by ${map.createTool}`, `write a second create tool by hand beside ${map.createTool} (${map.variable}.create(ctx)), or give the new tool a kind of its own`);
  }
  if (map.source !== factory.source) {
    throw new UserError(`${where} is not in ${factory.file}, which builds the McpServer the tool is registered on`, `export it and register the tool by hand with ${map.variable}, or move the map there`);
  }
  if (!map.classFile) throw new UserError(`cannot tell which file ${where} takes HandleMap from`, "register the tool by hand");
  const runtime = map.source.getProject().getSourceFile(map.classFile)?.getClass(map.runtimeClass);
  if (addition.role!.role === "destroys" && runtime && !runtime.getMethod("end")) {
    const file = relativePath(root, map.classFile);
    throw new UserError(`the HandleMap class in ${file} has no end(handle) to end a handle with`, "add it (the one `migrate` writes now has it), then run add again");
  }
  return map;
}

/** A tool that uses or ends a handle held by a migrated HandleMap, and its test. */
function handleMapToolFiles(
  root: string,
  addition: PlainAddition,
  view: ToolView,
  map: HandleMapKind,
  paths: { toolFile: string; testFile: string; existing: string[] },
): NewFile[] {
  const destroys = addition.role!.role === "destroys";
  const param = `${map.kind}_id`;
  const tail = destroys ? " The handle is no longer valid afterwards." : "";
  const toolView = {
    ...view,
    kind: map.kind,
    createTool: map.createTool,
    variable: map.variable,
    stateType: map.stateType,
    param,
    destroys,
    keyed: map.runtimeClass === "HandleKeys",
    roleText: destroys ? `ends a ${map.kind} handle` : `works on a ${map.kind} handle`,
    descriptionWithHandle: `${sentence(view.description)} Takes ${param}, a ${map.kind} handle from ${map.createTool}.${tail}`,
    handleMapImport: importSpecifier(path.join(root, paths.toolFile), map.classFile!, paths.existing),
    handleMapTestImport: importSpecifier(path.join(root, paths.testFile), map.classFile!, paths.existing),
    stateImports: stateImports(map, path.join(root, paths.toolFile), paths.existing),
    stateTestImports: stateImports(map, path.join(root, paths.testFile), paths.existing),
  };
  return [
    { path: paths.toolFile, content: render("plain/handle-map-tool.ts.hbs", toolView) },
    { path: paths.testFile, content: render("plain/handle-map-tool.test.ts.hbs", toolView) },
  ];
}

/** `import type { Tape } from "../server.js";` for what the state's type names, as seen from `file`. */
function stateImports(map: HandleMapKind, file: string, existing: string[]): string[] {
  const byModule = new Map<string, { named: string[]; default?: string }>();
  for (const { name, imported, module } of map.stateTypeNames) {
    const specifier = path.isAbsolute(module) ? importSpecifier(file, module, existing) : module;
    const entry = byModule.get(specifier) ?? { named: [] };
    if (imported === "default") entry.default = name;
    else entry.named.push(imported);
    byModule.set(specifier, entry);
  }
  return [...byModule].flatMap(([specifier, { named, default: fallback }]) => [
    ...(fallback ? [`import type ${fallback} from "${specifier}";`] : []),
    ...(named.length ? [`import type { ${named.join(", ")} } from "${specifier}";`] : []),
  ]);
}

/** The description as a sentence, so the handle's part of it reads as the next one. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** The import path from `from` to `to`, written the way the file writes its other relative imports. */
function importSpecifier(from: string, to: string, existing: string[]): string {
  let relative = relativePath(path.dirname(from), to);
  if (!relative.startsWith(".")) relative = `./${relative}`;
  const relatives = existing.filter((s) => s.startsWith("."));
  if (relatives.some((s) => s.endsWith(".js"))) return relative.replace(/\.ts$/, ".js");
  if (relatives.length && relatives.every((s) => !/\.[cm]?[jt]s$/.test(s))) return relative.replace(/\.ts$/, "");
  return relative;
}
