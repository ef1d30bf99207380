/** test/generated/: vitest suites that hold the server to the stateless contract. */
import type { HandleKindModel, ServerModel, ToolModel } from "../src/model/model.ts";
import { disagreeingHeader, isHeaderValue, scanParamHeaders, valueAt } from "../src/model/param-headers.ts";
import { readTemplate, render } from "../src/render.ts";
import { GENERATED_HEADER, type GeneratedFile, toolUserFiles } from "./file.ts";
import { literal, memberAccess as member, propertyKey as key } from "./literal.ts";

export function generateTests(model: ServerModel): GeneratedFile[] {
  const kinds = new Map(model.handles.map((h) => [h.kind, h]));
  const tools = new Map(model.tools.map((t) => [t.name, t]));
  /** The arguments for calling `tool`, with `handle` (an expression) as its handle parameter. */
  const argsFor = (tool: ToolModel, handle?: string) => {
    const example = `examples${member(tool.name)}`;
    if (!tool.takes || handle === undefined) return example;
    return `{ ...${example}, ${kinds.get(tool.takes)!.param}: ${handle} }`;
  };
  /** Arguments for a create tool, making the handle it needs first when it takes one. */
  const createArgs = (tool: ToolModel, as: string) =>
    argsFor(tool, tool.takes ? `await new${kinds.get(tool.takes)!.typeName}(${as})` : undefined);
  const consumers = (kind: HandleKindModel) => [...kind.usedBy, ...kind.destroyedBy].map((n) => tools.get(n)!);

  const kindViews = model.handles.map((kind) => {
    const [consumer] = consumers(kind);
    const otherKind = model.handles.find((other) => other.kind !== kind.kind);
    return {
      ...kind,
      createArgsAsClient: createArgs(tools.get(kind.createTool)!, "client"),
      consumerList: consumers(kind).map((t) => t.name).join(", "),
      users: kind.usedBy.map((n) => ({ name: n, args: argsFor(tools.get(n)!, `await new${kind.typeName}()`) })),
      destroyers: kind.destroyedBy.map((n) => ({ name: n, args: argsFor(tools.get(n)!, "handle") })),
      consumer: consumer && {
        name: consumer.name,
        keeps: !consumer.destroys,
        withHandle: argsFor(consumer, "handle"),
        withMadeUp: argsFor(consumer, "madeUp"),
        withOther: argsFor(consumer, otherKind ? "other" : `"other_" + "A".repeat(24)`),
      },
      otherKind,
    };
  });
  /** For each tool mirroring an argument of its example into a header: a call whose header disagrees. */
  const paramHeaders = model.tools.flatMap((tool) => {
    const mirrored = scanParamHeaders(tool.inputSchema).declarations.find((d) => isHeaderValue(valueAt(tool.exampleInput, d.path)));
    if (!mirrored) return [];
    const handle = tool.takes ? `await new${kinds.get(tool.takes)!.typeName}()` : undefined;
    const title = `refuses a ${tool.name} call whose Mcp-Param-${mirrored.header} header disagrees with its ${mirrored.path.join(".")}`;
    return [{ title, tool: tool.name, headerKey: `mcp-param-${mirrored.header.toLowerCase()}`, value: disagreeingHeader(valueAt(tool.exampleInput, mirrored.path)), args: argsFor(tool, handle) }];
  });
  const view = {
    header: GENERATED_HEADER,
    scopes: scopeTests(model, (tool) => argsFor(tool, tool.takes ? `await new${kinds.get(tool.takes)!.typeName}(alice)` : undefined)),
    firstKind: kindViews.find((k) => k.consumer),
    examples: model.tools.map((t) => ({ key: key(t.name), value: literal(t.exampleInput) })),
    toolNames: model.tools.map((t) => JSON.stringify(t.name)).join(", "),
    outputSchemas: model.tools.filter((t) => t.outputSchema).map((t) => ({ name: t.name, file: `${t.name}.output.json` })),
    handles: model.handles.map((kind) => ({ ...kind, createArgs: createArgs(tools.get(kind.createTool)!, "as") })),
    creators: model.tools
      .filter((t) => t.creates)
      .map((t) => {
        const kind = kinds.get(t.creates!)!;
        const lifetimeText = kind.sliding ? `expires after ${kind.lifetime} without use` : `expires ${kind.lifetime} after it is created`;
        return { name: t.name, args: createArgs(t, ""), lifetimeText };
      }),
    kinds: kindViews,
    toolCount: model.tools.length,
    paramHeaders,
    listTtlMs: model.listTtlMs,
    lists: model.tools.filter((t) => t.lists).map((t) => ({ name: t.name, kind: kindViews.find((k) => k.kind === t.lists)! })),
    invalidInputs: model.tools.flatMap((tool) => {
      const takes = tool.takes ? kinds.get(tool.takes) : undefined;
      if (tool.requiredInputs.length === 0 && !takes) return [];
      // Leave out the tool's required fields (or, when it has none, the handle itself).
      const missing = tool.requiredInputs[0] ?? takes!.param;
      const rest = Object.fromEntries(Object.entries(tool.exampleInput).filter(([k]) => !tool.requiredInputs.includes(k)));
      const fields = Object.entries(rest).map(([k, v]) => `${key(k)}: ${literal(v)}`);
      if (takes && tool.requiredInputs.length) fields.push(`${takes.param}: await new${takes.typeName}()`);
      return [{ name: tool.name, missing, args: fields.length ? `{ ${fields.join(", ")} }` : "{}" }];
    }),
  };
  /** The calls that make the handles `tool` needs, then `tool` itself, as test statements. */
  const stepsFor = (tool: ToolModel) => {
    const chain: ToolModel[] = [tool];
    for (let t = tool; t.takes && chain.length < 10; ) {
      t = tools.get(kinds.get(t.takes)!.createTool)!;
      chain.unshift(t);
    }
    const made = (t: ToolModel) => `created${kinds.get(t.creates!)!.typeName}`;
    return chain.map((t, i) => {
      const variable = i === chain.length - 1 ? "result" : made(t);
      const takes = t.takes ? kinds.get(t.takes)! : undefined;
      // Spelled out in full: this file is the user's to read and change.
      const fields = Object.entries(t.exampleInput).map(([k, v]) => `${key(k)}: ${literal(v)}`);
      if (takes) fields.push(`${takes.param}: ${made(chain[i - 1]!)}.structured?.${takes.param}`);
      return { tool: t.name, variable, args: fields.length ? `{ ${fields.join(", ")} }` : "{}" };
    });
  };
  const toolTests = model.tools.filter((tool) => !tool.builtin).map((tool) => ({
    path: toolUserFiles(tool.name).test,
    content: render("test/tool.test.ts.hbs", { name: tool.name, steps: stepsFor(tool) }),
    owner: "user" as const,
  }));
  return [
    ...toolTests,
    { path: "test/generated/harness.ts", content: `${GENERATED_HEADER}\n${readTemplate("test/harness.ts")}`, owner: "generator" },
    { path: "test/generated/server.test.ts", content: render("test/server.test.ts.hbs", view), owner: "generator" },
    {
      path: "test/generated/stores.test.ts",
      content: render("test/stores.test.ts.hbs", {
        header: GENERATED_HEADER,
        stores: model.stores.map((name) => ({ name, [name]: true })),
        redis: model.stores.includes("redis"),
        sealed: model.stores.includes("sealed"),
      }),
      owner: "generator",
    },
  ];
}

/**
 * What the scope tests need (spec: `scopes`), undefined when the spec names none: per tool with
 * scopes of its own, the challenge its calls get and a token granting everything else.
 */
function scopeTests(model: ServerModel, argsOf: (tool: ToolModel) => string) {
  if (model.scopesSupported.length === 0) return undefined;
  const challenge = (scopes: string[]) => `scope="${scopes.join(" ")}"`;
  return {
    granted: model.scopesSupported.join(" "),
    supported: literal(model.scopesSupported),
    server: model.scopes.join(" "),
    serverChallenge: challenge(model.scopes),
    withoutServer: model.scopesSupported.filter((scope) => !model.scopes.includes(scope)).join(" "),
    tools: model.tools
      .filter((tool) => tool.scopes.length > 0)
      .map((tool) => {
        // In the order the runtime names them: the server's, then the tool's own.
        const needed = [...model.scopes, ...tool.scopes];
        return {
          name: tool.name,
          needed: needed.join(" "),
          challenge: challenge(needed),
          lacking: model.scopesSupported.filter((scope) => !tool.scopes.includes(scope)).join(" "),
          args: argsOf(tool),
        };
      }),
    // The built-in list_ and destroy_ tools ask for no scope of their own; worth a test only when some tool does.
    builtins: model.tools.some((tool) => tool.scopes.length > 0) ? model.tools.filter((tool) => tool.builtin).map((tool) => ({ name: tool.name, args: argsOf(tool) })) : [],
  };
}
