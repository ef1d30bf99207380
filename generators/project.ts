/**
 * The files a project owns: written when missing, never overwritten, so people can edit
 * them freely. Handler stubs compile and return example values until they are filled in.
 */
import type { HandleKindModel, ServerModel, ToolModel } from "../src/model/model.ts";
import { readTemplate, render } from "../src/render.ts";
import { commandsOf, type PackageManager } from "../src/create/options.ts";
import { INSPECTOR_VERSION, PROJECT_DEPENDENCIES, PROJECT_DEV_DEPENDENCIES, REDIS_CLIENT, selfDependency } from "../src/versions.ts";
import { type GeneratedFile, toolUserFiles } from "./file.ts";
import { literal } from "./literal.ts";

/** `packageManager`: the one whose commands the README shows (the project's, when known). */
export function generateProject(model: ServerModel, packageManager: PackageManager = "npm"): GeneratedFile[] {
  const user = (path: string, content: string): GeneratedFile => ({ path, content, owner: "user" });
  const kinds = new Map(model.handles.map((h) => [h.kind, h]));
  const files = [
    user("package.json", packageJson(model)),
    user("tsconfig.json", readTemplate("project/tsconfig.json")),
    user("tsconfig.build.json", readTemplate("project/tsconfig.build.json")),
    user("vitest.config.ts", readTemplate("project/vitest.config.ts")),
    user(".gitignore", readTemplate("project/_gitignore")),
    user(".dockerignore", readTemplate("project/_dockerignore")),
    user("Dockerfile", render("project/Dockerfile.hbs", { ...model, httpFlags: HTTP_NODE_FLAGS.join(" "), httpCmd: execForm(HTTP_START) })),
    // Its handle flow and store list follow the spec; the rest is the user's.
    { owner: "sections" as const, path: "README.md", content: render("project/README.md.hbs", { ...model, image: imageName(model.name), flow: handleFlow(model), toolRows: toolRows(model), storeRows: storeRows(model), ...commandsFor(model), pm: readmeCommands(packageManager) }) },
  ];
  if (model.http) {
    files.push(user("src/auth.ts", render("project/src/auth.ts.hbs", model)));
    files.push(user("src/http.ts", render("project/src/http.ts.hbs", model)));
    files.push(user("src/fetch.ts", render("project/src/fetch.ts.hbs", model)));
  }
  if (model.stdio) files.push(user("src/stdio.ts", render("project/src/stdio.ts.hbs", model)));
  for (const tool of model.tools.filter((t) => !t.builtin)) files.push(user(toolUserFiles(tool.name).handler, handlerStub(tool, kinds)));
  return files;
}

/** A Docker image (and volume) name for the package: `@acme/notes` → `acme-notes`. */
function imageName(name: string): string {
  return name.replace(/^@/, "").replace(/\//g, "-");
}

/**
 * The V8 flags the HTTP server runs with (package.json's start, the Dockerfile). Under load V8
 * pretenures allocation sites that make per-request objects, which costs the generated server
 * about 13 % of its throughput; the flag costs each start about 30 ms, once per long-running
 * process (docs/performance.md, step 10). The Dockerfile's warm-up uses the same flags: a
 * compile cache filled under other flags is not used.
 */
const HTTP_NODE_FLAGS = ["--no-allocation-site-pretenuring"] as const;
/** How the HTTP server starts, the one spelling both package.json's start and the Dockerfile's CMD use. */
const HTTP_START = ["node", ...HTTP_NODE_FLAGS, "src/http.ts"];

/** A Dockerfile command in exec form: `["node", "src/http.ts"]`. */
function execForm(args: string[]): string {
  return `[${args.map((arg) => JSON.stringify(arg)).join(", ")}]`;
}

function commandsFor(model: ServerModel) {
  const entry = model.http ? "src/http.ts" : "src/stdio.ts";
  return {
    entry,
    startScript: model.http ? HTTP_START.join(" ") : `node ${entry}`,
    inspectScript: model.stdio
      ? `npx -y @modelcontextprotocol/inspector@${INSPECTOR_VERSION} node src/stdio.ts`
      : `npx -y @modelcontextprotocol/inspector@${INSPECTOR_VERSION}`,
  };
}

/** The commands the README shows, as `pm` spells them; `padded` lines their comments up in one column. */
function readmeCommands(pm: PackageManager) {
  const { install, run } = commandsOf(pm);
  // npm runs these two without `run`. (bun's own `bun test` is its test runner, not the script.)
  const scripts = Object.fromEntries(
    ["test", "dev", "start", "check", "inspect", "generate", "build"].map((name) => [name, pm === "npm" && (name === "test" || name === "start") ? `npm ${name}` : run(name)]),
  );
  return {
    install: install.join(" "),
    ...scripts,
    padded: Object.fromEntries(Object.entries(scripts).map(([name, command]) => [name, command.padEnd(18)])),
    // What the Dockerfile runs: npm ci needs npm's lockfile, npm install works from package.json.
    productionInstall: pm === "npm" ? "npm ci --omit=dev" : "npm install --omit=dev",
  };
}

function packageJson(model: ServerModel): string {
  const { entry, startScript, inspectScript } = commandsFor(model);
  const scripts: Record<string, string> = {
    dev: `node --watch ${entry}`,
    build: "tsc -p tsconfig.build.json",
    start: startScript,
    ...(model.stdio && model.http ? { "start:stdio": "node src/stdio.ts" } : {}),
    test: "vitest run",
    generate: "mcp-stateless generate",
    check: "tsc --noEmit && mcp-stateless generate --check",
    inspect: inspectScript,
  };
  const pkg = {
    name: model.name,
    version: model.version,
    private: true,
    type: "module",
    engines: { node: ">=22.18" },
    scripts,
    dependencies: runtimeDependencies(model),
    // A project created from an unpublished build points at that build instead (see create's --help).
    devDependencies: Object.fromEntries(
      Object.entries({ ...PROJECT_DEV_DEPENDENCIES, "create-mcp-stateless": selfDependency() }).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** What the generated code imports at run time, pinned, by name. */
export function runtimeDependencies(model: ServerModel): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ ...PROJECT_DEPENDENCIES, ...(model.stores.includes("redis") ? REDIS_CLIENT : {}) })
      // The Node HTTP adapter is only needed when the project serves HTTP.
      .filter(([name]) => model.http || name !== "@modelcontextprotocol/node")
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/**
 * The runtime dependencies a project's package.json does not list, in any dependency field.
 * package.json is the user's file, so a spec change that needs a new package (the redis store,
 * the HTTP transport) is reported, not written. A package.json that does not parse is npm's to report.
 */
export function missingDependencies(packageJsonText: string, model: ServerModel): string[] {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(packageJsonText) as Record<string, unknown>;
  } catch {
    return [];
  }
  const fields = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];
  const listed = new Set(fields.flatMap((field) => Object.keys((pkg[field] ?? {}) as object)));
  return Object.keys(runtimeDependencies(model)).filter((name) => !listed.has(name));
}

/** One table row per tool: its role and the first paragraph of its description. */
function toolRows(model: ServerModel): string[] {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
  return model.tools.map((t) => `| \`${t.name}\` | ${t.roleText} | ${cell(t.description.split("\n\n")[0] ?? "")} |`);
}

const STORE_USES: Record<string, string> = {
  sqlite: "one host: handles survive restarts and are shared by every process using the same file (`MCP_SQLITE_FILE`)",
  memory: "tests and single-process development: handles vanish on restart",
  redis: "many instances behind a load balancer: every instance sees every handle (`REDIS_URL`)",
};

/** The generated stores, one table row each. */
function storeRows(model: ServerModel): string[] {
  return model.stores.map((store) => `| \`${store}\` | ${STORE_USES[store]} |`);
}

/** A Mermaid flowchart of which tool creates, uses and ends which handle kind. */
function handleFlow(model: ServerModel): string {
  const id = (name: string) => `t_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const lines = ["flowchart LR"];
  for (const kind of model.handles) lines.push(`  k_${kind.kind}[("${kind.kind} handle<br/>${kind.prefix}_…, ${kind.lifetime}")]`);
  for (const tool of model.tools) {
    if (!tool.creates && !tool.takes) continue;
    lines.push(`  ${id(tool.name)}["${tool.name}"]`);
    if (tool.creates) lines.push(`  ${id(tool.name)} -- creates --> k_${tool.creates}`);
    if (tool.takes) lines.push(`  k_${tool.takes} -- ${tool.destroys ? "ends in" : "used by"} --> ${id(tool.name)}`);
  }
  return lines.join("\n");
}

function handlerStub(tool: ToolModel, kinds: Map<string, HandleKindModel>): string {
  const takes = tool.takes ? kinds.get(tool.takes) : undefined;
  const creates = tool.creates ? kinds.get(tool.creates) : undefined;
  const docLines: string[] = [];
  if (takes) {
    docLines.push(`\`state\` is the ${takes.kind}'s state, already checked to be live and the caller's.`);
    if (tool.destroys) docLines.push("The handle ends after this returns.");
    else if (!creates) docLines.push("Return a new `state` to change it; leave it out to keep it as it is.");
  }
  if (creates) docLines.push(`Return the initial \`state\` of the new ${creates.kind}; the caller gets its handle back.`);

  const fields: string[] = [];
  let complete = true;
  if (creates) {
    if (creates.stateExample === undefined) complete = false;
    fields.push(`state: ${literal(creates.stateExample)}`);
  }
  if (tool.hasOutput) {
    if (tool.exampleOutput === undefined) complete = false;
    fields.push(`output: ${literal(tool.exampleOutput)}`);
  } else if (!creates) {
    fields.push(`text: ${JSON.stringify(`${tool.name} is not implemented yet`)}`);
  }
  const params = ["input", ...(takes ? ["state"] : [])];
  return render("project/src/handlers/handler.ts.hbs", {
    ...tool,
    docLines,
    params: `{ ${params.join(", ")} }`,
    stubBody: complete ? `{ ${fields.join(", ")} }` : "",
  });
}
