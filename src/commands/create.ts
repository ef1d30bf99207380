/**
 * `npm create mcp-stateless [dir]`: ask (or take flags), scaffold from a template plus
 * `generate`, install, make the first commit, and say what to do next.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.ts";
import { typoHint } from "../spec/did-you-mean.ts";
import { packageNameProblem, suggestPackageName } from "../spec/names.ts";
import { ask, Cancelled, confirmOverwrite } from "../create/ask.ts";
import {
  DEFAULT_DIR,
  PACKAGE_MANAGERS,
  STORES,
  TEMPLATES,
  TRANSPORTS,
  commandsOf,
  packageManagerFromUserAgent,
  type CreateChoices,
} from "../create/options.ts";
import { scaffold } from "../create/scaffold.ts";
import { startSpinner } from "../create/spinner.ts";

export default async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const interactive = values.yes !== true && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const given: Partial<CreateChoices> = {
    dir: positionals[0],
    template: oneOf("--template", values.template, TEMPLATES),
    store: oneOf("--store", values.store, STORES, {
      // A real store, but it needs a Redis server for the first `npm test` and `npm start`.
      redis: `redis is not a starting store (it needs a Redis server running): create with sqlite, then set store: "redis" in mcp.spec.ts and run generate`,
    }),
    transport: oneOf("--transport", values.transport, TRANSPORTS),
    packageManager: oneOf("--pm", values.pm, PACKAGE_MANAGERS),
    git: values["no-git"] === true ? false : undefined,
    install: values["no-install"] === true ? false : undefined,
  };
  const defaults: CreateChoices = {
    dir: DEFAULT_DIR,
    name: "",
    template: "basket",
    store: "sqlite",
    transport: "both",
    packageManager: packageManagerFromUserAgent(process.env.npm_config_user_agent) ?? "npm",
    git: true,
    install: true,
  };

  try {
    const insideRepo = (dir: string) => isInsideGitRepo(dir);
    const nameFor = (dir: string) => (values.name as string | undefined) ?? path.basename(path.resolve(dir));
    // Asked on a terminal, a folder that cannot be used is refused at its prompt.
    const checkDir = (dir: string) => folderProblem(dir, nameFor(dir))?.message ?? true;
    const choices = interactive ? await ask(given, defaults, insideRepo(process.cwd()), checkDir) : { ...defaults, ...definedOnly(given) };
    const target = path.resolve(choices.dir);
    choices.name = nameFor(choices.dir);
    const problem = folderProblem(choices.dir, choices.name);
    if (problem) {
      throw new UserError(
        problem.kind === "file" ? `${problem.message}; nothing was written` : problem.message,
        problem.kind === "file"
          ? "choose a folder that does not exist yet, or an empty one"
          : values.name === undefined
            ? `pick another folder name, or keep this one and pass --name ${suggestPackageName(choices.name)}`
            : `pass --name ${suggestPackageName(choices.name)}`,
      );
    }

    let overwrite = values.overwrite === true;
    if (!isEmptyOrMissing(target) && !overwrite) {
      if (!interactive || !(await confirmOverwrite(choices.dir))) {
        throw new UserError(`${choices.dir} exists and is not empty; nothing was written`, "choose another folder, or pass --overwrite to replace its contents");
      }
      overwrite = true;
    }
    const gitAlready = insideRepo(path.dirname(target));

    const files = await scaffold(target, choices, overwrite);
    console.log(`\nCreated ${choices.name} from the ${choices.template} template in ${target} (${files.length} files).`);

    const pm = commandsOf(choices.packageManager);
    let installed = false;
    if (choices.install) installed = await install(target, pm.install);
    if (choices.git && !gitAlready) commitFirst(target, choices.name);

    const cd = path.relative(process.cwd(), target) || ".";
    console.log("\nNext:");
    if (cd !== ".") console.log(`  cd ${cd.includes(" ") ? JSON.stringify(cd) : cd}`);
    if (!installed) console.log(`  ${pm.install.join(" ")}`);
    console.log(`  ${pm.run("test")}     # the generated tests pass from the start`);
    // A stdio server is started by its host, so from a terminal it is tried in the Inspector.
    if (choices.transport === "stdio") console.log(`  ${pm.run("inspect")}  # try it in the MCP Inspector; edit mcp.spec.ts, then ${pm.run("generate")}`);
    else console.log(`  ${pm.run("dev")}      # serve, restarting on change; edit mcp.spec.ts, then ${pm.run("generate")}`);
    return choices.install && !installed ? 1 : 0;
  } catch (error) {
    if (error instanceof Cancelled) {
      console.log("\nCancelled; nothing was created.");
      return 130;
    }
    throw error;
  }
}

function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[], hints: Record<string, string> = {}): T | undefined {
  if (value === undefined) return undefined;
  if (allowed.includes(value as T)) return value as T;
  throw new UserError(`${flag} must be one of ${allowed.join(", ")}; got "${value}"${typoHint(String(value), allowed)}`, hints[String(value)]);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isEmptyOrMissing(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
    return readdirSync(dir).filter((entry) => entry !== ".git").length === 0;
  } catch {
    return true;
  }
}

/** Why a project cannot be made in `dir` under `name`, if it cannot. */
function folderProblem(dir: string, name: string): { kind: "file" | "name"; message: string } | undefined {
  if (isFile(path.resolve(dir))) return { kind: "file", message: `${dir} is a file` };
  const problem = packageNameProblem(name);
  return problem ? { kind: "name", message: `"${name}" cannot be the package name: ${problem}` } : undefined;
}

function isFile(target: string): boolean {
  try {
    return !statSync(target).isDirectory();
  } catch {
    return false;
  }
}

function isInsideGitRepo(dir: string): boolean {
  let existing = dir;
  while (!safeIsDir(existing)) existing = path.dirname(existing);
  const result = spawnSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: existing, encoding: "utf8" });
  return result.status === 0 && result.stdout.trim() === "true";
}

function safeIsDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Installs with a spinner; on failure shows the package manager's own output. */
async function install(cwd: string, command: string[]): Promise<boolean> {
  const spinner = startSpinner(`Installing dependencies (${command.join(" ")})`);
  const [bin, ...args] = command as [string, ...string[]];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    let output = "";
    const child = spawn(bin, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "ENOENT" ? `${bin} is not installed, or not on PATH (choose another with --pm)` : error.message;
      resolve({ code: null, output: `${output}${why}\n` });
    });
    child.on("close", (code) => resolve({ code, output }));
  });
  if (code === 0) {
    spinner.stop(`✔ Installed dependencies (${command.join(" ")})`);
    return true;
  }
  spinner.stop(`✖ ${command.join(" ")} failed${code === null ? "" : ` (exit ${code})`}; its output:`);
  console.log(output.trimEnd().replace(/^/gm, "  "));
  console.log(`The project is complete; install it yourself once the problem above is fixed: cd ${cwd} && ${command.join(" ")}`);
  return false;
}

function commitFirst(cwd: string, name: string): void {
  const git = (...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8" });
  if (git("init", "-q").status !== 0) {
    console.log("! git is not available; skipped the repository.");
    return;
  }
  git("add", "-A");
  const commit = git("commit", "-q", "-m", `Create ${name} with create-mcp-stateless`);
  if (commit.status === 0) console.log("✔ Initialised a git repository with a first commit.");
  else console.log("! Initialised a git repository; the first commit needs your git identity (git config user.name / user.email), then: git commit");
}
