/**
 * A migration rule rewrites what one `check` rule finds, where that can be done without
 * guessing: it returns minimal text edits for the findings it handles, and leaves the rest
 * to be reported (and, with --insert-todos, marked) for a person.
 */
import type ts from "typescript";
import type { Finding } from "../analysis/rule.ts";

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Migration {
  /** The `check` rule whose findings this rewrites. */
  rule: string;
  /** Edits for the findings it can migrate, and the findings it handled. */
  migrate(source: ts.SourceFile, findings: Finding[]): { edits: TextEdit[]; handled: Finding[] };
}

/** The whole line(s) a node stands on, newline included, when nothing else shares them. */
export function ownLines(source: ts.SourceFile, node: ts.Node): TextEdit | undefined {
  const text = source.text;
  const start = text.lastIndexOf("\n", node.getStart(source) - 1) + 1;
  let end = node.getEnd();
  if (text[end] === ",") end += 1;
  if (text[end] === ";") end += 1;
  const newline = text.indexOf("\n", end);
  const lineEnd = newline === -1 ? text.length : newline + 1;
  const before = text.slice(start, node.getStart(source));
  const after = text.slice(end, lineEnd);
  if (before.trim() !== "" || (after.trim() !== "" && !after.trim().startsWith("//"))) return undefined;
  return { start, end: lineEnd, text: "" };
}
