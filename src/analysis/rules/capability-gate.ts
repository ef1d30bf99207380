/**
 * Shape 4, by the client's capabilities: a tool, prompt or resource registered only when the
 * client said it can be asked (`if (server.server.getClientCapabilities()?.elicitation)
 * server.registerTool(…)`). A session's server could do that once it knew its client (in
 * `oninitialized`); a server built per request registers before any client is known, so
 * getClientCapabilities() is undefined there and no client is ever listed the tool, silently.
 * 2026-07-28 also asks lists not to vary by client: the tool is listed to all, and one whose
 * client cannot answer its ask is refused at call time (the SDK's -32021).
 */
import ts from "typescript";
import { calleeName, declaredNames, enclosingFunction, isMcpCode, nearestDeclaration, REGISTRATION, walk, type Rule } from "../rule.ts";

/** Callbacks that run for a request, where a current client's capabilities are known: a registration's, a handler's. */
const isRequestCallback = (name: string) => REGISTRATION.test(name) || name === "setRequestHandler";

export const capabilityGate: Rule = {
  id: "capability-gate",
  prefilter: /getClientCapabilities/,
  fix: "run `mcp-stateless migrate` (capability-gate): register it for every client; a client without the capability is refused when the tool asks (the SDK's -32021), or the tool checks server.server.getClientCapabilities() inside the call, where a current request has them",
  analyze(source, report) {
    if (!isMcpCode(source)) return;
    for (const scope of capabilityScopes(source)) {
      for (const { registration, gate } of gatedRegistrations(scope)) {
        report(registration, `${calleeName(registration)}(…) is registered only when ${gate.getText(source)}, and a server built per request registers before it knows its client (getClientCapabilities() is undefined there): no client is listed it`);
      }
      for (const read of staleReads(scope)) {
        report(read, `${read.text} is read in a request's callback but was worked out when the server was built, before its client was known: it says the client has no capabilities`, STALE_FIX);
      }
    }
  },
};

/** The functions (or the file) that read the client's capabilities where the server is built, not in a request's callback. */
export function capabilityScopes(source: ts.SourceFile): Set<ts.Node> {
  const scopes = new Set<ts.Node>();
  walk(source, (node) => {
    if (ts.isCallExpression(node) && calleeName(node) === "getClientCapabilities" && !inRequestCallback(node)) scopes.add(enclosingFunction(node) ?? source);
  });
  return scopes;
}

const STALE_FIX = "run `mcp-stateless migrate` (capability-gate): work it out inside the callback, from server.server.getClientCapabilities(), where a current request's capabilities are known";

/** Reads, inside a request's callback, of a name declared from the capabilities where the server is built. */
export function staleReads(scope: ts.Node): ts.Identifier[] {
  const names = capabilityNames(scope);
  const reads: ts.Identifier[] = [];
  const visit = (node: ts.Node) => {
    const read = ts.isIdentifier(node) && names.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !ts.isVariableDeclaration(node.parent);
    // The same name declared again inside the callback, or a parameter of it, is the callback's own.
    if (read && inRequestCallback(node) && nearestDeclaration(node) === names.get(node.text) && !isParameterIn(node, scope)) reads.push(node);
    node.forEachChild(visit);
  };
  visit(scope);
  return reads;
}

/** Whether a function between `read` and `scope` takes a parameter of the name it reads. */
function isParameterIn(read: ts.Identifier, scope: ts.Node): boolean {
  for (let up = read.parent; up && up !== scope; up = up.parent) {
    if (ts.isFunctionLike(up) && up.parameters.some((parameter) => declaredNames(parameter).has(read.text))) return true;
  }
  return false;
}

/** Whether a node runs inside a request's callback (a tool's, a handler's), not where the server is built. */
function inRequestCallback(node: ts.Node): boolean {
  return requestCallbackOf(node) !== undefined;
}

/** The request's callback (a tool's, a handler's) a node runs in, the innermost. */
export function requestCallbackOf(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let up = node.parent; up; up = up.parent) {
    if (ts.isFunctionLike(up) && up.parent && ts.isCallExpression(up.parent) && isRequestCallback(calleeName(up.parent) ?? "")) return up;
  }
  return undefined;
}

/**
 * The names a function (or the file) declares from the client's capabilities, directly or
 * through another such name: `const caps = server.server.getClientCapabilities() || {}`,
 * `const canAsk = caps.elicitation !== undefined`.
 */
export function capabilityNames(scope: ts.Node): Map<string, ts.VariableDeclaration> {
  const declarations: ts.VariableDeclaration[] = [];
  walkOwn(scope, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) declarations.push(node);
  });
  const names = new Map<string, ts.VariableDeclaration>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const declaration of declarations) {
      const name = (declaration.name as ts.Identifier).text;
      if (!names.has(name) && readsCapabilities(declaration.initializer!, names)) {
        names.set(name, declaration);
        grew = true;
      }
    }
  }
  return names;
}

/** Whether an expression reads the client's capabilities, or a name declared from them. */
export function readsCapabilities(expression: ts.Node, names: ReadonlyMap<string, unknown>): boolean {
  let found = false;
  const visit = (node: ts.Node) => {
    if (found) return;
    if ((ts.isCallExpression(node) && calleeName(node) === "getClientCapabilities") || (ts.isIdentifier(node) && names.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node))) found = true;
    else node.forEachChild(visit);
  };
  visit(expression);
  return found;
}

/** Each registration a capability test decides, with that test: an `if`'s condition, or the left of `&&`. */
export function gatedRegistrations(scope: ts.Node): Array<{ registration: ts.CallExpression; gate: ts.Expression; holder: ts.IfStatement | ts.BinaryExpression }> {
  const names = capabilityNames(scope);
  const found: Array<{ registration: ts.CallExpression; gate: ts.Expression; holder: ts.IfStatement | ts.BinaryExpression }> = [];
  walkOwn(scope, (node) => {
    const gated = ts.isIfStatement(node) ? { gate: node.expression, branch: node.thenStatement } : ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? { gate: node.left, branch: node.right } : undefined;
    if (!gated || !readsCapabilities(gated.gate, names)) return;
    walkOwn(gated.branch, (inner) => {
      const registers = ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && REGISTRATION.test(inner.expression.name.text);
      // Under two capability tests, the outer one speaks for it.
      if (registers && !found.some((f) => f.registration === inner)) found.push({ registration: inner, gate: gated.gate, holder: node as ts.IfStatement | ts.BinaryExpression });
    });
  });
  return found;
}

/** Visits a node and what it holds, but not the functions inside it: those run at another time. */
function walkOwn(root: ts.Node, visit: (node: ts.Node) => void): void {
  const each = (node: ts.Node) => {
    visit(node);
    if (node === root || !ts.isFunctionLike(node)) node.forEachChild(each);
  };
  each(root);
}
