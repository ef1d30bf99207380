/**
 * What each command is called, what it accepts and its help text — kept apart from the
 * command bodies so `--help` and flag errors never load them (or their heavy imports).
 */
import type { ParseArgsOptionsConfig } from "node:util";

export interface CommandInfo {
  name: string;
  summary: string;
  help: string;
  options: ParseArgsOptionsConfig;
  /** The most positional arguments accepted. */
  maxPositionals: number;
  load: () => Promise<{ default: (values: Record<string, unknown>, positionals: string[]) => Promise<number> }>;
}

export const COMMANDS: CommandInfo[] = [
  {
    name: "generate",
    summary: "Generate server code, JSON Schemas and tests from mcp.spec.ts",
    help: `Usage: mcp-stateless generate [--check] [--spec <file>] [--dir <project>]

Reads the project's typed spec and writes:
  src/generated/**         tool registration, handle types, handle runtime and stores (rewritten each time)
  src/handlers/<tool>.ts   a typed stub per tool (written once, never overwritten)
  src/http.ts, stdio.ts, fetch.ts, package.json, tsconfig.json   (written once when missing)
  schemas/*.json           JSON Schema 2020-12 of every tool's input and output, and tools.json
  test/generated/*.test.ts vitest tests of the stateless contract

Options:
  --check          write nothing; exit 1 and name the stale files if output is out of date
  --spec <file>    the spec file (default: mcp.spec.ts)
  --dir <project>  the project folder (default: the current folder)
  --quiet          print nothing on success
  -h, --help       show this help

Exit codes: 0 done (or up to date), 1 stale output (--check), 2 a problem with the spec or the flags.`,
    options: {
      check: { type: "boolean" },
      spec: { type: "string" },
      dir: { type: "string" },
      quiet: { type: "boolean" },
    },
    maxPositionals: 0,
    load: () => import("./generate.ts"),
  },
];
