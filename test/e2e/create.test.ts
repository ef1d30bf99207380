/**
 * `npm create mcp-stateless` as a person runs it, from the packed tarball: every offered
 * template × store × transport is created, installed, checked, tested, started, and used
 * through the real MCP client; and the interactive flow is driven through a pseudo-terminal.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectHttp, connectStdio } from "../support/client.ts";
import { repoRoot } from "../support/project.ts";
import { packTarball, run, startServer } from "../support/processes.ts";

const work = mkdtempSync(path.join(tmpdir(), "mcp-stateless-create-"));
let tarball: string;
beforeAll(() => {
  tarball = packTarball(repoRoot, work);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const gitIdentity = {
  GIT_AUTHOR_NAME: "create test",
  GIT_AUTHOR_EMAIL: "create-test@example.invalid",
  GIT_COMMITTER_NAME: "create test",
  GIT_COMMITTER_EMAIL: "create-test@example.invalid",
};
/** `npm exec --package <tarball> create-mcp-stateless …`: exactly what the README tells people to run. */
function createProject(args: string[]): string {
  // No MCP_STATELESS_SELF: the project must find its way to this tarball by itself.
  return run("npm", ["exec", "--yes", "--package", tarball, "--", "create-mcp-stateless", ...args], work, gitIdentity);
}

/** One call that creates a handle and, where the template has one, one that uses it. */
const roundTrips = {
  basket: { create: ["create_basket", {}], param: "basket_id", use: ["add_item", { sku: "A-1", quantity: 2 }, { item_count: 2 }] },
  database: { create: ["connect_database", { file: "e2e.sqlite" }], param: "connection_id", use: ["query", { sql: "SELECT 1 AS one" }, { rows: [{ one: 1 }] }] },
  blank: { create: ["create_note", { text: "hello" }], param: "note_id", use: undefined },
} as const;

async function roundTrip(client: Client, template: keyof typeof roundTrips): Promise<void> {
  const trip = roundTrips[template];
  const created = await client.callTool({ name: trip.create[0], arguments: trip.create[1] });
  const handle = (created.structuredContent as Record<string, string> | undefined)?.[trip.param];
  expect(handle, JSON.stringify(created)).toMatch(/^[a-z]+_[A-Za-z0-9_-]{22,}$/);
  if (trip.use) {
    const used = await client.callTool({ name: trip.use[0], arguments: { ...trip.use[1], [trip.param]: handle } });
    expect(used.structuredContent, JSON.stringify(used)).toMatchObject(trip.use[2]);
  }
}

const combinations = (["basket", "database", "blank"] as const).flatMap((template) =>
  (["sqlite", "memory"] as const).flatMap((store) => (["both", "http", "stdio"] as const).map((transport) => ({ template, store, transport }))),
);

describe.each(combinations)("create --template $template --store $store --transport $transport", ({ template, store, transport }) => {
  const name = `${template}-${store}-${transport}`;
  const dir = path.join(work, name);

  it("creates a project that installs, checks, passes its tests, serves, and answers a real client", async () => {
    const output = createProject([name, "--template", template, "--store", store, "--transport", transport, "--no-git"]);
    expect(output).toContain(`Created ${name} from the ${template} template`);
    expect(output).toContain("Installed dependencies (npm install)");
    expect(output).not.toContain("npm install\n"); // no "run npm install" step left to do
    run("npm", ["run", "check"], dir);
    expect(run("npm", ["test"], dir, { NO_COLOR: "1" })).toMatch(/Tests\s+\d+ passed/);
    run("npm", ["run", "build"], dir);
    expect(existsSync(path.join(dir, "dist", transport === "stdio" ? "src/stdio.js" : "src/http.js"))).toBe(true);

    if (transport === "stdio") {
      const client = await connectStdio({ command: "npm", args: ["start", "--silent"], cwd: dir });
      await roundTrip(client, template);
      await client.close();
    } else {
      const server = await startServer(dir, ["npm", "start"], {});
      try {
        const client = await connectHttp(server.url);
        await roundTrip(client, template);
        await client.close();
      } finally {
        await server.stop();
      }
    }
  });
});

describe("create on a terminal", () => {
  const drive = (steps: Array<[string, string]>, cwd: string) =>
    run("python3", [path.join(repoRoot, "test/support/pty-drive.py"), JSON.stringify(steps), "npm", "exec", "--yes", "--package", tarball, "--", "create-mcp-stateless"], cwd, {
      MCP_STATELESS_SELF: `file:${tarball}`,
      ...gitIdentity,
    });

  it("asks each question, takes typed answers (again, when refused), and makes the first commit", () => {
    const cwd = mkdtempSync(path.join(work, "pty-"));
    const screen = drive(
      [
        ["Project folder", "Typed App\r"],
        // A folder whose name is no package name is refused at the prompt, which asks again.
        [`"Typed App" cannot be the package name`, `${"\x7f".repeat("Typed App".length)}typed-app\r`],
        ["Template", "\x1b[B\r"], // arrow down: database
        ["Handle store", "\x1b[B\r"], // memory
        ["Transports", "\r"],
        ["Package manager", "\r"],
        ["git repository", "y"],
        ["Install dependencies", "n"],
      ],
      cwd,
    );
    expect(screen).toContain("Created typed-app from the database template");
    expect(screen).toContain("Initialised a git repository with a first commit.");
    expect(screen).toContain("npm install"); // not installed, so it is among the next steps
    const dir = path.join(cwd, "typed-app");
    expect(run("git", ["log", "--oneline"], dir)).toMatch(/^[0-9a-f]+ Create typed-app with create-mcp-stateless\n$/);
    expect(run("git", ["status", "--porcelain"], dir)).toBe("");
    expect(existsSync(path.join(dir, "src/handlers/query.ts"))).toBe(true);
  });

  it("stops cleanly at Ctrl-C and leaves no folder behind", () => {
    const cwd = mkdtempSync(path.join(work, "pty-"));
    let failure: Error | undefined;
    try {
      drive([["Project folder", "abandoned\r"], ["Template", "\x03"]], cwd);
    } catch (error) {
      failure = error as Error;
    }
    expect(failure?.message).toContain("(exit 130)");
    expect(failure?.message).toContain("Cancelled; nothing was created.");
    expect(readdirSync(cwd)).toEqual([]);
  });
});
