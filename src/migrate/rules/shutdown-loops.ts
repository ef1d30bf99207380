/**
 * Shutdown loops over per-session transports, which the transport-routing rewrite removes with
 * the routing: once nothing fills the map, closing its transports is closing nothing.
 */
import ts from "typescript";
import { allStatements, declaredNames, ownLines, references, type TextEdit } from "../rule.ts";

/**
 * Loops that close every session's transport at shutdown (`for (const id in transports) await
 * transports[id].close()`, as the SDK's examples do). Once routing is gone nothing fills the
 * map, so such a loop does nothing; it goes, and the map with it. Only a loop that touches
 * nothing but the map, its own variables and the console, and only when the map is used
 * nowhere else but in the routing being replaced.
 */
export function shutdownLoops(source: ts.SourceFile, routing: readonly ts.Node[]): TextEdit[] {
  const within = (node: ts.Node, outer: ts.Node) => outer.pos <= node.pos && node.end <= outer.end;
  const edits: TextEdit[] = [];
  const declarations = allStatements(source).flatMap((statement) => (ts.isVariableStatement(statement) ? statement.declarationList.declarations : []));
  for (const declaration of declarations) {
    if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
    const map = declaration.name.text;
    const empty = ts.isObjectLiteralExpression(declaration.initializer) || (ts.isNewExpression(declaration.initializer) && declaration.initializer.expression.getText(source) === "Map");
    if (!empty) continue;
    const uses = references(source, map).filter((use) => use !== declaration.name);
    if (!uses.some((use) => routing.some((r) => within(use, r)))) continue;
    const loops = uses.map((use) => loopOver(use, map)).filter((loop): loop is ts.ForInOrOfStatement => loop !== undefined);
    const elsewhere = uses.filter((use) => !routing.some((r) => within(use, r)) && !loops.some((loop) => within(use, loop)));
    if (elsewhere.length || loops.length === 0 || !loops.every((loop) => touchesOnly(loop, map))) continue;
    for (const loop of new Set(loops)) {
      const edit = ownLines(source, loop, true);
      if (edit) edits.push(edit);
    }
  }
  return edits;
}

/** The for-in/for-of loop that `use` is the collection of: `map`, `map.values()`, `Object.values(map)`. */
function loopOver(use: ts.Identifier, map: string): ts.ForInOrOfStatement | undefined {
  let collection: ts.Node = use;
  const parent = use.parent;
  if (ts.isPropertyAccessExpression(parent) && /^(values|keys|entries)$/.test(parent.name.text) && ts.isCallExpression(parent.parent)) collection = parent.parent;
  else if (ts.isCallExpression(parent) && /^Object\.(values|keys|entries)$/.test(parent.expression.getText()) && parent.arguments[0] === use) collection = parent;
  const loop = collection.parent;
  return loop && (ts.isForInStatement(loop) || ts.isForOfStatement(loop)) && loop.expression === collection && use.text === map ? loop : undefined;
}

/** Whether a loop names nothing but the map, what it declares itself, and the console. */
function touchesOnly(loop: ts.ForInOrOfStatement, map: string): boolean {
  // `Object` for the collection a loop may be over: `Object.keys(transports)`.
  const own = new Set<string>([map, "console", "undefined", "Object", ...declaredNames(loop)]);
  let only = true;
  const check = (node: ts.Node) => {
    if (ts.isIdentifier(node) && !own.has(node.text)) {
      const parent = node.parent;
      const isMember = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isMember) only = false;
    }
    node.forEachChild(check);
  };
  check(loop);
  return only;
}
