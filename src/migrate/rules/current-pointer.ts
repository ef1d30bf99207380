/**
 * A "current X" pointer → an explicit parameter. For `let currentDatabase: "shop" | "blog" |
 * undefined` set by one tool and read by others:
 *  - each tool that reads it takes `database` in its zod input (z.enum of the literal type, or
 *    z.string()), and reads that instead;
 *  - the assignments in the setting tools, and the `let` itself, go. The setting tools stay:
 *    clients may still call them, and what they check still holds.
 * A pointer to an object (a connection) needs a handle to stand for it: the tool that set it
 * makes one (pointer-handle.ts). A string pointer kept on an object of the file
 * (`state.currentProject`) becomes a parameter the same way, when the object is only ever used
 * through its members here (so every reader is in sight). A pointer read outside tools stays a
 * finding.
 */
import ts from "typescript";
import type { Finding } from "../../analysis/rule.ts";
import { enclosingTool } from "../../analysis/rule.ts";
import { POINTER } from "../../analysis/rules/current-pointer.ts";
import { mentions, nodeStartingAt, offsetOf, ownLines, references, type ImportNeed, type Migration, type MigrationContext, type TextEdit } from "../rule.ts";
import { pointerToHandle } from "./pointer-handle.ts";
import { addToolParameter } from "../tool-input.ts";

export const currentPointerMigration: Migration = {
  rule: "current-pointer",
  migrate(source, findings, context) {
    const edits: TextEdit[] = [];
    const handled: Finding[] = [];
    const parameterised: ts.CallExpression[] = [];
    const imports: ImportNeed[] = [];
    // Each pointer left stays for its own reason, said on its own findings.
    const unmovedEach: Array<[Finding, string]> = [];
    const stay = (mine: Finding[], reason: string) => mine.forEach((finding) => unmovedEach.push([finding, reason]));
    const makers = new Set<ts.CallExpression>();
    const handleReaders = new Set<ts.CallExpression>();
    for (const { planned, mine, name } of plans(source, findings, context)) {
      if (typeof planned === "string") {
        stay(mine, planned);
        continue;
      }
      // One tool making two handles would declare its result twice: the second pointer waits.
      if (planned.maker && makers.has(planned.maker)) {
        stay(mine, `${name} is set by a tool that already makes another pointer's handle here, and one tool makes one handle, so it stays: split the tool, then run migrate again`);
        continue;
      }
      // A reader given a context parameter by one handle this pass would get a second from another: the next pass moves it.
      if (planned.maker && planned.readers.some((reader) => handleReaders.has(reader))) {
        stay(mine, `${name} is read by a tool that another pointer's handle is also given to, one at a time, so it stays for now: run migrate again`);
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
    // `state.currentProject = …`: a pointer kept on an object.
    for (const { planned, mine, name } of propertyPlans(source, findings)) {
      if (typeof planned === "string") {
        stay(mine, planned);
        continue;
      }
      if (planned.readers.some((reader) => handleReaders.has(reader))) {
        stay(mine, `${name} is read by a tool that a handle is also given to, one at a time, so it stays for now: run migrate again`);
        continue;
      }
      edits.push(...planned.edits);
      handled.push(...mine);
      parameterised.push(...planned.readers);
      imports.push({ module: "zod", name: "z" });
    }
    return { edits, handled, imports, parameterised, unmovedEach };
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

interface PointerUses {
  /** The statements in tools that set it. */
  assignments: ts.ExpressionStatement[];
  /** Where tools read it, by tool. */
  reads: Map<ts.CallExpression, ts.Expression[]>;
  /** Used anywhere else: outside tools, or set inside an expression. */
  outside: boolean;
}

/** Where a pointer (each node `isPointer` accepts within `scope`) is set, read and used otherwise. */
function pointerUses(scope: ts.Node, isPointer: (node: ts.Node) => node is ts.Expression): PointerUses {
  const assignments: ts.ExpressionStatement[] = [];
  const reads = new Map<ts.CallExpression, ts.Expression[]>();
  let outside = false;
  const visit = (node: ts.Node) => {
    if (isPointer(node)) {
      const assignment = ts.isBinaryExpression(node.parent) && node.parent.left === node && node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      const tool = enclosingTool(node)?.call;
      if (!tool) outside = true;
      else if (assignment && ts.isExpressionStatement(node.parent.parent)) assignments.push(node.parent.parent);
      else if (assignment) outside = true;
      else reads.set(tool, [...(reads.get(tool) ?? []), node]);
      return;
    }
    node.forEachChild(visit);
  };
  visit(scope);
  return { assignments, reads, outside };
}

/** The edits that make the pointer a parameter (or a handle), or why it stays (said as what a person does first). */
function plan(source: ts.SourceFile, statement: ts.VariableStatement, name: string, context: MigrationContext): { edits: TextEdit[]; readers: ts.CallExpression[]; maker?: ts.CallExpression } | string {
  const declaration = statement.declarationList.declarations[0]!;
  const schema = zodFor(source, declaration);
  const stays = (why: string, todo: string) => `${name} ${why}, so it stays: ${todo}`;
  const param = name.replace(POINTER, (m) => m.at(-1)!).replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().replace(/^_/, "");
  const isPointer = (node: ts.Node): node is ts.Identifier => ts.isIdentifier(node) && node.text === name && node !== declaration.name;
  const uses = pointerUses(statement.parent, isPointer);
  const { assignments, reads, outside } = uses;
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
  return parameterised(source, uses, removed as TextEdit[], param, schema) ?? cannot;
}

/**
 * The pointer's assignments (and declaration) gone as `removed` says, and each tool that read it
 * taking `param` in their place; undefined where a reader's callback cannot take it.
 */
function parameterised(source: ts.SourceFile, { assignments, reads }: PointerUses, removed: TextEdit[], param: string, schema: string): { edits: TextEdit[]; readers: ts.CallExpression[] } | undefined {
  const edits = [...removed];
  const setters = new Set(assignments.map((a) => enclosingTool(a)?.call));
  const setterNames = [...setters].map((tool) => (tool!.arguments[0] && ts.isStringLiteralLike(tool!.arguments[0]) ? tool!.arguments[0].text : "")).filter(Boolean);
  const field = `${param}: ${schema}.describe("The ${param.replace(/_/g, " ")} to work on${setterNames.length ? ` (what ${setterNames.join(" or ")} used to set for the session)` : ""}")`;
  for (const [tool, identifiers] of reads) {
    const callback = tool.arguments.at(-1)!;
    if (!(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
    if (callback.parameters.some((p) => mentions(p, param))) return undefined;
    const input = addToolParameter(source, tool, callback, param, field);
    if (!input) return undefined;
    edits.push(...input.edits, ...identifiers.map((id) => ({ start: id.getStart(source), end: id.getEnd(), text: input.read })));
  }
  return { edits, readers: [...reads.keys()] };
}

/** z.enum for a union of string literals, z.string() for a string; undefined for anything else. */
function zodFor(source: ts.SourceFile, declaration: ts.VariableDeclaration): string | undefined {
  const type = declaration.type;
  if (!type) return declaration.initializer && ts.isStringLiteral(declaration.initializer) ? "z.string()" : undefined;
  return zodForType(source, type);
}

function zodForType(source: ts.SourceFile, type: ts.TypeNode): string | undefined {
  const members = ts.isUnionTypeNode(type) ? type.types : [type];
  const defined = members.filter((m) => m.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword));
  if (defined.length === 1 && defined[0]!.kind === ts.SyntaxKind.StringKeyword) return "z.string()";
  if (defined.length && defined.every((m) => ts.isLiteralTypeNode(m) && ts.isStringLiteral(m.literal))) {
    return `z.enum([${defined.map((m) => m.getText(source)).join(", ")}])`;
  }
  return undefined;
}

/** Each `object.currentX` the findings set, with the edits that make it a parameter or why it stays. */
function propertyPlans(source: ts.SourceFile, findings: readonly Finding[]) {
  const byPointer = new Map<string, { target: ts.PropertyAccessExpression; mine: Finding[] }>();
  for (const finding of findings) {
    const target = nodeStartingAt(source, offsetOf(source, finding), ts.isBinaryExpression)?.left;
    if (!target || !ts.isPropertyAccessExpression(target) || !(ts.isIdentifier(target.expression) || target.expression.kind === ts.SyntaxKind.ThisKeyword)) continue;
    const name = target.getText(source);
    const entry = byPointer.get(name) ?? { target, mine: [] };
    entry.mine.push(finding);
    byPointer.set(name, entry);
  }
  return [...byPointer].map(([name, { target, mine }]) => ({ planned: planProperty(source, target, name), mine, name }));
}

/**
 * `state.currentProject`, when `state` is declared once in this file, not exported, used only
 * through its members (so every reader is in sight), starts without a value for the pointer, and
 * says the pointer is a string (in its type, or `undefined as string | undefined`).
 */
function planProperty(source: ts.SourceFile, target: ts.PropertyAccessExpression, name: string): { edits: TextEdit[]; readers: ts.CallExpression[] } | string {
  const key = target.name.text;
  const stays = (why: string) => `${name} is a pointer kept on an object; it stays because ${why}: make each tool that reads it take the value (or a handle, for an object) as a parameter by hand`;
  if (!ts.isIdentifier(target.expression)) return stays("that object is the instance that registers the tools, which anything holding the instance can read");
  const base = target.expression.text;
  const refs = references(source, base);
  const declarations = refs.filter((ref) => ts.isVariableDeclaration(ref.parent) && ref.parent.name === ref).map((ref) => ref.parent as ts.VariableDeclaration);
  if (declarations.length !== 1) return stays(`${base} is not declared once in this file`);
  const declaration = declarations[0]!;
  const statement = declaration.parent.parent;
  if (ts.isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return stays(`${base} is exported, so other modules may read it`);
  if (refs.some((ref) => ref !== declaration.name && !(ts.isPropertyAccessExpression(ref.parent) && ref.parent.expression === ref))) {
    return stays(`${base} is used whole (handed to a function, spread, returned), so not every reader is in sight`);
  }
  const initial = declaration.initializer && ts.isObjectLiteralExpression(declaration.initializer) ? declaration.initializer : undefined;
  if (!initial) return stays(`${base} is not made from an object literal here`);
  const given = initial.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === key);
  const value = given && ts.isPropertyAssignment(given) ? given.initializer : undefined;
  if (given && !value) return stays(`${base} starts with ${key} set in a way it cannot read`);
  const cast = value && ts.isAsExpression(value) ? value : undefined;
  if (value && !/^(undefined|null)$/.test((cast ? cast.expression : value).getText(source))) return stays(`${key} starts with a value, which a parameter would have to default to`);
  // The type: from the declaration's own type literal, else from `undefined as T` in the object.
  const member = declaration.type && ts.isTypeLiteralNode(declaration.type) ? declaration.type.members.find((m): m is ts.PropertySignature => ts.isPropertySignature(m) && m.name.getText(source) === key) : undefined;
  const type = member?.type ?? (declaration.type ? undefined : cast?.type);
  const schema = type && zodForType(source, type);
  if (!schema) return stays(`it does not say the pointer is a string (a type literal on ${base}, or \`undefined as string | undefined\`)`);

  const isPointer = (node: ts.Node): node is ts.PropertyAccessExpression => ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === base && node.name.text === key;
  const uses = pointerUses(source, isPointer);
  if (uses.outside || uses.assignments.length === 0 || uses.reads.size === 0) return stays("it is set or read outside tools or inside an expression, or not both set and read by tools");
  const setters = new Set(uses.assignments.map((a) => enclosingTool(a)?.call));
  if ([...uses.reads.keys()].some((tool) => setters.has(tool))) return stays("a tool reads what it sets");
  // The pointer leaves the object and its type with its assignments, where each stands on lines of its own.
  const removed = [...uses.assignments.map((a) => ownLines(source, a))];
  if (removed.some((edit) => edit === undefined)) return stays("an assignment to it shares its lines");
  // Both go or neither does: an object literal and its type literal must still agree.
  const declaredLines = [given, member].filter((node) => node !== undefined).map((node) => ownLines(source, node));
  const declared = declaredLines.every((edit) => edit !== undefined) ? declaredLines : [];
  const param = key.replace(POINTER, (m) => m.at(-1)!).replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().replace(/^_/, "");
  return parameterised(source, uses, [...(removed as TextEdit[]), ...declared], param, schema) ?? stays("a tool that reads it cannot take a parameter (its callback is not a function written there, or already has one of that name)");
}
