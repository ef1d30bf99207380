/**
 * State a session's server was built with → handles. When the routing built each session's
 * server from something it made for that session (`const calc = new Calculator();` then
 * `buildServer(calc).connect(transport)`), the factory's parameter was state that lived as long
 * as the session. It moves behind handles, as session-state does for maps keyed by session:
 *  - a module-level HandleMap holds it per handle (handle-map.ts);
 *  - a `create_calc` tool makes a handle whose state starts as a session's did (`new Calculator()`);
 *  - each tool that used `calc` takes `calc_id` and opens its own state first thing;
 *  - the factory takes nothing, so the next pass of transport-routing makes the routing one
 *    stateless handler.
 * Anything it cannot follow (the state read outside tools or reassigned, handed to anything
 * else in the routing, made from the request; a factory exported or called elsewhere) and
 * nothing moves: the routing's findings then say what to do first.
 */
import ts from "typescript";
import { enclosingTool, isReassigned } from "../../analysis/rule.ts";
import { indentUnitOf } from "../../style.ts";
import { createToolStatement, handleField, handleNames, takesHandle } from "../handle-tools.ts";
import { addToolParameter, firstStatement } from "../tool-input.ts";
import { attachedStart, declarationIn, declaredNames, indentOf, isConst, isJavaScript, mentions, moduleFunction, readsAny, references, statementOf, topLevelStatement, unwrap, type ImportNeed, type MigrationContext, type TextEdit } from "../rule.ts";
import { kindName } from "./session-state.ts";

/** The call that builds each session's server from arguments: `buildServer(calc)` in `buildServer(calc).connect(t)`. */
export function serverBuiltFrom(router: ts.Node): ts.CallExpression | undefined {
  let given: ts.CallExpression | undefined;
  const visit = (node: ts.Node) => {
    if (!given && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "connect") {
      let receiver = unwrap(node.expression.expression);
      if (ts.isIdentifier(receiver)) receiver = unwrap(declarationIn(router, receiver.text)?.initializer ?? receiver);
      if (ts.isCallExpression(receiver) && receiver.arguments.length > 0) given = receiver;
    }
    node.forEachChild(visit);
  };
  visit(router);
  return given;
}

export function moveSessionServerState(
  source: ts.SourceFile,
  routers: readonly ts.FunctionLikeDeclaration[],
  context: MigrationContext,
): { edits: TextEdit[]; imports: ImportNeed[]; parameterised: ts.CallExpression[] } | undefined {
  const builds = routers.flatMap((router) => {
    const call = serverBuiltFrom(router);
    return call ? [{ router, call }] : [];
  });
  if (builds.length !== 1) return undefined;
  const { router, call } = builds[0]!;
  const [argument] = call.arguments;
  if (call.arguments.length !== 1 || !argument || !ts.isIdentifier(argument) || !ts.isIdentifier(call.expression)) return undefined;
  const found = moduleFunction(source, call.expression.text);
  const factory = found && (ts.isFunctionDeclaration(found) || ts.isBlock(found.body)) ? found : undefined;
  const parameter = factory?.parameters[0];
  if (!factory || factory.parameters.length !== 1 || !parameter || !ts.isIdentifier(parameter.name) || parameter.initializer || parameter.dotDotDotToken) return undefined;
  // Every other caller would still hand it state; one in another file cannot be seen.
  if (references(source, call.expression.text).length !== 2 || isExported(factory)) return undefined;

  const made = sessionValue(source, router, argument.text);
  if (!made) return undefined;
  const type = parameter.type?.getText(source) ?? (ts.isNewExpression(made) && ts.isIdentifier(made.expression) ? made.expression.text : undefined);
  const removed: TextEdit[] = [
    { start: parameter.getStart(source), end: source.text[parameter.getEnd()] === "," ? parameter.getEnd() + 1 : parameter.getEnd(), text: "" },
    { start: call.arguments.pos, end: call.arguments.end, text: "" },
  ];
  const state = parameter.name.text;
  const moved = stateBehindHandles(source, factory, { name: state, kind: kindName(state), type, initial: made.getText(source), why: "What each session's server was given" }, context);
  return moved && { ...moved, edits: [...removed, ...moved.edits] };
}

/** State a factory's tools share, to be kept per handle. */
export interface FactoryState {
  /** The variable (or parameter) the tools use. */
  name: string;
  /** The handle kind: `create_<kind>`, `<kind>_id`. */
  kind: string;
  /** Its type as written (undefined in JavaScript). */
  type: string | undefined;
  /** What a new handle's state starts as. */
  initial: string;
  /** What it was, for the comment above its HandleMap. */
  why: string;
  /**
   * A value the tools reassign (`count++`): kept as `{ value }`, so that a handle's state is still
   * changed in place, and each use in the tools reads and writes `count.value`.
   */
  boxed?: boolean;
}

/**
 * The state behind handles: a module-level HandleMap before the factory, a create tool before
 * the first tool that uses it, and each of those tools taking the handle and opening its own
 * state under the old name first thing. Undefined when a use is not in a registerTool callback,
 * the state is reassigned, or a name it needs is taken. (The state's own declaration or
 * parameter is the caller's to remove.)
 */
export function stateBehindHandles(
  source: ts.SourceFile,
  factory: ts.FunctionLikeDeclaration,
  { name: state, kind, type, initial, why, boxed = false }: FactoryState,
  context: MigrationContext,
  declaration?: ts.Node,
): { edits: TextEdit[]; imports: ImportNeed[]; parameterised: ts.CallExpression[] } | undefined {
  const javaScript = isJavaScript(source.fileName);
  if (!type && !javaScript) return undefined;
  const uses = toolUses(factory, state, declaration, boxed);
  if (!uses || uses.size === 0) return undefined;
  const { param, createTool } = handleNames(kind);
  const map = `${state}Handles`;
  if (source.text.includes(`"${createTool}"`) || source.text.includes(`'${createTool}'`) || mentions(source, map)) return undefined;

  const edits: TextEdit[] = [];
  const unit = indentUnitOf(source.text);
  const tools = [...uses.keys()].sort((a, b) => a.pos - b.pos);
  for (const tool of tools) {
    const callback = uses.get(tool)!;
    // A context parameter another rule adds to it this pass would be added twice: the next pass moves this.
    if (context.parameterised.has(tool) && callback.parameters.length < 2) return undefined;
    // A callback that declares a name of the state's own, or the handle's, would be read wrong.
    const declared = declaredNames(callback);
    if (declared.has(state) || declared.has(param)) return undefined;
    const input = addToolParameter(source, tool, callback, param, handleField(kind), takesHandle(kind), true);
    if (!input?.context) return undefined;
    const open = `const ${state} = ${map}.get(${map}.open(${input.read}, ${input.context}))${javaScript ? "" : "!"};`;
    edits.push(...input.edits, firstStatement(source, callback, open, unit));
    if (boxed) {
      // An expression body is rewritten whole by firstStatement: the uses in it would be lost.
      if (!ts.isBlock(callback.body)) return undefined;
      edits.push(...valueUses(source, callback.body, state));
    }
  }

  const anchor = topLevelStatement(factory);
  const at = source.text.lastIndexOf("\n", attachedStart(source, anchor) - 1) + 1;
  edits.push({
    start: at,
    end: at,
    text: `// ${why}, now kept per handle: ${createTool} makes one, the tools that use it take ${param}.\nconst ${map} = new HandleMap${type ? `<${type}>` : ""}("${kind}", { createTool: "${createTool}" });\n\n`,
  });
  // The create tool goes right before the first tool that needs its handle.
  const first = statementOf(tools[0]!);
  const server = (tools[0]!.expression as ts.PropertyAccessExpression).expression.getText(source);
  const lineStart = source.text.lastIndexOf("\n", attachedStart(source, first) - 1) + 1;
  edits.push({ start: lineStart, end: lineStart, text: `${indentOf(source, first)}${createToolStatement(server, kind, map, initial)}\n` });
  return { edits, imports: [{ module: context.handleRuntime, name: "HandleMap" }, { module: "zod", name: "z" }], parameterised: tools };
}

/** Each use of `name` in a body made a use of `name.value` (`{ name }` becoming `{ name: name.value }`). */
function valueUses(source: ts.SourceFile, body: ts.Block, name: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === name && !isMemberName(node)) {
      const shorthand = ts.isShorthandPropertyAssignment(node.parent);
      edits.push({ start: node.getStart(source), end: node.getEnd(), text: shorthand ? `${name}: ${name}.value` : `${name}.value` });
    }
    node.forEachChild(visit);
  };
  visit(body);
  return edits;
}

function isExported(fn: ts.Node): boolean {
  const statement = topLevelStatement(fn);
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * What the routing made for the session and built its server from (`new Calculator()`), when
 * it uses nothing of the request's, and the routing does nothing else with it than keep it
 * beside the transport (`sessions[id] = { transport, calc }`), which goes with the routing.
 */
function sessionValue(source: ts.SourceFile, router: ts.Node, name: string): ts.Expression | undefined {
  const declaration = declarationIn(router, name);
  if (!declaration?.initializer || !isConst(declaration)) return undefined;
  if (readsAny([declaration.initializer], declaredNames(router))) return undefined;
  const uses: ts.Identifier[] = [];
  const find = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && !isMemberName(node)) uses.push(node);
    node.forEachChild(find);
  };
  find(router);
  const passedTo = uses.filter((id) => ts.isCallExpression(id.parent) && id.parent.arguments.includes(id));
  const keptBeside = (id: ts.Identifier) => ts.isShorthandPropertyAssignment(id.parent) || (ts.isPropertyAssignment(id.parent) && id.parent.initializer === id);
  return passedTo.length === 1 && uses.every((id) => passedTo.includes(id) || keptBeside(id)) ? declaration.initializer : undefined;
}

/** `x.calc`, `{ calc: … }`, `calc: Calculator` in a type: a member's name, not the variable. */
function isMemberName(id: ts.Identifier): boolean {
  const parent = id.parent;
  return (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === id;
}

/**
 * Each tool in the factory that reads the state, with its callback; undefined when the state is
 * used anywhere else (but in `declaration`, its own) or assigned (unless `assignable`).
 */
function toolUses(factory: ts.FunctionLikeDeclaration, state: string, declaration?: ts.Node, assignable = false): Map<ts.CallExpression, ts.ArrowFunction | ts.FunctionExpression> | undefined {
  const uses = new Map<ts.CallExpression, ts.ArrowFunction | ts.FunctionExpression>();
  let ok = true;
  const visit = (node: ts.Node) => {
    if (node === declaration) return;
    if (ts.isIdentifier(node) && node.text === state && !isMemberName(node) && !ts.isParameter(node.parent)) {
      const tool = enclosingTool(node);
      const callback = tool?.call.arguments.at(-1);
      const assigned = isReassigned(node);
      if (!tool || tool.callback !== callback || !callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || (tool.call.expression as ts.PropertyAccessExpression).name.text !== "registerTool" || (assigned && !assignable)) ok = false;
      else uses.set(tool.call, callback);
    }
    node.forEachChild(visit);
  };
  if (factory.body) visit(factory.body);
  return ok ? uses : undefined;
}
