/**
 * A rule recognises one shape of session reliance (DESIGN §5) in one parsed file. Rules
 * are pure: a syntax tree in, findings out. `check` reports them; `migrate` will also
 * rewrite what a rule marks as migratable.
 */
import ts from "typescript";

export interface Finding {
  rule: string;
  file: string;
  line: number;
  column: number;
  message: string;
  /** What to do about it. */
  fix: string;
}

export interface Rule {
  id: string;
  /** A cheap text test: files that do not match are never parsed for this rule. */
  prefilter: RegExp;
  /** Calls `report` with the node (or text offset) of each finding, and its own advice where the rule's does not fit it. */
  analyze(source: ts.SourceFile, report: (at: ts.Node | number, message: string, fix?: string) => void): void;
  /** The advice printed with the rule's findings. */
  fix: string;
}

/** The calls that put a tool, resource or prompt on a server's lists (v2's names and v1's). */
export const REGISTRATION = /^(registerTool|tool|registerResource|resource|registerPrompt|prompt)$/;

/** The names a subtree declares (variables, parameters, destructured bindings), leaving out what sits in a node `skip` accepts. */
export function declaredNames(scope: ts.Node, skip: (node: ts.Node) => boolean = () => false): Set<string> {
  const names = new Set<string>();
  const collect = (node: ts.Node) => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name) && !skip(node)) names.add(node.name.text);
    node.forEachChild(collect);
  };
  collect(scope);
  return names;
}

/** Calls `visit` on every node of the tree, depth first. */
export function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** The function a node sits in, or undefined at module level. */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let up = node.parent; up; up = up.parent) if (ts.isFunctionLike(up)) return up;
  return undefined;
}

/** `(await x)`, `(x)` → `x`. */
export function unwrap(expression: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expression) || ts.isAwaitExpression(expression)) expression = expression.expression;
  return expression;
}

/** `(req as Request & { auth?: AuthInfo })` is `req`: through parentheses, casts and `!`. */
export function withoutCasts(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** `new McpServer(…)` or the low-level `new Server(…)`, through parentheses and awaits. */
export function isNewServer(expression: ts.Expression): boolean {
  const inner = unwrap(expression);
  return ts.isNewExpression(inner) && ts.isIdentifier(inner.expression) && /^(McpServer|Server)$/.test(inner.expression.text);
}

/** The name a file's imports bind a module's export to (`import { a as b } from "m"` → `b`), if they do. */
export function importedName(source: ts.SourceFile, module: string, exported: string): string | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => (e.propertyName ?? e.name).text === exported);
    if (element) return element.name.text;
  }
  return undefined;
}

/**
 * Calls of functions a file imports, under whatever names it imports them: `createMcpHandler(…)`
 * from "mcp-handler", `handler(…)` for `import { statelessHandler as handler }`, each with the
 * export it calls.
 */
export function importedCalls(source: ts.SourceFile, imports: ReadonlyArray<readonly [module: string, exported: string]>): Array<{ call: ts.CallExpression; exported: string }> {
  const byLocalName = new Map(imports.flatMap(([module, exported]) => {
    const local = importedName(source, module, exported);
    return local === undefined ? [] : [[local, exported] as const];
  }));
  const calls: Array<{ call: ts.CallExpression; exported: string }> = [];
  if (byLocalName.size === 0) return calls;
  walk(source, (node) => {
    const exported = ts.isCallExpression(node) && ts.isIdentifier(node.expression) ? byLocalName.get(node.expression.text) : undefined;
    if (exported !== undefined) calls.push({ call: node as ts.CallExpression, exported });
  });
  return calls;
}

/** Whether an expression is itself assigned where it stands: `x = …`, `x += …`, `x++`, `--x`. */
export function isReassigned(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node) return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  return (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken);
}

/** The name a call is made through: `b` for `a.b(...)`, `f` for `f(...)`. */
export function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

export function propertyNameText(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/**
 * The `registerTool(…)` / `tool(…)` call whose callback a node sits in (the nearest one, through
 * nested functions), with that callback: where a request's tool code runs.
 */
export function enclosingTool(node: ts.Node): { call: ts.CallExpression; callback: ts.SignatureDeclaration } | undefined {
  for (let up = node.parent; up; up = up.parent) {
    const call = up.parent;
    if (ts.isFunctionLike(up) && call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && /^(registerTool|tool)$/.test(call.expression.name.text)) {
      return { call, callback: up };
    }
  }
  return undefined;
}

/** The variable an identifier names: declared in the nearest enclosing block (or the file) that declares it. */
export function nearestDeclaration(id: ts.Identifier): ts.VariableDeclaration | undefined {
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === id.text);
      if (found) return found;
    }
  }
  return undefined;
}

/** A file that serves over stdio and nothing else: one client, for the life of the process. */
export function servesOnlyStdio(source: ts.SourceFile): boolean {
  return /\bserveStdio\s*\(|\bStdioServerTransport\b/.test(source.text) && !/createMcpHandler|StreamableHTTPServerTransport|SSEServerTransport|toNodeHandler|McpAgent|mcp-handler|express|hono|fastify|node:http/.test(source.text);
}

/** The session id as code usually spells it: `extra.sessionId`, `ctx.sessionId`, a `sessionId` variable. */
export const SESSION_ID = /\bsession_?id\b/i;

/**
 * Whether a file is MCP code: it imports an MCP package (a framework's too) or registers a tool. Outside it a
 * `sessionId` is more often a web or analytics session's (`req.cookies.sessionId`), and the
 * session rules count only one read off a handler context, as when a helper is handed a tool's `extra`.
 */
export function isMcpCode(source: ts.SourceFile): boolean {
  return /@modelcontextprotocol\/|["'](?:fastmcp|mcp-framework|@rekog\/mcp-nest|express-mcp-handler|@smithery\/sdk[^"']*)["']|\.(?:registerTool|tool)\s*\(/.test(source.text);
}

/** Names like a request handler's context: `extra`, `ctx`, `context`, `toolContext`. */
const HANDLER_CONTEXT = /^(?:extra|ctx|context|\w*(?:Extra|Ctx|Context))$/;

export function isHandlerContextName(name: string): boolean {
  return HANDLER_CONTEXT.test(name);
}

/** `X.sessionId` where X is named like a request handler's context (`extra`, `ctx`, `toolContext`) and is not typed as the project's own. */
export function isHandlerContextSessionId(node: ts.Node): node is ts.PropertyAccessExpression {
  return ts.isPropertyAccessExpression(node) && node.name.text === "sessionId" && ts.isIdentifier(node.expression) && HANDLER_CONTEXT.test(node.expression.text) && !isTypedAsProjectOwn(node.expression);
}

/** Type names that are, or alias, the SDK's handler context (`RequestHandlerExtra`, `ServerContext`, a project's `ToolExtra`). */
const SDK_CONTEXT_TYPE = /Extra|RequestHandler|ServerContext/;

/**
 * A parameter (or variable) declared with a type the project names and writes itself (`context: ClientContext`,
 * imported from `./types.js`, or an interface or object type declared in the file): its `sessionId`
 * is the project's own field, such as a telemetry id per process. Where a tool's context fills such
 * a field (`sessionId: extra.sessionId`), that read is the one reported.
 */
export function isTypedAsProjectOwn(id: ts.Identifier): boolean {
  // A parameter's type, or a variable's (a logger's module-level `let globalContext: LogContext`).
  const type = (parameterNamed(id) ?? nearestDeclaration(id))?.type;
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || SDK_CONTEXT_TYPE.test(type.typeName.text)) return false;
  const name = type.typeName.text;
  for (const statement of id.getSourceFile().statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === name)) return statement.moduleSpecifier.text.startsWith(".");
    } else if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) {
      return !statement.heritageClauses;
    } else if (ts.isTypeAliasDeclaration(statement) && statement.name.text === name) {
      return ts.isTypeLiteralNode(statement.type);
    }
  }
  return false;
}

/** The parameter of an enclosing function that a name refers to. */
function parameterNamed(id: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let fn = enclosingFunction(id); fn; fn = enclosingFunction(fn)) {
    const parameter = fn.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
    if (parameter) return parameter;
  }
  return undefined;
}

/**
 * The session id read from the request's Mcp-Session-Id header off a handler's context, which is
 * `X.sessionId` by another road: `extra.requestInfo?.headers["mcp-session-id"]` (SDK v1),
 * `ctx.http?.req?.headers.get("mcp-session-id")` (v2). Given the header's name, the whole read and
 * the context it starts from.
 */
export function sessionHeaderRead(name: ts.Node): { read: ts.ElementAccessExpression | ts.CallExpression; context: ts.Identifier } | undefined {
  if (!ts.isStringLiteralLike(name) || name.text.toLowerCase() !== "mcp-session-id") return undefined;
  const parent = name.parent;
  let headers: ts.Expression;
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === name) headers = parent.expression;
  else if (ts.isCallExpression(parent) && parent.arguments[0] === name && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === "get") headers = parent.expression.expression;
  else return undefined;
  if (!ts.isPropertyAccessExpression(headers) || headers.name.text !== "headers") return undefined;
  // Through the context's own request (`requestInfo` in v1, `http` in v2): Koa's `ctx.headers` is routing's.
  let throughRequest = false;
  let root: ts.Expression = headers.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isNonNullExpression(root) || ts.isParenthesizedExpression(root)) {
    throughRequest ||= ts.isPropertyAccessExpression(root) && /^(requestInfo|http)$/.test(root.name.text);
    root = root.expression;
  }
  return throughRequest && ts.isIdentifier(root) && HANDLER_CONTEXT.test(root.text) ? { read: parent, context: root } : undefined;
}

/**
 * Whether a string sits in a CORS header list (`allowedHeaders: ["mcp-session-id"]`): naming a
 * header there lets a browser send or read it, which relies on nothing.
 */
export function inCorsHeaderList(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  // cors({ exposedHeaders: ["Mcp-Session-Id"] })
  if (ts.isArrayLiteralExpression(parent)) return ts.isPropertyAssignment(parent.parent) && CORS_HEADER_LIST.test(propertyNameText(parent.parent.name) ?? "");
  // { "Access-Control-Expose-Headers": "Mcp-Session-Id" }
  if (ts.isPropertyAssignment(parent)) return parent.initializer === node && CORS_HEADER_LIST.test(propertyNameText(parent.name) ?? "");
  // res.setHeader("Access-Control-Expose-Headers", "Mcp-Session-Id")
  if (ts.isCallExpression(parent)) {
    const [name, value] = parent.arguments;
    return value === node && name !== undefined && ts.isStringLiteralLike(name) && CORS_HEADER_LIST.test(name.text);
  }
  return false;
}

/** Where a CORS configuration lists headers: the cors package's options, or the response headers themselves. */
const CORS_HEADER_LIST = /^(?:(?:allow(?:ed)?|exposed?)headers|access-control-(?:allow|expose)-headers)$/i;

/**
 * A route path that is the MCP endpoint (`/mcp`, `/api/mcp`, `/github-mcp`, `/mcp/:id`), not a
 * discovery document about it (`/.well-known/oauth-protected-resource/mcp`, RFC 9728), which must
 * keep answering GET, nor a URL some code calls or mocks (`http.get("https://…/acme-mcp-evals/…")`
 * in a test's mock server), nor a file (`/mcp.json`), nor a path with "mcp" only inside a word.
 */
export function isMcpEndpointPath(path: string): boolean {
  if (/^[a-z][\w+.-]*:\/\//i.test(path) || path.includes("/.well-known/")) return false;
  return path.split(/[/?#]/).some((segment) => /^mcp(?:[-_]\w+)*$|^[\w-]+[-_]mcp$/i.test(segment));
}
