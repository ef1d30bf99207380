/**
 * Source → findings → edits, for every file before any is written: each file's text goes
 * through the `check` rules, the migrations rewrite what they safely can as minimal edits,
 * and what remains is reported, or marked in the code with --insert-todos (never twice).
 */
import ts from "typescript";
import { analyzeText, RULES } from "../analysis/analyze.ts";
import type { Finding } from "../analysis/rule.ts";
import { MARKER } from "../analysis/rules/todo-markers.ts";
import type { Migration, TextEdit } from "./rule.ts";
import { listMutationMigration } from "./rules/list-mutation.ts";
import { resumabilityMigration } from "./rules/resumability.ts";

export const MIGRATIONS: readonly Migration[] = [resumabilityMigration, listMutationMigration];

export interface FileResult {
  file: string;
  /** The new text, or undefined when nothing changes. */
  after: string | undefined;
  /** Rules that changed the file. */
  applied: string[];
  /** What could not be migrated: each with its place, reason and what to do. */
  findings: Finding[];
  /** Set when the file could not be processed; it is left untouched. */
  error?: string;
}

export interface MigrateOptions {
  insertTodos: boolean;
  /** Only these rules (all when undefined). */
  rules?: ReadonlySet<string>;
}

export function migrateText(file: string, text: string, options: MigrateOptions): FileResult {
  const rules = RULES.filter((r) => r.id !== "todo-marker" && (!options.rules || options.rules.has(r.id)));
  const analysis = analyzeText(file, text, rules);
  if (analysis.error) return { file, after: undefined, applied: [], findings: [], error: `does not parse (${analysis.error})` };
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits: TextEdit[] = [];
  const applied: string[] = [];
  let remaining = analysis.findings;
  for (const migration of MIGRATIONS) {
    const mine = remaining.filter((f) => f.rule === migration.rule);
    if (mine.length === 0) continue;
    const { edits: ruleEdits, handled } = migration.migrate(source, mine);
    if (handled.length) applied.push(migration.rule);
    edits.push(...ruleEdits);
    remaining = remaining.filter((f) => !handled.includes(f));
  }
  if (options.insertTodos) edits.push(...markers(text, remaining));
  const after = applyEdits(text, edits);
  return { file, after: after === text ? undefined : after, applied, findings: remaining };
}

/** A marker line above each finding's line, in its indentation, unless one is there already. */
function markers(text: string, findings: Finding[]): TextEdit[] {
  const lines = text.split("\n");
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) offsets.push(at);
  const edits: TextEdit[] = [];
  const done = new Set<number>();
  for (const finding of findings) {
    const index = finding.line - 1;
    if (done.has(index)) continue;
    done.add(index);
    const previous = lines[index - 1] ?? "";
    if (previous.includes(MARKER)) continue;
    const indent = /^[ \t]*/.exec(lines[index]!)![0];
    const text = `${indent}// ${MARKER}: ${finding.rule}: ${finding.message}. ${finding.fix.replace(/^run `mcp-stateless migrate` \([^)]*\): /, "")}\n`;
    edits.push({ start: offsets[index]!, end: offsets[index]!, text });
  }
  return edits;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}
