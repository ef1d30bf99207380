/** The command line itself: help, usage errors and exit codes, and a light start-up. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { launch, MINIMUM_NODE, nodeVersionProblem } from "../../src/launch.ts";
import { repoRoot, runCli } from "../support/project.ts";

describe("mcp-stateless", () => {
  it("prints help listing the commands", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: mcp-stateless <command>");
    expect(stdout).toMatch(/generate\s+Generate server code/);
  });

  it("prints a command's help without running it", async () => {
    const { code, stdout } = await runCli(["generate", "--help", "--dir", "/nonexistent"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: mcp-stateless generate [--check]");
  });

  it("treats no command as a usage error", async () => {
    const { code, stdout } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toContain("Usage:");
  });

  it("refuses an unknown command with a suggestion", async () => {
    const { code, stderr } = await runCli(["generat"]);
    expect(code).toBe(2);
    expect(stderr).toContain(`unknown command "generat" (did you mean "generate"?)`);
  });

  it("refuses an unknown flag and a stray argument with exit code 2", async () => {
    const flag = await runCli(["generate", "--chek"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(`generate: unknown option "--chek" (did you mean "--check"?)`);
    expect(flag.stderr).toContain("mcp-stateless generate --help");
    const far = await runCli(["generate", "--frobnicate"]);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/generate: unknown option "--frobnicate" \(known: "--check", .*"--dir"/);
    const stray = await runCli(["generate", "extra"]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain(`unexpected argument "extra"`);
  });

  it.each([
    [["generate", "--dir", "/nonexistent/place"], "--dir /nonexistent/place: no such folder"],
    [["add", "tool", "x", "--description", "d", "--dir", "/nonexistent/place"], "--dir /nonexistent/place: no such folder"],
    [["check", "--dir", "/nonexistent/place", "."], "--dir /nonexistent/place: no such folder"],
    [["check", "--url", "localhost:3000/mcp"], "--url localhost:3000/mcp: not an http:// or https:// URL"],
  ])("refuses %j as a usage error", async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it("loads no heavy module to print help", () => {
    const trace = path.join(repoRoot, "test/support/trace-imports.mjs");
    const script = `const { main } = await import(${JSON.stringify(path.join(repoRoot, "src/cli.ts"))}); await main(["generate", "--help"]);`;
    const child = spawnSync(process.execPath, ["--import", trace, "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(child.status).toBe(0);
    const loaded = JSON.parse(/LOADED-PACKAGES (.*)/.exec(child.stderr)![1]!) as string[];
    for (const heavy of ["typescript", "handlebars", "zod", "ts-morph", "yeoman-generator"]) expect(loaded).not.toContain(heavy);
  });
});

describe("the launchers' Node version check, before anything else loads", () => {
  it("accepts the engines' minimum and anything newer, and refuses older, naming both", () => {
    for (const ok of ["22.18.0", "22.20.1", "23.0.0", "24.21.0", "30.1.2"]) expect(nodeVersionProblem(ok), ok).toBeUndefined();
    for (const old of ["22.17.1", "20.20.2", "18.0.0"]) {
      expect(nodeVersionProblem(old), old).toContain(`needs Node.js ${MINIMUM_NODE} or newer (this is ${old})`);
    }
  });

  it("holds the same minimum as package.json's engines", () => {
    const { engines } = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { engines: { node: string } };
    expect(engines.node).toBe(`>=${MINIMUM_NODE}`);
  });

  it("stops an old Node with exit code 2 and the reason, and runs the command on a current one", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await launch(["--version"], "20.20.2")).toBe(2);
      expect(errors.mock.calls.flat().join("\n")).toContain("needs Node.js");
      expect(printed).not.toHaveBeenCalled();
      expect(await launch(["--version"])).toBe(0);
      expect(printed).toHaveBeenCalledTimes(1);
    } finally {
      errors.mockRestore();
      printed.mockRestore();
    }
  });
});
