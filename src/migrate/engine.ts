/**
 * Source → findings → edits, for every file before any is written: each file's text goes
 * through the `check` rules, the migrations rewrite what they safely can as minimal edits,
 * imports follow, and the new text is analysed again: what that finds is exactly what is
 * left to report (and, with --insert-todos, to mark in the code, never twice). A pass that
 * changed the file and left findings is followed by another, as a second run would be.
 */
import ts from "typescript";
import { analyzeText, RULES } from "../analysis/analyze.ts";
import type { Finding, Rule } from "../analysis/rule.ts";
import { MARKER } from "../analysis/rules/todo-markers.ts";
import { addImports, apply, applyInFileStyle, dropOrphans } from "./imports.ts";
import { quoteOf } from "../style.ts";
import { isJavaScript, type ImportedText, type ImportNeed, type Migration, type MigrationContext, type TextEdit } from "./rule.ts";
import { agentsHandlerMigration } from "./rules/agents-handler.ts";
import { capabilityGateMigration } from "./rules/capability-gate.ts";
import { corsHeadersMigration } from "./rules/cors-headers.ts";
import { currentPointerMigration } from "./rules/current-pointer.ts";
import { expressMcpHandlerMigration } from "./rules/express-mcp-handler.ts";
import { factoryStateMigration } from "./rules/factory-state.ts";
import { legacyEntryMigration } from "./rules/legacy-entry.ts";
import { listMutationMigration } from "./rules/list-mutation.ts";
import { mcpHandlerV1Migration } from "./rules/mcp-handler-v1.ts";
import { resumabilityMigration } from "./rules/resumability.ts";
import { sessionAuthMigration } from "./rules/session-auth.ts";
import { serverRequestsMigration } from "./rules/server-requests.ts";
import { sessionPushMigration } from "./rules/session-push.ts";
import { sessionStateMigration } from "./rules/session-state.ts";
import { sessionTelemetryMigration } from "./rules/session-telemetry.ts";
import { sharedServerMigration } from "./rules/shared-server.ts";
import { transportRoutingMigration } from "./rules/transport-routing.ts";

/** In DESIGN §5 order, then the entries, then what browsers need. Each sees the original text; their edits never overlap. */
export const MIGRATIONS: readonly Migration[] = [
  transportRoutingMigration,
  resumabilityMigration,
  sessionStateMigration,
  currentPointerMigration,
  factoryStateMigration,
  listMutationMigration,
  capabilityGateMigration,
  sessionPushMigration,
  serverRequestsMigration,
  sessionAuthMigration,
  sessionTelemetryMigration,
  legacyEntryMigration,
  expressMcpHandlerMigration,
  agentsHandlerMigration,
  mcpHandlerV1Migration,
  sharedServerMigration,
  corsHeadersMigration,
];

export interface FileResult {
  file: string;
  /** The new text, or undefined when nothing changes. */
  after: string | undefined;
  /** Rules that changed the file. */
  applied: string[];
  /** What could not be migrated, placed in the new text: each with its reason and what to do. */
  findings: Finding[];
  /** Set when the file could not be processed; it is left untouched. */
  error?: string;
  /** Whether the new text imports the handle runtime, which must then exist beside it. */
  usesHandleRuntime?: boolean;
}

export interface MigrateOptions {
  insertTodos: boolean;
  /** Only these rules (all when undefined). */
  rules?: ReadonlySet<string>;
  /** How this file imports the handle runtime. Default `./handle-map.js`. */
  handleRuntime?: string;
  /** What an import names, for rewrites that look at what a file imports. */
  importedText?: ImportedText;
}

/** Rules that find a server served by a framework migrate does not rewrite: what that server is, and what it moves to. */
const FRAMEWORK_RULES = new Map([
  ["mcp-agent", ["an McpAgent", "the SDK v2"]],
  ["fastmcp", ["FastMCP's", "the SDK v2"]],
  ["mcp-framework", ["mcp-framework's", "the SDK v2"]],
  ["mcp-nest-v1", ["@rekog/mcp-nest 1.x's", "the SDK v2"]],
  ["express-mcp-sessions", ["served by express-mcp-handler with sessions", "createMcpHandler"]],
  ["smithery", ["served by Smithery's SDK 1.x", "createMcpHandler"]],
]);

/** Passes over one file at most: each further pass is what running migrate again would do. */
const MAX_PASSES = 3;

const FRAMEWORK_CHECKS = RULES.filter((rule) => FRAMEWORK_RULES.has(rule.id));

/** Whether migrate leaves this text whole for a framework it does not rewrite (FRAMEWORK_RULES). */
export function servedByFramework(file: string, text: string): boolean {
  return analyzeText(file, text, FRAMEWORK_CHECKS).findings.length > 0;
}

export function migrateText(file: string, text: string, options: MigrateOptions): FileResult {
  const rules = RULES.filter((r) => r.id !== "todo-marker" && (!options.rules || options.rules.has(r.id)));
  // One rewrite can clear the way for another (the session routing that goes kept a map from
  // moving to handles), so a pass that changed the text and left findings is followed by another.
  let { result, unmoved } = migrateOnce(file, text, options, rules);
  for (let pass = 1; pass < MAX_PASSES && result.after !== undefined && result.findings.length > 0; pass++) {
    const next = migrateOnce(file, result.after, options, rules);
    if (next.result.error) break;
    // Its reasons speak of the text it was given, which is result.after whether or not it changed it.
    unmoved = next.unmoved;
    if (next.result.after === undefined) break;
    result = { ...next.result, applied: [...new Set([...result.applied, ...next.result.applied])] };
  }
  const findings = explained(result.findings, unmoved);
  if (!options.insertTodos || result.error || result.findings.length === 0) return { ...result, findings };
  const marked = apply(result.after ?? text, markers(result.after ?? text, findings));
  // The markers move the findings down, not apart: the same ones, in the same order, keep their to-dos.
  const moved = analyzeText(file, marked, rules).findings;
  return { ...result, after: marked, findings: moved.length === findings.length ? moved.map((f, i) => ({ ...f, fix: findings[i]!.fix })) : explained(moved, unmoved) };
}

/** Where a finding stands, to match a rule's reason for it to the same finding of a later analysis of the same text. */
const at = (f: Finding) => `${f.rule}@${f.line}:${f.column}`;

/** Findings a rule left with its reason (for each, else `unmoved`), which says what to do first, in place of the rule's general fix. */
function explained(findings: Finding[], unmoved: ReadonlyMap<string, string>): Finding[] {
  return findings.map((f) => {
    const reason = unmoved.get(at(f)) ?? unmoved.get(f.rule);
    return reason === undefined ? f : { ...f, fix: reason };
  });
}

/** A pass over the text; `unmoved` has each rule's reasons, by rule and by finding (`rule@line:column`). */
function migrateOnce(file: string, text: string, options: MigrateOptions, rules: readonly Rule[]): { result: FileResult; unmoved: Map<string, string> } {
  const unmoved = new Map<string, string>();
  const done = (result: FileResult) => ({ result, unmoved });
  const analysis = analyzeText(file, text, rules);
  if (analysis.error) return done({ file, after: undefined, applied: [], findings: [], error: `does not parse (${analysis.error})` });
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  // Rewrites add ES module imports, which a CommonJS file cannot hold: it is for a person.
  if (analysis.findings.length && isCommonJs(file, source)) {
    return done({ file, after: undefined, applied: [], findings: analysis.findings, error: "CommonJS (require): migrate writes ES module imports; the file is left as it was" });
  }
  // A server a framework serves that migrate cannot rewrite: the other rewrites would work on code
  // that is not SDK v2 (an McpAgent keeps v1, most others have tools of their own), or half of an
  // entry (express-mcp-handler's session routes answered 405 while its POST keeps sessions), so the file waits for it.
  const framework = analysis.findings.find((f) => FRAMEWORK_RULES.has(f.rule));
  if (framework) {
    const [is, to] = FRAMEWORK_RULES.get(framework.rule)!;
    const reason = `this file's server is ${is}, which migrate does not rewrite: move it to ${to} first (${framework.rule}, line ${framework.line}), then run migrate again`;
    for (const finding of analysis.findings) if (!FRAMEWORK_RULES.has(finding.rule)) unmoved.set(at(finding), reason);
    return done({ file, after: undefined, applied: [], findings: analysis.findings });
  }
  const context: MigrationContext = { handleRuntime: options.handleRuntime ?? "./handle-map.js", parameterised: new Set(), importedText: options.importedText };
  const edits: TextEdit[] = [];
  const imports: ImportNeed[] = [];
  const applied: string[] = [];
  for (const migration of MIGRATIONS) {
    const mine = analysis.findings.filter((f) => f.rule === migration.rule);
    if (mine.length === 0) continue;
    const result = migration.migrate(source, mine, context);
    if (result.unmoved) unmoved.set(migration.rule, result.unmoved);
    for (const [finding, reason] of result.unmovedEach ?? []) unmoved.set(at(finding), reason);
    if (result.edits.length === 0) continue;
    applied.push(migration.rule);
    edits.push(...result.edits);
    imports.push(...(result.imports ?? []));
    for (const tool of result.parameterised ?? []) context.parameterised.add(tool);
  }
  const merged = withoutNested([...edits, ...addImports(source, imports)]);
  if (!merged) return done({ file, after: undefined, applied: [], findings: analysis.findings, error: "two rewrites overlap here; the file is left as it was" });
  const quote = quoteOf(text);
  const written = applyInFileStyle(file, text, merged);
  const after = edits.length ? dropOrphans(file, text, written) : text;

  const left = analyzeText(file, after, rules);
  if (left.error) return done({ file, after: undefined, applied: [], findings: analysis.findings, error: `migrate produced code that does not parse (${left.error}); the file is left as it was` });
  return done({
    file,
    after: after === text ? undefined : after,
    applied,
    findings: left.findings,
    usesHandleRuntime: after.includes(`from ${quote}${context.handleRuntime}${quote}`),
  });
}

/**
 * Rules see the original text, so one may rewrite inside what another replaces whole (an
 * eventStore inside the transport routing that goes): the inner edit is dropped. Edits that
 * cross each other cannot both be right, and the file is not touched.
 */
function withoutNested(edits: TextEdit[]): TextEdit[] | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start || Number(b.before ?? false) - Number(a.before ?? false) || b.end - a.end);
  const kept: TextEdit[] = [];
  for (const edit of sorted) {
    // An insertion where a replaced span ends comes after it, not inside it.
    const outer = kept.findLast((k) => k.end > k.start && k.start <= edit.start && edit.end <= k.end && k !== edit && !(edit.start === edit.end && edit.start === k.end));
    if (outer && (edit.start > outer.start || edit.end < outer.end || edit.end === edit.start)) continue;
    const previous = kept.at(-1);
    if (previous && edit.start < previous.end) return undefined;
    kept.push(edit);
  }
  return kept;
}

/** What is left to do about a finding, said after migrate has run: its fix without "run migrate". */
export function toDo(finding: Finding): string {
  return finding.fix.replace(/^run `mcp-stateless migrate` \([^)]*\): /, "");
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
    const text = `${indent}// ${MARKER}: ${finding.rule}: ${finding.message}. ${toDo(finding)}\n`;
    edits.push({ start: offsets[index]!, end: offsets[index]!, text });
  }
  return edits;
}

/** A JavaScript file that loads with `require` and has no `import` or `export` of its own. */
function isCommonJs(file: string, source: ts.SourceFile): boolean {
  if (!isJavaScript(file)) return false;
  const exported = (s: ts.Statement) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const esm = source.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || exported(s));
  return !esm && /\brequire\s*\(/.test(source.text);
}

