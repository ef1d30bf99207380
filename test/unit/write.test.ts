/**
 * writeAllOrNone: generate, migrate and add write a set of files together, and a failure at any
 * point leaves every one of them as it was.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeAllOrNone } from "../../src/write.ts";
import { readTree, removeProject, scratchProject } from "../support/project.ts";

const dirs: string[] = [];
afterEach(() => {
  dirs.splice(0).forEach(removeProject);
  vi.doUnmock("node:fs");
  vi.resetModules();
});

function project(files: Record<string, string>): string {
  const dir = scratchProject(files);
  dirs.push(dir);
  return dir;
}

describe("writeAllOrNone", () => {
  it("writes nothing when one file cannot be staged, and leaves no temporary file behind", async () => {
    const dir = project({ "a.ts": "export const a = 1;\n" });
    const writes = [{ target: path.join(dir, "a.ts"), content: "export const a = 2;\n" }, { target: path.join(dir, "missing/b.ts"), content: "x" }];
    await expect(writeAllOrNone(writes)).rejects.toThrow(/ENOENT/);
    expect(readFileSync(path.join(dir, "a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(readdirSync(dir)).toEqual(["a.ts"]);
  });

  it("refuses a directory standing where a file goes before it replaces any file", async () => {
    const dir = project({ "a.ts": "export const a = 1;\n", "schemas/x.json": "{}\n" });
    const writes = [{ target: path.join(dir, "a.ts"), content: "export const a = 2;\n" }, { target: path.join(dir, "new.ts"), content: "x" }, { target: path.join(dir, "schemas"), content: "{}" }];
    await expect(writeAllOrNone(writes)).rejects.toThrow(/EISDIR/);
    expect(readFileSync(path.join(dir, "a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(readdirSync(dir).sort()).toEqual(["a.ts", "schemas"]);
  });

  /** writeAllOrNone over a file system where changing `failing` fails: a fault no real one gives on demand. */
  async function failingOn(failing: string): Promise<typeof writeAllOrNone> {
    vi.doMock("node:fs", async (original) => {
      const fs = await original<typeof import("node:fs")>();
      const fault = (file: unknown) => {
        if (path.basename(String(file)) === failing) throw Object.assign(new Error(`EIO: i/o error, '${String(file)}'`), { code: "EIO", path: String(file) });
      };
      const renameSync: typeof fs.renameSync = (from, to) => (fault(to), fs.renameSync(from, to));
      const rmSync: typeof fs.rmSync = (file, options) => (fault(file), fs.rmSync(file, options));
      return { ...fs, renameSync, rmSync, default: { ...fs, renameSync, rmSync } };
    });
    return (await import("../../src/write.ts")).writeAllOrNone;
  }

  it("puts back the files already replaced when a rename fails half-way", async () => {
    const dir = project({ "a.ts": "export const a = 1;\n", "c.ts": "export const c = 1;\n" });
    chmodSync(path.join(dir, "a.ts"), 0o755);
    const write = await failingOn("c.ts");
    const writes = ["a.ts", "b.ts", "c.ts"].map((name) => ({ target: path.join(dir, name), content: "export {};\n" }));
    await expect(write(writes)).rejects.toMatchObject({ code: "EIO", path: path.join(dir, "c.ts") });
    expect(readFileSync(path.join(dir, "a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(statSync(path.join(dir, "a.ts")).mode & 0o777).toBe(0o755);
    expect(readFileSync(path.join(dir, "c.ts"), "utf8")).toBe("export const c = 1;\n");
    expect(readdirSync(dir).sort()).toEqual(["a.ts", "c.ts"]);
  });

  it("puts back the files it removed, and those it wrote, when a later removal fails", async () => {
    const dir = project({ "a.ts": "export const a = 1;\n", "x.json": "{}\n", "z.json": "[]\n" });
    const write = await failingOn("z.json");
    const removals = [path.join(dir, "x.json"), path.join(dir, "z.json")];
    await expect(write([{ target: path.join(dir, "a.ts"), content: "export {};\n" }], { removals })).rejects.toThrow(/EIO/);
    expect(readTree(dir)).toEqual({ "a.ts": "export const a = 1;\n", "x.json": "{}\n", "z.json": "[]\n" });
  });

  it("replaces and removes every file, and leaves nothing beside them, when all goes well", async () => {
    const dir = project({ "a.ts": "export const a = 1;\n", "x.json": "{}\n" });
    mkdirSync(path.join(dir, "sub"));
    const writes = [{ target: path.join(dir, "a.ts"), content: "export const a = 2;\n" }, { target: path.join(dir, "sub/b.ts"), content: "export const b = 1;\n" }];
    await writeAllOrNone(writes, { removals: [path.join(dir, "x.json")] });
    expect(readTree(dir)).toEqual({ "a.ts": "export const a = 2;\n", "sub/b.ts": "export const b = 1;\n" });
  });

  it("keeps an executable's mode, and writes a symlinked file through its link", async () => {
    const dir = project({ "bin.ts": "#!/usr/bin/env node\nexport {};\n", "real/lib.ts": "export const a = 1;\n" });
    chmodSync(path.join(dir, "bin.ts"), 0o755);
    symlinkSync(path.join(dir, "real/lib.ts"), path.join(dir, "lib.ts"));
    await writeAllOrNone([{ target: path.join(dir, "bin.ts"), content: "#!/usr/bin/env node\nexport const b = 1;\n" }, { target: path.join(dir, "lib.ts"), content: "export const a = 2;\n" }]);
    expect(statSync(path.join(dir, "bin.ts")).mode & 0o777).toBe(0o755);
    expect(lstatSync(path.join(dir, "lib.ts")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, "real/lib.ts"), "utf8")).toBe("export const a = 2;\n");
  });
});
