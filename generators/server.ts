/**
 * src/generated/**: the tool registrations, handler types, handle runtime and stores.
 * Everything here is rewritten by each `generate`; the per-tool code is decided in this
 * module so the templates stay plain file skeletons.
 */
import type { HandleKindModel, ServerModel, ToolModel } from "../src/model/model.ts";
import { readTemplate, render } from "../src/render.ts";
import { describeDuration } from "../src/spec/duration.ts";
import { GENERATED_HEADER, type GeneratedFile } from "./file.ts";
import { literal, memberAccess, propertyKey } from "./literal.ts";


export function generateServer(model: ServerModel): GeneratedFile[] {
  const kinds = new Map(model.handles.map((h) => [h.kind, h]));
  const tools = model.tools.map((tool) => toolView(tool, kinds));
  const specImport = `../../${model.specFile.replace(/\.ts$/, ".ts")}`;
  const view = {
    header: GENERATED_HEADER,
    model,
    specImport,
    handles: model.handles.map((h) => ({ ...h, paramSchema: paramSchemaName(h) })),
    stores: model.stores.map((name) => ({ name, [name]: true })),
    listLifetime: model.listTtlMs === undefined ? undefined : describeDuration(model.listTtlMs),
    serverOptions: serverOptions(model),
    scopes: scopeView(model),
    tools,
    handlerTools: tools.filter((tool) => !tool.builtin),
    handleHelpers: [...new Set(tools.flatMap(handleHelpers))].sort(),
    // A create tool's handler may ask before there is state to keep (server.ts.hbs checks).
    createsHandles: tools.some((tool) => tool.createsKind !== undefined),
    stateImports: [...new Set(model.tools.flatMap((t) => (t.takes ? [kinds.get(t.takes)!.typeName + "State"] : [])))].sort(),
  };
  const files: GeneratedFile[] = [
    { path: "src/generated/tools.ts", content: render("generated/tools.ts.hbs", view), owner: "generator" },
    { path: "src/generated/types.ts", content: render("generated/types.ts.hbs", view), owner: "generator" },
    { path: "src/generated/server.ts", content: render("generated/server.ts.hbs", view), owner: "generator" },
    { path: "src/generated/app.ts", content: render("generated/app.ts.hbs", view), owner: "generator" },
    { path: "src/generated/stores.ts", content: render("generated/stores.ts.hbs", view), owner: "generator" },
  ];
  // Only the stores the spec selects, so a project carries (and installs) nothing it does not use.
  for (const name of ["handles.ts", "ask.ts", "results.ts", "schemas.ts", "tool-server.ts", "rate-limit.ts", "node-http.ts", "node-request.ts", "auth.ts", "jwt.ts", ...model.stores.map((store) => `${store}-store.ts`)]) {
    files.push({
      path: `src/generated/handles/${name}`,
      content: `${GENERATED_HEADER}\n${readTemplate(`runtime/${name}`)}`,
      owner: "generator",
    });
  }
  return files;
}

/** The runtime helpers a tool's registration calls, as server.ts.hbs chooses them, so only those are imported. */
function handleHelpers(tool: ReturnType<typeof toolView>): string[] {
  if (tool.listKind) return [];
  const taking = tool.builtin || tool.destroys ? "endHandle" : tool.changesState ? "changeHandle" : tool.takesKind ? "openHandle" : undefined;
  return [...(taking ? [taking] : []), ...(tool.createsKind ? ["createHandle"] : [])];
}

/** The server's options as a literal; undefined when the spec sets none of them. */
function serverOptions(model: ServerModel): string | undefined {
  const options = [
    ...(model.instructions === undefined ? [] : [`instructions: ${JSON.stringify(model.instructions)}`]),
    ...(model.listTtlMs === undefined ? [] : ["cacheHints"]),
  ];
  return options.length > 0 ? `{ ${options.join(", ")} }` : undefined;
}

/** The token scopes app.ts holds requests to, as literals; undefined when the spec names none. */
function scopeView(model: ServerModel) {
  if (model.scopesSupported.length === 0) return undefined;
  return {
    server: literal(model.scopes),
    tools: model.tools.filter((tool) => tool.scopes.length > 0).map((tool) => ({ key: propertyKey(tool.name), scopes: literal(tool.scopes) })),
    supported: literal(model.scopesSupported),
  };
}

function paramSchemaName(kind: HandleKindModel): string {
  return `${kind.typeName.charAt(0).toLowerCase()}${kind.typeName.slice(1)}Id`;
}


function toolView(tool: ToolModel, kinds: Map<string, HandleKindModel>) {
  const takes = tool.takes ? kinds.get(tool.takes)! : undefined;
  const creates = tool.creates ? kinds.get(tool.creates)! : undefined;
  const own = `spec.tools${memberAccess(tool.name)}`;

  let inputSchema: string | undefined;
  if (takes) {
    const rest = tool.hasInput ? `, ...${own}.input.shape` : "";
    inputSchema = `z.object({ ${takes.param}: ${paramSchemaName(takes)}${rest} })`;
  } else if (tool.hasInput) {
    inputSchema = `${own}.input`;
  } else {
    // Registered even when empty, so the served schema is the one in schemas/ (the SDK's default differs).
    inputSchema = "z.object({})";
  }
  let outputSchema: string | undefined;
  if (tool.lists) {
    const kind = kinds.get(tool.lists)!;
    outputSchema = `z.object({ ${kind.kind}s: z.array(z.object({ ${kind.param}: z.string(), expires_at: z.string() })) })`;
  } else if (creates) {
    const rest = tool.hasOutput ? `, ...${own}.output.shape` : "";
    outputSchema = `z.object({ ${creates.param}: z.string().meta(${JSON.stringify(creates.resultMeta)})${rest} })`;
  } else if (tool.renames && tool.hasOutput) {
    const renamed = kinds.get(tool.takes!)!;
    outputSchema = `z.object({ ...${own}.output.shape, ${renamed.param}: z.string().optional().meta(${JSON.stringify(renamed.renamedMeta)}) })`;
  } else if (tool.hasOutput) {
    outputSchema = `${own}.output`;
  }

  // The handler's argument and reply types, spelled out so its stub reads well.
  const typeName = tool.typeName;
  const callFields = [`input: ${typeName}Input`];
  if (takes) callFields.push(`state: ${takes.typeName}State`, "handle: string");
  const replyFields: string[] = [];
  if (creates) replyFields.push(`state: ${creates.typeName}State`);
  replyFields.push(tool.hasOutput ? `output: ${typeName}Output` : creates ? "text?: string" : "text: string");
  // A tool that creates returns the new handle's state, so it cannot also change the one it takes.
  // One that may change it has the new state saved by changeHandle, which retries on conflict.
  const changesState = takes !== undefined && !tool.destroys && !creates;
  if (changesState) replyFields.push(`state?: ${takes.typeName}State`);

  const args = takes ? `{ ${takes.param}: handle, ...input }` : tool.hasInput ? "input" : "_input";
  // What the call takes from its request: the store only when a handle is involved.
  const context = takes || creates ? "{ store, principal }" : "{ principal }";
  return {
    ...tool,
    inputSchema,
    outputSchema,
    listKind: tool.lists ? kinds.get(tool.lists) : undefined,
    inputType: tool.hasInput ? `z.output<Tools[${JSON.stringify(tool.name)}]["input"]>` : "Record<string, never>",
    outputType: tool.hasOutput ? `z.output<Tools[${JSON.stringify(tool.name)}]["output"]>` : undefined,
    callType: `{ ${callFields.join("; ")} } & CallContext`,
    replyType: `{ ${replyFields.join("; ")} } | Ask`,
    args,
    context,
    inputField: takes || tool.hasInput ? "input" : "input: {}",
    takesKind: takes,
    createsKind: creates,
    changesState,
  };
}

