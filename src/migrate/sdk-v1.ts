/**
 * SDK v1 → v2 by the official codemod (@modelcontextprotocol/codemod), run in memory so
 * that its edits join ours: nothing is written until every file has been through both.
 * It renames APIs only; the session-reliant design it leaves is then this tool's job. Code on
 * mcp-handler 1.x, which imports nothing of the SDK itself, gets the same rewrite of its tools.
 * The codemod and ts-morph load only when some file still imports the v1 SDK.
 */
import type { SourceFile, SyntaxKind } from "ts-morph";
import type { Finding } from "../analysis/rule.ts";
import { typedResults, type ResultDemand } from "./result-types.ts";
import { typedConstSchemas } from "./const-schemas.ts";
import { zodErrorIssues } from "./zod-errors.ts";
import { zodOwnJsonSchema } from "./zod-json-schema.ts";

export const V1_IMPORT = /["']@modelcontextprotocol\/sdk(\/[^"']*)?["']/;
/** A class extending agents' McpAgent, whose `server` can only be an SDK v1 one (check's mcp-agent). */
export const MCP_AGENT = /\bextends\s+McpAgent\b/;

type Codemod = (file: string, text: string, demands: readonly ResultDemand[]) => { text: string; notes: Finding[] };
let loaded: Promise<Codemod> | undefined;

/** A file serving through mcp-handler 1.x (or @vercel/mcp-adapter) that registers with v1's variadic `server.tool("name", …)`. */
const MCP_HANDLER_V1_API = /["'](?:mcp-handler|@vercel\/mcp-adapter)["'][\s\S]*\bserver\s*\.\s*(?:tool|prompt|resource)\s*\(\s*["'`]/i;
/**
 * Such a file imports nothing of the SDK, so the codemod would pass it by: it is run with this
 * import above the file (which lets it rewrite only calls on a receiver named like a server),
 * and the line is taken out again after.
 */
const MARKER = `import type { CallToolResult as MigrationMarker } from "@modelcontextprotocol/sdk/types.js";\n`;

/**
 * The codemod's notes that still hold once the rules have run on its output: one about an import
 * path v2 does not have is moot when a rule took that import out (the v1 examples' event store,
 * which resumability removes with the option it filled).
 */
export function notesStanding(notes: readonly Finding[], migrated: string): Finding[] {
  return notes.filter((note) => {
    const path = /^Unknown SDK import path: (\S+?)\.? Manual migration required/.exec(note.message)?.[1];
    return path === undefined || migrated.includes(path);
  });
}

/**
 * The file on the v2 API, and what the codemod could not rewrite (its `@mcp-codemod-error` cases).
 * A file with an McpAgent stays on v1, as the agent needs: its finding says what to do.
 * `demands` are what low-level handlers in other modules return of this one's (result-types.ts).
 */
export async function upgradeFromV1(file: string, text: string, demands: readonly ResultDemand[] = []): Promise<{ text: string; notes: Finding[] }> {
  if (MCP_AGENT.test(text)) return { text, notes: [] };
  if (V1_IMPORT.test(text)) return (await codemod())(file, text, demands);
  if (!MCP_HANDLER_V1_API.test(text)) return { text: typedResults(file, text, demands), notes: [] };
  const { text: upgraded, notes } = (await codemod())(file, MARKER + text, []);
  const lines = upgraded.split("\n");
  const marker = lines.findIndex((line) => line.includes("MigrationMarker"));
  if (marker === -1) return { text, notes: [] };
  lines.splice(marker, 1);
  return { text: lines.join("\n"), notes: notes.map((note) => ({ ...note, line: note.line > marker + 1 ? note.line - 1 : note.line })) };
}

/**
 * The codemod's "verify" after it renames `RequestHandlerExtra<…>` to `ServerContext`: the
 * arguments it drops choose between the server's and the client's context, so where every
 * reference named the server's pair there is nothing left to verify (it rewrites the reads of
 * the old fields itself, in helpers too).
 */
const SERVER_CONTEXT_RENAMED = "RequestHandlerExtra renamed to ServerContext. Generic type arguments removed.";
function onlyServerExtras(text: string): boolean {
  const code = text.replace(/\bimport\s+(?:type\s+)?\{[^}]*\}\s*from\s*["'][^"']+["']/g, "");
  const references = [...code.matchAll(/\bRequestHandlerExtra\b\s*(<[^<>]*>)?/g)];
  return references.length > 0 && references.every(([, args]) => args !== undefined && args.slice(1, -1).split(",").every((arg) => SERVER_PAIR.has(arg.trim())));
}
const SERVER_PAIR = new Set(["ServerRequest", "ServerNotification"]);

/**
 * The codemod's "verify" after it splits v1's `ErrorCode`: the members it sends to
 * `SdkErrorCode` (a timeout, a closed connection) are raised on another class in v2, which a
 * check written for one class misses (it says so at each such check). Where every member went
 * to `ProtocolErrorCode`, as a server throwing `McpError(ErrorCode.InvalidParams, …)` does, the
 * codes and the class they are raised on are the same as before: nothing is left to verify.
 */
const ERROR_CODE_SPLIT = "ErrorCode split into ProtocolErrorCode and SdkErrorCode.";

/**
 * The codemod rebuilds the imports a file starts with, and drops what stood above them with their
 * trivia: the `#!/usr/bin/env node` of a server published as a command (found on the official
 * memory server: `npx …` no longer ran it) and the comment saying what the file is. They go back
 * on top as they were written, blank lines included.
 */
function withHeader(original: string, upgraded: string): string {
  const shebang = /^#!.*\r?\n/.exec(original)?.[0] ?? "";
  // Everything before the first statement: comments and the blank lines around them.
  const lead = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(original.slice(shebang.length))![0];
  const comments = lead.trim();
  const lostComments = comments !== "" && !upgraded.includes(comments);
  const keptShebang = shebang === "" || upgraded.startsWith("#!");
  if (!lostComments && keptShebang) return upgraded;
  const body = (shebang !== "" && keptShebang ? upgraded.slice(upgraded.indexOf("\n") + 1) : upgraded).replace(/^\s*\n/, "");
  return shebang + (lostComments ? lead : /^\r?\n/.test(lead) ? "\n" : "") + body;
}

function codemod(): Promise<Codemod> {
  loaded ??= load();
  return loaded;
}

/** What stands in for a name while the codemod runs: a string it takes, that no code writes. */
const PLACEHOLDER = (i: number) => `"__mcpStatelessName${i}__"`;

/**
 * The codemod rewrites v1's `server.tool("name", …)` (and `prompt`, `resource`) only where the
 * name is written as a string; a name from a constant (`server.tool(TOOLS.list, …)`, `tool.name`
 * in a loop over a list) fails the whole call. Such names stand in as placeholders while it runs;
 * the function returned puts them back in the text it wrote.
 */
function namesAsStrings(source: SourceFile, kind: typeof SyntaxKind): (text: string) => string {
  const names: string[] = [];
  const calls = source.getDescendantsOfKind(kind.CallExpression).filter((call) => {
    const callee = call.getExpression();
    const [name] = call.getArguments();
    return (
      callee.isKind(kind.PropertyAccessExpression) && /^(tool|prompt|resource)$/.test(callee.getName()) && /server/i.test(callee.getExpression().getText()) &&
      call.getArguments().length >= 2 && name !== undefined && (name.isKind(kind.Identifier) || name.isKind(kind.PropertyAccessExpression)) && !name.getText().includes("\n")
    );
  });
  // Last first: replacing a node forgets what it holds, and a call may sit in another's callback.
  for (const call of calls.reverse()) {
    const name = call.getArguments()[0]!;
    names.push(name.getText());
    name.replaceWithText(PLACEHOLDER(names.length - 1));
  }
  return (text) => names.reduce((restored, name, i) => restored.replaceAll(PLACEHOLDER(i), name), text);
}

async function load(): Promise<Codemod> {
  const [{ getMigration }, { Project, SyntaxKind }, { alignRebuiltCalls, keepIndentation }, { quoteOf, semicolonsOf }, { headerReadsByGet }] = await Promise.all([
    import("@modelcontextprotocol/codemod"),
    import("ts-morph"),
    import("./indentation.ts"),
    import("../style.ts"),
    import("./web-headers.ts"),
  ]);
  const migration = getMigration("v1-to-v2");
  if (!migration) throw new Error("@modelcontextprotocol/codemod has no v1-to-v2 migration");
  const project = new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true });
  return (file, text, demands) => {
    const source = project.createSourceFile(`/${file.replace(/^\/+/, "")}`, text, { overwrite: true });
    const notes: Finding[] = [];
    const restoreNames = namesAsStrings(source, SyntaxKind);
    for (const transform of migration.transforms) {
      const result = transform.apply(source, { projectType: "server" });
      for (const d of result.diagnostics) {
        if (d.level === "info" || d.advisoryOnly || (d.message.startsWith(SERVER_CONTEXT_RENAMED) && onlyServerExtras(text))) continue;
        if (d.message.startsWith(ERROR_CODE_SPLIT) && !/\bSdkErrorCode\b/.test(source.getFullText())) continue;
        notes.push({ rule: "sdk-v1", file, line: d.line, column: 1, message: d.message, fix: "finish the SDK v2 upgrade by hand (see the SDK's upgrade-to-v2 guide)" });
      }
    }
    source.replaceWithText(restoreNames(source.getFullText()));
    // The codemod writes the imports it rebuilds in double quotes, ending in semicolons; a file
    // written otherwise keeps its own habits.
    const singleQuoted = quoteOf(text) === "'";
    const semicolons = semicolonsOf(text, file);
    for (const declaration of [...source.getImportDeclarations(), ...source.getExportDeclarations()]) {
      if (text.includes(declaration.getText())) continue;
      const specifier = declaration.getModuleSpecifier();
      if (singleQuoted && specifier?.getText().startsWith('"')) specifier.replaceWithText(`'${specifier.getLiteralText()}'`);
      if (!semicolons && declaration.getText().endsWith(";")) declaration.replaceWithText(declaration.getText().slice(0, -1));
    }
    // The codemod renames v1's header reads to v2's road but keeps Node's way of reading them,
    // and v2 types low-level handlers' results, which v1 code could leave untyped.
    // The method names it writes for v1's request schemas (`setRequestHandler('tools/call', …)`) come in single quotes.
    const rebuilt = keepIndentation(text, alignRebuiltCalls(text, source.getFullText()));
    const quoted = singleQuoted ? rebuilt : rebuilt.replace(/(\.set(?:Request|Notification)Handler\(\s*)'([\w/]+)'/g, '$1"$2"');
    // zod-to-json-schema and a ZodError's `errors` stop working with the zod 4 the SDK moves the project to.
    const schemas = zodOwnJsonSchema(file, quoted);
    const upgraded = headerReadsByGet(file, typedConstSchemas(file, typedResults(file, zodErrorIssues(file, schemas.text), demands)));
    project.removeSourceFile(source);
    return { text: withHeader(text, upgraded.text), notes: [...notes, ...schemas.notes, ...upgraded.notes] };
  };
}
