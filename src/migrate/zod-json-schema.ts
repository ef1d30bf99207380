/**
 * zod-to-json-schema reads zod 3 schemas only: handed a zod 4 schema it returns
 * `{ "$schema": … }` and nothing else, without an error. migrate moves a project to zod 4 (the
 * v2 SDK takes ≥ 4.2), so a low-level server listing `inputSchema: zodToJsonSchema(Args)` would
 * go on type-checking (through its cast) and list every tool with a schema that is not an
 * object's, which clients refuse. Each call becomes zod's own `toJSONSchema`, reading the
 * schema's input as zod-to-json-schema did and as the SDK does for `registerTool`
 * (`{ io: "input" }`; an `outputSchema` describes what the tool returns, so its output). As a
 * tool's schema it gets the SDK's type, which v2's typed handlers ask of it (a cast, as the
 * protocol wants an object schema and the tool's schema is one). A call with options of
 * zod-to-json-schema's own is left with a note. Pure: text in, text out.
 */
import ts from "typescript";
import { importedName } from "../analysis/rule.ts";
import type { Finding } from "../analysis/rule.ts";
import { addImports, applyInFileStyle, dropOrphans } from "./imports.ts";
import { quoteOf } from "../style.ts";
import { isJavaScript, references, type ImportNeed, type TextEdit } from "./rule.ts";

const MODULE = "zod-to-json-schema";
const SDK = "@modelcontextprotocol/server";

export function zodOwnJsonSchema(file: string, text: string): { text: string; notes: Finding[] } {
  if (!text.includes(MODULE)) return { text, notes: [] };
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const local = converterName(source);
  if (!local) return { text, notes: [] };
  const typed = !isJavaScript(file);
  const quote = quoteOf(text);
  // zod's function as the file can reach it: `z.toJSONSchema` where it imports z, else imported by name.
  const z = ["zod", "zod/v4"].map((module) => importedName(source, module, "z") ?? namespaceOf(source, module)).find(Boolean);
  const toJsonSchema = z ? `${z}.toJSONSchema` : (importedName(source, "zod", "toJSONSchema") ?? (references(source, "toJSONSchema").length === 0 ? "toJSONSchema" : undefined));
  const tool = importedName(source, SDK, "Tool") ?? (references(source, "Tool").length === 0 ? "Tool" : undefined);
  const edits: TextEdit[] = [];
  const notes: Finding[] = [];
  const imports: ImportNeed[] = [];

  const visit = (node: ts.Node) => {
    node.forEachChild(visit);
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== local) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    if (node.arguments.length !== 1 || !toJsonSchema) {
      const why = node.arguments.length !== 1 ? "with zod-to-json-schema's own options" : "and this file has another toJSONSchema";
      notes.push({ rule: "sdk-v1", file, line: line + 1, column: 1, message: `zod-to-json-schema reads zod 3 schemas only, and migrate moves the project to zod 4: this call (${why}) would return a schema without properties`, fix: `convert it with zod's own toJSONSchema(schema, { io: "input" })` });
      return;
    }
    // The property it is the value of, through any cast the file wrote around it.
    let holder: ts.Node = node.parent;
    while (ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder) || ts.isParenthesizedExpression(holder)) holder = holder.parent;
    const property = ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
    const output = property === "outputSchema";
    const converted = `${toJsonSchema}(${node.arguments[0]!.getText(source)}${output ? "" : `, { io: ${quote}input${quote} }`})`;
    // A tool's schema written in place; one the file already casts keeps its cast.
    const cast = typed && tool && holder === node.parent && (property === "inputSchema" || output) ? ` as ${tool}[${quote}${property}${quote}]` : "";
    if (cast && tool === "Tool" && !importedName(source, SDK, "Tool")) imports.push({ module: SDK, name: "type Tool" });
    edits.push({ start: node.getStart(source), end: node.getEnd(), text: converted + cast });
  };
  visit(source);
  if (edits.length === 0) return { text, notes };
  if (!z && toJsonSchema === "toJSONSchema" && !importedName(source, "zod", "toJSONSchema")) imports.push({ module: "zod", name: "toJSONSchema" });
  const unique = imports.filter((need, i) => imports.findIndex((other) => other.name === need.name) === i);
  const after = applyInFileStyle(file, text, [...edits, ...addImports(source, unique)]);
  return { text: dropOrphans(file, text, after), notes };
}

/** The name the file imports zod-to-json-schema's converter by (named, or its default export). */
function converterName(source: ts.SourceFile): string | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== MODULE) continue;
    const clause = statement.importClause;
    if (clause?.name) return clause.name.text;
    const bindings = clause?.namedBindings;
    const element = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => (e.propertyName ?? e.name).text === "zodToJsonSchema" || (e.propertyName ?? e.name).text === "default") : undefined;
    if (element) return element.name.text;
  }
  return undefined;
}

/** `import * as z from "zod"` → `z`. */
function namespaceOf(source: ts.SourceFile, module: string): string | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) return bindings.name.text;
  }
  return undefined;
}
