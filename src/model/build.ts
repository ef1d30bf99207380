/**
 * Spec value → ServerModel. Pure apart from zod's schema conversion: the same spec always
 * gives the same model, which is what makes `generate` byte-for-byte repeatable.
 */
import { z } from "zod";
import type { Problem } from "../errors.ts";
import { describeDuration, parseDuration } from "../spec/duration.ts";
import { builtinToolName, handleParamName, identifierFor, typeNameFor } from "../spec/names.ts";
import type { SpecSource } from "../spec/source.ts";
import type { HandleKindSpec, ServerSpec, ToolSpec } from "../spec/types.ts";
import { exampleFor } from "./examples.ts";
import { paramHeaderProblems } from "./param-headers.ts";
import type { HandleKindModel, JsonSchema, ServerModel, ToolModel, ToolRole } from "./model.ts";

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface BuildResult {
  model: ServerModel;
  /** Problems only found while building (an example that cannot be made or does not validate). */
  problems: Problem[];
}

export function buildModel(spec: ServerSpec, specFile: string, source: SpecSource): BuildResult {
  const problems: Problem[] = [];
  const failed = new Set<string>();
  const toJsonSchema = schemaConverter(problems, source, failed);
  const builtins = new Map(builtinTools(spec));
  const toolEntries = [...Object.entries(spec.tools), ...builtins].sort(([a], [b]) => byName(a, b));
  const handles = Object.entries(spec.handles ?? {})
    .sort(([a], [b]) => byName(a, b))
    .map(([kind, handle]) => handleModel(kind, handle, toolEntries, toJsonSchema));
  const kinds = new Map(handles.map((h) => [h.kind, h]));

  const tools = toolEntries.map(([name, tool]): ToolModel => {
    const takes = tool.uses ?? tool.destroys;
    const role: ToolRole = tool.creates ? "creates" : tool.destroys ? "destroys" : tool.uses ? "uses" : "plain";
    const input = composeInput(tool, takes ? kinds.get(takes) : undefined);
    const output = composeOutput(tool, tool.creates ? kinds.get(tool.creates) : undefined, renamesHandle(tool, spec) ? kinds.get(tool.uses!) : undefined);
    const inputAt = ["tools", name, "input"];
    const outputAt = ["tools", name, "output"];
    const inputSchema = toJsonSchema(input ?? z.object({}), "input", inputAt);

    for (const problem of paramHeaderProblems(inputSchema)) problems.push({ message: `tool "${name}": ${problem}`, at: source.locate(inputAt) });

    const ownInputSchema = tool.input ? toJsonSchema(tool.input, "input", inputAt) : {};
    let exampleInput = tool.input ? tool.example : {};
    if (failed.has(inputAt.join("."))) {
      // An input with no JSON form is already a problem; an example cannot mend it.
      exampleInput = {};
    } else if (exampleInput === undefined) {
      exampleInput = (exampleFor(ownInputSchema) as Record<string, unknown> | undefined) ?? undefined;
      if (exampleInput === undefined) {
        problems.push({
          message: `tool "${name}": no example input could be made from its schema; add \`example: { … }\` with valid arguments for the generated tests`,
          at: source.locate(inputAt),
        });
      }
    } else if (tool.input && !tool.input.safeParse(exampleInput).success) {
      const issue = tool.input.safeParse(exampleInput).error?.issues[0];
      problems.push({
        message: `tool "${name}": example does not match the input schema (${issue?.path.join(".") || "value"}: ${issue?.message})`,
        at: source.locate(["tools", name, "example"]),
      });
    }
    const outputSchema = output ? toJsonSchema(output, "output", outputAt) : undefined;
    return {
      name,
      identifier: identifierFor(name),
      typeName: typeNameFor(name),
      role,
      roleText: roleText(tool),
      description: describeTool(name, tool, kinds, spec),
      title: tool.title,
      annotations: annotationsFor(tool),
      creates: tool.creates,
      takes,
      destroys: tool.destroys !== undefined,
      renames: renamesHandle(tool, spec),
      builtin: builtins.has(name) ? (tool.destroys ? "destroy" : "list") : undefined,
      lists: builtins.has(name) && !tool.destroys ? Object.keys(spec.handles ?? {}).find((k) => builtinToolName("list", k) === name) : undefined,
      hasInput: tool.input !== undefined,
      hasOutput: tool.output !== undefined,
      inputSchema,
      outputSchema,
      exampleInput: exampleInput ?? {},
      exampleOutput: tool.output ? exampleFor(toJsonSchema(tool.output, "output", outputAt)) : undefined,
      requiredInputs: ((ownInputSchema.required as string[] | undefined) ?? []).slice(),
      scopes: [...(tool.scopes ?? [])],
    };
  });

  return {
    model: {
      name: spec.name,
      version: spec.version ?? "0.1.0",
      instructions: spec.instructions,
      listTtlMs: listTtlMs(spec.listTtl),
      scopes: [...(spec.scopes ?? [])],
      scopesSupported: [...new Set([...(spec.scopes ?? []), ...tools.flatMap((tool) => tool.scopes)])].sort(byName),
      store: spec.store ?? "sqlite",
      stores: (["sqlite", "memory", "redis", "sealed"] as const).filter(
        (name) => name === "memory" || name === (spec.store ?? "sqlite") || (spec.stores ?? []).includes(name),
      ),
      http: (spec.transports ?? ["http"]).includes("http"),
      stdio: (spec.transports ?? ["stdio"]).includes("stdio"),
      specFile,
      handles,
      tools,
    },
    problems,
  };
}

function listTtlMs(listTtl: string | undefined): number | undefined {
  const ttl = listTtl === undefined ? undefined : parseDuration(listTtl);
  return ttl && "ms" in ttl ? ttl.ms : undefined;
}

function handleModel(kind: string, handle: HandleKindSpec, tools: Array<[string, ToolSpec]>, toJsonSchema: JsonSchemaOf): HandleKindModel {
  const ttl = parseDuration(handle.ttl);
  const ttlMs = "ms" in ttl ? ttl.ms : 0;
  const createdBy = tools.filter(([, t]) => t.creates === kind).map(([n]) => n);
  // Prefer a creator that needs no other handle first: it is the simplest one to point people to.
  const createTool = createdBy.find((n) => !tools.find(([m]) => m === n)?.[1].uses) ?? createdBy[0] ?? "";
  return {
    kind,
    prefix: handle.prefix,
    ttlMs,
    lifetime: describeDuration(ttlMs),
    sliding: handle.expiry === "sliding",
    maxPerOwner: handle.maxPerOwner,
    maxStateBytes: handle.maxStateBytes,
    description: handle.description,
    param: handleParamName(kind),
    typeName: typeNameFor(kind),
    createdBy,
    usedBy: tools.filter(([, t]) => t.uses === kind).map(([n]) => n),
    destroyedBy: tools.filter(([, t]) => t.destroys === kind).map(([n]) => n),
    createTool,
    paramMeta: {
      description: `Handle of a ${kind} (${handle.description}), as returned by ${createdBy.join(" or ")}.`,
      "x-mcp-handle": { kind, prefix: `${handle.prefix}_`, createdBy },
    },
    renamedMeta: {
      description: `The ${handleParamName(kind)} to use from now on, when this call changed the ${kind}: sealed handles change with their state.`,
    },
    resultMeta: {
      description: `Handle of the new ${kind}; valid for ${describeDuration(ttlMs)}.`,
      "x-mcp-handle": { kind, prefix: `${handle.prefix}_` },
    },
    stateExample: exampleFor(toJsonSchema(handle.state, "output", ["handles", kind, "state"])),
  };
}

/** The tools handle kinds ask for with `list: true` and `destroy: true`, as if the spec had them. */
function builtinTools(spec: ServerSpec): Array<[string, ToolSpec]> {
  const tools: Array<[string, ToolSpec]> = [];
  for (const [kind, handle] of Object.entries(spec.handles ?? {})) {
    if (handle.list) {
      const description = `List your live ${kind} handles (${handle.description}), soonest to expire first.`;
      tools.push([builtinToolName("list", kind), { description, output: listOutputSchema(kind), annotations: { readOnlyHint: true } }]);
    }
    if (handle.destroy) {
      tools.push([builtinToolName("destroy", kind), { description: `End a ${kind} now, before it expires.`, destroys: kind }]);
    }
  }
  return tools;
}

/** `{ baskets: [{ basket_id, expires_at }] }`: the generated tools.ts writes the same schema out. */
export function listOutputSchema(kind: string) {
  return z.object({ [`${kind}s`]: z.array(z.object({ [handleParamName(kind)]: z.string(), expires_at: z.string() })) });
}

/**
 * The schema a tool is served with: its handle parameter first, then its own fields.
 * The generated `tools.ts` builds exactly this at run time; a generated test checks they agree.
 */
export function composeInput(tool: ToolSpec, takes: HandleKindModel | undefined): z.ZodObject | undefined {
  if (!takes) return tool.input;
  return z.object({ [takes.param]: handleParamSchema(takes.paramMeta), ...(tool.input?.shape ?? {}) });
}

export function composeOutput(tool: ToolSpec, creates: HandleKindModel | undefined, renames?: HandleKindModel): z.ZodObject | undefined {
  if (creates) return z.object({ [creates.param]: handleResultSchema(creates), ...(tool.output?.shape ?? {}) });
  if (renames && tool.output) return z.object({ ...tool.output.shape, [renames.param]: renamedHandleSchema(renames) });
  return tool.output;
}

/** With sealed handles, a tool that changes a handle's state hands back the new handle. */
export function renamesHandle(tool: ToolSpec, spec: ServerSpec): boolean {
  const sealed = spec.store === "sealed" || (spec.stores ?? []).includes("sealed");
  return sealed && tool.uses !== undefined && tool.creates === undefined;
}

export function renamedHandleSchema(kind: HandleKindModel) {
  return z.string().optional().meta(kind.renamedMeta);
}

export function handleParamSchema(meta: Record<string, unknown>) {
  return z.string().min(1).meta(meta);
}

export function handleResultSchema(kind: HandleKindModel) {
  return z.string().meta(kind.resultMeta);
}

type JsonSchemaOf = (schema: z.ZodType, io: "input" | "output", at: string[]) => JsonSchema;

/**
 * zod's own JSON Schema of a spec schema. A schema with no JSON form (z.date(), z.bigint(), a
 * transform…) cannot be served to MCP clients nor stored as handle state: it becomes one problem
 * at its place in the spec, reported with the rest, instead of a crash.
 */
function schemaConverter(problems: Problem[], source: SpecSource, failed: Set<string>): JsonSchemaOf {
  return (schema, io, at) => {
    try {
      return z.toJSONSchema(schema, { io }) as JsonSchema;
    } catch (error) {
      const place = at.join(".");
      if (!failed.has(place)) {
        failed.add(place);
        const why = error instanceof Error ? error.message : String(error);
        const owner = at[0] === "handles" ? `handle kind "${at[1]}": state` : `tool "${at[1]}": ${at[2]}`;
        problems.push({
          message: `${owner} has no JSON form (${why}); use JSON types, such as z.iso.datetime() for a date or z.string() for a bigint`,
          at: source.locate(at),
        });
      }
      return {};
    }
  };
}

function describeTool(name: string, tool: ToolSpec, kinds: Map<string, HandleKindModel>, spec: ServerSpec): string {
  const notes: string[] = [];
  const takes = tool.uses ?? tool.destroys;
  if (takes) {
    const kind = kinds.get(takes)!;
    const ends = tool.destroys ? " The handle is no longer valid afterwards." : renamesHandle(tool, spec) ? ` If the call changes the ${kind.kind}, it returns a new ${kind.param}: use that one from then on.` : "";
    notes.push(`Takes ${kind.param}, a ${kind.kind} handle from ${kind.createdBy.join(" or ")}.${ends}`);
  }
  if (tool.creates) {
    const kind = kinds.get(tool.creates)!;
    const consumers = [...kind.usedBy, ...kind.destroyedBy].filter((t) => t !== name);
    const passTo = consumers.length ? ` Pass it to ${consumers.join(", ")}.` : "";
    const when = kind.sliding ? `after ${kind.lifetime} without use` : `${kind.lifetime} after it is created`;
    const most = kind.maxPerOwner ? ` A caller may hold at most ${kind.maxPerOwner} at once.` : "";
    notes.push(`Returns ${kind.param}, a handle to the new ${kind.kind} that expires ${when}.${passTo}${most}`);
  }
  return [tool.description.trim(), ...notes].join("\n\n");
}

/** Role-based defaults a client can rely on, overridden by whatever the spec says. */
function annotationsFor(tool: ToolSpec): Record<string, unknown> | undefined {
  const defaults: Record<string, unknown> = tool.destroys
    ? { readOnlyHint: false, destructiveHint: true, idempotentHint: false }
    : tool.creates
      ? { readOnlyHint: false, destructiveHint: false, idempotentHint: false }
      : {};
  const merged: Record<string, unknown> = { ...defaults, ...(tool.annotations ?? {}) };
  const keys = Object.keys(merged).sort(byName);
  return keys.length ? Object.fromEntries(keys.map((k) => [k, merged[k]])) : undefined;
}

function roleText(tool: ToolSpec): string {
  if (tool.creates && tool.uses) return `creates a ${tool.creates} handle from a ${tool.uses} handle`;
  if (tool.creates) return `creates a ${tool.creates} handle`;
  if (tool.destroys) return `ends a ${tool.destroys} handle`;
  if (tool.uses) return `works on a ${tool.uses} handle`;
  return "takes no handle";
}
