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
import { calleeName, walk } from "../../analysis/rule.ts";
import { capabilityNames, capabilityScopes, gatedRegistrations } from "../../analysis/rules/capability-gate.ts";
import { reindented } from "../indentation.ts";
import { attachedStart, findingAt, indentOf, removals, type Migration, type MigrationResult, type TextEdit } from "../rule.ts";

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
        if (mine.length === 0) continue;
        // Said once, above the first registration set free.
        const edit = unwrap(source, holder, unwrapped.length === 0);
        if (typeof edit === "string") {
          for (const finding of mine) result.unmovedEach!.push([finding, edit]);
          continue;
        }
        result.edits.push(edit);
        result.handled.push(...mine);
        unwrapped.push(holder);
      }
      if (unwrapped.length > 0) result.edits.push(...(unusedDeclarations(source, scope, unwrapped) ?? []));
    }
    return result;
  },
};

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
  return ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression) && /^(registerTool|tool|registerResource|resource|registerPrompt|prompt)$/.test(calleeName(statement.expression) ?? "");
}

/**
 * The declarations that only fed the tests now gone (`const caps = …getClientCapabilities()`,
 * `const canElicit = caps.elicitation !== undefined`), each whole statement with its comments.
 */
function unusedDeclarations(source: ts.SourceFile, scope: ts.Node, unwrapped: ReadonlyArray<ts.IfStatement | ts.BinaryExpression>): TextEdit[] | undefined {
  const names = capabilityNames(scope);
  // Only a declaration that is a statement of its own and calls nothing else can go.
  const statementOf = (name: string) => names.get(name)!.parent.parent;
  const gone = new Set([...names.keys()].filter((name) => {
    const statement = statementOf(name);
    return ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 && !callsOther(statement);
  }));
  const tests = unwrapped.map((holder) => (ts.isIfStatement(holder) ? holder.expression : holder.left));
  // A name stays while something else reads it: code left in place, or a declaration that stays.
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of gone) {
      const readers = [...references(scope, name)].filter((id) => !tests.some((t) => t.pos <= id.pos && id.end <= t.end));
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

/** Each identifier reading `name` in the scope, its own declaration's name left out. */
function references(scope: ts.Node, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  walk(scope, (node) => {
    if (!ts.isIdentifier(node) || node.text !== name) return;
    const parent = node.parent;
    if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isVariableDeclaration(parent) && parent.name === node)) return;
    found.push(node);
  });
  return found;
}
