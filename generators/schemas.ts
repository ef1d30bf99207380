/** schemas/: each tool's JSON Schema (2020-12) exactly as served, and one manifest of the handle flow. */
import type { ServerModel } from "../src/model/model.ts";
import type { GeneratedFile } from "./file.ts";

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function generateSchemas(model: ServerModel): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const tool of model.tools) {
    files.push({ path: `schemas/${tool.name}.input.json`, content: json(tool.inputSchema), owner: "generator" });
    if (tool.outputSchema) {
      files.push({ path: `schemas/${tool.name}.output.json`, content: json(tool.outputSchema), owner: "generator" });
    }
  }
  const manifest = {
    name: model.name,
    version: model.version,
    handles: model.handles.map((h) => ({
      kind: h.kind,
      prefix: `${h.prefix}_`,
      param: h.param,
      ttlMs: h.ttlMs,
      createdBy: h.createdBy,
      usedBy: h.usedBy,
      destroyedBy: h.destroyedBy,
    })),
    tools: model.tools.map((t) => ({
      name: t.name,
      ...(t.creates ? { creates: t.creates } : {}),
      ...(t.takes ? { [t.destroys ? "destroys" : "uses"]: t.takes } : {}),
      input: `${t.name}.input.json`,
      ...(t.outputSchema ? { output: `${t.name}.output.json` } : {}),
    })),
  };
  files.push({ path: "schemas/tools.json", content: json(manifest), owner: "generator" });
  return files;
}
