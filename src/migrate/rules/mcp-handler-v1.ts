/**
 * mcp-handler 1.x → 2.x (the adapter's own migration notes, done as edits):
 * `createMcpHandler(init, serverOptions, config)` becomes `createMcpHandler(init, options)`, the
 * config's `verboseLogs` and `onEvent` moved into the options and its route and transport keys
 * (`basePath`, `redisUrl`, `maxDuration`, …) gone; tools listed under `capabilities` go (2.x lists
 * what is registered); `@vercel/mcp-adapter` is imported as `mcp-handler`. The tools themselves
 * have been through the SDK's codemod by then (sdk-v1.ts).
 */
import ts from "typescript";
import { CONFIG_KEYS, handlerCalls, KEPT_CONFIG_KEYS, listedCapabilities, MCP_HANDLER, VERCEL_ADAPTER } from "../../analysis/rules/mcp-handler-v1.ts";
import { propertyNameText, type Finding } from "../../analysis/rule.ts";
import { findingAt, withoutProperties, type Migration, type TextEdit } from "../rule.ts";
import { appendProperty } from "../tool-input.ts";

export const mcpHandlerV1Migration: Migration = {
  rule: "mcp-handler-v1",
  migrate(source, findings) {
    const edits: TextEdit[] = [];
    const unmovedEach: Array<[Finding, string]> = [];
    for (const call of handlerCalls(source)) {
      const finding = findingAt(source, findings, call);
      if (!finding) continue;
      const rewrite = asV2Call(source, call);
      if (typeof rewrite === "string") unmovedEach.push([finding, rewrite]);
      else edits.push(...rewrite);
    }
    // All or nothing: the import names one package for every call in the file.
    if (unmovedEach.length) return { edits: [], handled: [], unmovedEach };
    edits.push(...adapterImport(source));
    return { edits, handled: findings };
  },
};

const named = (p: ts.ObjectLiteralElementLike) => propertyNameText(p.name) ?? "";

function asV2Call(source: ts.SourceFile, call: ts.CallExpression): TextEdit[] | string {
  const [init, options, config] = call.arguments;
  const absent = (e: ts.Expression | undefined) => e === undefined || (ts.isIdentifier(e) && e.text === "undefined");
  if (!absent(options) && !ts.isObjectLiteralExpression(options!)) return "its server options are passed by name: write them out in the call (2.x takes one options object), then run migrate again";
  if (!absent(config) && !ts.isObjectLiteralExpression(config!)) return "its config is passed by name: write it out in the call (2.x keeps only verboseLogs and onEvent of it), then run migrate again";
  const literal = (e: ts.Expression | undefined) => (e && ts.isObjectLiteralExpression(e) ? e : undefined);
  const serverOptions = literal(options);
  const configObject = literal(config);
  const strange = configObject?.properties.find((p) => !CONFIG_KEYS.test(named(p)) && !KEPT_CONFIG_KEYS.test(named(p)));
  if (strange) return `its config has ${strange.name ? named(strange) || strange.getText(source) : strange.getText(source)}, which migrate cannot place: 2.x keeps only verboseLogs and onEvent of the config; move it by hand, then run migrate again`;

  const edits: TextEdit[] = [];
  // 1.x's config keys written among the server options, and tools listed as capabilities, go.
  if (serverOptions) {
    const gone = serverOptions.properties.filter((p) => CONFIG_KEYS.test(named(p)));
    if (gone.length) edits.push(...withoutProperties(source, serverOptions, new Set(gone)));
    const listed = listedCapabilities(serverOptions);
    for (const kind of new Set(listed.map((p) => p.parent as ts.ObjectLiteralExpression))) {
      edits.push(...withoutProperties(source, kind, new Set(listed.filter((p) => p.parent === kind))));
    }
  }
  if (config === undefined) return edits;
  const kept = (configObject?.properties ?? []).filter((p) => KEPT_CONFIG_KEYS.test(named(p))).map((p) => p.getText(source));
  if (serverOptions) {
    for (const property of kept) edits.push(appendProperty(source, serverOptions, property));
    edits.push({ start: serverOptions.getEnd(), end: config.getEnd(), text: "" });
  } else if (kept.length) {
    edits.push({ start: options!.getStart(source), end: config.getEnd(), text: `{ ${kept.join(", ")} }` });
  } else {
    edits.push({ start: init!.getEnd(), end: config.getEnd(), text: "" });
  }
  return edits;
}

/** `from "@vercel/mcp-adapter"` → `from "mcp-handler"`: the package's name since 1.0. */
function adapterImport(source: ts.SourceFile): TextEdit[] {
  return source.statements.flatMap((s) =>
    ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === VERCEL_ADAPTER
      ? [{ start: s.moduleSpecifier.getStart(source), end: s.moduleSpecifier.getEnd(), text: `"${MCP_HANDLER}"` }]
      : [],
  );
}
