/** Everything `generate` produces for a model, in a stable order: spec → model → files. */
import type { ServerModel } from "../src/model/model.ts";
import type { GeneratedFile } from "./file.ts";
import { generateProject } from "./project.ts";
import { generateSchemas } from "./schemas.ts";
import { generateServer } from "./server.ts";
import { generateTests } from "./tests.ts";

export type { GeneratedFile } from "./file.ts";

export function generateFiles(model: ServerModel): GeneratedFile[] {
  return [...generateServer(model), ...generateSchemas(model), ...generateTests(model), ...generateProject(model)];
}
