/**
 * Loops over per-session transports, which the transport-routing rewrite removes with the
 * routing: once nothing fills the map, closing its transports at shutdown, or sweeping idle
 * sessions out of it on a timer, is closing and sweeping nothing.
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
    const loops = [...new Set(uses.map((use) => loopOver(use, map)).filter((loop): loop is ts.ForInOrOfStatement => loop !== undefined))];
    const elsewhere = uses.filter((use) => !routing.some((r) => within(use, r)) && !loops.some((loop) => within(use, loop)));
    // Each loop goes on its own lines, or with the timer it is all of.
    const removed = loops.map((loop) => (touchesOnly(loop, map) ? loop : sweepTimer(loop, map)));
    if (elsewhere.length || loops.length === 0 || removed.some((statement) => statement === undefined)) continue;
    for (const statement of new Set(removed)) {
      const edit = ownLines(source, statement!, true);
      if (edit) edits.push(edit);
    }
  }
  return edits;
}

/**
 * `setInterval(() => { const cutoff = Date.now() - TTL; for (… of sessions) … }, ms)`, `.unref()`
 * or not: a timer that does nothing but sweep idle sessions out of the map, as a statement of its
 * own (one kept in a variable may be cleared by name, so it stays).
 */
function sweepTimer(loop: ts.ForInOrOfStatement, map: string): ts.ExpressionStatement | undefined {
  const body = loop.parent;
  const callback = body?.parent;
  if (!body || !ts.isBlock(body) || !callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
  const call = callback.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== callback || !/^(?:globalThis\.)?setInterval$/.test(call.expression.getText())) return undefined;
  let statement: ts.Node = call;
  // `.unref()` on the timer it returns.
  while (ts.isPropertyAccessExpression(statement.parent) && ts.isCallExpression(statement.parent.parent)) statement = statement.parent.parent;
  if (!ts.isExpressionStatement(statement.parent)) return undefined;
  // Besides the loop, only constants of its own, made from the clock (`Date.now() - TTL`).
  const others = body.statements.filter((s) => s !== loop);
  if (!others.every((s) => ts.isVariableStatement(s) && callsOnlyTheClock(s))) return undefined;
  return touchesOnly(loop, map, ["Date", "performance", ...others.flatMap((s) => [...declaredNames(s)])]) ? statement.parent : undefined;
}

function callsOnlyTheClock(node: ts.Node): boolean {
  if (ts.isCallExpression(node) && !/^(?:Date|performance)\.now$/.test(node.expression.getText())) return false;
  return node.forEachChild((child) => (callsOnlyTheClock(child) ? undefined : true)) === undefined;
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
function touchesOnly(loop: ts.ForInOrOfStatement, map: string, alsoAllowed: readonly string[] = []): boolean {
  // `Object` for the collection a loop may be over: `Object.keys(transports)`.
  const own = new Set<string>([map, "console", "undefined", "Object", ...declaredNames(loop), ...alsoAllowed]);
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
