/**
 * Entries that serve only the 2025-era protocol → the SDK's entries, which serve 2026-07-28
 * and 2025 alike, as the SDK's migration guide says:
 *  - `await server.connect(new StdioServerTransport())` → `serveStdio(() => server)` (one
 *    connection per process, so the one server is the one instance the entry pins);
 *  - a Streamable HTTP transport made per request without session ids → the same one
 *    `createMcpHandler` that session routing becomes (transport-routing's rewrite), once the
 *    file has no session routing left for that rule to take first.
 * A connect whose promise is used (`.catch(…)`, assigned) is left for a person, with the reason:
 * `serveStdio` returns a handle, not a promise.
 */
import ts from "typescript";
import { exportedHttpTransport, STDIO_HANDED_ON_FIX, stdioConnect, stdioHandedOn } from "../../analysis/rules/legacy-entry.ts";
import { transportRouting } from "../../analysis/rules/transport-routing.ts";
import { isNewServer, nearestDeclaration, unwrap, type Finding } from "../../analysis/rule.ts";
import { importOf, nodeStartingAt, offsetOf, ownLines, references, type ImportedText, type ImportNeed, type Migration, type TextEdit } from "../rule.ts";
import { classNamed, functionNamed } from "./module-server.ts";
import { transportRoutingMigration } from "./transport-routing.ts";

/** Why an exported transport stays: the modules that serve with it are where the handler goes. */
const EXPORTED_TRANSPORT = "this one transport is made here for the modules that import it, and they serve every request with it, which this rewrite does not follow: where it is connected and handed requests, put one handler in its place by hand (`toNodeHandler(createMcpHandler(factory))` from @modelcontextprotocol/node and /server, `factory` a function that builds the server), drop the connect, then delete this transport";

/** Why an HTTP entry in a file that still routes sessions waits. */
const WAITS_FOR_ROUTING = "this file still routes sessions (its transport-routing findings), and this transport goes into the same one handler as they do: it moves with them, once what they say stands in the way is done";

/** Whether transport-routing has anything to rewrite here: then the HTTP entry waits for its pass. */
function routesSessions(source: ts.SourceFile): boolean {
  let found = false;
  transportRouting.analyze(source, () => void (found = true));
  return found;
}

export const legacyEntryMigration: Migration = {
  rule: "legacy-entry",
  migrate(source, findings, context) {
    const edits: TextEdit[] = [];
    const handled: Finding[] = [];
    const imports: ImportNeed[] = [];
    const http: Finding[] = [];
    const unmovedEach: Array<[Finding, string]> = [];
    const rewritten: Array<{ finding: Finding; call: ts.CallExpression; edits: TextEdit[] }> = [];
    const refused: ts.CallExpression[] = [];
    for (const finding of findings) {
      const call = nodeStartingAt(source, offsetOf(source, finding), (node): node is ts.CallExpression => stdioConnect(node) !== undefined);
      // Handed to code that connects it (a wrapper's start): that code is where serveStdio goes.
      if (!call && nodeStartingAt(source, offsetOf(source, finding), (node): node is ts.NewExpression => ts.isNewExpression(node) && stdioHandedOn(node) !== undefined)) {
        unmovedEach.push([finding, STDIO_HANDED_ON_FIX]);
        continue;
      }
      if (!call && nodeStartingAt(source, offsetOf(source, finding), (node): node is ts.NewExpression => ts.isNewExpression(node) && exportedHttpTransport(node))) {
        unmovedEach.push([finding, EXPORTED_TRANSPORT]);
        continue;
      }
      if (!call) {
        http.push(finding);
        continue;
      }
      const rewrite = serveStdio(source, call, context.importedText);
      if (typeof rewrite === "string") {
        unmovedEach.push([finding, rewrite]);
        refused.push(call);
        continue;
      }
      rewritten.push({ finding, call, edits: rewrite });
    }
    for (const { finding, call, edits: rewrite } of rewritten) {
      // One transport connected in two branches (with tracing and without) is served one way or the other, never both.
      const stays = refused.find((other) => sameTransport(source, other, call));
      if (stays) {
        unmovedEach.push([finding, `the same transport is also connected on line ${source.getLineAndCharacterOfPosition(stays.getStart(source)).line + 1}, which stays (its finding says why), and rewriting only this one would serve that branch the old protocol alone: make that one rewritable, then run migrate again`]);
        continue;
      }
      edits.push(...rewrite);
      handled.push(finding);
      imports.push({ module: "@modelcontextprotocol/server/stdio", name: "serveStdio" });
    }
    if (http.length && !routesSessions(source)) {
      const routed = transportRoutingMigration.migrate(source, http, context);
      if (routed.edits.length) {
        edits.push(...routed.edits);
        handled.push(...routed.handled);
        imports.push(...(routed.imports ?? []));
      }
      // The HTTP entry's reason is the routing rewrite's, for its own findings.
      if (routed.unmoved) for (const finding of http) if (!routed.handled.includes(finding)) unmovedEach.push([finding, routed.unmoved]);
    } else if (http.length) {
      for (const finding of http) unmovedEach.push([finding, WAITS_FOR_ROUTING]);
    }
    return { edits, handled, imports, unmovedEach };
  },
};

/** Whether two connects hand on the same transport, named alike (`server.connect(transport)` twice). */
function sameTransport(source: ts.SourceFile, one: ts.CallExpression, other: ts.CallExpression): boolean {
  const [a] = one.arguments;
  const [b] = other.arguments;
  if (a === undefined || b === undefined || !ts.isIdentifier(a) || !ts.isIdentifier(b) || a.text !== b.text) return false;
  const declared = nearestDeclaration(a);
  return declared !== undefined && declared === nearestDeclaration(b);
}

/**
 * `await x.connect(transport);` → `serveStdio(() => x);`, and a transport made only for it goes.
 * What it cannot rewrite, it says why, as what a person does first.
 */
function serveStdio(source: ts.SourceFile, call: ts.CallExpression, importedText?: ImportedText): TextEdit[] | string {
  const awaited = ts.isAwaitExpression(call.parent) || ts.isVoidExpression(call.parent) ? call.parent : call;
  const receiver = (call.expression as ts.PropertyAccessExpression).expression;
  const server = receiver.getText(source);
  // serveStdio connects what its factory returns itself: a wrapper with a connect of its own is no server.
  const wrapper = wrapperClass(source, receiver, importedText);
  if (wrapper?.unread) {
    return `${server} is ${wrapper.made}, from ${wrapper.unread}, which this run did not read: run migrate on that module too (or on the folder of both), so that it can see whether that class is a server (serveStdio needs the McpServer or Server itself), then run migrate again`;
  }
  if (wrapper) {
    return `${server} is ${wrapper.made}, not a server (its own connect hands the transport on), and serveStdio needs the McpServer or Server to connect itself: hand it the one ${server} wraps (\`serveStdio(() => ${server}.server)\`, or the getter the class has), then run migrate again`;
  }
  // Typed only by what it can do (`TServer extends { connect(…); close() }`): any object with a connect, which serveStdio cannot take.
  const structural = structurallyTyped(receiver);
  if (structural) {
    return `${server} is typed ${structural}, any object with a connect of its own (a wrapper around a server has one too), and serveStdio needs the McpServer or Server itself, to connect it: type ${server} as McpServer (or hand serveStdio the server the object holds), then run migrate again`;
  }
  if (!ts.isExpressionStatement(awaited.parent)) {
    return `the promise ${server}.connect(…) returns is used (a .then or .catch, a value kept), and serveStdio returns a handle, not a promise: write \`serveStdio(() => ${server})\` (its onerror option takes the errors a connection meets), then run migrate again`;
  }
  const transport = call.arguments[0]!;
  const edits: TextEdit[] = [];
  let made: ts.NewExpression;
  if (ts.isNewExpression(transport)) made = transport;
  else {
    // `const transport = new StdioServerTransport();` used by nothing else: it goes with the connect.
    const declared = nearestDeclaration(transport as ts.Identifier)!;
    const declaration = declared.parent.parent;
    // Only uses of this declaration: another block's `transport` (an HTTP branch's) is another variable.
    const uses = references(source, declared.name.getText(source)).filter((id) => id !== transport && id !== declared.name && nearestDeclaration(id) === declared);
    const name = declared.name.getText(source);
    const lines = ts.isVariableStatement(declaration) && declaration.declarationList.declarations.length === 1 && uses.length === 0 ? ownLines(source, declaration) : undefined;
    // Used besides (an onclose hook, a global, a subclass's own methods), or sharing its lines: it stays, and serveStdio is handed it.
    if (!lines) return [{ start: awaited.getStart(source), end: awaited.getEnd(), text: `serveStdio(() => ${server}, { ${name === "transport" ? name : `transport: ${name}`} })` }];
    made = declared.initializer as ts.NewExpression;
    edits.push(lines);
  }
  // A transport over other streams than the process's own, or of a subclass, is handed on as the entry's transport.
  const own = !made.arguments?.length && made.expression.getText(source) === "StdioServerTransport";
  const options = own ? "" : `, { transport: ${made.getText(source)} }`;
  edits.push({ start: awaited.getStart(source), end: awaited.getEnd(), text: `serveStdio(() => ${server}${options})` });
  return edits;
}

/**
 * The class a connected value is an instance of, where this file (or a module the run read) shows
 * it is one and not a server: `const proxy = new MCPProxy(…)`, or `await initProxy(…)` where
 * initProxy returns one, and the class does not extend McpServer or Server; or the module the run
 * did not read that the class comes from. Undefined where it is a server, or cannot be told (a
 * class from a package).
 */
function wrapperClass(source: ts.SourceFile, receiver: ts.Expression, importedText?: ImportedText): { made: string; unread?: string } | undefined {
  const value = ts.isIdentifier(unwrap(receiver)) ? nearestDeclaration(unwrap(receiver) as ts.Identifier)?.initializer : undefined;
  if (!value) return undefined;
  const made = unwrap(value);
  const named = (e: ts.Expression) => (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && !isNewServer(e) ? e.expression.text : undefined);
  let instance = named(made);
  let described = instance && `an instance of ${instance}`;
  // The module of the function that makes it, where that is not this file: its relative imports resolve from there, not
  // here, so they read as empty (a class it imports from the project is taken for a wrapper, one from a package for a server).
  let maker: ts.SourceFile | undefined;
  if (!instance && ts.isCallExpression(made) && ts.isIdentifier(made.expression)) {
    const found = functionNamed(source, made.expression.text, importedText);
    instance = typeof found === "string" || "unread" in found || !found.fn.body ? undefined : returnedClass(found.fn.body, named);
    described = instance && `an instance of ${instance} (what ${made.expression.text} returns)`;
    if (typeof found === "object" && "file" in found && found.file !== source) maker = found.file;
  }
  if (!instance || !described) return undefined;
  const server = maker ? isServerClass(maker, instance, (specifier) => (specifier.startsWith(".") ? "" : undefined)) : isServerClass(source, instance, importedText);
  if (server === true) return undefined;
  return server === false ? { made: described } : { made: described, unread: server.unread };
}

/**
 * Whether the class `name` is a server by inheritance (`class Toolkit extends McpServer`): true
 * too where it comes from a package (a specifier the run has no module for), whose heritage this
 * run cannot see; the module the run did not read, where it comes from one of the project's.
 */
function isServerClass(source: ts.SourceFile, name: string, importedText?: ImportedText): boolean | { unread: string } {
  const found = classNamed(source, name, importedText);
  if (typeof found === "string") {
    const imported = importOf(source, name);
    return imported !== undefined && !imported.specifier.startsWith(".") && importedText?.(imported.specifier) === undefined;
  }
  if ("unread" in found) return found;
  const base = found.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  return base !== undefined && /^(McpServer|Server)$/.test(base.getText());
}

/**
 * The type a connected value is declared with, where that type says only that it has a connect:
 * an object type (`{ connect(t): Promise<void> }`), or a type parameter constrained to one. Read
 * from `this.name`'s member (a field or a constructor's parameter property) or a parameter.
 */
function structurallyTyped(receiver: ts.Expression): string | undefined {
  const type = declaredType(unwrap(receiver));
  if (!type) return undefined;
  const hasConnect = (node: ts.TypeNode | undefined) => !!node && ts.isTypeLiteralNode(node) && node.members.some((m) => m.name?.getText() === "connect");
  if (hasConnect(type)) return "as an object type";
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const name = type.typeName.text;
  for (let up: ts.Node | undefined = type.parent; up; up = up.parent) {
    const parameters = ts.isClassLike(up) || ts.isFunctionLike(up) ? up.typeParameters : undefined;
    const parameter = parameters?.find((p) => p.name.text === name);
    if (parameter) return hasConnect(parameter.constraint) ? `${name}, a type parameter` : undefined;
    // A type the file declares as an object with a connect (`type Connectable = { connect(…) }`, or an interface).
    const declared = ts.isSourceFile(up) ? up.statements.find((st) => (ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st)) && st.name.text === name) : undefined;
    if (declared && ts.isTypeAliasDeclaration(declared)) return hasConnect(declared.type) ? `${name}, an object type` : undefined;
    if (declared && ts.isInterfaceDeclaration(declared)) return !declared.heritageClauses && declared.members.some((m) => m.name?.getText() === "connect") ? `${name}, an object type` : undefined;
  }
  return undefined;
}

/** The type annotation of what `this.name` or `name` is declared as, where it has one. */
function declaredType(receiver: ts.Expression): ts.TypeNode | undefined {
  if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) {
    let owner: ts.Node | undefined = receiver.parent;
    while (owner && !ts.isClassLike(owner)) owner = owner.parent;
    const member = receiver.name.text;
    for (const element of owner && ts.isClassLike(owner) ? owner.members : []) {
      if (ts.isPropertyDeclaration(element) && element.name.getText() === member) return element.type;
      if (ts.isConstructorDeclaration(element)) {
        const property = element.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === member && ts.getModifiers(p)?.length);
        if (property) return property.type;
      }
    }
    return undefined;
  }
  if (!ts.isIdentifier(receiver)) return undefined;
  const variable = nearestDeclaration(receiver);
  if (variable) return variable.type;
  for (let up: ts.Node | undefined = receiver.parent; up; up = up.parent) {
    const parameter = ts.isFunctionLike(up) ? up.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === receiver.text) : undefined;
    if (parameter) return parameter.type;
  }
  return undefined;
}

/** The class every return of a function body makes (`return new X(…)`, or a const it made: `const x = new X(…); return x`). */
function returnedClass(body: ts.ConciseBody, named: (e: ts.Expression) => string | undefined): string | undefined {
  if (!ts.isBlock(body)) return named(unwrap(body));
  const classes = new Set<string | undefined>();
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const e = unwrap(node.expression);
      classes.add(named(ts.isIdentifier(e) ? unwrap(nearestDeclaration(e)?.initializer ?? e) : e));
    }
    node.forEachChild(visit);
  };
  body.forEachChild(visit);
  const [only] = classes;
  return classes.size === 1 ? only : undefined;
}
