/**
 * Indentation of code a rewrite carries over. The official codemod rebuilds calls such as
 * `server.tool(…)` as text, and ts-morph's writer indents every line after the first by the
 * call's indentation once more, so a handler's body lands levels deeper than it was (lines
 * inside a template literal are left as they were): `keepIndentation` gives the lines their own
 * indentation back. A rule that moves statements into a block of its own reindents them with
 * `reindented`.
 */
import { diffArrays } from "diff";
import ts from "typescript";

/**
 * `after` with each carried-over line indented as it was in `before`. A line is carried over
 * when its text is unchanged, or when it sits in a run of changed lines as long as the run it
 * replaced (`extra.sessionId` → `ctx.sessionId`, one line for one). Only added indentation is
 * undone; lines that are new, or that the codemod moved outwards, are left as written.
 */
export function keepIndentation(before: string, after: string): string {
  const old = before.split("\n");
  const now = after.split("\n");
  const lines = [...now];
  const restore = (i: number, j: number) => {
    const was = indentOf(old[i]!);
    const is = indentOf(now[j]!);
    if (is.length > was.length) lines[j] = was + now[j]!.slice(is.length);
  };
  let i = 0;
  let j = 0;
  const parts = diffArrays(old.map(trimmed), now.map(trimmed));
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    const next = parts[k + 1];
    if (!part.added && !part.removed) {
      for (let n = 0; n < part.count!; n++) restore(i++, j++);
    } else if (next !== undefined && ((part.removed && next.added) || (part.added && next.removed)) && next.count === part.count) {
      // One run of lines changed for another as long: line n became line n.
      for (let n = 0; n < part.count!; n++) restore(i + n, j + n);
      i += part.count!;
      j += part.count!;
      k++;
    } else if (part.removed) {
      i += part.count!;
    } else {
      j += part.count!;
    }
  }
  return lines.join("\n");
}

/**
 * A call the codemod rebuilt on one line from arguments written one per line (`server.tool(`,
 * `"add",`, …, `async () => ({`) leaves its callback's body and closing line at the depth the
 * arguments had, or deeper, since nothing of the old layout matches them: they move out together
 * until the closing line stands where the call does. Calls already in `before` are the user's.
 */
export function alignRebuiltCalls(before: string, after: string): string {
  const source = ts.createSourceFile("rebuilt.ts", after, ts.ScriptTarget.Latest, true);
  const lines = after.split("\n");
  const line = (at: number) => source.getLineAndCharacterOfPosition(at).line;
  const insideTemplate = templateLines(source);
  const visit = (node: ts.Node): void => {
    const callback = ts.isCallExpression(node) && /^register(Tool|Prompt|Resource)$/.test(calleeText(node)) ? node.arguments.at(-1) : undefined;
    const first = line(node.getStart(source));
    if (!callback || !ts.isFunctionLike(callback) || line(callback.getStart(source)) !== first || before.includes(node.getText(source))) {
      node.forEachChild(visit);
      return;
    }
    const rest = Array.from({ length: line(node.getEnd()) - first }, (_, n) => first + 1 + n).filter((n) => !insideTemplate.has(n) && lines[n]!.trim() !== "");
    const deepest = indentOf(lines[first]!).length;
    const least = Math.min(...rest.map((n) => indentOf(lines[n]!).length));
    // Only whole lines move, and never past the call's own indentation.
    if (rest.length && least > deepest) for (const n of rest) lines[n] = lines[n]!.slice(least - deepest);
  };
  visit(source);
  return lines.join("\n");
}

function calleeText(call: ts.CallExpression): string {
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : "";
}

/** The lines that begin inside a template literal: their leading spaces are the string's. */
function templateLines(source: ts.SourceFile): Set<number> {
  const inside = new Set<number>();
  const visit = (node: ts.Node) => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const from = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const to = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      for (let n = from + 1; n <= to; n++) inside.add(n);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return inside;
}

const trimmed = (line: string) => line.trim();

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/**
 * The text from `start` to `end` (a run of whole lines) with each line's leading `from` made
 * `to`; a line that begins inside a template literal keeps its text (its spaces are the string's).
 */
export function reindented(source: ts.SourceFile, start: number, end: number, from: string, to: string): string {
  const templates: Array<[number, number]> = [];
  const visit = (node: ts.Node) => {
    if (node.end <= start || node.pos >= end) return;
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) templates.push([node.getStart(source), node.getEnd()]);
    node.forEachChild(visit);
  };
  visit(source);
  const lines = source.text.slice(start, end).split("\n");
  let at = start;
  return lines
    .map((line) => {
      const inTemplate = templates.some(([open, close]) => open < at && at < close);
      at += line.length + 1;
      return !inTemplate && line.startsWith(from) && line.trim() !== "" ? to + line.slice(from.length) : line;
    })
    .join("\n");
}

/** Text written over lines, its continuation lines' places relative to `base` (the indentation of the line it starts on). */
export function rebased(text: string, base: string): string {
  return base ? text.replaceAll(`\n${base}`, "\n") : text;
}
