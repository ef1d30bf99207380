/**
 * The run's files as a project: which of them a relative import names. A rewrite may need to
 * see the function a file imports (is `createServer` only building a server?), and the run to
 * see modules a migration leaves with no importer (the transport registry a router imported is
 * dead once the router hands every request to one handler), neither of which one file knows.
 * Pure: texts in, texts and file names out.
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

/** For a file of `texts`, the text of the module one of its relative imports names, when it is one of `texts`. */
export function importedTexts(texts: ReadonlyMap<string, string>): (file: string) => (specifier: string) => string | undefined {
  const resolve = resolver(texts.keys());
  return (file) => (specifier) => {
    const target = resolve(file, specifier);
    return target === undefined ? undefined : texts.get(target);
  };
}

/**
 * Each file of `texts` that a file passing `test` imports, directly or through other files of
 * `texts`, with that file (`root`) and the files between them, in import order.
 */
export function importedFrom(texts: ReadonlyMap<string, string>, test: (text: string) => boolean): Map<string, { root: string; through: string[] }> {
  const result = new Map<string, { root: string; through: string[] }>();
  const roots = [...texts].filter(([, text]) => test(text)).map(([file]) => file);
  // Reading every file's imports costs a scan of each: only done when some file passes.
  const graph = roots.length ? imports(texts) : new Map<string, string[]>();
  for (const root of roots) {
    // Breadth first, so each file is named with its shortest way from the root.
    const queue = [{ file: root, through: [] as string[] }];
    const seen = new Set([root]);
    for (let next = queue.shift(); next; next = queue.shift()) {
      for (const imported of graph.get(next.file) ?? []) {
        if (seen.has(imported)) continue;
        seen.add(imported);
        if (!result.has(imported)) result.set(imported, { root, through: next.through });
        queue.push({ file: imported, through: [...next.through, imported] });
      }
    }
  }
  return result;
}

/** Each file of `texts` imported by another, with the files that import it. */
function importers(texts: ReadonlyMap<string, string>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [file, targets] of imports(texts)) for (const target of targets) result.set(target, [...(result.get(target) ?? []), file]);
  return result;
}

/** Each file of `texts` with the other files of `texts` it imports. */
function imports(texts: ReadonlyMap<string, string>): Map<string, string[]> {
  const resolve = resolver(texts.keys());
  const result = new Map<string, string[]>();
  for (const [file, text] of texts) {
    const targets = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => resolve(file, fileName));
    result.set(file, [...new Set(targets.filter((target): target is string => target !== undefined && target !== file))]);
  }
  return result;
}

/** Which of `files` a relative specifier in `from` names: `./a.js`, `./a.ts` or `./a` for `a.ts`, `./http` for `http/index.ts`. */
function resolver(files: Iterable<string>): (from: string, specifier: string) => string | undefined {
  const byStem = new Map<string, string>();
  for (const file of files) {
    byStem.set(stem(file), file);
    if (path.basename(stem(file)) === "index") byStem.set(path.dirname(file), file);
  }
  return (from, specifier) => (specifier.startsWith(".") ? byStem.get(stem(path.resolve(path.dirname(from), specifier))) : undefined);
}

/** A path without the extension a source file or an import of it may carry: `a/b.js`, `a/b.ts` → `a/b`. */
function stem(file: string): string {
  return file.replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, "");
}
