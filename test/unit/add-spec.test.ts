/**
 * `add` on a spec: the exact text it produces for specs written in different styles
 * (test/fixtures/add/<case>/before.ts → after.ts; UPDATE_GOLDEN=1 rewrites after.ts), and
 * the whole command on a created project: regenerated, refused the second time, unchanged.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { addToSpec, type Addition } from "../../src/add/spec-edit.ts";
import { readTree, removeProject, repoRoot, runCli, scratchProject } from "../support/project.ts";

const fixtures = path.join(repoRoot, "test/fixtures/add");
const cases: Array<[string, Addition[]]> = [
  [
    "double-quotes",
    [
      { what: "tool", name: "read_note", description: "Read the note back.", role: { role: "uses", kind: "note" } },
      { what: "handle", kind: "draft", prefix: "drf", ttl: "2h", description: "A draft" },
    ],
  ],
  ["single-quotes", [{ what: "tool", name: "add-sku", description: "Add a SKU to the cart's list.", role: { role: "uses", kind: "cart" } }]],
  ["tabs-no-handles", [{ what: "handle", kind: "job", prefix: "job", ttl: "10m", description: "A running job" }]],
  ["empty-tools", [{ what: "handle", kind: "job", prefix: "job", ttl: "10m", description: "A running job" }]],
  // Its first indented lines are the doc comment's " * ": not the indentation unit.
  ["doc-comment", [{ what: "tool", name: "read_note", description: "Read the note back.", role: { role: "uses", kind: "note" } }]],
  // `tools` and `handles` name consts of the file (shorthand, and under another name): edited there.
  [
    "named-objects",
    [
      { what: "tool", name: "read_note", description: "Read the note back.", role: { role: "uses", kind: "note" } },
      { what: "handle", kind: "draft", prefix: "drf", ttl: "2h", description: "A draft" },
    ],
  ],
];

function isInsertionInto(before: string, after: string): boolean {
  let at = 0;
  for (const char of before) {
    at = after.indexOf(char, at);
    if (at < 0) return false;
    at += 1;
  }
  return true;
}

describe.each(cases)("adding to the %s spec", (name, additions) => {
  it("changes only what it adds, in the file's own style", () => {
    const before = readFileSync(path.join(fixtures, name, "before.ts"), "utf8");
    const after = additions.reduce((text, addition) => addToSpec("mcp.spec.ts", text, addition), before);
    if (process.env.UPDATE_GOLDEN) writeFileSync(path.join(fixtures, name, "after.ts"), after);
    expect(after).toBe(readFileSync(path.join(fixtures, name, "after.ts"), "utf8"));
    // Only insertions: the original text is still there, every character, in order.
    expect(isInsertionInto(before, after)).toBe(true);
  });
});

describe("mcp-stateless add in a created project", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeProject));
  async function project(): Promise<string> {
    const dir = path.join(scratchProject(), "app");
    dirs.push(path.dirname(dir));
    expect((await runCli(["create", dir, "--template", "blank", "--no-git", "--no-install"])).code).toBe(0);
    return dir;
  }

  it("adds a tool, regenerates, writes its stubs, and refuses the same add the second time", async () => {
    const dir = await project();
    const args = ["add", "tool", "read_note", "--uses", "note", "--description", "Read the note back.", "--dir", dir];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    const tree = readTree(dir);
    expect(tree["mcp.spec.ts"]).toContain(`    read_note: {\n      description: "Read the note back.",\n      uses: "note",`);
    expect(tree["src/handlers/read_note.ts"]).toContain("export const readNote: ReadNoteHandler");
    expect(tree["test/read_note.test.ts"]).toContain(`call(client, "read_note", { note_id: createdNote.structured?.note_id })`);
    expect(tree["src/generated/tools.ts"]).toContain("export const readNoteTool");
    expect((await runCli(["generate", "--dir", dir, "--check"])).code).toBe(0);

    const second = await runCli(args);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`tool "read_note" already exists (mcp.spec.ts:`);
    expect(readTree(dir)).toEqual(tree);
  });

  it("adds a tool with the OAuth scopes --scope names, which the generated server then holds tokens to", async () => {
    const dir = await project();
    const { code, stderr } = await runCli(["add", "tool", "erase_note", "--destroys", "note", "--description", "Erase it.", "--scope", "notes:write", "--scope", "notes:admin audit", "--dir", dir]);
    expect(code, stderr).toBe(0);
    const tree = readTree(dir);
    expect(tree["mcp.spec.ts"]).toContain(`    erase_note: {\n      description: "Erase it.",\n      destroys: "note",\n      scopes: ["notes:write", "notes:admin", "audit"],`);
    expect(tree["src/generated/app.ts"]).toContain(`erase_note: ["notes:write", "notes:admin", "audit"],`);
    expect((await runCli(["generate", "--dir", dir, "--check"])).code).toBe(0);
  });

  it("refuses --scope where there is no spec to hold it, and changes nothing", async () => {
    const dir = scratchProject({ "src/server.ts": "export {};\n" });
    dirs.push(dir);
    const before = readTree(dir);
    const { code, stderr } = await runCli(["add", "tool", "x", "--description", "d", "--scope", "a", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain("add tool: --scope needs a project with mcp.spec.ts");
    expect(readTree(dir)).toEqual(before);
  });

  it("adds a handle kind with its create tool", async () => {
    const dir = await project();
    const { code } = await runCli(["add", "handle", "draft", "--description", "A draft", "--ttl", "2h", "--dir", dir]);
    expect(code).toBe(0);
    const tree = readTree(dir);
    expect(tree["mcp.spec.ts"]).toContain(`    draft: {\n      prefix: "draf",\n      ttl: "2h",`);
    expect(tree["src/handlers/create_draft.ts"]).toBeDefined();
    expect(tree["src/generated/tools.ts"]).toContain(`prefix: "draf"`);
  });

  it.each([
    [["tool", "read_note", "--uses", "notes", "--description", "d"], `unknown handle kind "notes" (did you mean "note"?)`],
    [["tool", "bad name", "--description", "d"], `"bad name" cannot be a tool name`],
    [["tool", "create_note", "--description", "d"], `tool "create_note" already exists (mcp.spec.ts:18)`],
    [["tool", "x", "--uses", "note", "--destroys", "note", "--description", "d"], "give at most one of --creates, --uses and --destroys"],
    [["tool", "x"], "--description is required when not on a terminal"],
    [["handle", "note", "--description", "d"], `handle kind "note" already exists (mcp.spec.ts:10)`],
    [["handle", "Notes", "--description", "d"], `"Notes" cannot be a handle kind`],
    [["handle", "job", "--ttl", "forever", "--description", "d"], `ttl must be a string like "90s"`],
    [["widget", "x"], "say what to add: `add tool <name>` or `add handle <kind>`"],
    // What is wrong with the name or the flags is said first, before a missing description.
    [["tool", "create_note"], `tool "create_note" already exists (mcp.spec.ts:18)`],
    [["tool", "x", "--uses", "notes"], `unknown handle kind "notes" (did you mean "note"?)`],
    [["handle", "job", "--ttl", "forever"], `--ttl must be a string like "90s"`],
    [["tool", "x", "--scope", "offline_access"], `--scope: "offline_access" asks for refresh tokens`],
    [["tool", "x", "--scope", 'a"b', "--description", "d"], `--scope: "a\\"b" is not an OAuth scope name`],
    [["handle", "job", "--scope", "jobs:run", "--description", "d"], "add handle: --scope is for tools"],
  ])("refuses add %j and changes nothing", async (args, message) => {
    const dir = await project();
    const before = readTree(dir);
    const { code, stderr } = await runCli(["add", ...args, "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(readTree(dir)).toEqual(before);
  });

  it("refuses a spec that does not parse, pointing at the line", async () => {
    const dir = await project();
    writeFileSync(path.join(dir, "mcp.spec.ts"), readFileSync(path.join(dir, "mcp.spec.ts"), "utf8").replace("tools: {", "tools: {{"));
    const before = readTree(dir);
    const { code, stderr } = await runCli(["add", "tool", "x", "--description", "d", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/mcp\.spec\.ts:\d+:\d+: syntax error/);
    expect(readTree(dir)).toEqual(before);
  });

  it("refuses a spec built in a way it cannot edit safely, and shows the entry to paste", async () => {
    const dir = await project();
    const spec = `import { z } from "zod";\nimport { base } from "./base.ts";\n\nexport default { ...base, tools: makeTools() };\nfunction makeTools() { return {}; }\n`;
    writeFileSync(path.join(dir, "mcp.spec.ts"), spec);
    const { code, stderr } = await runCli(["add", "tool", "ping", "--description", "Ping.", "--dir", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain("its default export is not an object literal with a `tools` object that can be edited safely");
    expect(stderr).toContain(`ping: {\n  description: "Ping.",`);
    expect(readFileSync(path.join(dir, "mcp.spec.ts"), "utf8")).toBe(spec);
  });
});
