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
  const shown = path.relative(projectDir, absolute).split(path.sep).join("/");
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
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UserError(`${shown}: could not be loaded: ${reason}`, "is zod installed in the project (npm install)?");
  }

  const problems = validateSpec(value, source);
  if (problems.length) throw new SpecError(problems);
  const spec = value as ServerSpec;
  const { model, problems: modelProblems } = buildModel(spec, shown, source);
  if (modelProblems.length) throw new SpecError(modelProblems);
  return { specFile: shown, text, spec, model };
}
