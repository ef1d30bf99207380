/**
 * `add` on real project trees: plain SDK v2 servers in two styles (input → expected trees,
 * compared exactly; UPDATE_GOLDEN=1 rewrites them) and a created spec project. Each add is
 * run twice — the second is refused and changes nothing — and afterwards the project
 * type-checks and its own tests pass.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTree, removeProject, repoRoot, runCli, scratchProject } from "../support/project.ts";
import { run } from "../support/processes.ts";

const plain = path.join(repoRoot, "test/fixtures/plain");
const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc");
const vitest = path.join(repoRoot, "node_modules/vitest/vitest.mjs");
const fixtureConfig = path.join(repoRoot, "test/support/vitest.fixture.config.ts");
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

function copyOf(from: string): string {
  const dir = scratchProject();
  dirs.push(dir);
  cpSync(from, dir, { recursive: true });
  return dir;
}

function typeChecksAndPasses(dir: string): void {
  run(process.execPath, [tsc, "--noEmit", "-p", dir], dir);
  expect(run(process.execPath, [vitest, "run", "--root", dir, "--config", fixtureConfig], dir, { NO_COLOR: "1" })).toMatch(/Tests\s+\d+ passed/);
}

const handleTools = [
  ["add", "tool", "create_cart", "--creates", "cart", "--ttl", "2h", "--description", "Start a cart."],
  ["add", "tool", "add_to_cart", "--uses", "cart", "--description", "Put a product in the cart."],
  ["add", "tool", "drop_cart", "--destroys", "cart", "--description", "Throw the cart away."],
  ["add", "tool", "open_note", "--creates", "note", "--prefix", "nt", "--description", "Open a note."],
];

describe.each([
  ["inline", "inline", [["add", "tool", "add_numbers", "--description", "Add two numbers"]]],
  ["module", "module", [["add", "tool", "shout", "--description", "Shout it"]]],
  ["module-handles", "module", handleTools],
  // New files follow the house style of the file that builds the server: quotes, four spaces
  // here (module and module-handles show tabs and no semicolons, the handle files too).
  ["single-quoted", "single-quoted", [["add", "tool", "add_numbers", "--description", "Add two numbers"]]],
])("add in a plain SDK v2 server (%s)", (expected, input, commands) => {
  it("writes each tool and its test, wires it with minimal edits, and refuses each add a second time", async () => {
    const dir = copyOf(path.join(plain, input, "input"));
    for (const args of commands) {
      const first = await runCli([...args, "--dir", dir]);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const tree = readTree(dir);
      const second = await runCli([...args, "--dir", dir]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`a tool named "${args[2]}" is already registered \\(src/tools/${args[2]}\\.ts:\\d+\\)`));
      expect(readTree(dir)).toEqual(tree);
    }
    const expectedDir = path.join(plain, expected, "expected");
    if (process.env.UPDATE_GOLDEN) {
      rmSync(expectedDir, { recursive: true, force: true });
      cpSync(dir, expectedDir, { recursive: true });
    }
    expect(readTree(dir)).toEqual(readTree(expectedDir));
    typeChecksAndPasses(dir);
  });
});

describe("add in a plain SDK v2 server refuses", () => {
  it("two servers it cannot choose between, listing them, until --factory chooses", async () => {
    const dir = copyOf(path.join(plain, "module", "input"));
    const second = `import { McpServer } from '@modelcontextprotocol/server'\n\nexport function adminServer(): McpServer {\n\tconst server = new McpServer({ name: 'admin', version: '1.0.0' })\n\treturn server\n}\n`;
    writeFileSync(path.join(dir, "src/admin.ts"), second);
    const before = readTree(dir);
    const refused = await runCli(["add", "tool", "ping", "--description", "Ping", "--dir", dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("found 2 places that build an McpServer");
    expect(refused.stderr).toContain("src/admin.ts:4  adminServer");
    expect(refused.stderr).toContain("src/factory.ts:7  buildServer");
    expect(refused.stderr).toContain("--entry <file> and/or --factory <name>");
    expect(readTree(dir)).toEqual(before);

    const chosen = await runCli(["add", "tool", "ping", "--description", "Ping", "--factory", "adminServer", "--dir", dir]);
    expect(chosen.code).toBe(0);
    expect(readFileSync(path.join(dir, "src/admin.ts"), "utf8")).toContain("\tregisterPing(server)\n\treturn server");
  });

  it("a server built dynamically", async () => {
    const dir = copyOf(path.join(plain, "module", "input"));
    writeFileSync(path.join(dir, "src/factory.ts"), `import { McpServer } from '@modelcontextprotocol/server'\n\nexport const servers = ['a', 'b'].map((name) => new McpServer({ name, version: '1.0.0' }))\n`);
    const before = readTree(dir);
    const { code, stderr } = await runCli(["add", "tool", "ping", "--description", "Ping", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain("src/factory.ts:3 is built dynamically");
    expect(readTree(dir)).toEqual(before);
  });

  it("a different file in the way unless --force; an identical one is skipped silently", async () => {
    const dir = copyOf(path.join(plain, "module", "input"));
    mkdirSync(path.join(dir, "src/tools"), { recursive: true });
    writeFileSync(path.join(dir, "src/tools/ping.ts"), "// someone else's ping\n");
    const before = readTree(dir);
    const refused = await runCli(["add", "tool", "ping", "--description", "Ping", "--dir", dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("these files exist and differ from what add would write; nothing was changed:\n  src/tools/ping.ts");
    expect(refused.stderr).toContain("--force");
    expect(readTree(dir)).toEqual(before);

    const forced = await runCli(["add", "tool", "ping", "--description", "Ping", "--force", "--dir", dir]);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, "src/tools/ping.ts"), "utf8")).toContain("export function registerPing");

    // Identical test file already there: skipped, and the tool still added.
    const again = copyOf(path.join(plain, "module", "input"));
    mkdirSync(path.join(again, "test"), { recursive: true });
    writeFileSync(path.join(again, "test/ping.test.ts"), readFileSync(path.join(dir, "test/ping.test.ts")));
    expect((await runCli(["add", "tool", "ping", "--description", "Ping", "--dir", again])).code).toBe(0);
  });

  it("a handle kind nothing creates yet, suggesting the close one", async () => {
    const dir = copyOf(path.join(plain, "module", "input"));
    expect((await runCli([...handleTools[0]!, "--dir", dir])).code).toBe(0);
    const before = readTree(dir);
    const { code, stderr } = await runCli(["add", "tool", "peek", "--uses", "carts", "--description", "Peek.", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`unknown handle kind "carts" (did you mean "cart"?)`);
    expect(readTree(dir)).toEqual(before);
  });

  it("--prefix or --ttl where no new handle kind is made, rather than dropping them", async () => {
    const dir = copyOf(path.join(plain, "module", "input"));
    expect((await runCli([...handleTools[0]!, "--dir", dir])).code).toBe(0);
    const before = readTree(dir);
    const noKind = await runCli(["add", "tool", "peek", "--ttl", "1h", "--description", "Peek.", "--dir", dir]);
    expect(noKind.code).toBe(2);
    expect(noKind.stderr).toContain("add tool: --ttl is for a new handle kind, not for a tool");
    const knownKind = await runCli(["add", "tool", "open_cart", "--creates", "cart", "--prefix", "c", "--description", "Open.", "--dir", dir]);
    expect(knownKind.code).toBe(2);
    expect(knownKind.stderr).toContain(`handle kind "cart" exists already (src/handles/kinds.ts), so --prefix would change nothing`);
    expect(readTree(dir)).toEqual(before);
  });

  it("a server written in JavaScript, naming its file, rather than finding nothing", async () => {
    const dir = scratchProject();
    dirs.push(dir);
    mkdirSync(path.join(dir, "src"));
    writeFileSync(path.join(dir, "src/server.js"), `import { McpServer } from "@modelcontextprotocol/server";\nexport const server = new McpServer({ name: "js", version: "1.0.0" });\n`);
    const before = readTree(dir);
    const { code, stderr } = await runCli(["add", "tool", "ping", "--description", "Ping", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain("src/server.js builds its McpServer in JavaScript, and add writes TypeScript tools; nothing was changed");
    expect(readTree(dir)).toEqual(before);
  });

  it("a folder with neither a spec nor sources", async () => {
    const dir = scratchProject();
    dirs.push(dir);
    const { code, stderr } = await runCli(["add", "tool", "ping", "--description", "Ping", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`no mcp.spec.ts and no TypeScript sources in ${dir}`);
  });
});

describe("add in a plain SDK v2 server whose files import nothing of each other yet", () => {
  it("ends its imports as the tsconfig compiles them: .js under nodenext, none under a bundler's resolution", async () => {
    for (const [options, ending] of [[{ module: "nodenext" }, ".js"], [{ module: "esnext", moduleResolution: "bundler" }, ""]] as const) {
      const dir = copyOf(path.join(plain, "inline", "input"));
      const config = JSON.parse(readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
      delete config.compilerOptions.allowImportingTsExtensions;
      writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, ...options } }));
      // The project's own test imports the server as such a project must.
      const ownTest = path.join(dir, "test/echo.test.ts");
      writeFileSync(ownTest, readFileSync(ownTest, "utf8").replace("../src/server.ts", `../src/server${ending}`));
      expect((await runCli(["add", "tool", "shout", "--description", "Shout it", "--dir", dir])).code).toBe(0);
      expect(readFileSync(path.join(dir, "src/server.ts"), "utf8")).toContain(`from "./tools/shout${ending}"`);
      expect(readFileSync(path.join(dir, "test/shout.test.ts"), "utf8")).toContain(`from "../src/tools/shout${ending}"`);
      typeChecksAndPasses(dir);
    }
  });
});

describe("add in a created spec project, compared exactly", () => {
  it("changes exactly the expected files (test/fixtures/add-project/changes), and nothing else", async () => {
    const parent = scratchProject();
    dirs.push(parent);
    const dir = path.join(parent, "notes");
    expect((await runCli(["create", dir, "--template", "blank", "--no-git", "--no-install"])).code).toBe(0);
    const before = readTree(dir);
    expect((await runCli(["add", "tool", "read_note", "--uses", "note", "--description", "Read the note back.", "--dir", dir])).code).toBe(0);
    const after = readTree(dir);
    const changed = Object.fromEntries(Object.entries(after).filter(([file, content]) => before[file] !== content));
    const expectedDir = path.join(repoRoot, "test/fixtures/add-project/changes");
    if (process.env.UPDATE_GOLDEN) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const [file, content] of Object.entries(changed)) {
        mkdirSync(path.dirname(path.join(expectedDir, file)), { recursive: true });
        writeFileSync(path.join(expectedDir, file), content);
      }
    }
    expect(changed).toEqual(readTree(expectedDir));
    expect(Object.keys(before).filter((file) => !(file in after))).toEqual([]);

    // A spec's kinds come from `add handle`: a tool's --prefix and --ttl are refused, not dropped.
    const refused = await runCli(["add", "tool", "peek", "--uses", "note", "--prefix", "pk", "--ttl", "1h", "--description", "Peek.", "--dir", dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("add tool: --prefix and --ttl are for a new handle kind, not for a tool");
    expect(refused.stderr).toContain("add handle <kind> --prefix <p> --ttl <duration>");
    expect(readTree(dir)).toEqual(after);
  });
});

describe("add on a terminal", () => {
  it("asks for the name (again, when taken), the description and the handle role, then adds the tool", async () => {
    const parent = scratchProject();
    dirs.push(parent);
    const dir = path.join(parent, "asked");
    expect((await runCli(["create", dir, "--template", "blank", "--no-git", "--no-install"])).code).toBe(0);
    const steps = [
      ["Tool name", "create_note\r"],
      // A name the spec already has is refused at the prompt, before anything else is asked.
      [`tool "create_note" already exists`, `${"\x7f".repeat("create_note".length)}read_note\r`],
      ["What does the tool do", "Read the note back.\r"],
      ["work with a handle", "\x1b[B\x1b[B\r"], // no handle, creates a note, [uses a note]
    ];
    const screen = run("python3", [path.join(repoRoot, "test/support/pty-drive.py"), JSON.stringify(steps), process.execPath, path.join(repoRoot, "test/support/cli.mjs"), "add", "tool"], dir);
    expect(screen).toContain("Added tool read_note to mcp.spec.ts");
    expect(readFileSync(path.join(dir, "mcp.spec.ts"), "utf8")).toContain(`    read_note: {\n      description: "Read the note back.",\n      uses: "note",`);
  });
});

describe("add in a created spec project", () => {
  it("keeps it type-checking and passing its tests after adding a handle kind and tools", async () => {
    run("npm", ["run", "--silent", "build"], repoRoot); // the spec imports this package's types
    const parent = scratchProject();
    dirs.push(parent);
    const dir = path.join(parent, "grown");
    expect((await runCli(["create", dir, "--template", "basket", "--no-git", "--no-install"])).code).toBe(0);
    // What an install would put there; everything else resolves from this repository's node_modules.
    const installed = path.join(dir, "node_modules/create-mcp-stateless");
    cpSync(path.join(repoRoot, "dist"), path.join(installed, "dist"), { recursive: true });
    cpSync(path.join(repoRoot, "package.json"), path.join(installed, "package.json"));
    for (const args of [
      ["handle", "wishlist", "--description", "A list of wished-for products", "--ttl", "7d"],
      ["tool", "wish", "--uses", "wishlist", "--description", "Add a wish."],
      ["tool", "forget_wishlist", "--destroys", "wishlist", "--description", "Drop the list."],
      ["tool", "ping", "--description", "Answer pong."],
    ]) {
      const first = await runCli(["add", ...args, "--dir", dir]);
      expect(first.code, first.stderr).toBe(0);
      const tree = readTree(dir);
      const second = await runCli(["add", ...args, "--dir", dir]);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain("already exists");
      expect(readTree(dir)).toEqual(tree);
    }
    typeChecksAndPasses(dir);
  });
});
