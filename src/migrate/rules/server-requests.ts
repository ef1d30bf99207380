/**
 * A tool that asked its client mid-call → a tool that returns the question. 2026-07-28 has no
 * server→client requests: the tool answers `inputRequired(…)`, the client gathers the answer and
 * makes the same call again with it in `inputResponses`, on any instance. So
 *
 *   const answer = await server.server.elicitInput({ message, requestedSchema });
 *
 * at the top of a `registerTool` callback becomes
 *
 *   const question = inputRequired.elicit({ message, requestedSchema });
 *   const answer = inputResponse(ctx.mcpReq.inputResponses, "elicit");
 *   if (answer.kind !== "elicit") return inputRequired({ inputRequests: { elicit: question } });
 *
 * (sampling through `inputRequired.createMessage`, roots through `inputRequired.listRoots()`).
 * The retry runs the tool from the top, so what stands above the ask runs twice: rewritten only
 * where that is only computing values (declarations and early returns, nothing awaited or
 * assigned), with one ask in the tool. Anything else is a person's design, and stays a finding
 * that says what stands in the way.
 */
import ts from "typescript";
import type { Finding } from "../../analysis/rule.ts";
import { enclosingTool, importedName, nearestDeclaration } from "../../analysis/rule.ts";
import { ASK_METHODS, ASKS, methodOf, requestLiteral, type AskKind } from "../../analysis/rules/server-requests.ts";
import { awaits, enclosingFunction, indentOf, isConst, isJavaScript, nodeStartingAt, offsetOf, type ImportNeed, type Migration, type MigrationResult, type TextEdit } from "../rule.ts";
import { reindented } from "../indentation.ts";
import { contextParameter, freeName, propertyNamed } from "../tool-input.ts";

const SDK = "@modelcontextprotocol/server";

/** A push-style ask: the builder that embeds it, and the names the rewrite gives its request and the view of its answer. */
interface PushAsk {
  /** Also the key of the request, and the kind of answer `inputResponse` reports. */
  kind: AskKind;
  builder: string;
  /** Roots take no parameters: their request is built where it is returned. */
  request?: string;
  view: string;
}

/** Each kind of ask (check's `ASKS` and `ASK_METHODS` say which calls make which) as the rewrite writes it. */
const REWRITES: Record<AskKind, PushAsk> = {
  elicit: { kind: "elicit", builder: "elicit", request: "question", view: "answered" },
  sampling: { kind: "sampling", builder: "createMessage", request: "samplingRequest", view: "sampled" },
  roots: { kind: "roots", builder: "listRoots", view: "listed" },
};

/** The comment above each rewrite: the retry is what a reader would not expect. */
const WHY = ["Asked by returning the request (2026-07-28 has no server-to-client requests): the client", "calls again with the answer, and what is above runs again."];

export const serverRequestsMigration: Migration = {
  rule: "server-requests",
  migrate(source, findings) {
    const result: MigrationResult = { edits: [], handled: [], imports: [], unmovedEach: [] };
    // The SDK's builders are v2's: a file still on v1 (its upgrade left it so) keeps its asks.
    if (!source.text.includes(SDK)) return result;
    for (const finding of findings) {
      const call = nodeStartingAt(source, offsetOf(source, finding), ts.isCallExpression);
      const rewrite = call ? returnedAsk(source, call, findings) : "this ask is not one migrate can follow";
      if (typeof rewrite === "string") {
        result.unmovedEach!.push([finding, rewrite]);
        continue;
      }
      result.edits.push(...rewrite.edits);
      result.handled.push(finding);
      result.imports!.push(...rewrite.imports);
    }
    return result;
  },
};

/** The edits that make one ask a returned question, or why it stays. */
function returnedAsk(source: ts.SourceFile, call: ts.CallExpression, findings: readonly Finding[]): { edits: TextEdit[]; imports: ImportNeed[] } | string {
  const manual = "return inputRequired(…) by hand and read the answer with inputResponse(ctx.mcpReq.inputResponses, key) when the client calls again";
  const asked = askOf(source, call);
  if (typeof asked === "string") return `${asked}: ${manual}`;
  const { ask, params, argument } = asked;
  const tool = enclosingTool(call);
  const callback = tool?.callback;
  if (!tool || !callback || enclosingFunction(call) !== callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || !callback.body || !ts.isBlock(callback.body) || !/registerTool$/.test(tool.call.expression.getText(source))) {
    return `this ask is not in a registerTool callback's own body: ${manual}`;
  }
  const body = callback.body;
  const statement = body.statements.find((s) => s.pos <= call.pos && call.end <= s.end);
  const declaration = statement && ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 ? statement.declarationList.declarations[0]! : undefined;
  if (!statement || !declaration || declaration.initializer !== call.parent || !ts.isAwaitExpression(call.parent)) {
    return `migrate rewrites an ask whose answer a declaration at the top level of the tool's body waits for (const answer = await …); ${manual}`;
  }
  if (declaration.type) return `the answer is declared with a type of its own (${declaration.type.getText(source)}), which inputResponse's view does not have: ${manual}`;
  const returns = callback.type && widenedReturn(source, callback.type);
  if (returns === null) return `the callback declares what it returns (${callback.type!.getText(source)}), which an inputRequired(…) result is not: let it return InputRequiredResult too, then run migrate again`;
  const asks = findings.filter((f) => {
    const at = offsetOf(source, f);
    return callback.getStart(source) <= at && at < callback.getEnd();
  });
  if (asks.length > 1) return `this tool asks ${asks.length} times, and a retry carries the answers of one round only (earlier ones go in requestState): ${manual}`;
  if (ask.kind === "elicit" && !(params && isFormElicitation(params))) return `migrate rewrites a form elicitation written out in place ({ message, requestedSchema }); a URL one, or one built elsewhere, is inputRequired.elicitUrl(…) or inputRequired.elicit(…) by hand: ${manual}`;
  const before = body.statements.slice(0, body.statements.indexOf(statement));
  const working = [...before, ...(params ? [params] : [])].find((node) => !onlyComputes(node));
  if (working) {
    const line = source.getLineAndCharacterOfPosition(working.getStart(source)).line + 1;
    return `line ${line} does work before the ask that would run again when the client calls back with the answer (the tool runs from the top): move the ask above it and run migrate again, or ${manual}`;
  }

  // The context is the callback's second parameter when the tool takes input, else its first:
  // a config written elsewhere says which only where the callback already takes both.
  const config = tool.call.arguments[1];
  const known = config && ts.isObjectLiteralExpression(config);
  const ctx = known || callback.parameters.length === 2 ? contextParameter(source, callback, known ? propertyNamed(config, "inputSchema") !== undefined : true) : undefined;
  if (!ctx) return `the tool's context parameter is destructured or has no parentheses to add it in: ${manual}`;

  // The answer's own name serves as the view where the code reads only what the view shares with
  // the answer (an elicitation's action and content, the roots); used whole (logged, returned), the
  // answer is rebuilt without the view's `kind`.
  const binding = declaration.name;
  const viewIsAnswer = ts.isIdentifier(binding) && ask.kind !== "sampling" && !usedWhole(body, binding.text, statement);
  const view = viewIsAnswer ? binding.text : freeName(callback, ask.view);
  const keyword = declaration.parent.flags & ts.NodeFlags.Let ? "let" : "const";
  const request = ask.request ? freeName(callback, ask.request) : undefined;
  // A sampling answer may carry tool calls; one asked without tools is the plain result, as the ask's own type said.
  const typed = ask.kind === "sampling" && !isJavaScript(source.fileName) && !(params && ts.isObjectLiteralExpression(params) && propertyNamed(params, "tools"));
  const resultType = importedName(source, SDK, "CreateMessageResult");
  // Parameters written deeper inside a request ({ method, params: { … } }) come out at the statement's depth.
  const indent = indentOf(source, statement);
  const given = typeof argument === "string" ? argument : argument ? reindented(source, argument.getStart(source), argument.getEnd(), indentOf(source, argument), indent) : "";
  const built = `inputRequired.${ask.builder}(${given})`;
  const lines = [
    ...WHY.map((line) => `// ${line}`),
    ...(request ? [`const ${request} = ${built};`] : []),
    `${viewIsAnswer ? keyword : "const"} ${view} = inputResponse(${ctx.name}.mcpReq.inputResponses, "${ask.kind}");`,
    `if (${view}.kind !== "${ask.kind}") return inputRequired({ inputRequests: { ${ask.kind}: ${request ?? built} } });`,
    ...(viewIsAnswer ? [] : [`${keyword} ${binding.getText(source)} = ${answerOf(ask, view, ts.isIdentifier(binding), typed ? (resultType ?? "CreateMessageResult") : undefined)};`]),
  ];
  const imports: ImportNeed[] = [{ module: SDK, name: "inputRequired" }, { module: SDK, name: "inputResponse" }, ...(typed && !resultType ? [{ module: SDK, name: "type CreateMessageResult" }] : [])];
  const edits: TextEdit[] = [...ctx.edits, { start: statement.getStart(source), end: statement.getEnd(), text: lines.join(`\n${indent}`) }];
  if (returns) {
    edits.push(returns);
    if (!importedName(source, SDK, "InputRequiredResult")) imports.push({ module: SDK, name: "type InputRequiredResult" });
  }
  return { edits, imports };
}

/** What the answer was, from the view of it: `resultType` casts a sampling result to the plain one. */
function answerOf(ask: PushAsk, view: string, whole: boolean, resultType: string | undefined): string {
  if (ask.kind === "sampling") return `${view}.result${resultType ? ` as ${resultType}` : ""}`;
  // Destructured, the view has the fields the code takes.
  if (!whole) return view;
  return ask.kind === "elicit" ? `{ action: ${view}.action, content: ${view}.content }` : `{ roots: ${view}.roots }`;
}

/** Whether code after `statement` uses the answer `name` other than through the fields its view shares (`action`, `content`, `roots`). */
function usedWhole(body: ts.Block, name: string, statement: ts.Statement): boolean {
  let whole = false;
  const visit = (node: ts.Node) => {
    if (whole) return;
    if (ts.isIdentifier(node) && node.text === name && node.pos >= statement.end) {
      const parent = node.parent;
      const field = (ts.isPropertyAccessExpression(parent) && parent.expression === node) ? parent.name.text : undefined;
      if (!(ts.isPropertyAccessExpression(parent) && parent.name === node) && !(field && /^(action|content|roots)$/.test(field))) whole = true;
    }
    node.forEachChild(visit);
  };
  visit(body);
  return whole;
}

/** Options of an outgoing request that mean nothing once the request is returned: nothing waits for the answer. */
const WAITING_OPTIONS = new Set(["timeout", "maxTotalTimeout", "resetTimeoutOnProgress", "signal"]);

/**
 * Which ask a call makes, its parameters (the literal, where the checks can read it) and what
 * the SDK's builder is handed (that node's text, or an expression naming them); or why it is not one to rewrite. A request sent
 * by its method may name the result's schema, which the builder does not need (the answer's view
 * says what came back), and options about waiting for the answer, which nothing does any more.
 */
function askOf(source: ts.SourceFile, call: ts.CallExpression): { ask: PushAsk; params: ts.Expression | undefined; argument: ts.Expression | string | undefined } | string {
  const name = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : "";
  const named = Object.hasOwn(ASKS, name) ? REWRITES[ASKS[name]!] : undefined;
  if (named) {
    const options = [...call.arguments];
    const params = named.kind === "roots" ? undefined : options.shift();
    if (named.kind !== "roots" && !params) return `the ${named.kind} ask has no params`;
    const extra = unwaited(options);
    if (extra) return extra;
    return { ask: named, params, argument: params };
  }
  const [first, ...rest] = call.arguments;
  const request = requestLiteral(first);
  const method = request && propertyNamed(request, "method");
  const sent = request && methodOf(request);
  const ask = sent && Object.hasOwn(ASK_METHODS, sent) ? REWRITES[ASK_METHODS[sent]!] : undefined;
  const params = request && propertyNamed(request, "params");
  if (!request || !ask || request.properties.some((p) => p !== method && p !== params) || (params && !ts.isPropertyAssignment(params))) return `migrate rewrites a request written out in place ({ method, params })`;
  // The schema of the result (v1's second argument, v2's second overload) goes; options are the last argument.
  const extra = unwaited(rest.filter((argument) => ts.isObjectLiteralExpression(argument)));
  if (extra) return extra;
  if (rest.length > 2 || (rest.length === 2 && !ts.isObjectLiteralExpression(rest[1]!))) return `the request is sent with arguments migrate does not know (${rest.map((a) => a.getText(source)).join(", ")})`;
  const given = params && ts.isPropertyAssignment(params) ? params.initializer : undefined;
  if (ask.kind === "roots") return { ask, params: undefined, argument: undefined };
  if (!given) return `the ${ask.kind} request has no params`;
  if (first !== request) {
    // Sent from a variable: its params as that variable's type says them (an untyped literal's strings are not the SDK's literal types).
    const declared = ts.isIdentifier(first!) ? nearestDeclaration(first) : undefined;
    if (ask.kind !== "sampling" || !declared || !isConst(declared) || declared.type?.getText(source) !== "CreateMessageRequest") return `migrate rewrites a ${ask.kind} request sent from a variable only where it is a const CreateMessageRequest`;
    return { ask, params: given, argument: `${first!.getText(source)}.params` };
  }
  return { ask, params: given, argument: given };
}

/** Why options stay, unless every one is about waiting for the answer. */
function unwaited(options: readonly ts.Expression[]): string | undefined {
  const ok = options.every((o) => ts.isObjectLiteralExpression(o) && o.properties.every((p) => p.name && ts.isIdentifier(p.name) && WAITING_OPTIONS.has(p.name.text)));
  return ok ? undefined : `the ask takes options inputRequired has no place for (${options.map((a) => a.getText()).join(", ")})`;
}

/** `Promise<CallToolResult>` → an edit that lets it be `Promise<CallToolResult | InputRequiredResult>`; nothing when it already may; null for a type migrate does not widen. */
function widenedReturn(source: ts.SourceFile, type: ts.TypeNode): TextEdit | undefined | null {
  if (!ts.isTypeReferenceNode(type) || type.typeName.getText(source) !== "Promise" || type.typeArguments?.length !== 1) return null;
  const inner = type.typeArguments[0]!;
  if (/\bInputRequiredResult\b/.test(inner.getText(source))) return undefined;
  return { start: inner.getEnd(), end: inner.getEnd(), text: " | InputRequiredResult" };
}

/** `{ message, requestedSchema }` written in place, not in URL mode. */
function isFormElicitation(params: ts.Expression): boolean {
  if (!ts.isObjectLiteralExpression(params) || !propertyNamed(params, "message") || !propertyNamed(params, "requestedSchema")) return false;
  const mode = propertyNamed(params, "mode");
  return !mode || (ts.isPropertyAssignment(mode) && ts.isStringLiteralLike(mode.initializer) && mode.initializer.text === "form");
}

/**
 * Whether code only computes values, so running it again on the retry changes nothing:
 * declarations and early returns, with nothing awaited, assigned, incremented or deleted
 * (inside a function it holds, it runs only where that is called).
 */
function onlyComputes(node: ts.Node): boolean {
  if (ts.isStatement(node) && !ts.isVariableStatement(node) && !(ts.isIfStatement(node) && exits(node.thenStatement) && (!node.elseStatement || exits(node.elseStatement)))) return false;
  if (awaits(node)) return false;
  const changes = (child: ts.Node): boolean => {
    if (ts.isFunctionLike(child)) return false;
    if (ts.isBinaryExpression(child) && child.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && child.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
    if ((ts.isPrefixUnaryExpression(child) || ts.isPostfixUnaryExpression(child)) && (child.operator === ts.SyntaxKind.PlusPlusToken || child.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    if (ts.isDeleteExpression(child) || ts.isYieldExpression(child)) return true;
    return child.forEachChild(changes) ?? false;
  };
  return !changes(node);
}

/** A branch that only leaves: `return …`, `throw …`, or a block of nothing else. */
function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.length > 0 && statement.statements.every((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s));
}
