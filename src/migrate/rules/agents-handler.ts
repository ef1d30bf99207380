/**
 * agents' SDK v1 handler → its stateless one: `createMcpHandler(server, options)` from
 * `agents/mcp` becomes `createMcpHandler(() => …, options)` from `agents/mcp/server`, handed a
 * function that builds the server for each request (the codemod has moved the server to SDK v2
 * by then). The server a request builds just before (`const server = createServer(env)`) is
 * built by that function instead; one made once for every request is handed over as `() => server`
 * for shared-server to give a function of its own on the next pass. Options only the sessionful
 * handler had go, or, where they meant something still wanted, stay reported with what to write.
 */
import ts from "typescript";
import { AGENTS_SERVER, AGENTS_V1, importFromV1, movesToServer, V1_HANDLERS, v1HandlerCalls } from "../../analysis/rules/agents-handler.ts";
import { importedName, nearestDeclaration, walk, type Finding } from "../../analysis/rule.ts";
import { enclosingFunction, findingAt, references, removals, withoutProperties, type Migration, type TextEdit } from "../rule.ts";

/** Options of the sessions the SDK v1 handler kept, which agents refuses beside a factory: they go. */
const SESSION_OPTIONS = /^(sessionIdGenerator|onsessioninitialized|onsessionclosed|eventStore|storage|retryInterval)$/;
/** Options agents refuses beside a factory that say something still wanted: what to write instead. */
const REPLACED_OPTIONS: Record<string, string> = {
  transport: "a transport made for the sessions: agents/mcp/server's handler makes its own; take it out",
  enableJsonResponse: "agents/mcp/server's handler takes responseMode: \"json\" for it",
  allowedHosts: "agents/mcp/server's handler checks Host itself: allowedHostnames takes host names (no ports)",
  allowedOrigins: "agents/mcp/server's handler checks Origin itself: allowedOriginHostnames takes host names",
  enableDnsRebindingProtection: "agents/mcp/server's handler checks Host and Origin itself (allowedHostnames, allowedOriginHostnames); take it out",
};

export const agentsHandlerMigration: Migration = {
  rule: "agents-handler",
  migrate(source, findings) {
    // (A file with an McpAgent never gets here: the engine leaves it to mcp-agent.)
    if (bindsCreateMcpHandlerElsewhere(source)) {
      return { edits: [], handled: [], unmoved: "the file has a createMcpHandler of its own beside agents': import agents/mcp/server's under another name by hand" };
    }
    const edits: TextEdit[] = [];
    const unmovedEach: Array<[Finding, string]> = [];
    for (const call of v1HandlerCalls(source)) {
      const rewrite = factoryFor(source, call);
      if (typeof rewrite === "string") unmovedEach.push([findingAt(source, findings, call)!, rewrite]);
      else edits.push(...rewrite);
    }
    const declaration = importFromV1(source);
    // All or nothing: a handler left with a server instance cannot take agents/mcp/server's import.
    if (unmovedEach.length || !declaration) return { edits: [], handled: [], unmovedEach };
    edits.push(...renamedCallees(source), ...importEdits(source, declaration));
    return { edits, handled: findings };
  },
};

/** Whether an import binds `createMcpHandler` from a module other than agents/mcp (the SDK's, say). */
function bindsCreateMcpHandlerElsewhere(source: ts.SourceFile): boolean {
  return source.statements.some((s) => {
    if (!ts.isImportDeclaration(s) || (ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === AGENTS_V1)) return false;
    const bindings = s.importClause?.namedBindings;
    return !!bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === "createMcpHandler");
  });
}

/** The edits that hand `call` a function building its server, or why not. */
function factoryFor(source: ts.SourceFile, call: ts.CallExpression): TextEdit[] | string {
  const [server, options] = call.arguments;
  const optionEdits = optionsFor(source, call, options);
  if (typeof optionEdits === "string") return optionEdits;
  const wrap = (expression: string): TextEdit[] => [{ start: server!.getStart(source), end: server!.getEnd(), text: `() => ${expression}` }, ...optionEdits];
  // A server built in the call (`createMcpHandler(createServer(env))`): built for each request now.
  if (ts.isCallExpression(server!) || ts.isNewExpression(server!)) return wrap(server!.getText(source));
  if (!ts.isIdentifier(server!)) return "it is handed an expression migrate cannot follow: hand it a function that builds the server for each request";
  const declaration = nearestDeclaration(server);
  const here = enclosingFunction(call);
  const initializer = declaration?.initializer;
  const statement = declaration?.parent.parent;
  // `const server = createServer(env)` in the request's function, used only here: the function builds it, and the line goes.
  if (here && declaration && enclosingFunction(declaration) === here && initializer && (ts.isCallExpression(initializer) || ts.isNewExpression(initializer)) && references(source, server.text).filter((ref) => ref !== declaration.name && here.pos <= ref.pos && ref.end <= here.end).length === 1 && statement && ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
    const gone = removals(source, [statement]);
    if (gone) return [...wrap(initializer.getText(source)), ...gone];
  }
  // Built and registered on just above, in the request's own function, returning it builds nothing
  // twice; one made once for every request is shared-server's to move into a function on the next pass.
  return wrap(server.text);
}

/** The options as the stateless handler takes them: the sessions' own gone, or why they cannot be. */
function optionsFor(source: ts.SourceFile, call: ts.CallExpression, options: ts.Expression | undefined): TextEdit[] | string {
  if (!options) return [];
  if (!ts.isObjectLiteralExpression(options)) return "its options are passed by name, and agents/mcp/server's handler refuses the sessionful handler's (sessionIdGenerator, eventStore, storage, …): write them out in the call, then run migrate again";
  const named = (p: ts.ObjectLiteralElementLike) => (p.name ? p.name.getText(source) : "");
  const replaced = options.properties.find((p) => named(p) in REPLACED_OPTIONS);
  if (replaced) return `its option ${named(replaced)} is the sessionful handler's: ${REPLACED_OPTIONS[named(replaced)]}, then run migrate again`;
  const gone = options.properties.filter((p) => SESSION_OPTIONS.test(named(p)));
  if (gone.length === 0) return [];
  // Nothing else: the options argument goes with them.
  if (gone.length === options.properties.length) return [{ start: call.arguments[0]!.getEnd(), end: options.getEnd(), text: "" }];
  return withoutProperties(source, options, new Set(gone));
}

/**
 * Each handler agents/mcp gave, under whatever name the file gave it (`experimental_createMcpHandler`,
 * `createLegacyMcpHandler as handle`), is called `createMcpHandler` now: the name the stateless
 * handler has, and the one the next pass's rules know.
 */
function renamedCallees(source: ts.SourceFile): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const exported of V1_HANDLERS) {
    const local = importedName(source, AGENTS_V1, exported);
    if (local === undefined || local === "createMcpHandler") continue;
    walk(source, (node) => {
      if (ts.isIdentifier(node) && node.text === local && !ts.isImportSpecifier(node.parent)) edits.push({ start: node.getStart(source), end: node.getEnd(), text: "createMcpHandler" });
    });
  }
  return edits;
}

/**
 * The names agents/mcp/server has move there: the specifier changes when the import names
 * nothing else, else they leave it for an import of their own below it.
 */
function importEdits(source: ts.SourceFile, declaration: ts.ImportDeclaration): TextEdit[] {
  const elements = (declaration.importClause!.namedBindings as ts.NamedImports).elements;
  const moved = elements.filter(movesToServer).map((e) => {
    const exported = (e.propertyName ?? e.name).text;
    // Every handler is imported as the current one (renamedCallees); other names keep an alias the file gave them.
    if (V1_HANDLERS.includes(exported)) return "createMcpHandler";
    return `${e.isTypeOnly ? "type " : ""}${e.name.text === exported ? exported : `${exported} as ${e.name.text}`}`;
  });
  const specifier = declaration.moduleSpecifier;
  if (moved.length === elements.length) {
    const bindings = declaration.importClause!.namedBindings!;
    return [
      { start: bindings.getStart(source), end: bindings.getEnd(), text: `{ ${[...new Set(moved)].join(", ")} }` },
      { start: specifier.getStart(source), end: specifier.getEnd(), text: `"${AGENTS_SERVER}"` },
    ];
  }
  const kept = elements.filter((e) => !movesToServer(e)).map((e) => e.getText(source));
  const bindings = declaration.importClause!.namedBindings!;
  const end = declaration.getEnd();
  return [
    { start: bindings.getStart(source), end: bindings.getEnd(), text: `{ ${kept.join(", ")} }` },
    { start: end, end, text: `\nimport { ${[...new Set(moved)].join(", ")} } from "${AGENTS_SERVER}";` },
  ];
}
