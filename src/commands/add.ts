/**
 * `mcp-stateless add tool|handle <name>`: grows a project. With a spec, the entry goes into
 * mcp.spec.ts and `generate` writes the rest; in a plain SDK v2 server, a tool module is
 * written and wired into the server's factory.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import prompts from "prompts";
import { type Addition, addToSpec, checkAddition, handleKindsIn, type Intent, type Role } from "../add/spec-edit.ts";
import { SpecError, UserError } from "../errors.ts";
import { projectFolder } from "../paths.ts";
import { DEFAULT_SPEC_FILE } from "../spec/load.ts";
import { readSpecSource } from "../spec/source.ts";
import { generate } from "./generate.ts";

const ROLES: Role[] = ["creates", "uses", "destroys"];

export default async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const [what, name] = positionals;
  if (what !== "tool" && what !== "handle") {
    throw new UserError(`add: say what to add: \`add tool <name>\` or \`add handle <kind>\`${what ? `, not "${what}"` : ""}`, "run `mcp-stateless add --help`");
  }
  const root = projectFolder(values.dir);
  const specFile = (values.spec as string | undefined) ?? DEFAULT_SPEC_FILE;
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const roles = ROLES.filter((role) => values[role] !== undefined);
  if (roles.length > 1) throw new UserError(`add tool: give at most one of --creates, --uses and --destroys (got ${roles.map((r) => `--${r}`).join(" and ")})`);
  if (what === "handle" && roles.length) throw new UserError(`add handle: --${roles[0]} is for tools`);
  // OAuth scopes are space-separated, so `--scope "a b"` is two, as `--scope a --scope b` is.
  const scopes = ((values.scope as string[] | undefined) ?? []).flatMap((value) => value.split(/\s+/)).filter(Boolean);
  if (what === "handle" && scopes.length) throw new UserError("add handle: --scope is for tools", "add the kind, then give its create tool `scopes` in the spec, or add the tool with `add tool <name> --creates <kind> --scope <scope>`");
  const specProject = existsSync(path.join(root, specFile));
  // --prefix and --ttl shape a new handle kind; on a tool that makes none they would be dropped unsaid.
  const kindFlags = (["prefix", "ttl"] as const).filter((flag) => values[flag] !== undefined).map((flag) => `--${flag}`);
  if (what === "tool" && kindFlags.length && (specProject || roles[0] !== "creates")) {
    throw new UserError(
      `add tool: ${kindFlags.join(" and ")} ${kindFlags.length > 1 ? "are" : "is"} for a new handle kind, not for a tool`,
      specProject
        ? "a spec's kinds come from `add handle <kind> --prefix <p> --ttl <duration>`, with their create_<kind> tool"
        : "with --creates <new kind> they set that kind's prefix and lifetime",
    );
  }

  if (!specProject) {
    if (scopes.length) {
      throw new UserError(
        `add tool: --scope needs a project with ${specFile}, whose generated server holds tokens to the scopes it names`,
        "in a plain SDK server, check the token's scopes (extra.authInfo.scopes) in the tool, or in front of the MCP handler",
      );
    }
    if (what === "handle") {
      throw new UserError(`add handle needs a project with ${specFile}; none in ${root}`, "in a plain SDK server, add a tool that creates one: add tool <name> --creates <kind>");
    }
    const { addToPlainServer } = await import("../add/plain-server.ts");
    return addToPlainServer(root, {
      name: await required("name", name, "Tool name", interactive),
      role: roles[0] && { role: roles[0], kind: values[roles[0]] as string },
      description: values.description as string | undefined,
      prefix: values.prefix as string | undefined,
      ttl: values.ttl as string | undefined,
      entry: values.entry as string | undefined,
      factory: values.factory as string | undefined,
      force: values.force === true,
      interactive,
    });
  }

  const file = path.join(root, specFile);
  const before = await readFile(file, "utf8");
  const syntax = readSpecSource(specFile, before).syntaxErrors;
  if (syntax.length) throw new SpecError(syntax);
  // What the command line says is checked against the spec before anything more is asked.
  // On a terminal, a name the spec cannot take is refused at the prompt, which asks again.
  const acceptable = (intentFor: (answer: string) => Intent) => (answer: string) => {
    try {
      checkAddition(specFile, before, intentFor(answer));
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const intent: Intent =
    what === "tool"
      ? {
          what,
          name: await required("name", name, "Tool name", interactive, acceptable((answer) => ({ what, name: answer }))),
          role: roles[0] && { role: roles[0], kind: values[roles[0]] as string },
          ...(scopes.length > 0 && { scopes }),
        }
      : await handleIntent(values, name, interactive, acceptable);
  checkAddition(specFile, before, intent);
  const description = await required(
    "--description",
    values.description,
    what === "tool" ? "What does the tool do? (shown to models)" : "What does a handle stand for? (shown to models)",
    interactive,
  );
  const addition: Addition = { ...intent, description };
  // On a terminal with nothing but `add tool`, the handle role is asked too (a kind from the list).
  if (addition.what === "tool" && !addition.role && interactive && !name) addition.role = await askRole(handleKindsIn(before));

  const after = addToSpec(specFile, before, addition);

  // generate validates the edited spec before it writes anything; if it refuses, the spec goes back as it was.
  await writeFile(file, after);
  try {
    await generate({ dir: root, spec: specFile });
  } catch (error) {
    await writeFile(file, before);
    throw error;
  }
  if (addition.what === "tool") {
    console.log(`Added tool ${addition.name} to ${specFile}. Next: give it input fields there, then fill in src/handlers/${addition.name}.ts.`);
  } else {
    console.log(`Added handle kind ${addition.kind} and its create_${addition.kind} tool to ${specFile}. Next: describe its state there, then fill in src/handlers/create_${addition.kind}.ts.`);
  }
  return 0;
}

type Validator = (answer: string) => true | string;

async function handleIntent(
  values: Record<string, unknown>,
  name: string | undefined,
  interactive: boolean,
  acceptable: (intentFor: (kind: string) => Intent) => Validator,
): Promise<Intent> {
  const intentFor = (kind: string): Intent => ({
    what: "handle",
    kind,
    prefix: (values.prefix as string | undefined) ?? kind.replace(/[^a-z0-9]/g, "").slice(0, 4),
    ttl: (values.ttl as string | undefined) ?? "30m",
  });
  return intentFor(await required("name", name, "Handle kind (lowercase, like basket)", interactive, acceptable(intentFor)));
}

/** On a terminal with no flags: which handle, if any, the new tool creates, uses or ends. */
async function askRole(kinds: string[]): Promise<{ role: Role; kind: string } | undefined> {
  if (kinds.length === 0) return undefined;
  const choices = [
    { title: "no handle", value: undefined },
    ...kinds.flatMap((kind) => ROLES.map((role) => ({ title: `${role} a ${kind}`, value: { role, kind } }))),
  ];
  const { role } = await prompts(
    { type: "select", name: "role", message: "Does the tool work with a handle?", choices, initial: 0 },
    { onCancel: () => { throw new UserError("add: cancelled; nothing was changed"); } },
  );
  return role;
}

/** A value from the command line, or asked for on a terminal; without one, a usage error naming the flag. */
async function required(flag: string, value: unknown, question: string, interactive: boolean, acceptable?: Validator): Promise<string> {
  if (typeof value === "string" && value.trim() !== "") return value;
  if (!interactive) throw new UserError(`add: ${flag === "name" ? "a name" : flag} is required when not on a terminal`, "run `mcp-stateless add --help`");
  const { answer } = await prompts(
    { type: "text", name: "answer", message: question, validate: (v: string) => (!v.trim() ? "Required" : (acceptable?.(v.trim()) ?? true)) },
    { onCancel: () => { throw new UserError("add: cancelled; nothing was changed"); } },
  );
  return (answer as string).trim();
}
