/**
 * The run's files as a project: which of them a relative import (or a tsconfig path alias, such
 * as Next.js's `@/lib/mcp`) names. A rewrite may need to
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
export function orphanedModules(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, aliasesOf?: PathAliases): Map<string, string[]> {
  const importersBefore = importers(before, aliasesOf);
  const importersAfter = importers(after, aliasesOf);
  const orphans = new Map<string, string[]>();
  for (const [file, was] of importersBefore) if (!importersAfter.has(file)) orphans.set(file, was);
  return orphans;
}

/**
 * For a file of `texts`, what one of its imports names: the module's text when it is one of
 * `texts`, null when it is a module of the project (relative, or through an alias) that is not,
 * undefined when it is none of the project's (a package).
 */
export function importedTexts(texts: ReadonlyMap<string, string>, aliasesOf?: PathAliases): (file: string) => (specifier: string) => string | null | undefined {
  const resolve = resolver(texts.keys(), aliasesOf);
  return (file) => (specifier) => {
    const target = resolve(file, specifier);
    return typeof target === "string" ? (texts.get(target) ?? null) : target;
  };
}

/**
 * Each file of `texts` that a file passing `test` imports, directly or through other files of
 * `texts`, with that file (`root`) and the files between them, in import order.
 */
export function importedFrom(texts: ReadonlyMap<string, string>, test: (text: string) => boolean, aliasesOf?: PathAliases): Map<string, { root: string; through: string[] }> {
  const result = new Map<string, { root: string; through: string[] }>();
  const roots = [...texts].filter(([, text]) => test(text)).map(([file]) => file);
  // Reading every file's imports costs a scan of each: only done when some file passes.
  const graph = roots.length ? imports(texts, aliasesOf) : new Map<string, string[]>();
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
function importers(texts: ReadonlyMap<string, string>, aliasesOf?: PathAliases): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [file, targets] of imports(texts, aliasesOf)) for (const target of targets) result.set(target, [...(result.get(target) ?? []), file]);
  return result;
}

/** Each file of `texts` with the other files of `texts` it imports. */
function imports(texts: ReadonlyMap<string, string>, aliasesOf?: PathAliases): Map<string, string[]> {
  const resolve = resolver(texts.keys(), aliasesOf);
  const result = new Map<string, string[]>();
  for (const [file, text] of texts) {
    const targets = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => resolve(file, fileName));
    result.set(file, [...new Set(targets.filter((target): target is string => typeof target === "string" && target !== file))]);
  }
  return result;
}

/**
 * The path aliases of a file's tsconfig (`"@/*": ["./src/*"]`), each target made absolute; a
 * specifier that matches one names a module of the project, as a relative one does.
 */
export type PathAliases = (file: string) => readonly PathAlias[];
export interface PathAlias {
  pattern: string;
  targets: readonly string[];
}

/**
 * Which of `files` a specifier in `from` names: `./a.js`, `./a.ts` or `./a` for `a.ts`, `./http`
 * for `http/index.ts`, an alias's target the same way. Null when it names a module of the
 * project that is not one of `files`; undefined when it names none (a package).
 */
export function resolver(files: Iterable<string>, aliasesOf?: PathAliases): (from: string, specifier: string) => string | null | undefined {
  const byStem = new Map<string, string>();
  for (const file of files) {
    byStem.set(stem(file), file);
    if (path.basename(stem(file)) === "index") byStem.set(path.dirname(file), file);
  }
  return (from, specifier) => {
    if (specifier.startsWith(".")) return byStem.get(stem(path.resolve(path.dirname(from), specifier))) ?? null;
    const targets = aliasTargets(aliasesOf?.(from) ?? [], specifier);
    if (targets === undefined) return undefined;
    for (const target of targets) {
      const found = byStem.get(stem(target));
      if (found) return found;
    }
    return null;
  };
}

/** The paths an aliased specifier may stand for, by the alias with the longest prefix it matches (as TypeScript picks). */
function aliasTargets(aliases: readonly PathAlias[], specifier: string): string[] | undefined {
  let best: { alias: PathAlias; matched: string; prefix: number } | undefined;
  for (const alias of aliases) {
    const star = alias.pattern.indexOf("*");
    if (star === -1) {
      if (alias.pattern === specifier) return [...alias.targets];
      continue;
    }
    const [prefix, suffix] = [alias.pattern.slice(0, star), alias.pattern.slice(star + 1)];
    const fits = specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
    if (fits && (!best || prefix.length > best.prefix)) best = { alias, matched: specifier.slice(prefix.length, specifier.length - suffix.length), prefix: prefix.length };
  }
  return best?.alias.targets.map((target) => target.replace("*", best.matched));
}

/** A path without the extension a source file or an import of it may carry: `a/b.js`, `a/b.ts` → `a/b`. */
function stem(file: string): string {
  return file.replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, "");
}
