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
    name: "create",
    summary: "Create a new stateless MCP server project (what `npm create mcp-stateless` runs)",
    help: `Usage: npm create mcp-stateless [dir] [options]
       mcp-stateless create [dir] [options]

Creates a project from a template (a spec and its handlers; everything else comes from
\`generate\`), installs it and makes a first git commit. On a terminal it asks for what the
flags leave open; without one (CI, pipes, agents) it takes the defaults and never waits.

Options:
  --template <name>     basket (default) | database | blank
  --store <name>        sqlite (default) | memory
  --transport <name>    both (default) | http | stdio
  --pm <name>           npm | pnpm | yarn | bun (default: the one running this, else npm)
  --name <package>      package and server name (default: the folder's name)
  --no-git              do not initialise a git repository
  --no-install          do not install dependencies
  --overwrite           create in a non-empty folder, replacing its contents (not its .git)
  -y, --yes             ask nothing; take the defaults for what the flags leave open
  -h, --help            show this help

Environment: MCP_STATELESS_SELF=<npm spec> makes the new project depend on that build of this
package (a tarball path, for trying an unpublished build) instead of the published version.

Exit codes: 0 created, 1 created but the install failed, 2 bad flags or folder, 130 cancelled.`,
    options: {
      template: { type: "string" },
      store: { type: "string" },
      transport: { type: "string" },
      pm: { type: "string" },
      name: { type: "string" },
      "no-git": { type: "boolean" },
      "no-install": { type: "boolean" },
      overwrite: { type: "boolean" },
      yes: { type: "boolean", short: "y" },
    },
    maxPositionals: 1,
    load: () => import("./create.ts"),
  },
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
