/**
 * The function that builds the server a routing connects: one the file has (`getServer()`), or
 * one made here. A server made once (at module level, or in a `main()` around the routing) and
 * connected to a transport for each request (or each session) → a module-level factory that
 * makes it and registers its tools, for createMcpHandler to call per request. The SDK asks for
 * a fresh instance per exchange; one instance connected over and over shares its protocol state
 * between the requests in flight. The registrations move into the factory as they were written;
 * what else uses the one instance (a shutdown hook closing it, a value kept from a
 * registration) has no instance to reach any more, and is left for a person.
 */
import ts from "typescript";
import { stdioConnect } from "../../analysis/rules/legacy-entry.ts";
import { isNewServer } from "../../analysis/rule.ts";
import { indentUnitOf } from "../../style.ts";
import { reindented } from "../indentation.ts";
import { declaredAround } from "./mcp-routes.ts";
import { attachedStart, awaits, declarationIn, declaredNames, exportedLocal, firstLineOf, importOf, indentOf, mentions, moduleFunction, readsAny, references, removals, statementOf, topLevelStatement, unwrap, walkCalls, type ImportedText, type ImportNeed, type TextEdit } from "../rule.ts";

export interface ModuleServer {
  /** The factory's name. */
  name: string;
  /** The variable the routing connected (it lives on inside the factory). */
  server: string;
  edits: TextEdit[];
  /** The factory, to go above the handler, when the server was made inside a function (as in a `main()`). */
  text?: string;
  /**
   * Where that factory goes when it reads the function's own variables (`main()`'s config): above
   * this statement of the function's body, the one holding the code that serves requests; module
   * level otherwise.
   */
  within?: ts.Statement;
  /** The factory's import, when it lives in the module the one server was imported from. */
  imports?: ImportNeed[];
}

/** What a statement may do with the server and still be part of building it: register, handle, listen. */
const BUILDING = /^(register\w*|tool|resource|prompt|server|setRequestHandler|setNotificationHandler|on\w+)$/;

/** The module-level function whose server each transport was connected to: `buildServer().connect(t)`. */
export function serverFactory(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[]): string | undefined {
  const names = new Set<string>();
  for (const router of routers) {
    walkCalls(router, "connect", (call) => {
      const name = factoryCall((call.expression as ts.PropertyAccessExpression).expression, router);
      if (name) names.add(name);
    });
  }
  if (names.size !== 1) return undefined;
  const [name] = names;
  const declared = source.statements.some((s) =>
    (ts.isFunctionDeclaration(s) && s.name?.text === name) ||
    (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) ||
    (ts.isImportDeclaration(s) && mentions(s, name!)));
  // Or handed to a function around the routing (`createApp(serverFactory)`), where the handler is then made.
  const handed = routers.every((router) => declaredAround(router, new Set([name!])) !== undefined);
  return declared || handed ? name : undefined;
}

/** `factory()` directly, or a variable the router set from `factory()`. */
function factoryCall(receiver: ts.Expression, router: ts.Node): string | undefined {
  // `(await makeServer()).connect(t)`: through parentheses and awaits to the call.
  const unwrapped = unwrap(receiver);
  if (ts.isCallExpression(unwrapped) && unwrapped.arguments.length === 0 && ts.isIdentifier(unwrapped.expression)) return unwrapped.expression.text;
  const initializer = ts.isIdentifier(unwrapped) ? declarationIn(router, unwrapped.text)?.initializer : undefined;
  return initializer && factoryCall(initializer, router);
}

/**
 * The factory made from the one server the routers connect, made at module level or in a
 * function around them (a `main()`); undefined when they connect no such server, or why it
 * cannot be made.
 */
export function moduleServerFactory(source: ts.SourceFile, routers: readonly ts.FunctionLikeDeclaration[], importedText?: ImportedText): ModuleServer | string | undefined {
  const connected = new Set<string>();
  for (const router of routers) {
    walkCalls(router, "connect", (call) => {
      const receiver = unwrap((call.expression as ts.PropertyAccessExpression).expression);
      if (ts.isIdentifier(receiver)) connected.add(receiver.text);
    });
  }
  if (connected.size !== 1) return undefined;
  const [server] = [...connected] as [string];
  // The routers' own `server` (made per session from something) is another rule's case.
  if (routers.some((router) => declarationIn(router, server))) return undefined;
  return factoryOf(source, server, routers, new Set(), importedText);
}

/**
 * The factory made from the server `server` names, made once at module level or in a function
 * around `uses` (the code that serves requests with it, where it may be named), named other than
 * `taken` (the factories made beside it); undefined when no such server is made, or why it
 * cannot be made.
 */
export function factoryOf(source: ts.SourceFile, server: string, uses: readonly ts.Node[], taken: ReadonlySet<string> = new Set(), importedText?: ImportedText): ModuleServer | string | undefined {
  const made = madeOnce(source, server, uses);
  if (!made) return importedFactory(source, server, uses, taken, importedText);
  const builder = builderCalled(made);
  const refused = builder && whyNotPerRequest(source, `${server} is made once, by ${builder}(), and served to every request`, builder, importedText);
  if (refused) return refused;
  const scope = made.parent as ts.SourceFile | ts.Block;
  if (made.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
    return `${server} is exported, so other modules use the one instance the requests share: build it in a function that returns a new one (and have them call it), then run migrate again`;
  }
  // A function of the file that builds the server may call its own one `server` too: another scope.
  const builderFunction = builder ? moduleFunction(source, builder) : undefined;
  const outside = (node: ts.Node) => !builderFunction || node.pos < builderFunction.pos || builderFunction.end < node.end;
  if (declarations(source, server, outside) > 1) {
    return `more than one ${server} is declared in this file, so its uses cannot be told apart: rename the others, then run migrate again`;
  }

  const building = scope.statements.filter((statement) => statementBuilds(source, statement, server));
  const inUse = (node: ts.Node) => uses.some((use) => use.pos <= node.pos && node.end <= use.end);
  const inBuilding = (node: ts.Node) => building.some((statement) => statement.pos <= node.pos && node.end <= statement.end);
  const elsewhere = references(source, server).filter((ref) => outside(ref) && !inUse(ref) && !inBuilding(ref) && ref.parent !== made.declarationList.declarations[0]);
  const { served, edits: elsewhereEdits } = servedElsewhere(source, elsewhere);
  const other = elsewhere.find((ref) => !served.includes(ref));
  if (other) return otherUse(source, server, other);
  // A factory that is awaited has no server to call connect on in place of the name.
  const awaited = building.some(awaits) || ts.isAwaitExpression(made.declarationList.declarations[0]!.initializer!);
  const connected = served.find(connects);
  if (awaited && connected) return otherUse(source, server, connected);
  const statements = [made, ...building];
  const local = !ts.isSourceFile(scope);
  let within: ts.Statement | undefined;
  if (local) {
    // The factory goes to module level, unless it reads what the enclosing function declares: then
    // into that function, above the code that serves requests, where those names are in scope.
    const inMoved = (node: ts.Node) => statements.some((statement) => statement.pos <= node.pos && node.end <= statement.end);
    const outer = declaredNames(topLevelStatement(made), inMoved);
    outer.delete(server);
    if (readsAny(statements, outer)) {
      within = scope.statements.find((statement) => statement.pos <= uses[0]!.pos && uses[0]!.end <= statement.end);
      if (!within || statements.includes(within)) {
        return `${server} is made inside a function whose own variables it (or a registration on it) uses, and the code serving requests with it is not a statement of that function's body, where its factory could go: move what they use to module level, then run migrate again`;
      }
    }
  }
  const removed = removals(source, statements);
  if (!removed) {
    return `a statement making or registering on ${server} shares its lines with other code, so it cannot be moved alone: put it on lines of its own, then run migrate again`;
  }

  // `const server = createServer();` alone: that function is the factory, and the line goes.
  if (builder && building.length === 0) return { name: builder, server, edits: [...removed, ...elsewhereEdits(builder)] };
  const name = ["createMcpServer", "buildMcpServer", "makeMcpServer"].find((n) => !mentions(source, n) && !taken.has(n));
  if (!name) return undefined;
  const unit = indentUnitOf(source.text);
  const indent = indentOf(source, made);
  const moved = statements.map((statement, i) => {
    const from = source.text.lastIndexOf("\n", attachedStart(source, statement) - 1) + 1;
    const blankAbove = i > 0 && /\n[ \t]*\n$/.test(source.text.slice(0, from));
    return `${blankAbove ? "\n" : ""}${reindented(source, from, statement.getEnd(), indent, unit)}`;
  });
  const isAsync = building.some(awaits);
  const semicolon = made.getText(source).endsWith(";") ? ";" : "";
  const factory = [
    `/** Builds the server and its tools: createMcpHandler calls this for each request, so no two requests share an instance. */`,
    `${isAsync ? "async " : ""}function ${name}() {`,
    ...moved,
    `${unit}return ${server}${semicolon}`,
    `}`,
  ].join("\n");
  if (local) return { name, server, edits: [...removed, ...elsewhereEdits(name)], text: `${factory}\n\n`, ...(within && { within }) };
  // At module level each statement goes from where it stood, and the factory takes the last one's place, below all they use.
  const last = statements.at(-1)!;
  const at = source.text.lastIndexOf("\n", attachedStart(source, last) - 1) + 1;
  const edits = removed.slice(0, -1);
  edits.push({ start: at, end: last.getEnd(), text: factory }, ...elsewhereEdits(name));
  return { name, server, edits };
}

/**
 * The one server imported from a module of the project that makes it once from a function it
 * exports (`export const server = createServer();`, as a Next.js app's `lib/mcp.ts` often does):
 * that function is the factory, imported beside it, and the import of the instance goes once
 * nothing here uses it. Undefined when the server is not imported so; why not, when it is but
 * cannot be built per request.
 */
function importedFactory(source: ts.SourceFile, server: string, uses: readonly ts.Node[], taken: ReadonlySet<string>, importedText?: ImportedText): ModuleServer | string | undefined {
  const imported = importOf(source, server);
  const text = imported && importedText?.(imported.specifier);
  if (imported && text === null) return `${server} is imported from ${imported.specifier}, which this run did not read: run migrate on that module too (or on the folder of both), so that it can see how the server is made`;
  if (!imported || typeof text !== "string") return undefined;
  const module = ts.createSourceFile(imported.specifier, text, ts.ScriptTarget.Latest, true);
  const made = module.statements.find((s): s is ts.VariableStatement => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === imported.name));
  const declaration = made?.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === imported.name);
  const builder = declaration?.initializer && zeroArgumentCall(declaration.initializer);
  // `export const server = new McpServer(…)` with its registrations beside it: only that module can become a factory.
  if (made && declaration?.initializer && isNewServer(unwrap(declaration.initializer))) {
    return `${server} is made once in ${imported.specifier} (\`${oneLineOf(declaration.getText(module))}\` at its top level) and served to every request: there, build it in an exported function that returns a new one, with the registrations on it inside, import that function here in its place, then run migrate again`;
  }
  if (!made || !builder) return undefined;
  const once = `${server} is made once in ${imported.specifier}, by ${builder}(), and served to every request`;
  const verdict = buildsOnlyAServer(module, builder);
  if (verdict !== true) return `${once}: ${typeof verdict === "string" ? verdict : `${builder} comes from ${verdict.unread}`}, so calling it per request might not do what calling it once did: make it a function that only builds and returns a new server, then run migrate again`;
  if (exportedLocal(module, builder) !== builder) return `${once}, and that module does not export ${builder}: export it, so that each request can build a server of its own, then run migrate again`;
  if (mentions(source, builder) || taken.has(builder)) return `${once}, and this file already has a ${builder} of its own: import that function under another name (and give it to the routing), then run migrate again`;
  const inUse = (node: ts.Node) => uses.some((use) => use.pos <= node.pos && node.end <= use.end);
  const other = references(source, server).find((ref) => !inUse(ref) && !ts.isImportSpecifier(ref.parent) && !ts.isImportClause(ref.parent));
  if (other) return otherUse(source, server, other);
  return { name: builder, server, edits: [], imports: [{ module: imported.specifier, name: builder }] };
}

/**
 * The uses of the one server, outside the routing and its building, that a factory serves as
 * well, and their edits once its name is known: `serveStdio(() => server)` (stdio's one
 * connection) → `serveStdio(factory)`, and `server.connect(transport)` (an SSE stream the
 * routing did not cover) → `factory().connect(transport)`, a server of its own. Not a stdio
 * entry's connect: legacy-entry rewrites that whole statement in the same pass, to the
 * serveStdio form the next pass takes.
 */
function servedElsewhere(source: ts.SourceFile, uses: readonly ts.Identifier[]): { served: ts.Identifier[]; edits: (factory: string) => TextEdit[] } {
  const overStdio = uses.filter(servedOverStdio);
  const connected = uses.filter((ref) => connects(ref) && !stdioConnect(ref.parent.parent));
  return {
    served: [...overStdio, ...connected],
    edits: (factory) => [
      ...overStdio.map((ref) => ({ start: ref.parent.getStart(source), end: ref.parent.getEnd(), text: factory })),
      ...connected.map((ref) => ({ start: ref.getStart(source), end: ref.getEnd(), text: `${factory}()` })),
    ],
  };
}

/** Why `builder`, called once for the server `once` describes, cannot be called per request instead; undefined when it can. */
export function whyNotPerRequest(source: ts.SourceFile, once: string, builder: string, importedText?: ImportedText): string | undefined {
  const verdict = buildsOnlyAServer(source, builder, importedText);
  if (typeof verdict === "object") return `${once}, and ${builder} comes from ${verdict.unread}, which this run did not read: run migrate on that module too (or on the folder of both), so that it can see whether ${builder} only builds a server`;
  if (verdict !== true) return `${once}: ${verdict}, so calling it per request might not do what calling it once did: make it a function that only builds and returns a new server, then run migrate again`;
  return undefined;
}

/** `server.connect(…)`: the name as what a transport is connected to. */
function connects(ref: ts.Identifier): boolean {
  const member = ref.parent;
  return ts.isPropertyAccessExpression(member) && member.expression === ref && member.name.text === "connect" && ts.isCallExpression(member.parent) && member.parent.expression === member;
}

/** `serveStdio(() => server)`: the server handed to the stdio entry, as the name's only use there. */
function servedOverStdio(ref: ts.Identifier): boolean {
  const arrow = ref.parent;
  if (!ts.isArrowFunction(arrow) || arrow.body !== ref || arrow.parameters.length > 0) return false;
  const call = arrow.parent;
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === "serveStdio" && call.arguments[0] === arrow;
}

/** Why a use of the one instance outside its building and serving keeps it from moving. */
function otherUse(source: ts.SourceFile, server: string, use: ts.Identifier): string {
  const { line } = source.getLineAndCharacterOfPosition(use.getStart(source));
  const where = `on line ${line + 1} (\`${firstLineOf(source, statementOf(use))}\`)`;
  if (ts.isCallExpression(use.parent) && use.parent.arguments.includes(use) && ts.isExpressionStatement(statementOf(use))) {
    return `${server} is handed ${where} to a function that does more with it than register tools and handlers, or that lives in a module this rewrite does not read (it may keep the server, or start something with it): if it only registers, put it with the making of ${server} in a function that returns a new one (and give that to the routing), then run migrate again`;
  }
  return `${server} is used ${where} besides registering its tools and serving requests, and with a server built per request there is no one instance for that to reach: drop that use (a shutdown hook has nothing to close) or move it into the registrations, then run migrate again`;
}

/**
 * `const server = new McpServer(…)` (or the low-level `Server`), or `= createServer()` (a call
 * taking nothing, which buildsOnlyAServer then judges), at module level or in the body of a
 * function around its uses.
 */
function madeOnce(source: ts.SourceFile, name: string, uses: readonly ts.Node[]): ts.VariableStatement | undefined {
  let found: ts.VariableStatement | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableStatement(node) && node.declarationList.declarations.length === 1) {
      const [declaration] = node.declarationList.declarations;
      const value = declaration!.initializer;
      const block = node.parent;
      const around = uses.every((use) => block.pos <= use.pos && use.end <= block.end);
      const inBody = ts.isSourceFile(block) || (ts.isBlock(block) && ts.isFunctionLike(block.parent) && around);
      const makes = value && (isNewServer(value) || zeroArgumentCall(value));
      if (inBody && ts.isIdentifier(declaration!.name) && declaration!.name.text === name && makes) found ??= node;
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

export type { ImportedText };

/** A declaration quoted short, on one line: `server = new McpServer(…)` once it takes lines or is long. */
function oneLineOf(text: string): string {
  const open = text.indexOf("(");
  return text.includes("\n") || text.length > 60 ? `${text.slice(0, open === -1 ? 60 : open)}(…)` : text;
}

/** `createServer()` or `await createServer()`: the name called, with no arguments. */
function zeroArgumentCall(value: ts.Expression): string | undefined {
  const call = unwrap(value);
  return ts.isCallExpression(call) && call.arguments.length === 0 && ts.isIdentifier(call.expression) ? call.expression.text : undefined;
}

function builderCalled(made: ts.VariableStatement): string | undefined {
  const value = made.declarationList.declarations[0]!.initializer!;
  return ts.isNewExpression(value) ? undefined : zeroArgumentCall(value);
}

/**
 * Whether the function `name` only builds a server: one of this file, or one a relative import
 * names in a module the run read, that makes an McpServer (or Server), builds on it (registers,
 * sets handlers: nothing it keeps or starts) and returns it. Such a function does per request
 * what it did once. Otherwise why not, said of the function, or the module the run did not read.
 */
function buildsOnlyAServer(source: ts.SourceFile, name: string, importedText?: ImportedText): true | string | { unread: string } {
  const found = functionNamed(source, name, importedText);
  if (typeof found === "string" || "unread" in found) return found;
  const { fn, file } = found;
  if (fn.parameters.some((p) => !p.initializer && !p.questionToken)) return `${name} takes arguments`;
  const body = fn.body!;
  if (!ts.isBlock(body)) return isNewServer(body) ? true : `${name} returns something other than a new server`;
  const [first, ...rest] = body.statements;
  const last = rest.pop();
  if (first && !last && ts.isReturnStatement(first) && first.expression && isNewServer(first.expression)) return true;
  const declaration = first && ts.isVariableStatement(first) && first.declarationList.declarations.length === 1 ? first.declarationList.declarations[0]! : undefined;
  if (!declaration || !ts.isIdentifier(declaration.name) || !declaration.initializer || !isNewServer(declaration.initializer)) return `${name} does more than make a server first`;
  const server = declaration.name.text;
  const other = rest.find((statement) => !statementBuilds(file, statement, server));
  if (other) return `${name} does more than build the server (\`${other.getText(file).split("\n")[0]}\`)`;
  if (!last || !ts.isReturnStatement(last) || !last.expression || !ts.isIdentifier(unwrap(last.expression)) || (unwrap(last.expression) as ts.Identifier).text !== server) return `${name} does not end by returning the server it made`;
  return true;
}

/** The function `name` stands for in this file, declared here or imported from a module the run read; or why it was not found. */
export function functionNamed(source: ts.SourceFile, name: string, importedText?: ImportedText): { fn: ts.FunctionLikeDeclaration; file: ts.SourceFile } | { unread: string } | string {
  const local = moduleFunction(source, name);
  if (local) return { fn: local, file: source };
  const imported = importedDeclaration(source, name, importedText);
  if (!imported) return `${name} is not a function of this file`;
  if (typeof imported === "string" || "unread" in imported) return imported;
  const { file, exported, specifier } = imported;
  const fn = exported === undefined ? defaultFunction(file) : moduleFunction(file, exported);
  return fn ? { fn, file } : `${name} is not a function declared in ${specifier}`;
}

/** The class `name` stands for, declared in this file or imported from a module the run read; or why it was not found. */
export function classNamed(source: ts.SourceFile, name: string, importedText?: ImportedText): ts.ClassDeclaration | { unread: string } | string {
  const inFile = (file: ts.SourceFile, className: string | undefined) =>
    file.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && (className === undefined ? (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) : s.name?.text === className));
  const local = inFile(source, name);
  if (local) return local;
  const imported = importedDeclaration(source, name, importedText);
  if (!imported) return `${name} is not a class of this file`;
  if (typeof imported === "string" || "unread" in imported) return imported;
  return inFile(imported.file, imported.exported) ?? `${name} is not a class declared in ${imported.specifier}`;
}

/**
 * The module a name of this file is imported from, read, with the name it has there (undefined
 * for a default export); or the module the run did not read, or why there is none to read;
 * undefined where the file does not import the name.
 */
function importedDeclaration(source: ts.SourceFile, name: string, importedText?: ImportedText): { file: ts.SourceFile; exported: string | undefined; specifier: string } | { unread: string } | string | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const bindings = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : [];
    const named = bindings.find((element) => element.name.text === name);
    const isDefault = clause?.name?.text === name;
    if (!named && !isDefault) continue;
    const specifier = statement.moduleSpecifier.text;
    const text = importedText?.(specifier);
    if (typeof text !== "string") return text === null || specifier.startsWith(".") ? { unread: specifier } : `${name} comes from the package ${specifier}`;
    const file = ts.createSourceFile(specifier, text, ts.ScriptTarget.Latest, true);
    return { file, exported: isDefault ? undefined : (named!.propertyName ?? named!.name).text, specifier };
  }
  return undefined;
}

/** `export default function …` of a module. */
function defaultFunction(source: ts.SourceFile): ts.FunctionDeclaration | undefined {
  return source.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && !!s.body && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword));
}

/**
 * A statement that only builds on the server: a building call, or a loop or branch made of
 * nothing else (`for (const tool of tools) server.registerTool(…)`), which does per request what
 * it did once.
 */
function statementBuilds(source: ts.SourceFile, statement: ts.Statement, server: string): boolean {
  if (ts.isExpressionStatement(statement)) return buildsOn(source, statement.expression, server);
  if (ts.isBlock(statement)) return statement.statements.length > 0 && statement.statements.every((inner) => statementBuilds(source, inner, server));
  if (ts.isForOfStatement(statement) || ts.isForInStatement(statement)) return statementBuilds(source, statement.statement, server);
  if (ts.isIfStatement(statement)) return statementBuilds(source, statement.thenStatement, server) && (!statement.elseStatement || statementBuilds(source, statement.elseStatement, server));
  return false;
}

/**
 * `server.registerTool(…)`, `server.server.onerror = …`, or `registerTools(server)` where that
 * function is declared in this file and only builds on its parameter: a statement that builds on
 * the server and keeps nothing.
 */
function buildsOn(source: ts.SourceFile, expression: ts.Expression, server: string): boolean {
  const call = unwrap(expression);
  if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.arguments.some((a) => ts.isIdentifier(a) && a.text === server)) {
    const helper = source.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === (call.expression as ts.Identifier).text);
    const index = call.arguments.findIndex((a) => ts.isIdentifier(a) && a.text === server);
    const parameter = helper?.parameters[index]?.name;
    return helper?.body !== undefined && parameter !== undefined && ts.isIdentifier(parameter) && onlyBuildsOn(helper.body, parameter.text);
  }
  return memberBuilds(expression, server);
}

function memberBuilds(expression: ts.Expression, server: string): boolean {
  let node = ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken ? expression.left : expression;
  let member: string | undefined;
  while (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node) || ts.isNonNullExpression(node)) {
    if (ts.isPropertyAccessExpression(node)) member = node.name.text;
    node = node.expression;
  }
  return ts.isIdentifier(node) && node.text === server && member !== undefined && BUILDING.test(member);
}

/** Whether every use of `name` in a body is the receiver of a building member (`name.registerTool(…)`). */
function onlyBuildsOn(body: ts.Node, name: string): boolean {
  const uses = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node) && node.text === name && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      return !(ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node && BUILDING.test(node.parent.name.text));
    }
    return node.forEachChild((child) => uses(child) || undefined) ?? false;
  };
  return !uses(body);
}

/** How many times the file declares `name` (variables, parameters, functions, bindings), where `counted`. */
function declarations(source: ts.SourceFile, name: string, counted: (node: ts.Node) => boolean): number {
  let count = 0;
  const visit = (node: ts.Node) => {
    // A parameter named in a type (`setup: (server: McpServer) => void`) declares no value.
    if (ts.isTypeNode(node)) return;
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node) || ts.isFunctionDeclaration(node)) && node.name && ts.isIdentifier(node.name) && node.name.text === name && counted(node)) count++;
    node.forEachChild(visit);
  };
  visit(source);
  return count;
}
