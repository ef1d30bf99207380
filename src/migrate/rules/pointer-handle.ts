/**
 * A "current X" pointer to an object → a handle. For `let currentConnection: Connection |
 * undefined` that a `connect` tool sets and other tools read:
 *  - a module-level HandleMap holds each connection under its handle (handle-map.ts), made by
 *    `connect`, the tool that set the pointer: its assignment becomes
 *    `const made = connectionHandles.create(ctx, open(file))`, and each answer it gives after that
 *    carries the handle (`structuredContent: { connection_id }`, declared in its outputSchema
 *    and marked `x-mcp-handle`, and said in its text; its description says so, with the lifetime);
 *  - each tool that read the pointer takes `connection_id`, and first thing declares
 *    `const currentConnection = connectionHandles.get(connectionHandles.open(connection_id, ctx))`,
 *    so its own code reads what it read before, with the type it had.
 * Only the one shape: one tool sets it, in one statement of its own body, every answer after that
 * is an object literal with a content array, and every one before it an error. Anything else, and
 * the pointer stays a finding.
 */
import ts from "typescript";
import { indentUnitOf } from "../../style.ts";
import { handleField, handleNames, takesHandle } from "../handle-tools.ts";
import { addToolParameter, appendProperty, contextParameter, firstStatement, propertyNamed } from "../tool-input.ts";
import { attachedStart, declaredNames, isJavaScript, mentions, ownLines, topLevelStatement, type MigrationContext, type TextEdit } from "../rule.ts";

interface Uses {
  assignments: ts.ExpressionStatement[];
  reads: Map<ts.CallExpression, ts.Expression[]>;
}

export function pointerToHandle(
  source: ts.SourceFile,
  statement: ts.VariableStatement,
  name: string,
  kind: string,
  { assignments, reads }: Uses,
  context: MigrationContext,
): { edits: TextEdit[]; readers: ts.CallExpression[]; maker: ts.CallExpression } | undefined {
  const declaration = statement.declarationList.declarations[0]!;
  if (assignments.length !== 1 || (declaration.initializer && !/^(undefined|null)$/.test(declaration.initializer.getText(source)))) return undefined;
  const assignment = assignments[0]!;
  const setter = setterOf(assignment);
  if (!setter) return undefined;
  const { tool, callback, config } = setter;
  const makerName = tool.arguments[0] && ts.isStringLiteralLike(tool.arguments[0]) ? tool.arguments[0].text : undefined;
  if (!makerName || propertyNamed(config, "outputSchema")) return undefined;
  const answers = answersAfter(callback, assignment);
  if (!answers?.length) return undefined;

  const javaScript = isJavaScript(source.fileName);
  const type = stateType(source, declaration);
  if (!type && !javaScript) return undefined;
  const { param } = handleNames(kind, makerName);
  const map = `${kind.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}Handles`;
  const made = "made";
  if (mentions(source, map) || declaredNames(callback).has(made)) return undefined;
  const unit = indentUnitOf(source.text);

  const edits: TextEdit[] = [];
  // The pointer's declaration becomes the map, at module level: it outlives every request.
  const mapDeclaration = `const ${map} = new HandleMap${type ? `<${type}>` : ""}("${kind}", { createTool: "${makerName}" });`;
  if (ts.isSourceFile(statement.parent)) {
    edits.push({ start: statement.getStart(source), end: statement.getEnd(), text: mapDeclaration });
  } else {
    const removed = ownLines(source, statement, true);
    if (!removed) return undefined;
    const anchor = topLevelStatement(statement);
    const at = source.text.lastIndexOf("\n", attachedStart(source, anchor) - 1) + 1;
    edits.push(removed, { start: at, end: at, text: `${mapDeclaration}\n\n` });
  }

  // The tool that set the pointer makes a handle, and says so in every answer after.
  const ctx = contextParameter(source, callback, propertyNamed(config, "inputSchema") !== undefined);
  if (!ctx) return undefined;
  const value = (assignment.expression as ts.BinaryExpression).right.getText(source);
  edits.push(...ctx.edits, { start: assignment.getStart(source), end: assignment.getEnd(), text: `const ${made} = ${map}.create(${ctx.name}, ${value});` });
  // The maker says what it now returns and how long that lives: a model must learn where the
  // handle comes from, and the output marks it as a handle (x-mcp-handle), as generated servers do.
  const says = `Returns ${param}, a ${kind.replace(/_/g, " ")} handle: pass it to the tools that use it. A handle unused for an hour expires.`;
  const description = propertyNamed(config, "description");
  const initializer = description && ts.isPropertyAssignment(description) ? description.initializer : undefined;
  const text = initializer && (ts.isStringLiteral(initializer) || ts.isNoSubstitutionTemplateLiteral(initializer)) ? initializer : undefined;
  if (description && !text) return undefined;
  if (text) edits.push({ start: text.getEnd() - 1, end: text.getEnd() - 1, text: `${/[.!?]$/.test(text.text.trim()) ? "" : "."} ${says}` });
  const output = `outputSchema: z.object({ ${param}: z.string().meta({ "x-mcp-handle": { kind: "${kind}" } }) })`;
  edits.push(appendProperty(source, config, `${text ? "" : `description: ${JSON.stringify(says)}, `}${output}`));
  for (const { content, answer } of answers) {
    const last = content.elements.at(-1);
    edits.push(last ? { start: last.getEnd(), end: last.getEnd(), text: `, ...${made}.content` } : { start: content.getStart(source) + 1, end: content.getEnd() - 1, text: `...${made}.content` });
    edits.push(appendProperty(source, answer, `structuredContent: ${made}.structuredContent`));
  }

  // Each reader takes the handle and opens its own, under the pointer's old name.
  for (const [reader] of reads) {
    const readerCallback = reader.arguments.at(-1);
    if (!readerCallback || !(ts.isArrowFunction(readerCallback) || ts.isFunctionExpression(readerCallback))) return undefined;
    // A rule before this one may have given it a context parameter this pass: it waits for the next.
    if (context.parameterised.has(reader) && readerCallback.parameters.length < 2) return undefined;
    const declared = declaredNames(readerCallback);
    if (declared.has(name) || declared.has(param)) return undefined;
    const input = addToolParameter(source, reader, readerCallback, param, handleField(kind, makerName), takesHandle(kind, makerName), true);
    if (!input?.context) return undefined;
    // `?? null` where the pointer was `T | null`, so the reader's checks keep their type.
    edits.push(...input.edits, firstStatement(source, readerCallback, `const ${name} = ${map}.get(${map}.open(${input.read}, ${input.context}))${nullable(declaration) ? " ?? null" : ""};`, unit));
  }
  return { edits, readers: [...reads.keys()], maker: tool };
}

/** The tool whose callback's own body holds the assignment as a statement, with its config object. */
function setterOf(assignment: ts.ExpressionStatement) {
  const callback = assignment.parent?.parent;
  const tool = callback?.parent;
  if (!callback || !ts.isBlock(assignment.parent) || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || callback.body !== assignment.parent) return undefined;
  if (!tool || !ts.isCallExpression(tool) || tool.arguments.at(-1) !== callback || tool.arguments.length !== 3) return undefined;
  if (!ts.isPropertyAccessExpression(tool.expression) || tool.expression.name.text !== "registerTool") return undefined;
  const config = tool.arguments[1];
  return config && ts.isObjectLiteralExpression(config) ? { tool, callback, config } : undefined;
}

/**
 * The answers a setter gives once the pointer is set: `return { content: [...] }` statements after
 * the assignment (its own, not a nested function's). Undefined when one is of any other shape, or
 * when an answer before it is not an error: with an output schema declared, every answer that is
 * not an error must carry the handle.
 */
function answersAfter(callback: ts.ArrowFunction | ts.FunctionExpression, assignment: ts.Statement) {
  const answers: Array<{ answer: ts.ObjectLiteralExpression; content: ts.ArrayLiteralExpression }> = [];
  let ok = true;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.pos < assignment.pos) {
      const answer = node.expression;
      const flag = answer && ts.isObjectLiteralExpression(answer) ? propertyNamed(answer, "isError") : undefined;
      const isError = flag !== undefined && ts.isPropertyAssignment(flag) && flag.initializer.kind === ts.SyntaxKind.TrueKeyword;
      if (!isError) ok = false;
    } else if (ts.isReturnStatement(node) && node.pos >= assignment.end) {
      const answer = node.expression;
      const content = answer && ts.isObjectLiteralExpression(answer) ? propertyNamed(answer, "content") : undefined;
      const structured = answer && ts.isObjectLiteralExpression(answer) && (propertyNamed(answer, "structuredContent") !== undefined || answer.properties.some(ts.isSpreadAssignment));
      if (!answer || !ts.isObjectLiteralExpression(answer) || !content || !ts.isPropertyAssignment(content) || !ts.isArrayLiteralExpression(content.initializer) || structured) ok = false;
      else answers.push({ answer, content: content.initializer });
    }
    node.forEachChild(visit);
  };
  callback.body.forEachChild(visit);
  return ok ? answers : undefined;
}

/** The pointer's type without `| undefined` / `| null`: what a handle holds. */
function stateType(source: ts.SourceFile, declaration: ts.VariableDeclaration): string | undefined {
  const type = declaration.type;
  if (!type) return undefined;
  const members = (ts.isUnionTypeNode(type) ? [...type.types] : [type]).filter((m) => m.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword));
  return members.length ? members.map((m) => m.getText(source)).join(" | ") : undefined;
}

/** Whether the pointer's type admits null but not undefined (`Connection | null`). */
function nullable(declaration: ts.VariableDeclaration): boolean {
  const type = declaration.type;
  const members = type ? (ts.isUnionTypeNode(type) ? [...type.types] : [type]) : [];
  const isNull = (m: ts.TypeNode) => ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword;
  return members.some(isNull) && !members.some((m) => m.kind === ts.SyntaxKind.UndefinedKeyword);
}
