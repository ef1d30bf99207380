/**
 * What `generate` writes for the two example specs, compared byte for byte with the golden
 * trees in test/golden/ (refresh them with UPDATE_GOLDEN=1 after an intended change), and
 * how it treats a second run, stale output and user-owned files.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readTree, removeProject, repoRoot, runCli, scratchProject } from "../support/project.ts";

const goldenDir = (starter: string) => path.join(repoRoot, "test/golden", starter);
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeProject));

async function generated(starter: string): Promise<string> {
  const dir = scratchProject({}, starter);
  dirs.push(dir);
  const { code, stderr } = await runCli(["generate", "--dir", dir, "--quiet"]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return dir;
}

describe.each(["basket", "database"])("the %s example", (starter) => {
  it("generates exactly the golden tree", async () => {
    const tree = readTree(await generated(starter));
    if (process.env.UPDATE_GOLDEN) {
      rmSync(goldenDir(starter), { recursive: true, force: true });
      for (const [file, content] of Object.entries(tree)) {
        cpSync(path.join(dirs.at(-1)!, file), path.join(goldenDir(starter), file));
        expect(content).toBeDefined();
      }
    }
    expect(tree).toEqual(readTree(goldenDir(starter)));
  });

  it("changes no byte on a second run, and --check agrees", async () => {
    const dir = await generated(starter);
    const before = readTree(dir);
    const again = await runCli(["generate", "--dir", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 file\(s\) written/);
    expect(readTree(dir)).toEqual(before);
    const check = await runCli(["generate", "--dir", dir, "--check"]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("up to date");
  });
});

describe("generate", () => {
  it("--check names stale and leftover files and exits 1, writing nothing", async () => {
    const dir = await generated("basket");
    writeFileSync(path.join(dir, "src/generated/server.ts"), "// edited by hand\n");
    writeFileSync(path.join(dir, "schemas/old_tool.input.json"), "{}\n");
    const before = readTree(dir);
    const { code, stdout } = await runCli(["generate", "--dir", dir, "--check"]);
    expect(code).toBe(1);
    expect(stdout).toContain("stale  schemas/old_tool.input.json");
    expect(stdout).toContain("stale  src/generated/server.ts");
    expect(readTree(dir)).toEqual(before);
  });

  it("--check reports output that a spec change made stale", async () => {
    const dir = await generated("basket");
    const spec = path.join(dir, "mcp.spec.ts");
    writeFileSync(spec, readFileSync(spec, "utf8").replace(`ttl: "1h"`, `ttl: "2h"`));
    const { code, stdout } = await runCli(["generate", "--dir", dir, "--check"]);
    expect(code).toBe(1);
    expect(stdout).toContain("stale  src/generated/tools.ts");
  });

  it("rewrites generated files, removes leftovers, and never touches user-owned ones", async () => {
    const dir = await generated("basket");
    const handler = path.join(dir, "src/handlers/add_item.ts");
    writeFileSync(handler, "// my own code\n");
    writeFileSync(path.join(dir, "package.json"), "{}\n");
    writeFileSync(path.join(dir, "src/generated/server.ts"), "// edited by hand\n");
    writeFileSync(path.join(dir, "schemas/old_tool.input.json"), "{}\n");
    const { code } = await runCli(["generate", "--dir", dir, "--quiet"]);
    expect(code).toBe(0);
    const tree = readTree(dir);
    expect(tree["src/handlers/add_item.ts"]).toBe("// my own code\n");
    expect(tree["package.json"]).toBe("{}\n");
    expect(tree["src/generated/server.ts"]).toBe(readFileSync(path.join(goldenDir("basket"), "src/generated/server.ts"), "utf8"));
    expect(tree["schemas/old_tool.input.json"]).toBeUndefined();
  });

  it("refuses a directory where it writes a file, naming it, and changes nothing", async () => {
    const dir = await generated("basket");
    writeFileSync(path.join(dir, "src/generated/server.ts"), "// edited by hand\n");
    rmSync(path.join(dir, "schemas/tools.json"));
    mkdirSync(path.join(dir, "schemas/tools.json"));
    const before = readTree(dir);
    const { code, stderr } = await runCli(["generate", "--dir", dir]);
    expect(stderr).toBe("error: generate could not read schemas/tools.json: a directory stands where a file goes; no file was changed");
    expect(code).toBe(2);
    expect(readTree(dir)).toEqual(before);
  });

  it("names the packages the generated code now imports that package.json lacks, and how to add them", async () => {
    const dir = await generated("basket");
    const spec = path.join(dir, "mcp.spec.ts");
    writeFileSync(spec, readFileSync(spec, "utf8").replace(`name: "basket-server",`, `name: "basket-server",\n  store: "redis",`));
    writeFileSync(path.join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
    const packageJson = readFileSync(path.join(dir, "package.json"), "utf8");
    const check = await runCli(["generate", "--dir", dir, "--check"]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("  missing  @redis/client (package.json)");
    const { code, stdout } = await runCli(["generate", "--dir", dir]);
    expect(code).toBe(0);
    expect(stdout).toContain("  missing  @redis/client (package.json)");
    expect(stdout).toContain("The generated code imports packages that package.json does not list; add them: pnpm add @redis/client@6.3.1");
    expect(readFileSync(path.join(dir, "package.json"), "utf8")).toBe(packageJson); // the user's file
    const after = await runCli(["generate", "--dir", dir, "--check"]);
    expect(after.code).toBe(1);
    expect(after.stdout).not.toContain("stale");
    expect(after.stdout).toContain("  missing  @redis/client (package.json)");
  });

  it("writes a missing README with the commands of the package manager whose lockfile the project has", async () => {
    const dir = await generated("basket");
    rmSync(path.join(dir, "README.md"));
    writeFileSync(path.join(dir, "yarn.lock"), "# yarn lockfile v1\n");
    expect((await runCli(["generate", "--dir", dir, "--quiet"])).code).toBe(0);
    const readme = readFileSync(path.join(dir, "README.md"), "utf8");
    expect(readme).toContain("Run `yarn generate`");
    expect(readme).not.toContain("npm run");
  });

  it("names, and keeps, the handler and test of a tool taken out of the spec", async () => {
    const dir = await generated("basket");
    const spec = path.join(dir, "mcp.spec.ts");
    const text = readFileSync(spec, "utf8");
    const start = text.indexOf("    view_basket: {");
    writeFileSync(spec, text.slice(0, start) + text.slice(text.indexOf("    checkout: {")));
    writeFileSync(path.join(dir, "src/handlers/prices.ts"), "export const price = 1;\n"); // a helper, not a handler
    const { code, stdout } = await runCli(["generate", "--dir", dir]);
    expect(code).toBe(0);
    expect(stdout.split("\n").filter((line) => line.startsWith("  left"))).toEqual(["  left     src/handlers/view_basket.ts", "  left     test/view_basket.test.ts"]);
    expect(stdout).toContain("Left alone: written for tools no longer in mcp.spec.ts, and yours.");
    const tree = readTree(dir);
    expect(tree["src/handlers/view_basket.ts"]).toBeDefined();
    expect(tree["test/view_basket.test.ts"]).toBeDefined();
  });

  it("takes a scoped package name, and names the Docker image without its scope", async () => {
    const dir = await generated("basket");
    const spec = path.join(dir, "mcp.spec.ts");
    writeFileSync(spec, readFileSync(spec, "utf8").replace(`name: "basket-server"`, `name: "@acme/basket-server"`));
    rmSync(path.join(dir, "package.json"));
    rmSync(path.join(dir, "README.md"));
    expect((await runCli(["generate", "--dir", dir, "--quiet"])).code).toBe(0);
    const tree = readTree(dir);
    expect(JSON.parse(tree["package.json"]!).name).toBe("@acme/basket-server");
    expect(tree["README.md"]).toContain("`docker build -t acme-basket-server . && docker run -p 3000:3000 -v acme-basket-server-data:/app/.data acme-basket-server`");
  });

  it("keeps the README's handle flow and store list current, and the rest of it as the user wrote it", async () => {
    const dir = await generated("basket");
    const readme = path.join(dir, "README.md");
    const edited = readFileSync(readme, "utf8").replace("## Run it", "## Run it\n\nOur own words, kept.").replace("A handler that uses a handle", "Ours too. A handler that uses a handle");
    writeFileSync(readme, edited);
    const spec = path.join(dir, "mcp.spec.ts");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("    checkout: {", `    empty_basket: { description: "Remove every item.", uses: "basket" },\n    checkout: {`));
    const check = await runCli(["generate", "--dir", dir, "--check"]);
    expect(check.stdout).toContain("stale  README.md");
    const { stdout } = await runCli(["generate", "--dir", dir]);
    expect(stdout).toContain("wrote    README.md");
    const after = readFileSync(readme, "utf8");
    expect(after).toContain("| `empty_basket` | works on a basket handle | Remove every item. |");
    expect(after).toContain("t_empty_basket");
    expect(after).toContain("Our own words, kept.");
    expect(after).toContain("Ours too. A handler that uses a handle");
    expect(after.replace(/<!-- mcp-stateless:begin handle-flow[\s\S]*?<!-- mcp-stateless:end handle-flow -->/, "")).toBe(edited.replace(/<!-- mcp-stateless:begin handle-flow[\s\S]*?<!-- mcp-stateless:end handle-flow -->/, ""));
    // Markers taken out make the whole file the user's.
    const unmarked = after.replace(/<!-- mcp-stateless:(begin|end) [^>]*-->\n/g, "");
    writeFileSync(readme, unmarked);
    writeFileSync(spec, readFileSync(spec, "utf8").replace(`    empty_basket: { description: "Remove every item.", uses: "basket" },\n`, ""));
    await runCli(["generate", "--dir", dir, "--quiet"]);
    expect(readFileSync(readme, "utf8")).toBe(unmarked);
  });

  it("writes a stub for a tool added to the spec, and heads every generated file", async () => {
    const dir = await generated("basket");
    const spec = path.join(dir, "mcp.spec.ts");
    const added = `    empty_basket: { description: "Remove every item.", uses: "basket" },\n    checkout: {`;
    writeFileSync(spec, readFileSync(spec, "utf8").replace("    checkout: {", added));
    const { code, stdout } = await runCli(["generate", "--dir", dir]);
    expect(code).toBe(0);
    expect(stdout).toContain("created  src/handlers/empty_basket.ts");
    const tree = readTree(dir);
    expect(tree["src/handlers/empty_basket.ts"]).toContain("export const emptyBasket: EmptyBasketHandler");
    for (const [file, content] of Object.entries(tree)) {
      if (file.startsWith("src/generated/") || file.startsWith("test/generated/")) {
        expect(content.startsWith("// @generated — do not edit."), file).toBe(true);
      }
    }
  });
});
