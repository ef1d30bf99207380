/**
 * Adding a parameter to a registered tool: a field in its zod input (`inputSchema`, created
 * when the tool had none) and a name in its callback's arguments. Shared by the rules that
 * turn something implicit (a session, a "current" pointer) into an explicit parameter.
 */
import ts from "typescript";
import { indentOf, mentions, type TextEdit } from "./rule.ts";

/**
 * Edits for `server.registerTool(name, config, callback)`, and how the callback now reads
 * the parameter (`cart_id`, or `args.cart_id` when it takes its arguments whole). Undefined
 * when the shape is not one it can extend without guessing (a schema held in a variable).
 * A tool registered without a description gets `describe` as one: a model calling it must
 * learn where the new parameter comes from, and `check --url` requires every tool to say.
 * With `withContext`, the callback also takes the call's context (`ctx`, added when it had
 * none), and `context` names it.
 */
export function addToolParameter(
  source: ts.SourceFile,
  tool: ts.CallExpression,
  callback: ts.ArrowFunction | ts.FunctionExpression,
  param: string,
  field: string,
  describe?: string,
  withContext = false,
): { edits: TextEdit[]; read: string; context?: string } | undefined {
  const config = tool.arguments[1];
  if (!config || !ts.isObjectLiteralExpression(config) || tool.arguments.length !== 3) return undefined;
  const named = (name: string) => propertyNamed(config, name);
  const schema = named("inputSchema");
  const description = describe !== undefined && !named("description") ? `description: ${JSON.stringify(describe)}` : undefined;
  const edits: TextEdit[] = [];
  // Into an empty config it goes with the new inputSchema, below; otherwise before the first property.
  if (description && config.properties.length) edits.push(prependProperty(source, config, description));
  const params = callback.parameters;
  if (schema) {
    if (!ts.isPropertyAssignment(schema)) return undefined;
    let shape: ts.Expression = schema.initializer;
    if (ts.isCallExpression(shape) && shape.expression.getText(source) === "z.object" && shape.arguments.length === 1) shape = shape.arguments[0]!;
    if (!ts.isObjectLiteralExpression(shape)) return undefined;
    edits.push(appendProperty(source, shape, field));
    if (params.length === 0) return intoEmptyParameters(source, callback, param, withContext, edits);
    const args = params[0]!.name;
    let context: string | undefined;
    if (withContext) {
      const found = contextParameter(source, callback, true);
      if (!found) return undefined;
      context = found.name;
      edits.push(...found.edits);
    }
    if (ts.isIdentifier(args)) {
      // A parameter the tool marked unused (`_args`) stays unused: the new field is destructured instead.
      if (args.text.startsWith("_") && !params[0]!.type && !mentions(callback.body, args.text)) {
        edits.push({ start: args.getStart(source), end: args.getEnd(), text: `{ ${param} }` });
        return { edits, read: param, context };
      }
      return { edits, read: `${args.text}.${param}`, context };
    }
    if (!ts.isObjectBindingPattern(args) || args.elements.some((e) => e.dotDotDotToken)) return undefined;
    const lastElement = args.elements.at(-1);
    edits.push(lastElement ? { start: lastElement.getEnd(), end: lastElement.getEnd(), text: `, ${param}` } : { start: args.getStart(source), end: args.getEnd(), text: `{ ${param} }` });
    return { edits, read: param, context };
  }
  if (params.length > 1) return undefined;
  const inputSchema = `inputSchema: z.object({ ${field} })`;
  edits.push(appendProperty(source, config, description && !config.properties.length ? `${description}, ${inputSchema}` : inputSchema));
  if (params.length === 0) return intoEmptyParameters(source, callback, param, withContext, edits);
  const first = params[0]!;
  if (withContext && !ts.isIdentifier(first.name)) return undefined;
  const wrapped = parenthesised(source, callback);
  edits.push({ start: first.getStart(source), end: first.getStart(source), text: `${wrapped ? "" : "("}{ ${param} }, ` });
  if (!wrapped) edits.push({ start: first.getEnd(), end: first.getEnd(), text: ")" });
  return { edits, read: param, context: withContext ? (first.name as ts.Identifier).text : undefined };
}

/** `async () =>` → `async ({ p }) =>` (or `async ({ p }, ctx) =>`). */
function intoEmptyParameters(source: ts.SourceFile, callback: ts.ArrowFunction | ts.FunctionExpression, param: string, withContext: boolean, edits: TextEdit[]) {
  const open = source.text.indexOf("(", callback.getStart(source));
  if (open === -1 || source.text[open + 1] !== ")") return undefined;
  const context = withContext ? freeName(callback, "ctx") : undefined;
  edits.push({ start: open + 1, end: open + 1, text: `{ ${param} }${context ? `, ${context}` : ""}` });
  return { edits, read: param, context };
}

/** A property of an object literal by its name, written bare or quoted. */
export function propertyNamed(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

/**
 * A tool callback's context parameter (its second when the tool takes input, else its first),
 * with the edit that adds one (`ctx`) when it takes none. Undefined when it is destructured, or
 * an arrow's bare parameter leaves no parentheses to add it in.
 */
export function contextParameter(source: ts.SourceFile, callback: ts.ArrowFunction | ts.FunctionExpression, takesInput: boolean): { name: string; edits: TextEdit[] } | undefined {
  const params = callback.parameters;
  const given = params[takesInput ? 1 : 0];
  if (given) return ts.isIdentifier(given.name) ? { name: given.name.text, edits: [] } : undefined;
  if (!parenthesised(source, callback)) return undefined;
  const name = freeName(callback, "ctx");
  if (params.length > 0) return { name, edits: [{ start: params[0]!.getEnd(), end: params[0]!.getEnd(), text: `, ${name}` }] };
  const open = source.text.indexOf("(", callback.getStart(source));
  return { name, edits: [{ start: open + 1, end: open + 1, text: takesInput ? `_args, ${name}` : name }] };
}

/** Whether a callback's parameters sit in parentheses (an arrow's single one may not). */
function parenthesised(source: ts.SourceFile, callback: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const first = callback.parameters[0];
  return !ts.isArrowFunction(callback) || !first || source.text.slice(callback.getStart(source), first.getStart(source)).includes("(");
}

/** `name`, or `name2`, `name3`… when the callback already uses it. */
export function freeName(callback: ts.Node, name: string): string {
  const used = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) used.add(node.text);
    node.forEachChild(visit);
  };
  visit(callback);
  let free = name;
  for (let i = 2; used.has(free); i++) free = `${name}${i}`;
  return free;
}

/** A property put before a non-empty object literal's first, in its layout. */
function prependProperty(source: ts.SourceFile, object: ts.ObjectLiteralExpression, property: string): TextEdit {
  const first = object.properties[0]!;
  const at = first.getStart(source);
  const multiline = source.text.slice(object.getStart(source), at).includes("\n");
  return { start: at, end: at, text: multiline ? `${property},\n${indentOf(source, first)}` : `${property}, ` };
}

/** A property added after an object literal's last, in its layout (one line or one per line). */
export function appendProperty(source: ts.SourceFile, object: ts.ObjectLiteralExpression, property: string): TextEdit {
  const last = object.properties.at(-1);
  if (!last) return { start: object.getStart(source) + 1, end: object.getEnd() - 1, text: ` ${property} ` };
  const multiline = source.text.slice(object.getStart(source), object.getEnd()).includes("\n");
  const trailingComma = object.properties.hasTrailingComma;
  const at = trailingComma ? source.text.indexOf(",", last.getEnd()) + 1 : last.getEnd();
  if (!multiline) return { start: at, end: at, text: `${trailingComma ? "" : ","} ${property}` };
  return { start: at, end: at, text: `${trailingComma ? "" : ","}\n${indentOf(source, last)}${property}${trailingComma ? "," : ""}` };
}

/** `statement` as the callback's first: into its block, or its expression body made a block that returns it. */
export function firstStatement(source: ts.SourceFile, callback: ts.ArrowFunction | ts.FunctionExpression, statement: string, unit: string): TextEdit {
  const outer = indentOf(source, callback);
  const body = callback.body;
  if (ts.isBlock(body)) {
    const inner = body.statements[0] && source.text.slice(body.getStart(source), body.statements[0].getStart(source)).includes("\n") ? indentOf(source, body.statements[0]) : `${outer}${unit}`;
    return { start: body.getStart(source) + 1, end: body.getStart(source) + 1, text: `\n${inner}${statement}` };
  }
  const value = ts.isParenthesizedExpression(body) ? body.expression : body;
  // Its lines move one level in with it, unless a template literal spans them (its text would change).
  let returned = value.getText(source);
  if (!spansLinesInTemplate(value)) returned = returned.replace(/\n(?=[ \t]*\S)/g, `\n${unit}`);
  return { start: body.getStart(source), end: body.getEnd(), text: `{\n${outer}${unit}${statement}\n${outer}${unit}return ${returned};\n${outer}}` };
}

function spansLinesInTemplate(node: ts.Node): boolean {
  if ((ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && node.getText().includes("\n")) return true;
  return node.forEachChild((child) => spansLinesInTemplate(child) || undefined) ?? false;
}
