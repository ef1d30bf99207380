/**
 * migrate on fixture pairs (test/fixtures/migrate/<rule>): the output compared exactly, a
 * second run changing nothing, the negative case left alone, malformed input reported; and
 * the command's promises: markers once, dry runs, JSON, and a dirty git tree refused.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrateText } from "../../src/migrate/engine.ts";
import { readTree, removeProject, repoRoot, runCli, scratchProject } from "../support/project.ts";

const fixtures = path.join(repoRoot, "test/fixtures/migrate");
const read = (...parts: string[]) => readFileSync(path.join(fixtures, ...parts), "utf8");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeProject));

describe.each(["resumability", "list-mutation"])("the %s rewrite", (rule) => {
  it("turns the input into the expected output exactly, and a second run changes nothing", () => {
    const first = migrateText("input.ts", read(rule, "input.ts"), { insertTodos: false });
    expect(first.applied).toEqual([rule]);
    expect(first.after).toBeDefined();
    expect(first.after).toBe(read(rule, "expected.ts"));
    const second = migrateText("input.ts", first.after!, { insertTodos: false });
    expect(second.after).toBeUndefined();
    expect(second.findings.filter((f) => f.rule === rule)).toEqual([]);
  });

  it("leaves its negative case alone", () => {
    const result = migrateText("negative.ts", read(rule, "negative.ts"), { insertTodos: false });
    expect(result.after).toBeUndefined();
    expect(result.applied).toEqual([]);
  });

  it("reports malformed input without a crash", () => {
    const result = migrateText("broken.ts", read(rule, "input.ts").replace("{", "{{"), { insertTodos: false });
    expect(result.error).toMatch(/^does not parse \(\d+:\d+: /);
    expect(result.after).toBeUndefined();
  });
});

describe("mcp-stateless migrate", () => {
  function project(): string {
    const dir = scratchProject();
    dirs.push(dir);
    for (const rule of ["resumability", "list-mutation", "session-state"]) copyFileSync(path.join(fixtures, rule, "input.ts"), path.join(dir, `${rule}.ts`));
    return dir;
  }

  it("rewrites what it can, reports the rest with file:line:col, and exits 1 while findings remain", async () => {
    const dir = project();
    const { code, stdout } = await runCli(["migrate", dir]);
    expect(code).toBe(1);
    expect(readFileSync(path.join(dir, "resumability.ts"), "utf8")).toBe(read("resumability", "expected.ts"));
    expect(stdout).toMatch(/migrated .*resumability\.ts \(resumability\)/);
    expect(stdout).toMatch(/session-state\.ts:7:\d+  session-state  extra\.sessionId ties state to the client's session\n    to do: a create_\* tool returns a handle/);
    expect(stdout).toMatch(/2 files changed, 2 findings left\./);
  });

  it("with --insert-todos marks each finding on its own line, never twice", async () => {
    const dir = project();
    await runCli(["migrate", "--insert-todos", dir]);
    const once = readFileSync(path.join(dir, "session-state.ts"), "utf8");
    expect(once).toContain("    // TODO(mcp-stateless): session-state: extra.sessionId ties state to the client's session. a create_* tool returns a handle");
    expect(once.match(/TODO\(mcp-stateless\)/g)).toHaveLength(2);
    await runCli(["migrate", "--insert-todos", dir]);
    expect(readFileSync(path.join(dir, "session-state.ts"), "utf8")).toBe(once);
    // check reports the markers too.
    expect((await runCli(["check", path.join(dir, "session-state.ts")])).stdout).toContain("todo-marker");
  });

  it("with --dry-run prints a unified diff and writes nothing", async () => {
    const dir = project();
    const before = readTree(dir);
    const { stdout } = await runCli(["migrate", "--dry-run", dir]);
    expect(stdout).toContain("-    eventStore, // replay for reconnecting clients");
    expect(stdout).toMatch(/^--- a\/.*resumability\.ts/m);
    expect(stdout).toContain("2 files would change");
    expect(readTree(dir)).toEqual(before);
  });

  it("reports JSON, goes on past a file that does not parse, and leaves that file untouched", async () => {
    const dir = project();
    writeFileSync(path.join(dir, "broken.ts"), "const sessionId = ;\n");
    const { code, stdout } = await runCli(["migrate", "--json", dir]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.changed).toBe(2);
    expect(report.failed).toBe(1);
    expect(report.files.find((f: { file: string }) => f.file.endsWith("broken.ts")).error).toMatch(/does not parse/);
    expect(readFileSync(path.join(dir, "broken.ts"), "utf8")).toBe("const sessionId = ;\n");
  });

  it("refuses to rewrite files with uncommitted changes unless --force, and refuses unknown rules", async () => {
    const dir = path.join(scratchProject(), "repo");
    dirs.push(path.dirname(dir));
    mkdirSync(dir);
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir });
    git("init", "-q");
    copyFileSync(path.join(fixtures, "resumability/input.ts"), path.join(dir, "server.ts"));
    git("add", "-A");
    git("commit", "-qm", "start");
    writeFileSync(path.join(dir, "server.ts"), `${readFileSync(path.join(dir, "server.ts"), "utf8")}// edited\n`);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const refused = await runCli(["migrate", "."]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("uncommitted changes in files migrate would rewrite:\n  server.ts");
      expect((await runCli(["migrate", "--force", "."])).code).toBe(0);
      const unknown = await runCli(["migrate", "--rules", "resumabilty", "."]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(`unknown rule "resumabilty" (did you mean "resumability"?)`);
    } finally {
      process.chdir(cwd);
    }
  });
});
