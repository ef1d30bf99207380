/**
 * Registrations decided by the client's capabilities → registrations for every client:
 *
 *   const canElicit = server.server.getClientCapabilities()?.elicitation !== undefined;
 *   if (canElicit) {
 *     server.registerTool("confirm", …);
 *   }
 *
 * becomes the registration alone, and the declarations that only fed the test go. A server built
 * per request registers before it knows its client, so the test kept the tool from everyone; a
 * client that cannot answer the tool's ask is refused when it calls (the SDK's -32021). Done where
 * the test guards registrations and nothing else (no `else`, no other statement), so nothing
 * else changes when it runs.
 */
import ts from "typescript";
import type { Finding } from "../../analysis/rule.ts";
import { calleeName, REGISTRATION, walk } from "../../analysis/rule.ts";
import { capabilityNames, capabilityScopes, gatedRegistrations, requestCallbackOf, staleReads } from "../../analysis/rules/capability-gate.ts";
import { reindented } from "../indentation.ts";
import { attachedStart, findingAt, indentOf, references, removals, type Migration, type MigrationResult, type TextEdit } from "../rule.ts";

/** Said above capabilities worked out again in a callback: why they are not taken from where the server is built. */
const PER_REQUEST = "// Worked out per request: the client's capabilities are known only while it is served.";

/** Said above the registrations once they stand alone: why a reader finds no test. */
const WHY = "// Listed for every client: a server built per request registers before it knows its client.";

export const capabilityGateMigration: Migration = {
  rule: "capability-gate",
  migrate(source, findings) {
    const result: MigrationResult = { edits: [], handled: [], unmovedEach: [] };
    for (const scope of capabilityScopes(source)) {
      const gated = gatedRegistrations(scope);
      const holders = [...new Set(gated.map((g) => g.holder))];
      const unwrapped: Array<ts.IfStatement | ts.BinaryExpression> = [];
      for (const holder of holders) {
        const mine = gated.filter((g) => g.holder === holder).map((g) => findingAt(source, findings, g.registration)).filter((f): f is Finding => f !== undefined);
        // Said once, above the first registration set free.
        if (mine.length > 0 && settle(result, mine, unwrap(source, holder, unwrapped.length === 0))) unwrapped.push(holder);
      }
      // Names read inside a tool are worked out there again, per request.
      const redeclared: ts.Node[] = [];
      const reads = staleReads(scope);
      for (const callback of new Set(reads.map((read) => requestCallbackOf(read)!))) {
        // A callback inside a test this pass takes away moves with it; the next pass works it out there.
        if (unwrapped.some((holder) => within(callback, holder))) continue;
        const mine = reads.filter((read) => requestCallbackOf(read) === callback);
        const found = mine.map((read) => findingAt(source, findings, read)).filter((f): f is Finding => f !== undefined);
        if (found.length > 0 && settle(result, found, perRequest(source, scope, callback, mine))) redeclared.push(callback);
      }
      if (unwrapped.length > 0 || redeclared.length > 0) result.edits.push(...(unusedDeclarations(source, scope, [...unwrapped.map(testOf), ...redeclared]) ?? []));
    }
    return result;
  },
};

/** Takes an edit and the findings it resolves into the result, or why they stay; whether it was an edit. */
function settle(result: MigrationResult, found: readonly Finding[], edit: TextEdit | string): boolean {
  if (typeof edit === "string") {
    for (const finding of found) result.unmovedEach!.push([finding, edit]);
    return false;
  }
  result.edits.push(edit);
  result.handled.push(...found);
  return true;
}

/** What a holder tests: an `if`'s condition, the left of `&&`. */
function testOf(holder: ts.IfStatement | ts.BinaryExpression): ts.Expression {
  return ts.isIfStatement(holder) ? holder.expression : holder.left;
}

/**
 * The declarations a request's callback reads (and those they read in turn), written again at
 * the top of its body, where they are worked out per request; or why they cannot be.
 */
function perRequest(source: ts.SourceFile, scope: ts.Node, callback: ts.SignatureDeclaration, reads: readonly ts.Identifier[]): TextEdit | string {
  const by = "work it out inside the callback by hand, from server.server.getClientCapabilities()";
  const body = (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback) || ts.isMethodDeclaration(callback)) && callback.body && ts.isBlock(callback.body) ? callback.body : undefined;
  if (!body || body.statements.length === 0) return `the callback has no block to work it out in: ${by}`;
  const names = capabilityNames(scope);
  const needed = new Set<string>();
  const need = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    walk(names.get(name)!.initializer!, (node) => {
      if (ts.isIdentifier(node) && names.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) need(node.text);
    });
  };
  for (const read of reads) need(read.text);
  const statements = [...needed].map((name) => names.get(name)!.parent.parent).sort((a, b) => a.pos - b.pos);
  const unmovable = statements.find((st) => !ts.isVariableStatement(st) || st.declarationList.declarations.length !== 1 || (st.declarationList.flags & ts.NodeFlags.Const) === 0 || callsOther(st));
  if (unmovable) return `${unmovable.getText(source).split("\n")[0]} does more than read the capabilities once: ${by}`;
  const first = body.statements[0]!;
  const indent = indentOf(source, first);
  const text = statements.map((st) => reindented(source, st.getStart(source), st.getEnd(), indentOf(source, st), indent)).join(`\n${indent}`);
  // Above the first statement and the comments that belong to it.
  const at = attachedStart(source, first);
  return { start: at, end: at, text: `${PER_REQUEST}\n${indent}${text}\n${indent}`, before: true };
}

/** The edit that leaves a test's registrations standing alone (with `WHY` above them where `say`), or why it cannot. */
function unwrap(source: ts.SourceFile, holder: ts.IfStatement | ts.BinaryExpression, say: boolean): TextEdit | string {
  const keep = "register it for every client by hand (a client that cannot answer its ask is refused when it calls)";
  const indent = indentOf(source, holder);
  const why = say ? `${WHY}\n${indent}` : "";
  if (ts.isBinaryExpression(holder)) {
    if (!ts.isExpressionStatement(holder.parent) || holder.parent.getStart(source) !== holder.getStart(source)) return `the test's value is used (${holder.getText(source)}): ${keep}`;
    return { start: holder.getStart(source), end: holder.getEnd(), text: `${why}${holder.right.getText(source)}` };
  }
  if (holder.elseStatement) return `the test chooses between this and its else branch: ${keep}`;
  const body = ts.isBlock(holder.thenStatement) ? holder.thenStatement.statements : [holder.thenStatement];
  if (body.length === 0 || !body.every(isRegistration)) return `the test guards more than registrations, which would run for every client too: ${keep}`;
  const first = body[0]!;
  const from = attachedStart(source, first);
  const lineStart = source.text.lastIndexOf("\n", from - 1) + 1;
  // Statements on lines of their own (a block) move out a level; one on the test's line is taken as it is.
  const ownLines = source.text.slice(lineStart, from).trim() === "";
  const text = ownLines ? reindented(source, lineStart, body.at(-1)!.getEnd(), indentOf(source, first), indent).trimStart() : source.text.slice(from, body.at(-1)!.getEnd());
  // The comments above the test spoke of it, and go with it.
  return { start: attachedStart(source, holder), end: holder.getEnd(), text: `${why}${text}` };
}

/** `server.registerTool(…);` and its kind, as a statement. */
function isRegistration(statement: ts.Statement): boolean {
  return ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression) && REGISTRATION.test(calleeName(statement.expression) ?? "");
}

/**
 * The declarations nothing reads any more (`const caps = …getClientCapabilities()`, `const
 * canElicit = caps.elicitation !== undefined`), each whole statement with its comments: reads in
 * `reread` (the tests that go, the callbacks that now work them out themselves) do not count.
 */
function unusedDeclarations(source: ts.SourceFile, scope: ts.Node, reread: readonly ts.Node[]): TextEdit[] | undefined {
  const names = capabilityNames(scope);
  // Only a declaration that is a statement of its own and calls nothing else can go.
  const statementOf = (name: string) => names.get(name)!.parent.parent;
  const gone = new Set([...names.keys()].filter((name) => {
    const statement = statementOf(name);
    return ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 && !callsOther(statement);
  }));
  // A name stays while something else reads it: code left in place, or a declaration that stays.
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of gone) {
      const readers = references(scope, name).filter((id) => !reread.some((t) => within(id, t)));
      const readElsewhere = readers.some((id) => ![...gone].some((other) => within(id, names.get(other)!)));
      if (readElsewhere) {
        gone.delete(name);
        changed = true;
      }
    }
  }
  const statements = [...gone].map((name) => statementOf(name) as ts.VariableStatement);
  return removals(source, statements.sort((a, b) => a.pos - b.pos));
}

/** Whether a declaration calls anything but getClientCapabilities(): that call would still have to run. */
function callsOther(statement: ts.VariableStatement): boolean {
  let calls = false;
  walk(statement.declarationList.declarations[0]!.initializer!, (node) => {
    if ((ts.isCallExpression(node) && calleeName(node) !== "getClientCapabilities") || ts.isNewExpression(node)) calls = true;
  });
  return calls;
}

function within(node: ts.Node, container: ts.Node): boolean {
  return container.pos <= node.pos && node.end <= container.end;
}
