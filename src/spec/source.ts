/**
 * Reads the spec's source text (not its value) to point errors at a file and line.
 * The value tells us *what* is wrong; only the syntax tree knows *where*, and only it
 * sees duplicate keys, which JavaScript silently collapses into one.
 */
import ts from "typescript";
import type { Problem, SourceLocation } from "../errors.ts";
import { defaultExport, objectLiteralOf, propertyName, propertyNamed, sectionOf, valueOf } from "./literal.ts";

export interface SpecSource {
  /** Syntax errors, one Problem each; empty when the file parses. */
  syntaxErrors: Problem[];
  /** Keys written twice inside `tools` or `handles`, at their second occurrence. */
  duplicateKeys: Array<{ section: "tools" | "handles"; name: string; at: SourceLocation }>;
  /** Where the value at a path (`["tools", "query", "uses"]`) is written, or its nearest written ancestor. */
  locate(path: readonly string[]): SourceLocation;
}

export function readSpecSource(file: string, text: string): SpecSource {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const at = (node: ts.Node): SourceLocation => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    return { file, line: line + 1, column: character + 1 };
  };
  // parseDiagnostics is internal but stable for years; it is how tsc reports syntax errors without a Program.
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const syntaxErrors = diagnostics.map((d): Problem => {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
    return {
      message: `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
      at: { file, line: line + 1, column: character + 1 },
    };
  });

  const exported = defaultExport(source);
  const root = exported && objectLiteralOf(exported, source);
  const fallback: SourceLocation = exported ? at(exported) : { file, line: 1, column: 1 };

  const duplicateKeys: SpecSource["duplicateKeys"] = [];
  for (const section of ["tools", "handles"] as const) {
    const literal = root && sectionOf(root, section, source);
    const seen = new Set<string>();
    for (const property of literal?.properties ?? []) {
      const name = property.name && propertyName(property.name);
      if (name === undefined) continue;
      if (seen.has(name)) duplicateKeys.push({ section, name, at: at(property) });
      seen.add(name);
    }
  }

  return {
    syntaxErrors,
    duplicateKeys,
    locate(path) {
      let node: ts.ObjectLiteralExpression | undefined = root;
      let found = fallback;
      for (const key of path) {
        const property = node && propertyNamed(node, key);
        if (!property) break;
        found = at(property);
        node = objectLiteralOf(valueOf(property), source);
      }
      return found;
    },
  };
}
