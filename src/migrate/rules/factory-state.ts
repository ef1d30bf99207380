/**
 * State a server factory keeps for its tools → handles. `const notes: string[] = []` in the
 * factory, pushed to by `add_note` and read by `list_notes`, lived as long as a session's
 * server did; it moves behind handles as a session's server state does (session-server-state.ts):
 * a module-level HandleMap, a `create_notes` tool whose handle starts as the factory's value did
 * (`[]`), and each tool that used it taking `notes_id` and opening its own `notes` first thing,
 * so its body is unchanged. Only state two tools share is moved (what one tool keeps for its own
 * next call may be a cache every client could share); a value the tools reassign (`count++`) is
 * kept as `{ value }` and read as `count.value`, so that a handle's state is still changed in
 * place. Two variables one handle should stand for, or one used outside tools, stay, with the
 * reason.
 */
import ts from "typescript";
import type { Finding } from "../../analysis/rule.ts";
import { enclosingTool, isReassigned } from "../../analysis/rule.ts";
import { isJavaScript, nodeStartingAt, offsetOf, ownLines, references, type ImportNeed, type Migration, type MigrationContext, type TextEdit } from "../rule.ts";
import { isBuiltAroundServer } from "../../analysis/rules/factory-state.ts";
import { stateBehindHandles } from "./session-server-state.ts";

export const factoryStateMigration: Migration = {
  rule: "factory-state",
  migrate(source, findings, context) {
    const none = { edits: [], handled: [] };
    const declarations = findings.map((f) => nodeStartingAt(source, offsetOf(source, f), ts.isIdentifier)?.parent).filter((d): d is ts.VariableDeclaration => d !== undefined && ts.isVariableDeclaration(d));
    if (declarations.length !== findings.length) return none;
    const edits: TextEdit[] = [];
    const handled: Finding[] = [];
    const imports: ImportNeed[] = [];
    const parameterised: ts.CallExpression[] = [];
    const unmovedEach: Array<[Finding, string]> = [];
    const findingsOf = (group: ts.VariableDeclaration[]) => findings.filter((_, i) => group.includes(declarations[i]!));
    // One factory's variables for one handle each would hand every tool several: which belong together is a person's call.
    const byFactory = new Map<ts.Node, ts.VariableDeclaration[]>();
    for (const declaration of declarations) {
      const name = (declaration.name as ts.Identifier).text;
      // An object made around the server holds what cannot be seen from here: a person says what it keeps, and how to name it.
      if (isBuiltAroundServer(declaration)) {
        const why = `${name} is an object handed the server and kept for its tools, and what it holds between calls (a browser, pages, a client's sessions with another service) cannot be seen from here, so it stays: give that a handle by hand (a create_* tool makes it and returns its id; the tools take the id and look it up, in a HandleMap in one process or a store every instance reads if it can be written down), or, if it holds nothing between calls, build it in each tool; then run migrate again`;
        for (const finding of findingsOf([declaration])) unmovedEach.push([finding, why]);
        continue;
      }
      // What one tool keeps for its own next call may be a cache every client could share, or a client's own tally.
      if (toolsUsing(source, declaration) < 2) {
        const why = `${name} is kept for the next call of one tool only, which reads as a cache or a tally as much as a client's state, so it stays: if every client may share it, move it to module level; if each client's own, give it a handle by hand (a create_* tool returns an id the tool takes); then run migrate again`;
        for (const finding of findingsOf([declaration])) unmovedEach.push([finding, why]);
        continue;
      }
      const body = declaration.parent.parent.parent;
      byFactory.set(body, [...(byFactory.get(body) ?? []), declaration]);
    }
    for (const [, group] of byFactory) {
      const names = group.map((d) => (d.name as ts.Identifier).text);
      if (group.length > 1) {
        const why = `${names.join(" and ")} are kept by one server factory for its tools, and one handle should stand for them together: keep them in one object (\`const state = { ${names.map((n) => `${n}: …`).join(", ")} }\`), then run migrate again`;
        for (const finding of findingsOf(group)) unmovedEach.push([finding, why]);
        continue;
      }
      const moved = move(source, group[0]!, context);
      if (typeof moved === "string") {
        for (const finding of findingsOf(group)) unmovedEach.push([finding, moved]);
        continue;
      }
      edits.push(...moved.edits);
      imports.push(...moved.imports);
      parameterised.push(...moved.parameterised);
      handled.push(...findingsOf(group));
    }
    return { edits, handled, imports, parameterised, unmovedEach };
  },
};

/** The edits that put one variable behind handles, or why it stays. */
function move(source: ts.SourceFile, declaration: ts.VariableDeclaration, context: MigrationContext) {
  const name = (declaration.name as ts.Identifier).text;
  const statement = declaration.parent.parent;
  const factory = statement.parent.parent;
  const stays = (why: string) => `${name} ${why}, so it stays: give it a handle by hand (a create_* tool returns an id, the tools that share it take the id), or make it fit, then run migrate again`;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1 || !declaration.initializer || !ts.isFunctionLike(factory)) {
    return stays("is declared beside others in one statement, or without a value");
  }
  const removed = ownLines(source, statement, true);
  if (!removed) return stays("shares its lines with other code");
  const state = { name, kind: kindOf(name), type: typeOf(source, declaration), initial: declaration.initializer.getText(source), why: "What each session's server kept for its tools" };
  // A value the tools reassign is kept boxed (`{ value }`), so that what they change is still the handle's.
  const boxedType = reassigned(source, declaration, factory) ? (isJavaScript(source.fileName) ? "" : valueType(source, declaration)) : undefined;
  const moved =
    boxedType === undefined
      ? stateBehindHandles(source, factory as ts.FunctionLikeDeclaration, state, context, declaration)
      : stateBehindHandles(source, factory as ts.FunctionLikeDeclaration, { ...state, type: boxedType && `{ value: ${boxedType} }`, initial: `{ value: ${state.initial} }`, boxed: true }, context, declaration);
  if (!moved) {
    return stays(
      "is used outside its tools, in a tool whose body is one expression while tools reassign it, has no type written (`const notes: string[] = []`), or a name it needs is taken",
    );
  }
  return { ...moved, edits: [removed, ...moved.edits] };
}

/** How many tools use a variable of the factory. */
function toolsUsing(source: ts.SourceFile, declaration: ts.VariableDeclaration): number {
  const body = declaration.parent.parent.parent;
  const tools = references(source, (declaration.name as ts.Identifier).text)
    .filter((ref) => body.pos <= ref.pos && ref.end <= body.end)
    .map((ref) => enclosingTool(ref)?.call);
  return new Set(tools.filter((tool) => tool !== undefined)).size;
}

/** `notes` → `notes`, `noteList` → `note_list`: the variable's own name, as a tool's words. */
function kindOf(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Whether anything in the factory assigns the variable itself (`count = …`, `count++`). */
function reassigned(source: ts.SourceFile, declaration: ts.VariableDeclaration, factory: ts.Node): boolean {
  return references(source, (declaration.name as ts.Identifier).text).some((ref) => ref !== declaration.name && factory.pos <= ref.pos && ref.end <= factory.end && isReassigned(ref));
}

/** The type of a value a tool reassigns: written, or that of its literal (`0` → number). */
function valueType(source: ts.SourceFile, declaration: ts.VariableDeclaration): string | undefined {
  if (declaration.type) return declaration.type.getText(source);
  const value = declaration.initializer;
  if (!value) return undefined;
  if (ts.isNumericLiteral(value) || (ts.isPrefixUnaryExpression(value) && ts.isNumericLiteral(value.operand))) return "number";
  if (ts.isStringLiteralLike(value)) return "string";
  if (value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword) return "boolean";
  return undefined;
}

/** The type written for it, or the one its `new Map<string, string>()` says. */
function typeOf(source: ts.SourceFile, declaration: ts.VariableDeclaration): string | undefined {
  if (declaration.type) return declaration.type.getText(source);
  const value = declaration.initializer;
  if (value && ts.isNewExpression(value) && ts.isIdentifier(value.expression) && (value.typeArguments || !/^(Map|Set|Array|WeakMap|WeakSet)$/.test(value.expression.text))) {
    return `${value.expression.text}${value.typeArguments ? `<${value.typeArguments.map((t) => t.getText(source)).join(", ")}>` : ""}`;
  }
  return undefined;
}
