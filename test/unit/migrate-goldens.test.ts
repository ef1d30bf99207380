/**
 * What migrate writes must compile: every golden's expected output (test/fixtures/migrate) is
 * type-checked, strict, against the SDK v2 packages and frameworks this repository installs, with
 * the HandleMap runtime migrate writes beside a file where one imports it. The exact-text goldens
 * alone once passed a rewrite that dropped the factory it then called.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const fixtures = path.join(repoRoot, "test/fixtures/migrate");
const handleMap = readFileSync(path.join(repoRoot, "templates/migrate/handle-map.ts"), "utf8");

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: ["node"],
  // Nest's parameter decorators.
  experimentalDecorators: true,
};

const expected = readdirSync(fixtures).flatMap((rule) =>
  readdirSync(path.join(fixtures, rule))
    .filter((name) => name.endsWith(".expected.ts"))
    .map((name) => path.join(fixtures, rule, name)),
);

/** Why a golden cannot be checked here: a package this repository does not install, or a platform's globals. */
function notCheckable(file: string): string | undefined {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
    if (!ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule) return `imports ${specifier}, not installed here`;
  }
  // Cloudflare Workers' and Deno's globals come with their runtimes' types, not installed here.
  const platform = /\b(ExecutionContext|ExportedHandler)\b|\bDeno\./.exec(source.text);
  return platform ? `uses ${platform[0]}, a platform global` : undefined;
}

const skipped = new Map(expected.flatMap((file) => {
  const why = notCheckable(file);
  return why ? [[path.relative(fixtures, file), why] as const] : [];
}));
const checked = expected.filter((file) => !skipped.has(path.relative(fixtures, file)));

/** A host that finds `handle-map.ts` beside any fixture: the runtime migrate writes there. */
function hostWithHandleMap(): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const isHandleMap = (file: string) => file.startsWith(fixtures) && path.basename(file) === "handle-map.ts";
  const { fileExists, getSourceFile } = host;
  host.fileExists = (file) => isHandleMap(file) || fileExists.call(host, file);
  host.getSourceFile = (file, language, ...rest) =>
    isHandleMap(file) ? ts.createSourceFile(file, handleMap, language) : getSourceFile.call(host, file, language, ...rest);
  return host;
}

describe("migrate's expected outputs", () => {
  it("are checked, all but those needing a package or platform this repository lacks", () => {
    expect(Object.fromEntries(skipped)).toEqual({
      "agents-handler/options.expected.ts": "uses ExecutionContext, a platform global",
      "agents-handler/request.expected.ts": "uses ExecutionContext, a platform global",
      "cors-headers/basic.expected.ts": "imports cors, not installed here",
      "legacy-entry/elysia-fetch-to-node.expected.ts": "imports elysia, not installed here",
      "legacy-entry/koa-stateless.expected.ts": "imports koa, not installed here",
      "legacy-entry/worker-env.expected.ts": "uses ExecutionContext, a platform global",
      "transport-routing/next-app-route.expected.ts": "imports next/server, not installed here",
      "transport-routing/fetch-sweep.expected.ts": "uses Deno., a platform global",
      "transport-routing/koa.expected.ts": "imports koa, not installed here",
      "transport-routing/nest-controller.expected.ts": "imports @nestjs/common, not installed here",
      "transport-routing/worker-env.expected.ts": "uses ExecutionContext, a platform global",
    });
    expect(checked.length).toBe(expected.length - skipped.size);
  });

  it("type-check strictly against SDK v2", () => {
    const program = ts.createProgram(checked, options, hostWithHandleMap());
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.relative(fixtures, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(diagnostics).toEqual([]);
    // One program over every golden: seconds on a quiet machine, more on a busy one.
  }, 120_000);
});
