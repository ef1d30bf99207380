/**
 * Modules a migration leaves with no importer: the transport registry a router imported
 * (getTransport, addTransport…) is dead once the router hands every request to one handler,
 * and the file alone cannot know that. Pure: texts in, file names out.
 */
import path from "node:path";
import ts from "typescript";

/**
 * The files of `before` that some other file imported before the migration and none imports
 * after it (`after` has each file's new text, or its old one when unchanged), with the files
 * that imported it. Only the files the run read are seen: a module some file outside the run
 * still imports may be called orphaned, which is why the caller only ever suggests deleting.
 */
export function orphanedModules(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Map<string, string[]> {
  const importersBefore = importers(before);
  const importersAfter = importers(after);
  const orphans = new Map<string, string[]>();
  for (const [file, was] of importersBefore) if (!importersAfter.has(file)) orphans.set(file, was);
  return orphans;
}

/** Each file of `texts` imported by another, with the files that import it. */
function importers(texts: ReadonlyMap<string, string>): Map<string, string[]> {
  const byStem = new Map<string, string>();
  for (const file of texts.keys()) {
    byStem.set(stem(file), file);
    // `./http` reaches `./http/index.ts`.
    if (path.basename(stem(file)) === "index") byStem.set(path.dirname(file), file);
  }
  const result = new Map<string, string[]>();
  for (const [file, text] of texts) {
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith(".")) continue;
      const target = byStem.get(stem(path.resolve(path.dirname(file), specifier)));
      if (!target || target === file) continue;
      result.set(target, [...(result.get(target) ?? []), file]);
    }
  }
  return result;
}

/** A path without the extension a source file or an import of it may carry: `a/b.js`, `a/b.ts` → `a/b`. */
function stem(file: string): string {
  return file.replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, "");
}
