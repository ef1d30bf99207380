/**
 * The command line: finds the command, checks its flags, and only then loads its body.
 * Exit codes: 0 success, 1 the command ran and found problems, 2 usage or input errors.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { COMMANDS } from "./commands/registry.ts";
import { UserError } from "./errors.ts";

const MAIN_HELP = `mcp-stateless: build stateless MCP servers (protocol 2026-07-28), with state behind explicit handles.

Usage: mcp-stateless <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join("\n")}

Run \`mcp-stateless <command> --help\` for a command's options.
Options: -h, --help   show this help; -v, --version   print the version`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "-h" || name === "--help" || name === "help") {
      console.log(MAIN_HELP);
      return name === undefined ? 2 : 0;
    }
    if (name === "-v" || name === "--version") {
      const { TOOL_VERSION } = await import("./versions.ts");
      console.log(TOOL_VERSION);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const { didYouMean } = await import("./spec/did-you-mean.ts");
      throw new UserError(`unknown command "${name}"${didYouMean(name, COMMANDS.map((c) => c.name))}`, "run `mcp-stateless --help`");
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(command.help);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UserError(`${command.name}: ${await flagProblem(error as Error & { code?: string }, command.options)}`, `run \`mcp-stateless ${command.name} --help\``);
    }
    if (parsed.positionals.length > command.maxPositionals) {
      throw new UserError(`${command.name}: unexpected argument "${parsed.positionals[command.maxPositionals]}"`, `run \`mcp-stateless ${command.name} --help\``);
    }
    const { default: run } = await command.load();
    return await run(parsed.values as Record<string, unknown>, parsed.positionals);
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`error: ${error.message}`);
      if (error.hint) console.error(`hint: ${error.hint}`);
      return 2;
    }
    console.error("internal error (a bug in create-mcp-stateless; please report it with this output):");
    console.error(error);
    return 1;
  }
}

/** parseArgs's complaint, with an unknown flag named the way the rest of our errors name things. */
async function flagProblem(error: Error & { code?: string }, options: ParseArgsOptionsConfig): Promise<string> {
  const flag = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION" || flag === undefined) return error.message;
  const { didYouMean } = await import("./spec/did-you-mean.ts");
  const known = Object.entries(options).flatMap(([name, option]) => [`--${name}`, ...(option.short ? [`-${option.short}`] : [])]);
  return `unknown option "${flag}"${didYouMean(flag, known)}`;
}
