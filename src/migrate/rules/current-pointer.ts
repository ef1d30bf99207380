/**
 * A "current X" pointer → an explicit parameter. For `let currentDatabase: "shop" | "blog" |
 * undefined` set by one tool and read by others:
 *  - each tool that reads it takes `database` in its zod input (z.enum of the literal type, or
 *    z.string()), and reads that instead;
 *  - the assignments in the setting tools, and the `let` itself, go. The setting tools stay:
 *    clients may still call them, and what they check still holds.
 * A pointer to an object (a connection) needs a handle to stand for it: the tool that set it
 * makes one (pointer-handle.ts). A pointer read outside tools stays a finding.
 */
import ts from "typescript";
import type { Finding } from "../../analysis/rule.ts";
import { enclosingTool } from "../../analysis/rule.ts";
import { POINTER } from "../../analysis/rules/current-pointer.ts";
import { mentions, nodeStartingAt, offsetOf, ownLines, type ImportNeed, type Migration, type MigrationContext, type TextEdit } from "../rule.ts";
import { pointerToHandle } from "./pointer-handle.ts";
import { addToolParameter } from "../tool-input.ts";

export const currentPointerMigration: Migration = {
  rule: "current-pointer",
  migrate(source, findings, context) {
    const edits: TextEdit[] = [];
    const handled: Finding[] = [];
    const parameterised: ts.CallExpression[] = [];
    const imports: ImportNeed[] = [];
    const reasons: string[] = [];
    const makers = new Set<ts.CallExpression>();
    const handleReaders = new Set<ts.CallExpression>();
    for (const { planned, mine, name } of plans(source, findings, context)) {
      if (typeof planned === "string") {
        reasons.push(planned);
        continue;
      }
      // One tool making two handles would declare its result twice: the second pointer waits.
      if (planned.maker && makers.has(planned.maker)) {
        reasons.push(`${name} is set by a tool that already makes another pointer's handle here, and one tool makes one handle, so it stays: split the tool, then run migrate again`);
        continue;
      }
      // A reader given a context parameter by one handle this pass would get a second from another: the next pass moves it.
      if (planned.maker && planned.readers.some((reader) => handleReaders.has(reader))) {
        reasons.push(`${name} is read by a tool that another pointer's handle is also given to, one at a time, so it stays for now: run migrate again`);
        continue;
      }
      if (planned.maker) {
        makers.add(planned.maker);
        for (const reader of planned.readers) handleReaders.add(reader);
      }
      edits.push(...planned.edits);
      handled.push(...mine);
      parameterised.push(...planned.readers);
      if (planned.maker) imports.push({ module: context.handleRuntime, name: "HandleMap" });
    }
    if (handled.length) imports.push({ module: "zod", name: "z" });
    // `state.currentProject = …`: a pointer kept on a shared object, which no declaration here says the type of.
    const onObject = findings
      .map((f) => nodeStartingAt(source, offsetOf(source, f), ts.isBinaryExpression)?.left)
      .find((target) => target !== undefined && ts.isPropertyAccessExpression(target));
    if (onObject) reasons.push(`${onObject.getText(source)} is a pointer kept on a shared object, which it does not follow: make each tool that reads it take the value (or a handle, for an object) as a parameter by hand`);
    // The to-do stands for every finding of the rule here, so it is said only when one pointer is left.
    const unmoved = reasons.length === 1 ? reasons[0] : undefined;
    return { edits, handled, imports, parameterised, unmoved };
  },
};

function plans(source: ts.SourceFile, findings: readonly Finding[], context: MigrationContext) {
  return pointerDeclarations(source).flatMap((declaration) => {
    const name = (declaration.declarationList.declarations[0]!.name as ts.Identifier).text;
    const mine = findings.filter((f) => source.text.startsWith(name, source.getPositionOfLineAndCharacter(f.line - 1, f.column - 1)));
    return mine.length ? [{ planned: plan(source, declaration, name, context), mine, name }] : [];
  });
}

/** `let currentX…;` statements, at module level or in a function body. */
function pointerDeclarations(source: ts.SourceFile): ts.VariableStatement[] {
  const found: ts.VariableStatement[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableStatement(node) && node.declarationList.flags & ts.NodeFlags.Let && node.declarationList.declarations.length === 1) {
      const name = node.declarationList.declarations[0]!.name;
      if (ts.isIdentifier(name) && POINTER.test(name.text)) found.push(node);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

/** Where a pointer is set (statements in tools), read (by tool) and used anywhere else. */
function pointerUses(statement: ts.VariableStatement, name: string) {
  const declaration = statement.declarationList.declarations[0]!;
  const assignments: ts.ExpressionStatement[] = [];
  const reads = new Map<ts.CallExpression, ts.Identifier[]>();
  let outside = false;
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      const assignment = ts.isBinaryExpression(node.parent) && node.parent.left === node && node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      const tool = enclosingTool(node)?.call;
      if (!tool) outside = true;
      else if (assignment && ts.isExpressionStatement(node.parent.parent)) assignments.push(node.parent.parent);
      else if (assignment) outside = true;
      else reads.set(tool, [...(reads.get(tool) ?? []), node]);
    }
    node.forEachChild(visit);
  };
  visit(statement.parent);
  return { assignments, reads, outside };
}

/** The edits that make the pointer a parameter (or a handle), or why it stays (said as what a person does first). */
function plan(source: ts.SourceFile, statement: ts.VariableStatement, name: string, context: MigrationContext): { edits: TextEdit[]; readers: ts.CallExpression[]; maker?: ts.CallExpression } | string {
  const declaration = statement.declarationList.declarations[0]!;
  const schema = zodFor(source, declaration);
  const stays = (why: string, todo: string) => `${name} ${why}, so it stays: ${todo}`;
  const param = name.replace(POINTER, (m) => m.at(-1)!).replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().replace(/^_/, "");
  const { assignments, reads, outside } = pointerUses(statement, name);
  const cannot = stays("is set or read in a way it cannot follow (outside tools, inside an expression, or never both set and read by tools)", "make each tool that reads it take it as a parameter by hand");
  if (outside || assignments.length === 0 || reads.size === 0) return cannot;
  const setters = new Set(assignments.map((a) => enclosingTool(a)?.call));
  if ([...reads.keys()].some((tool) => setters.has(tool))) return cannot; // reads what it just set: not a pointer
  // A pointer to an object (a connection) becomes a handle: the tool that set it makes one.
  if (!schema) {
    return (
      pointerToHandle(source, statement, name, param, { assignments, reads }, context) ??
      stays(
        "points at something other than a string (an object, a connection), which a handle must stand for, and the tool that sets it is not one it can make return the handle (one tool, one assignment statement in its body, only errors answered before it, object literals with a content array after it, no outputSchema of its own)",
        "make it a create_* tool returning an id, the tools that read it take the id, then run migrate again",
      )
    );
  }

  const removed = [ownLines(source, statement, true), ...assignments.map((a) => ownLines(source, a))];
  if (removed.some((edit) => edit === undefined)) return cannot;
  const edits = removed as TextEdit[];
  const setterNames = [...setters].map((tool) => (tool!.arguments[0] && ts.isStringLiteralLike(tool!.arguments[0]) ? tool!.arguments[0].text : "")).filter(Boolean);
  const field = `${param}: ${schema}.describe("The ${param.replace(/_/g, " ")} to work on${setterNames.length ? ` (what ${setterNames.join(" or ")} used to set for the session)` : ""}")`;
  for (const [tool, identifiers] of reads) {
    const callback = tool.arguments.at(-1)!;
    if (!(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return cannot;
    if (callback.parameters.some((p) => mentions(p, param))) return cannot;
    const input = addToolParameter(source, tool, callback, param, field);
    if (!input) return cannot;
    edits.push(...input.edits, ...identifiers.map((id) => ({ start: id.getStart(source), end: id.getEnd(), text: input.read })));
  }
  return { edits, readers: [...reads.keys()] };
}

/** z.enum for a union of string literals, z.string() for a string; undefined for anything else. */
function zodFor(source: ts.SourceFile, declaration: ts.VariableDeclaration): string | undefined {
  const type = declaration.type;
  if (!type) return declaration.initializer && ts.isStringLiteral(declaration.initializer) ? "z.string()" : undefined;
  const members = ts.isUnionTypeNode(type) ? type.types : [type];
  const defined = members.filter((m) => m.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword));
  if (defined.length === 1 && defined[0]!.kind === ts.SyntaxKind.StringKeyword) return "z.string()";
  if (defined.length && defined.every((m) => ts.isLiteralTypeNode(m) && ts.isStringLiteral(m.literal))) {
    return `z.enum([${defined.map((m) => m.getText(source)).join(", ")}])`;
  }
  return undefined;
}
