/**
 * A server built per request from what the request carries: `createServer(req.headers["x-api-key"])`,
 * `buildServer(req.auth)`, or from a local the handler read from them first. createMcpHandler
 * builds the server itself and hands its factory the request, as a web Request (`requestInfo`),
 * with the auth a Node handler found on `req.auth` (`authInfo`); so the factory becomes
 * `({ requestInfo }) => createServer(requestInfo?.headers.get("x-api-key") ?? undefined)`, and
 * each request's server is built from that request, as it was. Pure: routers in, text out.
 */
import ts from "typescript";
import { quoteOf } from "../../style.ts";
import { apply } from "../imports.ts";
import { rebased } from "../indentation.ts";
import { declarationIn, indentOf, isConst, isJavaScript, isValueReference, moduleFunction, standsAlone, withoutCasts, type TextEdit } from "../rule.ts";
import { declaredAround } from "./mcp-routes.ts";
import { serverBuiltFrom } from "./session-server-state.ts";

export interface RequestFactory {
  /** The factory for createMcpHandler: an arrow taking what it reads of the request's context. */
  text: string;
  /** The function the old code called to build the server (the routing's own statement calls it). */
  callee: string;
  /** The handler's locals the factory now reads for itself (`const apiKey = req.headers[…]`). */
  inlined: ReadonlySet<ts.VariableDeclaration>;
  /** Whether it reads the request at all: a server built from constants (`buildServer("legacy")`) does not. */
  readsRequest: boolean;
  /**
   * The statement, in a function around the router, before which the handler is declared, where
   * the factory reads that function's names (`createStreamTransport(appContext)`'s `appContext`):
   * at module level they would not be in scope.
   */
  within?: ts.Statement;
}

/**
 * The factory, or why there is none though the server is built from the request (a string), or
 * undefined where the server is built from other things the router made (session state).
 */
export function requestFactory(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[], web: boolean): RequestFactory | string | undefined {
  const builds = routers.flatMap((router) => {
    const call = serverBuiltFrom(router);
    return call ? [{ router, call }] : [];
  });
  if (builds.length !== 1) return undefined;
  const { router, call } = builds[0]!;
  const callee = ts.isIdentifier(call.expression) ? call.expression.text : undefined;
  const parameters = new Set(router.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  // Headers and auth are read off the request, the first parameter (`req`, a web Request, Hono's or Koa's context), never `res`.
  const first = router.parameters[0]?.name;
  const request = new Set(first && ts.isIdentifier(first) ? [first.text] : []);
  if (!callee || !isModuleLevel(source, callee)) return undefined;
  // Built from constants and the module's own values: the same call, made for each request.
  const within = enclosingScope(router, call);
  if (typeof within === "string") return within;
  if (!call.arguments.some((argument) => readsRouter(argument, router))) return { text: `() => ${call.getText(source)}`, callee, inlined: new Set(), readsRequest: false, within };
  if (!call.arguments.some((argument) => readsRequest(argument, router, parameters, 0))) return undefined;

  const quote = quoteOf(source.text);
  const context = new Set<string>();
  const inlined = new Set<ts.VariableDeclaration>();
  let unreadable: string | undefined;
  /** The expression as the factory writes it, reading the request's context in place of the handler's request. */
  const translate = (expression: ts.Expression, depth: number, required: boolean): string => {
    const edits: TextEdit[] = [];
    const base = expression.getStart(source);
    // Only what is the whole argument (through casts) is held to the parameter's type.
    const whole = (node: ts.Node) => required && withoutCasts(expression) === node;
    const visit = (node: ts.Node): void => {
      const read = headerRead(node, request, web, quote, source);
      if (read) {
        context.add("requestInfo");
        // Where the function takes no missing value the old code had made sure of it (a check, or a
        // cast); the factory says so, as it cannot repeat the check.
        const asserted = whole(node);
        const text = asserted ? `requestInfo!.headers.get(${read.name})!` : `requestInfo?.headers.get(${read.name}) ?? ${read.missing}`;
        edits.push({ start: node.getStart(source) - base, end: node.getEnd() - base, text: asserted || standsAlone(node as ts.Expression) ? text : `(${text})` });
        return;
      }
      const owner = ts.isPropertyAccessExpression(node) ? withoutCasts(node.expression) : undefined;
      if (!web && owner && (node as ts.PropertyAccessExpression).name.text === "auth" && ts.isIdentifier(owner) && request.has(owner.text)) {
        context.add("authInfo");
        // The handler turned a request without it away before the routing: the factory never sees one.
        edits.push({ start: node.getStart(source) - base, end: node.getEnd() - base, text: refusesWithoutAuth(router, owner.text) ? "authInfo!" : "authInfo" });
        return;
      }
      if (ts.isIdentifier(node) && isValueReference(node)) {
        const local = parameters.has(node.text) ? undefined : declarationIn(router, node.text);
        const destructured = !web && !local && !parameters.has(node.text) ? destructuredHeader(router, node.text, request, quote) : undefined;
        if (parameters.has(node.text) || (local && !isConst(local)) || (local && depth >= 3)) {
          unreadable ??= node.getText(source);
        } else if (local?.initializer && ts.isIdentifier(local.name)) {
          inlined.add(local);
          const value = translate(local.initializer, depth + 1, whole(node));
          // `{ apiKey }` keeps its property's name.
          const text = ts.isShorthandPropertyAssignment(node.parent) ? `${node.text}: ${value}` : isPrimary(local.initializer) || standsAlone(node) ? value : `(${value})`;
          edits.push({ start: node.getStart(source) - base, end: node.getEnd() - base, text });
        } else if (destructured) {
          // `const { authorization } = req.headers`: the same header, read off the request the factory is handed.
          const { name, otherwise, declaration } = destructured;
          inlined.add(declaration);
          context.add("requestInfo");
          const read = whole(node) && !otherwise ? `requestInfo!.headers.get(${name})!` : `requestInfo?.headers.get(${name}) ?? ${otherwise ?? "undefined"}`;
          const text = ts.isShorthandPropertyAssignment(node.parent) ? `${node.text}: ${read}` : standsAlone(node) || whole(node) ? read : `(${read})`;
          edits.push({ start: node.getStart(source) - base, end: node.getEnd() - base, text });
        } else if (isDeclaredIn(router, node.text)) {
          unreadable ??= node.getText(source);
        }
        return;
      }
      node.forEachChild(visit);
    };
    visit(expression);
    return apply(expression.getText(source), edits);
  };
  const takes = moduleFunction(source, callee)?.parameters;
  const args = call.arguments.map((argument, i) => translate(argument, 0, !isJavaScript(source.fileName) && takesNoMissingValue(takes?.[i])));
  if (unreadable !== undefined) {
    const built = `${callee}(${call.arguments.map((a) => a.getText(source)).join(", ")})`;
    return `each request's server is built by ${built}, from ${unreadable}, which createMcpHandler does not hand its factory: it hands it the request as a web Request (\`requestInfo\`) and its auth (\`authInfo\`); make ${callee} take what it needs from those (\`({ requestInfo, authInfo }) => ${callee}(…)\`), or read it from the request's headers in the handler, then run migrate again`;
  }
  // Written out over lines in the handler, the call's lines keep their place relative to its first.
  const indent = indentOf(source, call);
  const text = rebased(`({ ${[...context].sort().join(", ")} }) => ${callee}(${args.join(", ")})`, indent);
  return { text, callee, inlined, readsRequest: true, within };
}

/**
 * Where the handler must be declared for the names the call reads from functions around the
 * router: see `declaredAround`.
 */
function enclosingScope(router: ts.FunctionLikeDeclaration, call: ts.CallExpression): ts.Statement | string | undefined {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && isValueReference(node) && !isDeclaredIn(router, node.text)) names.add(node.text);
    node.forEachChild(visit);
  };
  call.arguments.forEach(visit);
  return declaredAround(router, names);
}

/** `if (!req.auth) { …; return; }`, or the same of a const read from it (`const auth = req.auth`), among the handler's statements. */
function refusesWithoutAuth(router: ts.FunctionLikeDeclaration, request: string): boolean {
  if (!router.body || !ts.isBlock(router.body)) return false;
  const isAuth = (e: ts.Expression): boolean => {
    const bare = withoutCasts(e);
    if (ts.isPropertyAccessExpression(bare) && bare.name.text === "auth" && ts.isIdentifier(withoutCasts(bare.expression)) && (withoutCasts(bare.expression) as ts.Identifier).text === request) return true;
    const local = ts.isIdentifier(bare) ? declarationIn(router, bare.text) : undefined;
    return local !== undefined && isConst(local) && local.initializer !== undefined && isAuth(local.initializer);
  };
  return router.body.statements.some((statement) => {
    if (!ts.isIfStatement(statement) || statement.elseStatement) return false;
    const test = statement.expression;
    if (!ts.isPrefixUnaryExpression(test) || test.operator !== ts.SyntaxKind.ExclamationToken || !isAuth(test.operand)) return false;
    const then = statement.thenStatement;
    const last = ts.isBlock(then) ? then.statements.at(-1) : then;
    return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
  });
}

/**
 * A local the server is built from that statements work out from the request, where a session
 * started (`let headers; if (enabled) { const token = resolve(req.headers); … headers = forToken(token) }`):
 * no one expression the factory could repeat. The local, with the line where the request first decides it.
 */
export function workedOutFromRequest(source: ts.SourceFile, router: ts.FunctionLikeDeclaration, call: ts.CallExpression): { name: string; line: number } | undefined {
  const parameters = new Set(router.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  for (const argument of call.arguments) {
    if (!ts.isIdentifier(argument)) continue;
    let decided: ts.Expression | undefined;
    const visit = (node: ts.Node) => {
      const assigns = ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === argument.text;
      if (assigns && !decided && readsRequest(node.right, router, parameters, 0)) decided = node;
      node.forEachChild(visit);
    };
    visit(router);
    if (decided) return { name: argument.text, line: source.getLineAndCharacterOfPosition(decided.getStart(source)).line + 1 };
  }
  return undefined;
}

/**
 * A read of one request header: Node's `req.headers["x-api-key"]`, `req.headers.authorization`,
 * express's `req.get("x")` and `req.header("x")`; a web Request's `request.headers.get("x")`,
 * Hono's `c.req.header("x")`. With what a missing header was there: null for `get` on Headers,
 * undefined for the others.
 */
function headerRead(node: ts.Node, request: ReadonlySet<string>, web: boolean, quote: string, source: ts.SourceFile): { name: string; missing: string } | undefined {
  const isParameter = (e: ts.Expression) => {
    const bare = withoutCasts(e);
    return ts.isIdentifier(bare) && request.has(bare.text);
  };
  const literal = (e: ts.Expression | undefined) => (e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.getText(source) : undefined);
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const { expression: owner, name } = node.expression;
    const header = literal(node.arguments[0]);
    if (!header || node.arguments.length !== 1) return undefined;
    // `request.headers.get("x")`, `c.req.raw.headers.get("x")`.
    if (web && name.text === "get" && ts.isPropertyAccessExpression(owner) && owner.name.text === "headers" && isRequestOf(owner.expression, isParameter)) return { name: header, missing: "null" };
    // Hono's `c.req.header("x")`.
    if (web && name.text === "header" && ts.isPropertyAccessExpression(owner) && owner.name.text === "req" && isParameter(owner.expression)) return { name: header, missing: "undefined" };
    // express's `req.get("x")`, `req.header("x")`.
    if (!web && (name.text === "get" || name.text === "header") && isParameter(owner)) return { name: header, missing: "undefined" };
    return undefined;
  }
  if (web) return undefined;
  const onHeaders = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && e.name.text === "headers" && isParameter(e.expression);
  if (ts.isElementAccessExpression(node) && onHeaders(node.expression)) {
    const header = literal(node.argumentExpression);
    return header ? { name: header, missing: "undefined" } : undefined;
  }
  if (ts.isPropertyAccessExpression(node) && onHeaders(node.expression)) return { name: `${quote}${node.name.text}${quote}`, missing: "undefined" };
  return undefined;
}

/** The binding that destructures `name` in the router: `authorization` in `const { authorization } = req.headers`. */
function bindingOf(router: ts.FunctionLikeDeclaration, name: string): (ts.BindingElement & { parent: ts.ObjectBindingPattern & { parent: ts.VariableDeclaration } }) | undefined {
  let found: ts.BindingElement | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isBindingElement(node) && ts.isIdentifier(node.name) && node.name.text === name && ts.isObjectBindingPattern(node.parent) && ts.isVariableDeclaration(node.parent.parent)) found = node;
    node.forEachChild(visit);
  };
  visit(router);
  return found as ReturnType<typeof bindingOf>;
}

/**
 * The header a const destructured from Node's request headers names (`const { authorization,
 * "x-api-key": apiKey = "" } = req.headers`), with its default; undefined for anything else.
 */
function destructuredHeader(router: ts.FunctionLikeDeclaration, local: string, request: ReadonlySet<string>, quote: string): { name: string; otherwise?: string; declaration: ts.VariableDeclaration } | undefined {
  const binding = bindingOf(router, local);
  const declaration = binding?.parent.parent;
  const from = declaration && isConst(declaration) && declaration.initializer ? withoutCasts(declaration.initializer) : undefined;
  const owner = from && ts.isPropertyAccessExpression(from) && from.name.text === "headers" ? withoutCasts(from.expression) : undefined;
  if (!binding || binding.dotDotDotToken || !declaration || !owner || !ts.isIdentifier(owner) || !request.has(owner.text)) return undefined;
  const key = binding.propertyName ?? binding.name;
  const name = ts.isIdentifier(key) ? `${quote}${key.text}${quote}` : ts.isStringLiteral(key) ? key.getText() : undefined;
  return name ? { name, otherwise: binding.initializer?.getText(), declaration } : undefined;
}

/** `request`, `c.req.raw`, `ctx.request`: a web Request the router was handed. */
function isRequestOf(e: ts.Expression, isParameter: (e: ts.Expression) => boolean): boolean {
  if (isParameter(e)) return true;
  return ts.isPropertyAccessExpression(e) && (e.name.text === "raw" || e.name.text === "request") && (isParameter(e.expression) || isRequestOf(e.expression, isParameter));
}

/** Whether the expression reads anything the router declares (its parameters, its locals). */
function readsRouter(node: ts.Node, router: ts.FunctionLikeDeclaration): boolean {
  if (ts.isIdentifier(node) && isValueReference(node) && isDeclaredIn(router, node.text)) return true;
  return node.forEachChild((child) => readsRouter(child, router) || undefined) ?? false;
}

/** Whether the expression reads one of the router's parameters, directly or through its locals. */
function readsRequest(node: ts.Node, router: ts.FunctionLikeDeclaration, parameters: ReadonlySet<string>, depth: number): boolean {
  if (ts.isIdentifier(node) && isValueReference(node)) {
    if (parameters.has(node.text)) return true;
    const local = depth < 3 ? declarationIn(router, node.text) : undefined;
    // Declared by name, or destructured (`const { authorization } = req.headers`).
    const value = local?.initializer ?? (depth < 3 ? bindingOf(router, node.text)?.parent.parent.initializer : undefined);
    return value !== undefined && readsRequest(value, router, parameters, depth + 1);
  }
  return node.forEachChild((child) => readsRequest(child, router, parameters, depth) || undefined) ?? false;
}

/** A parameter typed so that it takes no undefined or null: `apiKey: string`. */
function takesNoMissingValue(parameter: ts.ParameterDeclaration | undefined): boolean {
  if (!parameter?.type || parameter.questionToken || parameter.initializer || parameter.dotDotDotToken) return false;
  return !/\b(undefined|null|any|unknown|void)\b/.test(parameter.type.getText());
}

/** Declared by the module itself: a function, a variable or an import (not something the router made). */
function isModuleLevel(source: ts.SourceFile, name: string): boolean {
  if (moduleFunction(source, name)) return true;
  return source.statements.some(
    (s) =>
      (ts.isFunctionDeclaration(s) && s.name?.text === name) ||
      (ts.isImportDeclaration(s) && s.importClause !== undefined && (s.importClause.name?.text === name || (s.importClause.namedBindings !== undefined && ts.isNamedImports(s.importClause.namedBindings) && s.importClause.namedBindings.elements.some((e) => e.name.text === name)))),
  );
}

function isDeclaredIn(router: ts.FunctionLikeDeclaration, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node) => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node) || ts.isFunctionDeclaration(node)) && node.name && ts.isIdentifier(node.name) && node.name.text === name) found = true;
    if (!found) node.forEachChild(visit);
  };
  visit(router);
  return found;
}


/** Needs no parentheses where an identifier stood. */
function isPrimary(node: ts.Expression): boolean {
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node) || ts.isStringLiteral(node) || ts.isParenthesizedExpression(node);
}
