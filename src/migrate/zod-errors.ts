/**
 * zod 4 calls a ZodError's list of problems `issues` only; zod 3 also had it as `errors`, which
 * low-level servers read to say what was wrong with a tool's arguments
 * (`if (error instanceof z.ZodError) throw new Error(error.errors.map(…))`). On the zod 4 migrate
 * moves a project to, that read is undefined: a type error, or in JavaScript a TypeError where
 * the message was being built. Where the code has made sure it holds a ZodError (inside its
 * `instanceof ZodError` check, or the `error` of a `safeParse` result) `errors` becomes `issues`.
 * Pure: text in, text out.
 */
import ts from "typescript";
import { nearestDeclaration } from "../analysis/rule.ts";
import { apply } from "./imports.ts";
import { withoutCasts, type TextEdit } from "./rule.ts";

export function zodErrorIssues(file: string, text: string): string {
  if (!/\.errors\b/.test(text) || !/ZodError|safeParse/.test(text)) return text;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits: TextEdit[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === "errors" && holdsZodError(withoutCasts(node.expression))) {
      edits.push({ start: node.name.getStart(source), end: node.name.getEnd(), text: "issues" });
    }
    node.forEachChild(visit);
  };
  visit(source);
  return edits.length ? apply(text, edits) : text;
}

/** `error` inside `if (error instanceof z.ZodError) {…}` (or `… ? … : …`), or `parsed.error` of `const parsed = S.safeParse(…)`. */
function holdsZodError(receiver: ts.Expression): boolean {
  if (ts.isIdentifier(receiver)) return checkedAsZodError(receiver);
  if (!ts.isPropertyAccessExpression(receiver) || receiver.name.text !== "error" || !ts.isIdentifier(receiver.expression)) return false;
  const initializer = nearestDeclaration(receiver.expression)?.initializer;
  const call = initializer && withoutCasts(ts.isAwaitExpression(initializer) ? initializer.expression : initializer);
  return call !== undefined && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && /^safeParse(Async)?$/.test(call.expression.name.text);
}

function checkedAsZodError(name: ts.Identifier): boolean {
  for (let child: ts.Node = name, up = name.parent; up && !ts.isFunctionLike(up); child = up, up = up.parent) {
    const guarded = ts.isIfStatement(up) ? up.thenStatement === child && up.expression : ts.isConditionalExpression(up) ? up.whenTrue === child && up.condition : undefined;
    if (guarded && isZodErrorCheck(guarded, name.text)) return true;
  }
  return false;
}

/** `x instanceof z.ZodError` (or `ZodError`), alone or as one side of `&&`. */
function isZodErrorCheck(condition: ts.Expression, name: string): boolean {
  const e = withoutCasts(condition);
  if (!ts.isBinaryExpression(e)) return false;
  if (e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return isZodErrorCheck(e.left, name) || isZodErrorCheck(e.right, name);
  return e.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && ts.isIdentifier(e.left) && e.left.text === name && /(^|\.)ZodError$/.test(e.right.getText());
}
