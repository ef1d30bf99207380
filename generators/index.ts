/** Everything `generate` produces for a model, in a stable order: spec → model → files. */
import type { PackageManager } from "../src/create/options.ts";
import type { ServerModel } from "../src/model/model.ts";
import type { GeneratedFile } from "./file.ts";
import { generateProject } from "./project.ts";
import { generateSchemas } from "./schemas.ts";
import { generateServer } from "./server.ts";
import { generateTests } from "./tests.ts";

export type { GeneratedFile } from "./file.ts";

/** `packageManager` is the project's, for the commands its README shows. */
export function generateFiles(model: ServerModel, packageManager: PackageManager = "npm"): GeneratedFile[] {
  return [...generateServer(model), ...generateSchemas(model), ...generateTests(model), ...generateProject(model, packageManager)];
}
