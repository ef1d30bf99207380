/**
 * Text edits at AST positions: appending a property to an object literal in the style of
 * its neighbours, and applying edits without disturbing any other character.
 */
import { indentUnitOf, quoteOf, type Quote, semicolonsOf } from "../style.ts";

export interface Style {
  quote: Quote;
  unit: string;
  semicolons: boolean;
  trailingCommas: boolean;
}

/** Replace `remove` characters at `at` with `text`. */
export interface Edit {
  at: number;
  remove: number;
  text: string;
}

/** The file's habits: its quote character, its indentation unit, its semicolons, and whether it ends lists with commas. */
export function styleOf(text: string): Style {
  const closers = [...text.matchAll(/(,?)\s*\n\s*[}\]]/g)];
  const withComma = closers.filter((m) => m[1] === ",").length;
  return { quote: quoteOf(text), unit: indentUnitOf(text), semicolons: semicolonsOf(text), trailingCommas: withComma * 2 >= closers.length };
}

/** A string literal in the file's quotes. */
export function quoted(value: string, style: Style): string {
  const json = JSON.stringify(value);
  return style.quote === '"' ? json : `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** Where an object literal is written, and its last property (whichever parser found them). */
export interface LiteralSpan {
  start: number;
  end: number;
  last?: { start: number; end: number };
}

/** Edits that append `entry` as the last property of `literal`, matching its neighbours. */
export function insertInto(text: string, literal: LiteralSpan, entry: string[], style: Style): Edit[] {
  const last = literal.last;
  if (!last) {
    // An empty `{}`: open it up, one level deeper than the line it sits on.
    const outer = lineIndent(text, literal.start);
    const body = entry.map((line) => outer + style.unit + line).join("\n");
    return [{ at: literal.start, remove: literal.end - literal.start, text: `{\n${body}${style.trailingCommas ? "," : ""}\n${outer}}` }];
  }
  const unit = lineIndent(text, last.start);
  const hasComma = text[last.end] === ",";
  const afterLast = last.end + (hasComma ? 1 : 0);
  // At the end of the line, so a comment trailing the last entry stays on its line.
  const newline = text.indexOf("\n", afterLast);
  const lineEnd = newline === -1 ? text.length : newline;
  const added = `\n${entry.map((line) => unit + line).join("\n")}${hasComma ? "," : ""}`;
  return hasComma
    ? [{ at: lineEnd, remove: 0, text: added }]
    : [{ at: last.end, remove: 0, text: "," }, { at: lineEnd, remove: 0, text: added }];
}

/** Applies edits from the end backwards, so earlier offsets stay valid. */
export function applyEdits(text: string, edits: Edit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.at - a.at)) {
    result = result.slice(0, edit.at) + edit.text + result.slice(edit.at + edit.remove);
  }
  return result;
}

/** The whitespace that starts the line `position` is on. */
export function lineIndent(text: string, position: number): string {
  const lineStart = text.lastIndexOf("\n", position) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
