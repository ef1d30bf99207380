/**
 * A tool's input schema written as a `{…} as const` object, held by a tool the project typed
 * with the SDK's `Tool`: v1's `Tool` let a schema's properties be anything, v2's types them as
 * JSON values, whose arrays are mutable, so a readonly `required: ["url"]` or `enum` stops
 * type-checking after the codemod. The schema gets the type in place of `as const`
 * (`const searchSchema: Tool["inputSchema"] = {…}`), which checks its literals where they are
 * written. A schema whose type the file reads (`typeof searchSchema`, for inference) keeps its
 * `as const`, as that read needs (and the project a finding from tsc). Pure: text in, text out.
 */
import ts from "typescript";
import { importedName, unwrap } from "../analysis/rule.ts";
import { applyInFileStyle } from "./imports.ts";
import { isJavaScript, type TextEdit } from "./rule.ts";

const SDK = "@modelcontextprotocol/server";
const SCHEMA_KEYS = new Set(["inputSchema", "outputSchema"]);

export function typedConstSchemas(file: string, text: string): string {
  if (isJavaScript(file) || !/\bas\s+const\b/.test(text) || !/\bTool\b/.test(text)) return text;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const tool = importedName(source, SDK, "Tool");
  if (!tool) return text;
  // Each schema variable, and the key every tool holding it puts it under; one held under both keys is left.
  const held = new Map<ts.VariableDeclaration, string | undefined>();
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.type && node.initializer && typedAsTool(node.type, tool)) {
      for (const literal of toolLiterals(node.initializer)) {
        for (const property of literal.properties) {
          if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || !SCHEMA_KEYS.has(property.name.text) || !ts.isIdentifier(property.initializer)) continue;
          const schema = constSchema(source, property.initializer.text);
          if (!schema) continue;
          const key = property.name.text;
          held.set(schema, held.has(schema) && held.get(schema) !== key ? undefined : key);
        }
      }
    }
    node.forEachChild(visit);
  };
  visit(source);
  const edits: TextEdit[] = [];
  for (const [schema, key] of held) {
    const name = (schema.name as ts.Identifier).text;
    if (!key || readsTypeOf(source, name)) continue;
    const written = schema.initializer as ts.AsExpression;
    edits.push({ start: schema.name.getEnd(), end: schema.name.getEnd(), text: `: ${tool}["${key}"]` });
    edits.push({ start: written.expression.getEnd(), end: written.getEnd(), text: "" });
  }
  return edits.length === 0 ? text : applyInFileStyle(file, text, edits);
}

/** `Tool` or `Tool[]`, under the name the file imports it by. */
function typedAsTool(type: ts.TypeNode, tool: string): boolean {
  const element = ts.isArrayTypeNode(type) ? type.elementType : type;
  return ts.isTypeReferenceNode(element) && ts.isIdentifier(element.typeName) && element.typeName.text === tool && !element.typeArguments;
}

/** The tools a declaration's value writes out: the object itself, or each object of the array. */
function toolLiterals(initializer: ts.Expression): ts.ObjectLiteralExpression[] {
  const value = unwrap(initializer);
  if (ts.isObjectLiteralExpression(value)) return [value];
  if (ts.isArrayLiteralExpression(value)) return value.elements.map(unwrap).filter(ts.isObjectLiteralExpression);
  return [];
}

/** A module-level `const name = {…} as const` with no type of its own. */
function constSchema(source: ts.SourceFile, name: string): ts.VariableDeclaration | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (!found) continue;
    const value = found.initializer;
    const asConst = value && ts.isAsExpression(value) && ts.isTypeReferenceNode(value.type) && value.type.typeName.getText(source) === "const";
    return !found.type && asConst && ts.isObjectLiteralExpression(value.expression) ? found : undefined;
  }
  return undefined;
}

/** Whether the file reads the variable's type: `typeof name`. */
function readsTypeOf(source: ts.SourceFile, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node) => {
    if (ts.isTypeQueryNode(node) && ts.isIdentifier(node.exprName) && node.exprName.text === name) found = true;
    if (!found) node.forEachChild(visit);
  };
  visit(source);
  return found;
}
