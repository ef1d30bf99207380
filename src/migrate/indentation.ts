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
