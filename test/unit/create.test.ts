/** `create` without installing: what it lays down, and everything it refuses. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { packageManagerFromUserAgent } from "../../src/create/options.ts";
import { packageNameProblem, suggestPackageName } from "../../src/spec/names.ts";
import { patchSpec } from "../../src/create/patch-spec.ts";
import { selfDependency, TOOL_VERSION } from "../../src/versions.ts";
import { readTree, removeProject, runCli, scratchProject } from "../support/project.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeProject));
function parent(): string {
  const dir = scratchProject();
  dirs.push(dir);
  return dir;
}
const create = (...args: string[]) => runCli(["create", ...args, "--no-install", "--no-git"]);

describe("create", () => {
  it.each(["basket", "database", "blank"])("lays down the %s template with everything generate makes", async (template) => {
    const target = path.join(parent(), "my-app");
    const { code, stdout } = await create(target, "--template", template);
    expect(code).toBe(0);
    expect(stdout).toContain(`Created my-app from the ${template} template`);
    const tree = readTree(target);
    for (const file of ["mcp.spec.ts", "package.json", "README.md", "Dockerfile", ".gitignore", "src/http.ts", "src/stdio.ts", "src/generated/server.ts", "test/generated/server.test.ts"]) {
      expect(tree[file], file).toBeDefined();
    }
    expect(tree["mcp.spec.ts"]).toContain(`name: "my-app",`);
    expect(JSON.parse(tree["package.json"]!).name).toBe("my-app");
    expect(tree["README.md"]).toContain("```mermaid");
    expect(readdirSync(path.dirname(target))).toEqual(["my-app"]); // no staging folder left behind
  });

  it("writes the chosen store and transport into the spec and the entry points", async () => {
    const target = path.join(parent(), "stdio-app");
    const created = await create(target, "--store", "memory", "--transport", "stdio");
    expect(created.code).toBe(0);
    // Nothing to serve from a terminal: the next step offered is the Inspector, which starts it.
    expect(created.stdout).toContain("npm run inspect  # try it in the MCP Inspector");
    expect(created.stdout).not.toContain("npm run dev");
    const tree = readTree(target);
    expect(tree["mcp.spec.ts"]).toContain(`store: "memory",\n  transports: ["stdio"],`);
    expect(tree["src/stdio.ts"]).toBeDefined();
    expect(tree["src/http.ts"]).toBeUndefined();
    expect(tree["src/generated/stores.ts"]).toContain(`env.MCP_HANDLE_STORE ?? "memory"`);
    expect(JSON.parse(tree["package.json"]!).scripts.start).toBe("node src/stdio.ts");
  });

  it.each([
    ["pnpm", ["pnpm install", "pnpm test ", "pnpm dev ", "pnpm generate", "npm install --omit=dev &&"]],
    ["yarn", ["\nyarn\n", "yarn test ", "yarn dev ", "yarn generate", "npm install --omit=dev &&"]],
    ["bun", ["bun install", "bun run test ", "bun run dev ", "bun run generate", "npm install --omit=dev &&"]],
    ["npm", ["npm install", "npm test ", "npm run dev ", "npm run generate", "npm ci --omit=dev &&"]],
  ])("writes a README whose commands are %s's", async (pm, commands) => {
    const target = path.join(parent(), "app");
    expect((await create(target, "--pm", pm)).code).toBe(0);
    const readme = readTree(target)["README.md"]!;
    for (const command of commands) expect(readme).toContain(command);
    // The comments after the commands stay in one column.
    const block = /```sh\n([^`]*)```/.exec(readme)![1]!.split("\n").filter((line) => line.includes("#"));
    expect(new Set(block.map((line) => line.indexOf("#"))).size).toBe(1);
    if (pm !== "npm") expect(readme).not.toMatch(/\bnpm (run|test|start)/);
  });

  it("refuses a folder that is not empty and leaves it as it was", async () => {
    const target = path.join(parent(), "taken");
    mkdirSync(target);
    writeFileSync(path.join(target, "notes.txt"), "mine\n");
    const { code, stderr } = await create(target);
    expect(code).toBe(2);
    expect(stderr).toContain(`${target} exists and is not empty; nothing was written`);
    expect(stderr).toContain("--overwrite");
    expect(readTree(target)).toEqual({ "notes.txt": "mine\n" });
  });

  it("refuses a file where the folder should be, and a place it cannot write, as usage errors", async () => {
    const where = parent();
    writeFileSync(path.join(where, "taken.txt"), "mine\n");
    const onFile = await create(path.join(where, "taken.txt"));
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain(`${path.join(where, "taken.txt")} is a file; nothing was written`);
    const underFile = await create(path.join(where, "taken.txt", "app"));
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toContain(`cannot create ${path.join(where, "taken.txt", "app")}: `);
    expect(underFile.stderr).not.toContain("internal error");
    expect(readTree(where)).toEqual({ "taken.txt": "mine\n" });
  });

  it("says the package manager is missing, keeps the finished project, and exits 1", async () => {
    const target = path.join(parent(), "no-bun");
    const searchPath = process.env.PATH;
    process.env.PATH = "/nonexistent"; // no package manager to be found
    try {
      const { code, stdout } = await runCli(["create", target, "--pm", "bun", "--no-git", "--yes"]);
      expect(code).toBe(1);
      expect(stdout).toContain("  bun is not installed, or not on PATH (choose another with --pm)\nThe project is complete;");
    } finally {
      process.env.PATH = searchPath;
    }
    expect(readTree(target)["mcp.spec.ts"]).toContain(`name: "no-bun",`);
  });

  it("with --overwrite replaces a folder's contents but keeps its .git", async () => {
    const target = path.join(parent(), "reused");
    mkdirSync(path.join(target, ".git"), { recursive: true });
    writeFileSync(path.join(target, ".git/HEAD"), "ref: refs/heads/main\n");
    writeFileSync(path.join(target, "old.txt"), "old\n");
    expect((await create(target, "--overwrite")).code).toBe(0);
    const tree = readTree(target);
    expect(tree["old.txt"]).toBeUndefined();
    expect(tree[".git/HEAD"]).toBe("ref: refs/heads/main\n");
    expect(tree["mcp.spec.ts"]).toContain(`name: "reused",`);
  });

  it("refuses a folder name that is no package name, suggesting one, and writes nothing", async () => {
    const where = parent();
    const { code, stderr } = await create(path.join(where, "My Server!"));
    expect(code).toBe(2);
    expect(stderr).toContain(`"My Server!" cannot be the package name`);
    expect(stderr).toContain("--name my-server");
    expect(readdirSync(where)).toEqual([]);
  });

  it.each([
    [["--template", "baskt"], `--template must be one of basket, database, blank; got "baskt" (did you mean "basket"?)`],
    [["--store", "redis"], /--store must be one of sqlite, memory; got "redis"\nhint: .*set store: "redis" in mcp\.spec\.ts and run generate$/m],
    [["--transport", "sse"], `--transport must be one of both, http, stdio; got "sse"`],
    [["--pm", "npn"], `--pm must be one of npm, pnpm, yarn, bun; got "npn" (did you mean "npm"?)`],
    [["--frobnicate"], `unknown option "--frobnicate"`],
    [["extra"], `unexpected argument "extra"`],
  ])("refuses %j with exit code 2", async (args, message) => {
    const where = parent();
    const { code, stderr } = await runCli(["create", path.join(where, "app"), ...args]);
    expect(code).toBe(2);
    if (typeof message === "string") expect(stderr).toContain(message);
    else expect(stderr).toMatch(message);
    expect(readdirSync(where)).toEqual([]);
  });
});

describe("create's rules", () => {
  it.each([
    ["npm/11.1.0 node/v24.1.0 linux x64 workspaces/false", "npm"],
    ["pnpm/9.12.0 npm/? node/v22.18.0 linux x64", "pnpm"],
    ["yarn/4.5.0 npm/? node/v22.18.0 linux x64", "yarn"],
    ["bun/1.2.0 npm/? node/v24.0.0 linux x64", "bun"],
    ["cnpm/1.0.0", undefined],
    [undefined, undefined],
  ])("reads the package manager from %j", (agent, pm) => {
    expect(packageManagerFromUserAgent(agent)).toBe(pm);
  });

  it.each([
    ["My Server!", "my-server"],
    ["_private", "private"],
    ["already-fine", "already-fine"],
    ["!!!", "mcp-server"],
  ])("suggests a valid package name for %j", (name, suggestion) => {
    expect(suggestPackageName(name)).toBe(suggestion);
    expect(packageNameProblem(suggestion)).toBeUndefined();
  });

  it.each([
    [{}, `^${TOOL_VERSION}`],
    [{ npm_config_package: "create-mcp-stateless@latest" }, `^${TOOL_VERSION}`],
    [{ npm_config_package: "./create-mcp-stateless-0.1.0.tgz" }, "file:/work/here/create-mcp-stateless-0.1.0.tgz"],
    [{ npm_config_package: "/abs/create-mcp-stateless-0.2.0.tgz" }, "file:/abs/create-mcp-stateless-0.2.0.tgz"],
    [{ npm_config_package: "./other-tool-1.0.0.tgz" }, `^${TOOL_VERSION}`],
    [{ MCP_STATELESS_SELF: "file:/x.tgz", npm_config_package: "./create-mcp-stateless-0.1.0.tgz" }, "file:/x.tgz"],
  ])("makes new projects depend on the build that made them (%j)", (env, expected) => {
    expect(selfDependency(env, "/work/here")).toBe(expected);
  });

  it("patches only the name line unless a non-default is chosen", () => {
    const spec = readFileSync(path.join(import.meta.dirname, "../../templates/starters/blank/mcp.spec.ts"), "utf8");
    const same = patchSpec(spec, { name: "x", store: "sqlite", transport: "both" });
    expect(same).toBe(spec.replace(`name: "my-server",`, `name: "x",`));
  });
});
