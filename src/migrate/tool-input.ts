/**
 * Adding a parameter to a registered tool: a field in its zod input (`inputSchema`, created
 * when the tool had none) and a name in its callback's arguments. Shared by the rules that
 * turn something implicit (a session, a "current" pointer) into an explicit parameter.
 */
import ts from "typescript";
import { indentOf, type TextEdit } from "./rule.ts";

/**
 * Edits for `server.registerTool(name, config, callback)`, and how the callback now reads
 * the parameter (`cart_id`, or `args.cart_id` when it takes its arguments whole). Undefined
 * when the shape is not one it can extend without guessing (a schema held in a variable).
 * A tool registered without a description gets `describe` as one: a model calling it must
 * learn where the new parameter comes from, and `check --url` requires every tool to say.
 */
export function addToolParameter(
  source: ts.SourceFile,
  tool: ts.CallExpression,
  callback: ts.ArrowFunction | ts.FunctionExpression,
  param: string,
  field: string,
  describe?: string,
): { edits: TextEdit[]; read: string } | undefined {
  const config = tool.arguments[1];
  if (!config || !ts.isObjectLiteralExpression(config) || tool.arguments.length !== 3) return undefined;
  const named = (name: string) => config.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
  const schema = named("inputSchema");
  const description = describe !== undefined && !named("description") ? `description: ${JSON.stringify(describe)}` : undefined;
  const edits: TextEdit[] = [];
  // Into an empty config it goes with the new inputSchema, below; otherwise before the first property.
  if (description && config.properties.length) edits.push(prependProperty(source, config, description));
  const params = callback.parameters;
  if (schema) {
    if (!ts.isPropertyAssignment(schema) || params.length === 0) return undefined;
    let shape: ts.Expression = schema.initializer;
    if (ts.isCallExpression(shape) && shape.expression.getText(source) === "z.object" && shape.arguments.length === 1) shape = shape.arguments[0]!;
    if (!ts.isObjectLiteralExpression(shape)) return undefined;
    edits.push(appendProperty(source, shape, field));
    const args = params[0]!.name;
    if (ts.isIdentifier(args)) return { edits, read: `${args.text}.${param}` };
    if (!ts.isObjectBindingPattern(args) || args.elements.some((e) => e.dotDotDotToken)) return undefined;
    const lastElement = args.elements.at(-1);
    edits.push(lastElement ? { start: lastElement.getEnd(), end: lastElement.getEnd(), text: `, ${param}` } : { start: args.getStart(source), end: args.getEnd(), text: `{ ${param} }` });
    return { edits, read: param };
  }
  if (params.length > 1) return undefined;
  const inputSchema = `inputSchema: z.object({ ${field} })`;
  edits.push(appendProperty(source, config, description && !config.properties.length ? `${description}, ${inputSchema}` : inputSchema));
  if (params.length === 0) {
    // `async () =>` → `async ({ p }) =>`
    const open = source.text.indexOf("(", callback.getStart(source));
    if (open === -1 || source.text[open + 1] !== ")") return undefined;
    edits.push({ start: open + 1, end: open + 1, text: `{ ${param} }` });
    return { edits, read: param };
  }
  const first = params[0]!;
  const parenthesised = !ts.isArrowFunction(callback) || source.text.slice(callback.getStart(source), first.getStart(source)).includes("(");
  edits.push({ start: first.getStart(source), end: first.getStart(source), text: `${parenthesised ? "" : "("}{ ${param} }, ` });
  if (!parenthesised) edits.push({ start: first.getEnd(), end: first.getEnd(), text: ")" });
  return { edits, read: param };
}

/** A property put before a non-empty object literal's first, in its layout. */
function prependProperty(source: ts.SourceFile, object: ts.ObjectLiteralExpression, property: string): TextEdit {
  const first = object.properties[0]!;
  const at = first.getStart(source);
  const multiline = source.text.slice(object.getStart(source), at).includes("\n");
  return { start: at, end: at, text: multiline ? `${property},\n${indentOf(source, first)}` : `${property}, ` };
}

/** A property added after an object literal's last, in its layout (one line or one per line). */
function appendProperty(source: ts.SourceFile, object: ts.ObjectLiteralExpression, property: string): TextEdit {
  const last = object.properties.at(-1);
  if (!last) return { start: object.getStart(source) + 1, end: object.getEnd() - 1, text: ` ${property} ` };
  const multiline = source.text.slice(object.getStart(source), object.getEnd()).includes("\n");
  const trailingComma = object.properties.hasTrailingComma;
  const at = trailingComma ? source.text.indexOf(",", last.getEnd()) + 1 : last.getEnd();
  if (!multiline) return { start: at, end: at, text: `${trailingComma ? "" : ","} ${property}` };
  return { start: at, end: at, text: `${trailingComma ? "" : ","}\n${indentOf(source, last)}${property}${trailingComma ? "," : ""}` };
}
