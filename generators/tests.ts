/** test/generated/: vitest suites that hold the server to the stateless contract. */
import type { HandleKindModel, ServerModel, ToolModel } from "../src/model/model.ts";
import { readTemplate, render } from "../src/render.ts";
import { GENERATED_HEADER, type GeneratedFile } from "./file.ts";

export function generateTests(model: ServerModel): GeneratedFile[] {
  const kinds = new Map(model.handles.map((h) => [h.kind, h]));
  const tools = new Map(model.tools.map((t) => [t.name, t]));
  const args = (tool: ToolModel) => JSON.stringify(tool.exampleInput);
  // A create tool that takes a handle itself gets one made first (see new<Kind>() in the template).
  const withPrerequisite = (tool: ToolModel) => ({
    name: tool.name,
    args: args(tool),
    prerequisite: tool.takes ? kinds.get(tool.takes) : undefined,
  });
  const createArgs = (kind: HandleKindModel) => {
    const creator = tools.get(kind.createTool)!;
    if (!creator.takes) return args(creator);
    const needed = kinds.get(creator.takes)!;
    return `{ ...${args(creator)}, ${needed.param}: await new${needed.typeName}(as) }`;
  };

  const view = {
    header: GENERATED_HEADER,
    toolNames: model.tools.map((t) => t.name),
    toolsWithOutput: model.tools.filter((t) => t.outputSchema).map((t) => t.name),
    handles: model.handles.map((kind) => ({ ...kind, createArgs: createArgs(kind) })),
    creators: model.tools
      .filter((t) => t.creates)
      .map((t) => ({ ...withPrerequisite(t), lifetimeText: `expires ${kinds.get(t.creates!)!.lifetime} after it is created` })),
    kinds: model.handles.map((kind) => {
      const users = kind.usedBy.map((n) => ({ name: n, args: args(tools.get(n)!) }));
      const destroyers = kind.destroyedBy.map((n) => ({ name: n, args: args(tools.get(n)!) }));
      const consumer = users[0] ? { ...users[0], keeps: true } : destroyers[0] ? { ...destroyers[0], keeps: false } : undefined;
      return {
        ...kind,
        users,
        destroyers,
        consumer,
        consumerList: [...kind.usedBy, ...kind.destroyedBy].join(", "),
        otherKind: model.handles.find((other) => other.kind !== kind.kind),
      };
    }),
    invalidInputs: model.tools.flatMap((tool) => {
      const takes = tool.takes ? kinds.get(tool.takes) : undefined;
      if (tool.requiredInputs.length === 0 && !takes) return [];
      // Leave out the tool's required fields (or, without any, the handle itself).
      const missing = tool.requiredInputs[0] ?? takes!.param;
      const rest = Object.fromEntries(Object.entries(tool.exampleInput).filter(([key]) => !tool.requiredInputs.includes(key)));
      const handle = takes && tool.requiredInputs.length ? `, ${takes.param}: await new${takes.typeName}()` : "";
      return [{ name: tool.name, missing, args: `{ ...${JSON.stringify(rest)}${handle} }` }];
    }),
  };
  return [
    { path: "test/generated/harness.ts", content: `${GENERATED_HEADER}\n${readTemplate("test/harness.ts")}`, owner: "generator" },
    { path: "test/generated/server.test.ts", content: render("test/server.test.ts.hbs", view), owner: "generator" },
    { path: "test/generated/stores.test.ts", content: `${GENERATED_HEADER}\n${readTemplate("test/stores.test.ts")}`, owner: "generator" },
  ];
}
