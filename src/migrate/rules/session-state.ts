/**
 * Session-keyed state → handles. For a module-level `Map` keyed by the session id inside
 * tool callbacks (`carts.get(ctx.sessionId!)`):
 *  - the Map becomes a HandleMap (templates/migrate/handle-map.ts): still a Map, now with
 *    handles that have an owner and a lifetime;
 *  - a `create_<kind>` tool is registered before the first tool that uses it, returning
 *    `{ <kind>_id }` and declaring it in its output schema;
 *  - each consumer takes `<kind>_id` in its zod input, and the session id becomes
 *    `carts.open(cart_id, ctx)`, which refuses unknown, expired and foreign handles with
 *    an error naming the create tool.
 * Records (`Record<string, T>`, `{ [id: string]: T }`) become HandleMaps too, their uses in
 * Map terms. A session id that keys a shared store (`redis.get(\`cart:${ctx.sessionId}\`)`)
 * keeps the state where it is: the key takes a handle instead (`cartKeys.open(cart_id, ctx)`),
 * signed so that any instance can check it (HandleKeys). A map it cannot follow everywhere (a key computed elsewhere, a schema it cannot
 * extend, a second session-keyed map beside it, a read outside any tool) is not touched at all:
 * half a migration would be worse than none.
 */
import ts from "typescript";
import { enclosingTool, isHandlerContextName, isReassigned, sessionHeaderRead, type Finding } from "../../analysis/rule.ts";
import { enclosingFunction, indentOf, isConst, isJavaScript, mentions, nodeStartingAt, offsetOf, statementOf, topLevelStatement, type Migration, type TextEdit } from "../rule.ts";
import { apply } from "../imports.ts";
import { addToolParameter } from "../tool-input.ts";
import { createToolStatement, handleField, handleNames, takesHandle } from "../handle-tools.ts";

interface Use {
  finding: Finding;
  /** The key expression as written: `ctx.sessionId!`, `extra.sessionId ?? "default"`. */
  key: ts.Expression;
  /** The map it keys, or for a store's key (`cart:${…}`), `cart:` and the kind. */
  map: string;
  tool: ts.CallExpression;
  callback: ts.ArrowFunction | ts.FunctionExpression;
  /** The callback's context parameter: the object `.sessionId` was read from. */
  context: string;
}

export const sessionStateMigration: Migration = {
  rule: "session-state",
  migrate(source, findings, context) {
    const { edits, handled, tools, why, unmovedEach, runtime } = plan(source, findings);
    if (handled.length === 0) return { edits: [], handled: [], unmoved: why, unmovedEach };
    // From here on these tools are gated by their handle.
    return { edits, handled, imports: [{ module: context.handleRuntime, name: runtime }, { module: "zod", name: "z" }], parameterised: [...tools], unmovedEach };
  },
};

/** A map left keyed by session: why, and what a person does. */
function stays(reason: string): string {
  return `${reason}, so it stays keyed by session: give it a handle by hand (a create_* tool returns an id, each tool that reads it takes the id), or make it fit, then run migrate again`;
}

/**
 * The edits, and where a map stays, why: for each finding (`unmovedEach`), or for all of them
 * (`why`) where one thing stops every map.
 */
function plan(source: ts.SourceFile, findings: readonly Finding[]) {
  const byMap = new Map<string, Use[]>();
  const failedMaps = new Map<string, string>();
  const unmovedEach: Array<[Finding, string]> = [];
  const failedAt: Array<[Finding, string]> = [];
  const nothing = { edits: [], handled: [], tools: new Set<ts.CallExpression>(), runtime: "HandleMap", unmovedEach: [] };
  for (const finding of findings) {
    const use = resolve(source, finding);
    if (use === "elsewhere") {
      // A low-level handler (`setRequestHandler("tools/call", …)`) is a request's, with no session behind it any more;
      // anything else not in a tool is routing code, which transport-routing replaces.
      unmovedEach.push([finding, inRequestHandler(source, finding)
        ? "this session id is read in a request handler (setRequestHandler), where a 2026-07-28 request has no session: it is undefined there for every current client. Key what it keys by something the request carries (a handle the client passes, its auth), or drop it"
        : "this session id is read by the request routing, not by a tool, and goes with that routing when it becomes one handler (the routing's own findings say what stands in the way)"]);
      continue;
    }
    // A session id this rule cannot follow inside a tool may key any map: then no map is touched.
    if (!use) return { ...nothing, why: stays("a session id in a tool keys nothing it can follow (a Map's get/set/has/delete, a record's index, a store's key written `kind:${id}`)") };
    if ("unfollowed" in use) return { ...nothing, why: stays(use.unfollowed) };
    if ("helper" in use) {
      unmovedEach.push([finding, `this session id is read in ${use.helper} off the context it is handed, not in a registerTool callback, where this rewrite would give the tool a handle parameter; what it keys stays keyed by session: give that a handle by hand (a create_* tool returns an id, each tool that reads it takes the id), then run migrate again`]);
      continue;
    }
    if ("failedMap" in use) {
      if (!failedMaps.has(use.failedMap)) failedMaps.set(use.failedMap, use.why);
      failedAt.push([finding, use.failedMap]);
    } else byMap.set(use.map, [...(byMap.get(use.map) ?? []), use]);
  }
  const edits: TextEdit[] = [];
  const handled: Finding[] = [];
  const tools = new Set<ts.CallExpression>();
  // Two maps keyed by one session held two sides of one thing: one handle should stand for
  // both, and which name it takes is a person's call. Reported, not guessed.
  const named = (map: string) => (map.startsWith(STORE) ? `the store's ${map.slice(STORE.length)}:… keys` : map);
  if (byMap.size > 1) return { ...nothing, why: stays(`${[...byMap.keys()].map(named).join(" and ")} are keyed by one session, and one handle should stand for both: keep them as ${[...byMap.keys()].some((map) => map.startsWith(STORE)) ? "one key" : "one map of an object"}`) };
  for (const [finding, map] of failedAt) unmovedEach.push([finding, stays(failedMaps.get(map)!)]);
  let runtime = "HandleMap";
  for (const [map, uses] of byMap) {
    const store = map.startsWith(STORE) ? map.slice(STORE.length) : undefined;
    const planned = failedMaps.has(map) ? undefined : store ? planStoreKeys(source, store, uses) : planMap(source, map, uses);
    if (!planned) {
      const kind = store ?? kindName(map);
      const why = stays(failedMaps.get(map) ?? `${named(map)} could not be given a handle here (a create_${kind} tool already exists, a tool's input schema is not an inline z.object, or the record is used in ways a Map cannot be)`);
      for (const use of uses) unmovedEach.push([use.finding, why]);
      continue;
    }
    if (store) runtime = "HandleKeys";
    edits.push(...planned);
    for (const use of uses) {
      handled.push(use.finding);
      tools.add(use.tool);
    }
  }
  return { edits, handled, tools, why: undefined, unmovedEach, runtime };
}

/** The prefix of a Use's `map` that stands for a store's key of a kind (`cart:${…}`), not a map. */
const STORE = "key:";

/** Follows one `X.sessionId` to the map it keys and the tool it sits in. */
/** Whether the finding is in the callback of a `setRequestHandler(…)` or `setNotificationHandler(…)`. */
function inRequestHandler(source: ts.SourceFile, finding: Finding): boolean {
  for (let node: ts.Node | undefined = nodeStartingAt(source, offsetOf(source, finding), ts.isPropertyAccessExpression); node; node = node.parent) {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^set(Request|Notification)Handler$/.test(node.expression.name.text)) return true;
  }
  return false;
}

/** `X.sessionId`, or the Mcp-Session-Id header read off a handler's context (`ctx.http?.req?.headers.get("mcp-session-id")`). */
function isSessionIdRead(node: ts.Node): node is ts.Expression {
  if (ts.isPropertyAccessExpression(node)) return node.name.text === "sessionId" && ts.isIdentifier(node.expression);
  const name = ts.isElementAccessExpression(node) ? node.argumentExpression : ts.isCallExpression(node) ? node.arguments[0] : undefined;
  return name !== undefined && sessionHeaderRead(name)?.read === node;
}

/** The context a session id read starts from: `ctx` of `ctx.sessionId`, of `ctx.http?.req?.headers.get(…)`. */
function contextOf(read: ts.Expression): string {
  if (ts.isPropertyAccessExpression(read)) return (read.expression as ts.Identifier).text;
  const name = ts.isElementAccessExpression(read) ? read.argumentExpression : (read as ts.CallExpression).arguments[0]!;
  return sessionHeaderRead(name)!.context.text;
}

/** Whether `key` is the left side of a fallback: `id ?? "anon"`, `id || undefined`. */
function isFallenBackFrom(key: ts.Expression): boolean {
  const parent = key.parent;
  return ts.isBinaryExpression(parent) && parent.left === key && (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken);
}

/**
 * A named helper that reads the session id off a context it is handed (`function agentFor(extra)
 * { … extra.sessionId … }`, called from tools): its name, for saying so. Not routing, whose
 * requests are no handler's context.
 */
function contextHelper(read: ts.Expression): string | undefined {
  const context = contextOf(read);
  const fn = enclosingFunction(read);
  if (!fn || !isHandlerContextName(context) || !fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === context)) return undefined;
  // A callback handed to a call (a resource's, a prompt's, setRequestHandler's) is served by the server, not called by tools.
  const named = fn.name && ts.isIdentifier(fn.name) ? fn.name : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
  return named && `${named.text}()`;
}

function resolve(source: ts.SourceFile, finding: Finding): Use | { failedMap: string; why: string } | { unfollowed: string } | { helper: string } | "elsewhere" | undefined {
  const read = nodeStartingAt(source, offsetOf(source, finding), isSessionIdRead);
  if (!read) {
    // `req.query.sessionId` and the like: not a handler context's, so routing's unless a tool reads it.
    const other = nodeStartingAt(source, offsetOf(source, finding), ts.isPropertyAccessExpression);
    return other && !enclosingTool(other) ? "elsewhere" : undefined;
  }
  let key: ts.Expression = read;
  while (ts.isNonNullExpression(key.parent) || ts.isParenthesizedExpression(key.parent) || ts.isAsExpression(key.parent) || isFallenBackFrom(key)) {
    key = key.parent as ts.Expression;
  }
  const store = storeKeyKind(key);
  const map = keyedMap(key) ?? copiedKeyMap(key) ?? (store && `${STORE}${store}`);
  if (!enclosingTool(read)) {
    // Routing code, which transport-routing replaces; but a map that a resource or a prompt
    // also reads by session cannot move to handles without leaving that read keyed by nothing.
    if (map && inRequestHandler(source, finding)) {
      // A low-level handler (`setRequestHandler("tools/call", …)`) serves every tool through one function.
      return { failedMap: map, why: `${map} is keyed by session in a request handler (setRequestHandler), whose tools this rewrite cannot give a handle parameter (registerTool's it can), and where a 2026-07-28 request has no session: the id is undefined there for every current client` };
    }
    const helper = contextHelper(read);
    if (helper && map) return { failedMap: map, why: `${map} is keyed by session in ${helper}, which is handed a context (its ${contextOf(read)}) instead of being a registerTool callback that a handle parameter can reach` };
    if (helper) return { helper };
    return map ? { failedMap: map, why: `${map} is also read by session outside a tool (a resource, a prompt, routing), where no handle parameter can reach` } : "elsewhere";
  }
  const callback = enclosingFunction(read);
  if (!map) {
    const callee = handedTo(key);
    return callee ? { unfollowed: `${read.getText(source)} is handed to ${callee}(), which may keep state by it where this rewrite does not follow (into a function, or another module)` } : undefined;
  }
  const fail = { failedMap: map, why: `${map} is read from a function that is not a registerTool callback taking the session's context as its last parameter` };
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return fail;
  const tool = callback.parent;
  if (!ts.isCallExpression(tool) || !ts.isPropertyAccessExpression(tool.expression) || tool.expression.name.text !== "registerTool" || tool.arguments.at(-1) !== callback) return fail;
  const contextParam = callback.parameters.at(-1);
  const context = contextOf(read);
  if (!contextParam || !ts.isIdentifier(contextParam.name) || contextParam.name.text !== context) return fail;
  if (!store && !isModuleMap(source, map)) return { failedMap: map, why: `${map} is not a Map or a record declared at module level with its value type` };
  return { finding, key, map, tool, callback, context };
}

/** The function a session id is handed to as an argument (`cartFor(ctx.sessionId)`), directly or through the constant it was copied into. */
function handedTo(key: ts.Expression): string | undefined {
  const calledWith = (node: ts.Node) => {
    const call = node.parent;
    return ts.isCallExpression(call) && call.arguments.includes(node as ts.Expression) && !isMapMethod(call) ? call.expression.getText() : undefined;
  };
  const direct = calledWith(key);
  if (direct) return direct;
  const declaration = key.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== key || !ts.isIdentifier(declaration.name)) return undefined;
  const scope = enclosingFunction(declaration);
  let found: string | undefined;
  const visit = (node: ts.Node) => {
    if (!found && ts.isIdentifier(node) && node.text === (declaration.name as ts.Identifier).text && node !== declaration.name) found = calledWith(node);
    node.forEachChild(visit);
  };
  if (scope) visit(scope);
  return found;
}

/** `carts.get(id)` and its kin: a map's own method, which keyedMap follows. */
function isMapMethod(call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.expression) && /^(get|set|has|delete)$/.test(call.expression.name.text);
}

/**
 * The map a session id copied into a constant keys (`const key = ctx.sessionId ?? "anon";` then
 * `carts.get(key)`), when every use of the constant in its function keys that one map. The
 * initializer is then what becomes the handle's `open`, and the constant keeps its name.
 */
function copiedKeyMap(key: ts.Expression): string | undefined {
  const declaration = key.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== key || !ts.isIdentifier(declaration.name)) return undefined;
  if (!isConst(declaration)) return undefined;
  const scope = enclosingFunction(declaration);
  if (!scope) return undefined;
  const name = declaration.name.text;
  const maps = new Set<string | undefined>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) maps.add(keyedMap(node));
    node.forEachChild(visit);
  };
  visit(scope);
  const [map] = maps;
  return maps.size === 1 ? map : undefined;
}

/**
 * The kind a session id names in a store's key: `cart` for `\`cart:${ctx.sessionId}\``,
 * `\`shop:cart:${…}\``, `\`carts/${…}\``. The text right before it must be a key's, not prose or a query.
 */
function storeKeyKind(key: ts.Expression): string | undefined {
  const span = key.parent;
  if (!ts.isTemplateSpan(span) || span.expression !== key) return undefined;
  const template = span.parent;
  const index = template.templateSpans.indexOf(span);
  const before = index === 0 ? template.head.text : template.templateSpans[index - 1]!.literal.text;
  const match = /^[\w:/.-]*?([A-Za-z][A-Za-z0-9_-]*)[:/]$/.exec(before);
  return match ? kindName(match[1]!) : undefined;
}

/** The map a key is used on: `map.get(key)`, or the record it indexes: `record[key]`. */
function keyedMap(key: ts.Expression): string | undefined {
  const call = key.parent;
  if (ts.isCallExpression(call) && call.arguments[0] === key && ts.isPropertyAccessExpression(call.expression) && ts.isIdentifier(call.expression.expression)) {
    return call.expression.expression.text;
  }
  if (ts.isElementAccessExpression(call) && call.argumentExpression === key && ts.isIdentifier(call.expression)) return call.expression.text;
  if (ts.isBinaryExpression(call) && call.left === key && call.operatorToken.kind === ts.SyntaxKind.InKeyword && ts.isIdentifier(call.right)) return call.right.text;
  return undefined;
}

function isModuleMap(source: ts.SourceFile, name: string): boolean {
  return source.statements.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name && stateDeclaration(d, isJavaScript(source.fileName)) !== undefined));
}

interface StateDeclaration {
  /** What becomes `= new HandleMap<T>(…)`: the initializer of a Map, annotation and `{}` of a record. */
  replace: { start: number; end: number; prefix: string };
  /** The state's type as written; undefined in JavaScript. */
  valueType: string | undefined;
  record: boolean;
}

/**
 * `new Map<string, T>()` (or `new Map()` under a `Map<string, T>` annotation), or a record:
 * `Record<string, T>` / `{ [id: string]: T }` starting as `{}`; in JavaScript, `new Map()` or
 * `{}`. Undefined for anything else.
 */
function stateDeclaration(declaration: ts.VariableDeclaration, javaScript: boolean): StateDeclaration | undefined {
  const init = declaration.initializer;
  const type = declaration.type;
  if (!init) return undefined;
  let valueType: ts.TypeNode | undefined;
  let record = false;
  if (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "Map" && !init.arguments?.length) {
    const typeArgs = init.typeArguments ?? (type && ts.isTypeReferenceNode(type) ? type.typeArguments : undefined);
    if (typeArgs?.length === 2 && typeArgs[0]!.kind === ts.SyntaxKind.StringKeyword) valueType = typeArgs[1];
  } else if (ts.isObjectLiteralExpression(init) && init.properties.length === 0 && (type || javaScript)) {
    record = true;
    if (!type) {
      // JavaScript: an untyped record.
    } else if (ts.isTypeReferenceNode(type) && type.typeName.getText() === "Record" && type.typeArguments?.length === 2 && type.typeArguments[0]!.kind === ts.SyntaxKind.StringKeyword) {
      valueType = type.typeArguments[1];
    } else if (ts.isTypeLiteralNode(type) && type.members.length === 1) {
      const index = type.members[0]!;
      if (ts.isIndexSignatureDeclaration(index) && index.parameters[0]?.type?.kind === ts.SyntaxKind.StringKeyword) valueType = index.type;
    }
  }
  const untyped = javaScript && !valueType && (record || (ts.isNewExpression(init) && !init.typeArguments));
  // Who the caller is is no state to hand out handles for: session-auth reads it per request.
  if ((!valueType && !untyped) || (valueType && /^AuthInfo\b/.test(valueType.getText()))) return undefined;
  const replace = record ? { start: declaration.name.getEnd(), end: init.getEnd(), prefix: " = " } : { start: init.getStart(), end: init.getEnd(), prefix: "" };
  return { replace, valueType: valueType?.getText(), record };
}

function planMap(source: ts.SourceFile, map: string, uses: Use[]): TextEdit[] | undefined {
  const kind = kindName(map);
  const { param, createTool } = handleNames(kind);
  if (source.text.includes(`"${createTool}"`) || source.text.includes(`'${createTool}'`)) return undefined;
  const declaration = source.statements.flatMap((s) => (ts.isVariableStatement(s) ? [...s.declarationList.declarations] : [])).find((d) => ts.isIdentifier(d.name) && d.name.text === map)!;
  const state = stateDeclaration(declaration, isJavaScript(source.fileName))!;
  const typeArgument = state.valueType === undefined ? "" : `<${state.valueType}>`;
  const edits: TextEdit[] = [
    { start: state.replace.start, end: state.replace.end, text: `${state.replace.prefix}new HandleMap${typeArgument}("${kind}", { createTool: "${createTool}" })` },
  ];

  const tools = [...new Set(uses.map((u) => u.tool))].sort((a, b) => a.pos - b.pos);
  for (const tool of tools) {
    const toolUses = uses.filter((u) => u.tool === tool);
    const callback = toolUses[0]!.callback;
    const input = addToolParameter(source, tool, callback, param, handleField(kind), takesHandle(kind));
    if (!input) return undefined;
    edits.push(...input.edits);
    for (const use of toolUses) edits.push({ start: use.key.getStart(source), end: use.key.getEnd(), text: `${map}.open(${input.read}, ${use.context})` });
  }
  if (state.record) {
    const converted = recordToMap(source, map, declaration, edits);
    if (!converted) return undefined;
    edits.splice(0, edits.length, ...converted);
  }

  // The create tool goes right before the first tool that needs its handle.
  const first = statementOf(tools[0]!);
  const server = (tools[0]!.expression as ts.PropertyAccessExpression).expression.getText(source);
  const indent = indentOf(source, first);
  // Above the statement's own comment, which speaks of the statement, not of the new tool.
  const comments = ts.getLeadingCommentRanges(source.text, first.getFullStart()) ?? [];
  const lineStart = source.text.lastIndexOf("\n", (comments[0]?.pos ?? first.getStart(source)) - 1) + 1;
  edits.push({ start: lineStart, end: lineStart, text: `${indent}${createToolStatement(server, kind, map)}\n` });
  return edits;
}

/**
 * A store's keys of one kind, keyed by a signed handle instead of the session: a module-level
 * `HandleKeys` for the kind, a create tool before the first tool that uses it, and each key's
 * session id replaced with the handle the tool now takes, opened.
 */
function planStoreKeys(source: ts.SourceFile, kind: string, uses: Use[]): TextEdit[] | undefined {
  const { param, createTool } = handleNames(kind);
  if (source.text.includes(`"${createTool}"`) || source.text.includes(`'${createTool}'`)) return undefined;
  const camel = kind.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const keys = [`${camel}Keys`, `${camel}Handles`].find((name) => !mentions(source, name));
  if (!keys) return undefined;
  const edits: TextEdit[] = [];
  const tools = [...new Set(uses.map((u) => u.tool))].sort((a, b) => a.pos - b.pos);
  for (const tool of tools) {
    const toolUses = uses.filter((u) => u.tool === tool);
    const input = addToolParameter(source, tool, toolUses[0]!.callback, param, handleField(kind), takesHandle(kind));
    if (!input) return undefined;
    edits.push(...input.edits);
    for (const use of toolUses) edits.push({ start: use.key.getStart(source), end: use.key.getEnd(), text: `${keys}.open(${input.read}, ${use.context})` });
  }
  const first = statementOf(tools[0]!);
  const server = (tools[0]!.expression as ts.PropertyAccessExpression).expression.getText(source);
  const lineStart = (node: ts.Node, at: number) => source.text.lastIndexOf("\n", (ts.getLeadingCommentRanges(source.text, node.getFullStart())?.[0]?.pos ?? at) - 1) + 1;
  const lifetime = "A handle expires an hour after it is made.";
  edits.push({ start: lineStart(first, first.getStart(source)), end: lineStart(first, first.getStart(source)), text: `${indentOf(source, first)}${createToolStatement(server, kind, keys, undefined, lifetime)}\n` });
  // The kind's handles, at module level above the code that registers the tools.
  const top = topLevelStatement(tools[0]!);
  const at = lineStart(top, top.getStart(source));
  const words = kind.replace(/_/g, " ");
  edits.push({ start: at, end: at, text: `// Each ${words} stays in the store, under a handle any instance can check (set MCP_HANDLE_SECRET on every one).\nconst ${keys} = new HandleKeys("${kind}", { createTool: "${createTool}" });\n\n` });
  return edits;
}

/**
 * A record's every use, in Map terms: `r[k]` → `r.get(k)!` (a record read's type, T), `r[k] = v;`
 * → `r.set(k, v);`, `delete r[k]` → `r.delete(k)`, `k in r` → `r.has(k)`. The edits already
 * planned inside a converted expression (the keys) are folded into it. Any other use (`??=`,
 * `Object.keys(r)`, a spread) and the record is left alone.
 */
function recordToMap(source: ts.SourceFile, name: string, declaration: ts.VariableDeclaration, planned: TextEdit[]): TextEdit[] | undefined {
  const conversions: Array<{ node: ts.Node; text: (sub: (node: ts.Node) => string) => string }> = [];
  let ok = true;
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      const parent = node.parent;
      if (ts.isElementAccessExpression(parent) && parent.expression === node) {
        const key = parent.argumentExpression;
        const outer = parent.parent;
        const assigns = ts.isBinaryExpression(outer) && outer.left === parent && outer.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && outer.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
        if (assigns) {
          // Only a plain `r[k] = v;` statement has a Map equivalent of the same meaning.
          if (outer.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isExpressionStatement(outer.parent)) return void (ok = false);
          const value = outer.right;
          conversions.push({ node: outer, text: (sub) => `${name}.set(${sub(key)}, ${sub(value)})` });
        } else if (ts.isDeleteExpression(outer)) {
          conversions.push({ node: outer, text: (sub) => `${name}.delete(${sub(key)})` });
        } else if (isReassigned(parent)) {
          return void (ok = false);
        } else {
          // Where undefined is what the code asks about (`!r[k]`, `r[k] ?? d`), no `!` to deny it.
          const asksForUndefined = (ts.isPrefixUnaryExpression(outer) && outer.operator === ts.SyntaxKind.ExclamationToken) || (ts.isBinaryExpression(outer) && outer.left === parent && outer.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken);
          conversions.push({ node: parent, text: (sub) => `${name}.get(${sub(key)})${asksForUndefined ? "" : "!"}` });
        }
      } else if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.InKeyword) {
        const key = parent.left;
        conversions.push({ node: parent, text: (sub) => `${name}.has(${sub(key)})` });
      } else {
        ok = false;
      }
      return;
    }
    node.forEachChild(visit);
  };
  visit(source);
  if (!ok) return undefined;

  // Innermost first, so an outer conversion takes in the inner ones already made.
  let edits = [...planned];
  for (const { node, text } of conversions.sort((a, b) => a.node.getWidth(source) - b.node.getWidth(source))) {
    const sub = (inner: ts.Node): string => {
      const start = inner.getStart(source);
      const end = inner.getEnd();
      const inside = edits.filter((e) => e.start >= start && e.end <= end);
      edits = edits.filter((e) => !inside.includes(e));
      return apply(source.text.slice(start, end), inside.map((e) => ({ ...e, start: e.start - start, end: e.end - start })));
    };
    const converted = text(sub); // first: sub() takes the inner edits out of `edits`
    edits.push({ start: node.getStart(source), end: node.getEnd(), text: converted });
  }
  return edits;
}

/** `cartsBySession` → `cart`, `shoppingCarts` → `shopping_cart`, `sessions` → `state`. */
export function kindName(map: string): string {
  let name = map.replace(/(By|Per|For)Sessions?$/i, "").replace(/^sessions?(?=[A-Z_])/i, "").replace(/Sessions?$/i, "");
  if (/^(sessions?|state|store|data|map)?$/i.test(name)) name = "state";
  const snake = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  return snake.replace(/([^s])s$/, "$1");
}
