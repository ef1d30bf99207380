/**
 * The I/O edge of the spec: read `mcp.spec.ts`, check its syntax, import it (Node strips
 * the types itself), validate the value and build the model. Throws SpecError with every
 * problem and its place, before any file is written.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SpecError, UserError } from "../errors.ts";
import { buildModel } from "../model/build.ts";
import type { ServerModel } from "../model/model.ts";
import { allowSpecImportsBeforeInstall } from "./resolve-fallback.ts";
import { readSpecSource } from "./source.ts";
import type { ServerSpec } from "./types.ts";
import { validateSpec } from "./validate.ts";
import { relativePath } from "../paths.ts";

export const DEFAULT_SPEC_FILE = "mcp.spec.ts";

export interface LoadedSpec {
  /** The spec file relative to the project root, as written in messages. */
  specFile: string;
  text: string;
  spec: ServerSpec;
  model: ServerModel;
}

export async function loadSpec(projectDir: string, specFile = DEFAULT_SPEC_FILE): Promise<LoadedSpec> {
  const absolute = path.resolve(projectDir, specFile);
  const shown = relativePath(projectDir, absolute);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch {
    throw new UserError(
      `no spec at ${absolute}`,
      `run this in a project created by \`npm create mcp-stateless\`, or pass --spec <file>`,
    );
  }

  const source = readSpecSource(shown, text);
  if (source.syntaxErrors.length) throw new SpecError(source.syntaxErrors);

  let value: unknown;
  allowSpecImportsBeforeInstall();
  try {
    // The hash in the URL makes a changed spec load afresh in a long-lived process (tests, watch mode).
    const version = createHash("sha256").update(text).digest("hex").slice(0, 16);
    const module = (await import(`${pathToFileURL(absolute).href}?v=${version}`)) as { default?: unknown };
    value = module.default;
  } catch (error) {
    throw loadFailure(error, shown, pathToFileURL(absolute).href);
  }

  const problems = validateSpec(value, source);
  if (problems.length) throw new SpecError(problems);
  const spec = value as ServerSpec;
  const { model, problems: modelProblems } = buildModel(spec, shown, source);
  if (modelProblems.length) throw new SpecError(modelProblems);
  return { specFile: shown, text, spec, model };
}

/**
 * Why importing the spec failed, at the spec's own line when the error came from running it
 * (Node strips types in place, so the stack's positions are the file's). A missing module is
 * almost always a project not installed yet.
 */
function loadFailure(error: unknown, shown: string, url: string): UserError {
  const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
    const aPackage = code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || reason.startsWith("Cannot find package");
    return new UserError(`${shown}: could not be loaded: ${reason}`, aPackage ? "install the project's dependencies (npm install)" : undefined);
  }
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const frame = stack.split("\n").find((line) => line.includes(url));
  const position = frame?.match(/:(\d+):(\d+)\)?\s*$/);
  const where = position ? `${shown}:${position[1]}:${position[2]}` : shown;
  return new UserError(`${where}: the spec threw while loading: ${reason}`);
}
