/**
 * SDK v1's `setRequestHandler(Schema, handler)` took any object for a result (its result types
 * admitted unknown keys), so a low-level server could build its results without a type: a
 * `const TOOLS = [...]` list, a `textResult(text)` helper. v2's `setRequestHandler("tools/call", …)`
 * types the result by method, and such values, inferred as `type: string` where the protocol has
 * `"text"` or `"object"`, stop type-checking after the codemod, though nothing about them is wrong.
 * Their declarations get the SDK's type (`const TOOLS: Tool[]`, `function textResult(…): CallToolResult`),
 * so the literals are typed where they are written and checked there. A value written inline in
 * the handler needs nothing: the handler's own type reaches it. Values a handler imports from
 * another module of the project are that module's to type: `importedDemands` says what each
 * module is asked for, read off the handlers' file, and `typedResults` takes it. Pure: text in, text out.
 */
import ts from "typescript";
import { importedName, nearestDeclaration } from "../analysis/rule.ts";
import { addImports, applyInFileStyle } from "./imports.ts";
import { exportedLocal, importOf, isJavaScript, moduleFunction, references, unwrap, walkCalls, type ImportNeed, type TextEdit } from "./rule.ts";

const SDK = "@modelcontextprotocol/server";

/** What each method's handler returns: its result type, and for a list, the key and element type. */
const RESULTS: Record<string, Method> = {
  "tools/list": { result: "ListToolsResult", list: ["tools", "Tool"] },
  "tools/call": { result: "CallToolResult" },
  "prompts/list": { result: "ListPromptsResult", list: ["prompts", "Prompt"] },
  "prompts/get": { result: "GetPromptResult" },
  "resources/list": { result: "ListResourcesResult", list: ["resources", "Resource"] },
  "resources/templates/list": { result: "ListResourceTemplatesResult", list: ["resourceTemplates", "ResourceTemplate"] },
  "resources/read": { result: "ReadResourceResult" },
  "completion/complete": { result: "CompleteResult" },
};
/** v1 named the method by its request's schema; the codemod turns these into the strings above. */
const V1_SCHEMAS: Record<string, string> = {
  ListToolsRequestSchema: "tools/list",
  CallToolRequestSchema: "tools/call",
  ListPromptsRequestSchema: "prompts/list",
  GetPromptRequestSchema: "prompts/get",
  ListResourcesRequestSchema: "resources/list",
  ListResourceTemplatesRequestSchema: "resources/templates/list",
  ReadResourceRequestSchema: "resources/read",
  CompleteRequestSchema: "completion/complete",
};

interface Method {
  result: string;
  list?: readonly [key: string, element: string];
}

/**
 * What a handler asks of a name another module exports: `call`, a function whose results are the
 * method's (the handler itself, or a helper it returns the result of); `value`, a result;
 * `list`, the array of a list result; `element`, one entry of it.
 */
export interface ResultDemand {
  exported: string;
  role: "call" | "value" | "list" | "element" | "member";
  method: string;
  /** For `member`: the method of the exported class whose results are the method's. */
  member?: string;
}

/** How far a helper's own returns are followed into the helpers it calls. */
const DEPTH = 3;

type Helper = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;
/** A type to write on a declaration: an SDK type's name, and how the declaration holds it. */
interface Wanted {
  name: string;
  form: "one" | "list" | "promise";
  conflict?: boolean;
}
const spell = { one: (name: string) => name, list: (name: string) => `${name}[]`, promise: (name: string) => `Promise<${name}>` };

const HANDLERS = /\.setRequestHandler\s*\(/;

/**
 * What the low-level handlers of a file, and what other modules `asked` of it, ask of the modules
 * it imports, by specifier: a helper this module exports may return what a third one builds.
 */
export function importedDemands(file: string, text: string, asked: readonly ResultDemand[] = []): Map<string, ResultDemand[]> {
  const demands = new Map<string, ResultDemand[]>();
  if (isJavaScript(file) || (!HANDLERS.test(text) && asked.length === 0)) return demands;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const annotate = annotator(source, (specifier, demand) => demands.set(specifier, [...(demands.get(specifier) ?? []), demand]));
  annotate.handlers();
  for (const demand of asked) annotate.exported(demand);
  return demands;
}

/** The file with SDK types on the declarations its handlers' results, and `demands` from other modules, come from. */
export function typedResults(file: string, text: string, demands: readonly ResultDemand[] = []): string {
  if (isJavaScript(file) || (!HANDLERS.test(text) && demands.length === 0)) return text;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const annotate = annotator(source, () => {});
  annotate.handlers();
  for (const demand of demands) annotate.exported(demand);

  const edits: TextEdit[] = [];
  const imports: ImportNeed[] = [];
  for (const [node, { name, form, conflict }] of annotate.wanted) {
    // The name the file imports the type by; its own name, imported, where the file uses it for nothing else.
    const imported = importedName(source, SDK, name);
    const free = !imported && references(source, name).length === 0;
    if (conflict || (!imported && !free)) continue;
    if (free && !imports.some((need) => need.name === `type ${name}`)) imports.push({ module: SDK, name: `type ${name}` });
    const at = ts.isVariableDeclaration(node) ? node.name.getEnd() : closeParen(node, source)!;
    edits.push({ start: at, end: at, text: `: ${spell[form](imported ?? name)}` });
    // `[…] as const` made the list readonly, which a result's list is not: the type says what it holds now.
    const readonly = ts.isVariableDeclaration(node) && node.initializer && asConstArray(node.initializer) ? node.initializer : undefined;
    if (readonly && ts.isAsExpression(readonly)) edits.push({ start: readonly.expression.getEnd(), end: readonly.getEnd(), text: "" });
  }
  return edits.length === 0 ? text : applyInFileStyle(file, text, [...edits, ...addImports(source, imports)]);
}

/**
 * Follows what handlers return back to the declarations to type (`wanted`); a name imported
 * from another module goes to `elsewhere` with what is asked of it.
 */
function annotator(source: ts.SourceFile, elsewhere: (specifier: string, demand: ResultDemand) => void) {
  // The SDK type each declaration should have; a declaration two handlers want differently keeps none.
  const wanted = new Map<ts.VariableDeclaration | Helper, Wanted>();
  const want = (node: ts.VariableDeclaration | Helper, name: string, form: Wanted["form"]) => {
    const had = wanted.get(node);
    if (!had) wanted.set(node, { name, form });
    else if (had.name !== name || had.form !== form) had.conflict = true;
  };
  /** A name the file does not declare: when an import binds it, the demand goes to its module. */
  const imported = (name: ts.Identifier, role: ResultDemand["role"], method: string, member?: string) => {
    const from = importOf(source, name.text);
    if (from) elsewhere(from.specifier, { exported: from.name, role, method, ...(member ? { member } : {}) });
  };

  /** A value a handler (or a helper of one) returns for `method`. */
  const value = (expression: ts.Expression, method: string, depth: number): void => {
    const e = unwrap(expression);
    const { result, list } = RESULTS[method]!;
    if (ts.isConditionalExpression(e)) {
      value(e.whenTrue, method, depth);
      value(e.whenFalse, method, depth);
    } else if (ts.isObjectLiteralExpression(e) && list) {
      const entry = e.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === list[0]);
      if (entry && ts.isShorthandPropertyAssignment(entry)) listVariable(entry.name, method);
      else if (entry && ts.isPropertyAssignment(entry)) listValue(entry.initializer, method);
    } else if (ts.isIdentifier(e)) {
      const declaration = nearestDeclaration(e);
      if (!declaration) imported(e, "value", method);
      else if (untyped(declaration, ts.isObjectLiteralExpression)) want(declaration, result, "one");
      // `const result = await this.router.callTool(…); return result;`: what the call returns.
      else if (!declaration.type && declaration.initializer && ts.isCallExpression(unwrap(declaration.initializer))) value(declaration.initializer, method, depth);
    } else if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && depth < DEPTH) {
      const helper = moduleFunction(source, e.expression.text);
      if (helper) returning(helper, method, depth + 1);
      else imported(e.expression, "call", method);
    } else if (ts.isCallExpression(e) && depth < DEPTH) {
      // `this.handleForecast(args)`: a method of the class the handler is set up in.
      const helper = ownMethod(e);
      if (helper) returning(helper, method, depth + 1);
      // `this.router.callTool(…)`: a method of the class a field is typed with, here or in the module it is imported from.
      const held = helper ? undefined : fieldMethod(e);
      if (held) {
        const local = classMethod(source, held.type.text, held.member);
        if (local) returning(local, method, depth + 1);
        else imported(held.type, "member", method, held.member);
      }
    }
  };

  /** `tools: TOOLS`, or `tools: [ADD_TOOL, ...MORE_TOOLS]`. */
  const listValue = (expression: ts.Expression, method: string) => {
    const e = unwrap(expression);
    if (ts.isIdentifier(e)) listVariable(e, method);
    else if (ts.isArrayLiteralExpression(e)) items(e, method);
  };
  /** The entries of a list written out, each typed by its own declaration. */
  const items = (array: ts.ArrayLiteralExpression, method: string) => {
    for (const item of array.elements) {
      if (ts.isSpreadElement(item) && ts.isIdentifier(item.expression)) listVariable(item.expression, method);
      if (ts.isIdentifier(item)) {
        const declaration = nearestDeclaration(item);
        if (declaration) element(declaration, method);
        else imported(item, "element", method);
      }
    }
  };
  const listVariable = (name: ts.Identifier, method: string) => {
    const declaration = nearestDeclaration(name);
    if (declaration) list(declaration, method);
    else imported(name, "list", method);
  };
  const list = (variable: ts.VariableDeclaration | undefined, method: string) => {
    const declaration = untyped(variable, (init) => ts.isArrayLiteralExpression(init) || asConstArray(init) !== undefined);
    if (!declaration) return;
    want(declaration, RESULTS[method]!.list![1], "list");
    items(asConstArray(declaration.initializer!) ?? (declaration.initializer as ts.ArrayLiteralExpression), method);
  };
  const element = (variable: ts.VariableDeclaration | undefined, method: string) => {
    const declaration = untyped(variable, ts.isObjectLiteralExpression);
    if (declaration) want(declaration, RESULTS[method]!.list![1], "one");
  };

  /** A function whose results are the method's: typed itself, and what it returns followed. */
  const returning = (fn: Helper, method: string, depth: number) => {
    if (fn.type) return;
    const values = returnedValues(fn);
    const async = isAsync(fn);
    // A plain function may hand back a promise it did not make itself: typed only when it builds the result.
    if (closeParen(fn, source) !== undefined && (async || values.every(buildsObject))) want(fn, RESULTS[method]!.result, async ? "promise" : "one");
    for (const v of values) value(v, method, depth);
  };

  return {
    wanted,
    /** Each `setRequestHandler` of a method with a typed result. */
    handlers() {
      walkCalls(source, "setRequestHandler", (call) => {
        const [named, handler] = call.arguments;
        const method = named && (ts.isStringLiteralLike(named) ? named.text : ts.isIdentifier(named) ? V1_SCHEMAS[named.text] : undefined);
        if (!method || !RESULTS[method] || !handler) return;
        // An inline handler is typed by setRequestHandler; one passed by name is typed by its declaration.
        if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) {
          const values = returnedValues(handler);
          for (const v of values) value(v, method, 0);
          if (!handler.type && closeParen(handler, source) !== undefined && values.some((v) => listsInline(v, RESULTS[method]!))) want(handler, RESULTS[method]!.result, isAsync(handler) ? "promise" : "one");
        } else if (ts.isIdentifier(handler)) {
          const fn = moduleFunction(source, handler.text);
          if (fn) returning(fn, method, 0);
          else imported(handler, "call", method);
        }
      });
    },
    /** What another module's handlers ask of a name this one exports. */
    exported({ exported, role, method, member: demandedMember }: ResultDemand) {
      if (!RESULTS[method]) return;
      const local = exportedLocal(source, exported);
      if (local === undefined) return;
      if (role === "call") {
        const fn = moduleFunction(source, local);
        if (fn) returning(fn, method, 1);
        return;
      }
      if (role === "member") {
        const fn = demandedMember && classMethod(source, local, demandedMember);
        if (fn) returning(fn, method, 1);
        return;
      }
      const variable = moduleVariable(source, local);
      if (role === "list") list(variable, method);
      else if (role === "element") element(variable, method);
      else {
        const declaration = untyped(variable, ts.isObjectLiteralExpression);
        if (declaration) want(declaration, RESULTS[method]!.result, "one");
      }
    },
  };
}

/** The method `this.name(…)` calls, declared with a body in the class the call is written in. */
function ownMethod(call: ts.CallExpression): ts.MethodDeclaration | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const owner = classAround(call);
  return owner && methodOf(owner, callee.name.text);
}

/** The class a node is written in. */
function classAround(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  let owner: ts.Node | undefined = node.parent;
  while (owner && !ts.isClassLike(owner)) owner = owner.parent;
  return owner;
}

/** A class's method by name, one with a body. */
function methodOf(owner: ts.ClassLikeDeclaration, name: string): ts.MethodDeclaration | undefined {
  return owner.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name && m.body !== undefined);
}

/**
 * `this.field.name(…)`, where the class declares `field` (a property, or a constructor's parameter
 * property) with a plain type name: that name and the method called.
 */
function fieldMethod(call: ts.CallExpression): { type: ts.Identifier; member: string } | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isPropertyAccessExpression(callee.expression) || callee.expression.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const field = callee.expression.name.text;
  const owner = classAround(call);
  if (!owner) return undefined;
  const constructor = owner.members.find(ts.isConstructorDeclaration);
  const declared = [...owner.members.filter(ts.isPropertyDeclaration), ...(constructor?.parameters.filter((p) => ts.getModifiers(p)?.length) ?? [])]
    .find((d) => ts.isIdentifier(d.name) && d.name.text === field);
  const type = declared?.type;
  return type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && !type.typeArguments ? { type: type.typeName, member: callee.name.text } : undefined;
}

/** The method `member`, with a body, of the class `name` declares at module level. */
function classMethod(source: ts.SourceFile, name: string, member: string): ts.MethodDeclaration | undefined {
  const declared = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name);
  return declared && methodOf(declared, member);
}

/** A variable declared at module level by name. */
function moduleVariable(source: ts.SourceFile, name: string): ts.VariableDeclaration | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (found) return found;
  }
  return undefined;
}

/** `[…] as const`: its array. */
function asConstArray(expression: ts.Expression): ts.ArrayLiteralExpression | undefined {
  const isConstType = (e: ts.AsExpression) => ts.isTypeReferenceNode(e.type) && e.type.typeName.getText() === "const";
  return ts.isAsExpression(expression) && isConstType(expression) && ts.isArrayLiteralExpression(expression.expression) ? expression.expression : undefined;
}

/** The declaration, when it has no type and is initialised with what `shape` accepts. */
function untyped(declaration: ts.VariableDeclaration | undefined, shape: (initializer: ts.Expression) => boolean): ts.VariableDeclaration | undefined {
  return declaration && !declaration.type && declaration.initializer && shape(declaration.initializer) ? declaration : undefined;
}

/** What a function returns: its expression body, or each `return` of its own (not a nested function's). */
function returnedValues(fn: Helper): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isReturnStatement(node) && node.expression) values.push(node.expression);
    else if (!ts.isFunctionLike(node)) node.forEachChild(visit);
  };
  fn.body.forEachChild(visit);
  return values;
}

/**
 * A tool list written out in the handler's result, two entries or more: `{ tools: [{ …, properties:
 * { key: {…} } }, { …, properties: { key: { oneOf: […] } } }] }`. setRequestHandler's result type
 * is a union, and through it TypeScript types such entries as one shape with the other's keys
 * made `?: undefined`, which a tool schema's JSON values do not take; a return type on the
 * handler types them as the list's.
 */
function listsInline(expression: ts.Expression, method: Method): boolean {
  const e = unwrap(expression);
  // Only a tool's schema holds JSON values (`properties`); other lists' entries type-check through the union.
  if (method.list?.[1] !== "Tool" || !ts.isObjectLiteralExpression(e)) return false;
  const entry = e.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === method.list![0]);
  return entry !== undefined && ts.isPropertyAssignment(entry) && ts.isArrayLiteralExpression(entry.initializer) && entry.initializer.elements.filter(ts.isObjectLiteralExpression).length > 1;
}

function isAsync(fn: Helper): boolean {
  return fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
}

/** Whether a returned value is an object the function builds (`{…}`, or one of two). */
function buildsObject(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  return ts.isObjectLiteralExpression(e) || (ts.isConditionalExpression(e) && buildsObject(e.whenTrue) && buildsObject(e.whenFalse));
}

/** The end of a function's parameter list, where a return type goes; none for `x => …`. */
function closeParen(fn: ts.SignatureDeclaration, source: ts.SourceFile): number | undefined {
  const paren = fn.getChildren(source).find((child) => child.kind === ts.SyntaxKind.CloseParenToken);
  return paren?.getEnd();
}
