/**
 * The files a project owns: written when missing, never overwritten, so people can edit
 * them freely. Handler stubs compile and return example values until they are filled in.
 */
import type { HandleKindModel, ServerModel, ToolModel } from "../src/model/model.ts";
import { readTemplate, render } from "../src/render.ts";
import { PROJECT_DEPENDENCIES, PROJECT_DEV_DEPENDENCIES } from "../src/versions.ts";
import type { GeneratedFile } from "./file.ts";
import { literal } from "./literal.ts";

export function generateProject(model: ServerModel): GeneratedFile[] {
  const user = (path: string, content: string): GeneratedFile => ({ path, content, owner: "user" });
  const kinds = new Map(model.handles.map((h) => [h.kind, h]));
  return [
    user("package.json", packageJson(model)),
    user("tsconfig.json", readTemplate("project/tsconfig.json")),
    user("vitest.config.ts", readTemplate("project/vitest.config.ts")),
    user(".gitignore", readTemplate("project/_gitignore")),
    user("src/http.ts", render("project/src/http.ts.hbs", model)),
    user("src/stdio.ts", render("project/src/stdio.ts.hbs", model)),
    user("src/fetch.ts", render("project/src/fetch.ts.hbs", model)),
    ...model.tools.map((tool) => user(`src/handlers/${tool.name}.ts`, handlerStub(tool, kinds))),
  ];
}

function packageJson(model: ServerModel): string {
  const pkg = {
    name: model.name,
    version: model.version,
    private: true,
    type: "module",
    engines: { node: ">=22.18" },
    scripts: {
      dev: "node --watch src/http.ts",
      start: "node src/http.ts",
      "start:stdio": "node src/stdio.ts",
      test: "vitest run",
      typecheck: "tsc --noEmit",
      generate: "mcp-stateless generate",
      check: "tsc --noEmit && mcp-stateless generate --check",
    },
    dependencies: PROJECT_DEPENDENCIES,
    devDependencies: PROJECT_DEV_DEPENDENCIES,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function handlerStub(tool: ToolModel, kinds: Map<string, HandleKindModel>): string {
  const takes = tool.takes ? kinds.get(tool.takes) : undefined;
  const creates = tool.creates ? kinds.get(tool.creates) : undefined;
  const docLines: string[] = [];
  if (takes) {
    docLines.push(`\`state\` is the ${takes.kind}'s state, already checked to be live and the caller's.`);
    if (tool.destroys) docLines.push("The handle ends after this returns.");
    else if (!creates) docLines.push("Return a new `state` to change it; leave it out to keep it as it is.");
  }
  if (creates) docLines.push(`Return the initial \`state\` of the new ${creates.kind}; the caller gets its handle back.`);

  const fields: string[] = [];
  let complete = true;
  if (creates) {
    if (creates.stateExample === undefined) complete = false;
    fields.push(`state: ${literal(creates.stateExample)}`);
  }
  if (tool.hasOutput) {
    if (tool.exampleOutput === undefined) complete = false;
    fields.push(`output: ${literal(tool.exampleOutput)}`);
  } else if (!creates) {
    fields.push(`text: ${JSON.stringify(`${tool.name} is not implemented yet`)}`);
  }
  const params = ["input", ...(takes ? ["state"] : [])];
  return render("project/src/handlers/handler.ts.hbs", {
    ...tool,
    docLines,
    params: `{ ${params.join(", ")} }`,
    stubBody: complete ? `{ ${fields.join(", ")} }` : "",
  });
}

