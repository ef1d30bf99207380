/**
 * SDK v1 → v2 by the official codemod (@modelcontextprotocol/codemod), run in memory so
 * that its edits join ours: nothing is written until every file has been through both.
 * It renames APIs only; the session-reliant design it leaves is then this tool's job.
 * The codemod and ts-morph load only when some file still imports the v1 SDK.
 */
import type { Finding } from "../analysis/rule.ts";

export const V1_IMPORT = /["']@modelcontextprotocol\/sdk(\/[^"']*)?["']/;
/** A class extending agents' McpAgent, whose `server` can only be an SDK v1 one (check's mcp-agent). */
const MCP_AGENT = /\bextends\s+McpAgent\b/;

type Codemod = (file: string, text: string) => { text: string; notes: Finding[] };
let loaded: Promise<Codemod> | undefined;

/**
 * The file on the v2 API, and what the codemod could not rewrite (its `@mcp-codemod-error` cases).
 * A file with an McpAgent stays on v1, as the agent needs: its finding says what to do.
 */
export async function upgradeFromV1(file: string, text: string): Promise<{ text: string; notes: Finding[] }> {
  if (!V1_IMPORT.test(text) || MCP_AGENT.test(text)) return { text, notes: [] };
  loaded ??= load();
  return (await loaded)(file, text);
}

async function load(): Promise<Codemod> {
  const [{ getMigration }, { Project }, { keepIndentation }, { quoteOf, semicolonsOf }] = await Promise.all([
    import("@modelcontextprotocol/codemod"),
    import("ts-morph"),
    import("./indentation.ts"),
    import("../style.ts"),
  ]);
  const migration = getMigration("v1-to-v2");
  if (!migration) throw new Error("@modelcontextprotocol/codemod has no v1-to-v2 migration");
  const project = new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true });
  return (file, text) => {
    const source = project.createSourceFile(`/${file.replace(/^\/+/, "")}`, text, { overwrite: true });
    const notes: Finding[] = [];
    for (const transform of migration.transforms) {
      const result = transform.apply(source, { projectType: "server" });
      for (const d of result.diagnostics) {
        if (d.level === "info" || d.advisoryOnly) continue;
        notes.push({ rule: "sdk-v1", file, line: d.line, column: 1, message: d.message, fix: "finish the SDK v2 upgrade by hand (see the SDK's upgrade-to-v2 guide)" });
      }
    }
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
    const upgraded = keepIndentation(text, source.getFullText());
    project.removeSourceFile(source);
    return { text: upgraded, notes };
  };
}
