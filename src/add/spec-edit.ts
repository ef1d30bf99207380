/**
 * Adds a tool or a handle kind to a spec's source text: finds the right object literal (as
 * `generate` does, spec/literal.ts) and inserts the entry as one text edit, in the file's own
 * indentation, quotes and trailing-comma style, leaving every other character (comments
 * included) as it was.
 */
import ts from "typescript";
import { UserError } from "../errors.ts";
import { closest, didYouMean } from "../spec/did-you-mean.ts";
import { parseDuration } from "../spec/duration.ts";
import { defaultExport, keysOf, objectLiteralOf, propertyName, propertyNamed, sectionOf } from "../spec/literal.ts";
import { KIND_NAME, PREFIX, scopeProblems, TOOL_NAME } from "../spec/validate.ts";
import { applyEdits, type Edit, insertInto, type LiteralSpan, lineIndent, quoted, type Style, styleOf } from "./text-edits.ts";

export type Role = "creates" | "uses" | "destroys";

export type Addition =
  | { what: "tool"; name: string; description: string; role?: { role: Role; kind: string }; scopes?: string[] }
  | { what: "handle"; kind: string; prefix: string; ttl: string; description: string };

/** The handle kinds a spec's text declares (empty when it cannot tell). */
export function handleKindsIn(text: string): string[] {
  const source = parse(text);
  const root = objectLiteralOf(defaultExport(source), source);
  const handles = root && sectionOf(root, "handles", source);
  return handles ? keysOf(handles) : [];
}

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile("spec.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** An addition before its description is known: enough to tell whether it can be made. */
export type Intent = { what: "tool"; name: string; role?: { role: Role; kind: string }; scopes?: string[] } | { what: "handle"; kind: string; prefix: string; ttl: string };

/**
 * Refuses, with the reason, an addition that could not be made to this spec (a taken or invalid
 * name, an unknown kind, a bad prefix or ttl), so that nobody is asked for a description first.
 */
export function checkAddition(specFile: string, text: string, intent: Intent): void {
  // A spec this cannot edit is refused by addToSpec, with the whole entry to paste by hand.
  const objects = specObjects(text);
  if (objects) check(specFile, objects, intent);
}

function check(specFile: string, { source, tools, handles, kinds }: SpecObjects, intent: Intent): void {
  if (intent.what === "tool") {
    checkToolName(specFile, source, tools, intent.name);
    if (intent.role && !kinds.includes(intent.role.kind)) {
      const guess = closest(intent.role.kind, kinds);
      throw new UserError(
        `unknown handle kind "${intent.role.kind}"${didYouMean(intent.role.kind, kinds)}`,
        guess ? undefined : `add it first: mcp-stateless add handle ${intent.role.kind}`,
      );
    }
    const [problem] = scopeProblems(intent.scopes ?? []);
    if (problem) throw new UserError(`--scope: ${problem}`);
    return;
  }
  if (!KIND_NAME.test(intent.kind)) {
    throw new UserError(`"${intent.kind}" cannot be a handle kind: use lowercase letters, digits and _ (starting with a letter, at most 40)`);
  }
  if (kinds.includes(intent.kind)) {
    throw new UserError(`handle kind "${intent.kind}" already exists (${specFile}:${lineOf(source, handles!, intent.kind)})`);
  }
  if (!PREFIX.test(intent.prefix)) throw new UserError(`--prefix "${intent.prefix}" must be 1–12 lowercase letters or digits, starting with a letter`);
  const ttl = parseDuration(intent.ttl);
  if ("error" in ttl) throw new UserError(`--${ttl.error}`);
  checkToolName(specFile, source, tools, `create_${intent.kind}`);
}

/** The spec text with the addition made (a handle kind also gets its `create_<kind>` tool). */
export function addToSpec(specFile: string, text: string, addition: Addition): string {
  const objects = specObjects(text);
  if (!objects) throw notEditable(specFile, text, addition);
  check(specFile, objects, addition);
  const { source, root, tools, handles } = objects;
  const style = styleOf(text);
  const z = zodName(source);

  const edits: Edit[] = [];
  if (addition.what === "tool") {
    edits.push(...insertInto(text, span(source, tools), toolEntry(addition, style, z.name), style));
  } else {
    const tool: Addition = { what: "tool", name: `create_${addition.kind}`, description: `Create a new ${addition.kind}.`, role: { role: "creates", kind: addition.kind } };
    if (handles) edits.push(...insertInto(text, span(source, handles), handleEntry(addition, style, z.name), style));
    else {
      const entry = handleEntry(addition, style, z.name);
      entry.push(`${entry.pop()}${style.trailingCommas ? "," : ""}`);
      edits.push(insertBefore(text, source, root, "tools", [`handles: {`, ...indent(entry, style.unit), `},`]));
    }
    edits.push(...insertInto(text, span(source, tools), toolEntry(tool, style, z.name), style));
  }
  if (!z.imported) edits.push({ at: 0, remove: 0, text: `import { z } from ${style.quote}zod${style.quote};\n` });
  return applyEdits(text, edits);
}

type SpecObjects = NonNullable<ReturnType<typeof specObjects>>;

/** The spec's default-export object with its `tools` and `handles`; undefined when it is not a literal this can edit. */
function specObjects(text: string) {
  const source = parse(text);
  const root = objectLiteralOf(defaultExport(source), source);
  const tools = root && sectionOf(root, "tools", source);
  if (!root || !tools) return undefined;
  const handles = sectionOf(root, "handles", source);
  return { source, root, tools, handles, kinds: handles ? keysOf(handles) : [] };
}

function span(source: ts.SourceFile, literal: ts.ObjectLiteralExpression): LiteralSpan {
  const last = literal.properties.at(-1);
  return { start: literal.getStart(source), end: literal.getEnd(), last: last && { start: last.getStart(source), end: last.getEnd() } };
}

function notEditable(specFile: string, text: string, addition: Addition): UserError {
  const style = styleOf(text);
  const entry = addition.what === "tool" ? toolEntry(addition, style, "z") : handleEntry(addition, style, "z");
  return new UserError(
    `${specFile}: its default export is not an object literal with a \`tools\` object that can be edited safely`,
    `add this entry by hand under ${addition.what === "tool" ? "`tools`" : "`handles`"}:\n${entry.join("\n")}`,
  );
}

function key(name: string, style: Style): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quoted(name, style);
}

function indent(lines: string[], unit: string): string[] {
  return lines.map((line) => (line ? unit + line : line));
}

function toolEntry(tool: Extract<Addition, { what: "tool" }>, style: Style, z: string): string[] {
  const c = style.trailingCommas ? "," : "";
  const body = [`description: ${quoted(tool.description, style)},`];
  if (tool.role) body.push(`${tool.role.role}: ${quoted(tool.role.kind, style)},`);
  if (tool.scopes?.length) body.push(`scopes: [${tool.scopes.map((scope) => quoted(scope, style)).join(", ")}],`);
  body.push(`input: ${z}.object({`, `${style.unit}// The tool's arguments go here, e.g. title: ${z}.string().describe(${quoted("What to call it", style)}),`, `})${c}`);
  return [`${key(tool.name, style)}: {`, ...indent(body, style.unit), `}`];
}

function handleEntry(handle: Extract<Addition, { what: "handle" }>, style: Style, z: string): string[] {
  const c = style.trailingCommas ? "," : "";
  const body = [
    `prefix: ${quoted(handle.prefix, style)},`,
    `ttl: ${quoted(handle.ttl, style)},`,
    `description: ${quoted(handle.description, style)},`,
    `state: ${z}.object({`,
    `${style.unit}// What the handle keeps between calls, e.g. items: ${z}.array(${z}.string()),`,
    `})${c}`,
  ];
  return [`${key(handle.kind, style)}: {`, ...indent(body, style.unit), `}`];
}

/** An edit that puts `lines` on their own lines just before property `name` of `root`. */
function insertBefore(text: string, source: ts.SourceFile, root: ts.ObjectLiteralExpression, name: string, lines: string[]): Edit {
  const start = propertyNamed(root, name)!.getStart(source);
  const unit = lineIndent(text, start);
  const lineStart = text.lastIndexOf("\n", start) + 1;
  return { at: lineStart, remove: 0, text: lines.map((line) => unit + line).join("\n") + "\n" };
}

function checkToolName(specFile: string, source: ts.SourceFile, tools: ts.ObjectLiteralExpression, name: string): void {
  if (!TOOL_NAME.test(name)) throw new UserError(`"${name}" cannot be a tool name: MCP allows 1–64 characters of A–Z a–z 0–9 _ - .`);
  if (keysOf(tools).includes(name)) throw new UserError(`tool "${name}" already exists (${specFile}:${lineOf(source, tools, name)})`);
}

function lineOf(source: ts.SourceFile, literal: ts.ObjectLiteralExpression, name: string): number {
  const property = literal.properties.find((p) => p.name !== undefined && propertyName(p.name) === name);
  return source.getLineAndCharacterOfPosition(property ? property.getStart(source) : 0).line + 1;
}

/** The name zod is imported under (`z` usually), and whether it is imported at all. */
function zodName(source: ts.SourceFile): { name: string; imported: boolean } {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const module = statement.moduleSpecifier.text;
    const bindings = statement.importClause?.namedBindings;
    if ((module !== "zod" && !module.startsWith("zod/")) || !bindings) continue;
    if (ts.isNamespaceImport(bindings)) return { name: bindings.name.text, imported: true };
    const named = bindings.elements.find((element) => (element.propertyName ?? element.name).text === "z");
    if (named) return { name: named.name.text, imported: true };
  }
  return { name: "z", imported: false };
}
