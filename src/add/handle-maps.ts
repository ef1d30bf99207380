/**
 * Finds the handle kinds `migrate` left in a plain server: each
 * `const carts = new HandleMap<State>("cart", { createTool: "create_cart" })`, or
 * `const cartKeys = new HandleKeys("cart", …)` for state kept in a shared store under the handle,
 * so that `add tool --uses cart` can work on the same handles as the migrated tools.
 */
import path from "node:path";
import { type ImportDeclaration, Node, type Project, type SourceFile, SyntaxKind } from "ts-morph";
import { relativePath } from "../paths.ts";

export interface HandleMapKind {
  kind: string;
  /** The class: a HandleMap keeps the state, HandleKeys only signs handles for a store's keys. */
  runtimeClass: "HandleMap" | "HandleKeys";
  createTool: string;
  /** The variable that holds the map, at the top level of its file. */
  variable: string;
  /** The state's type as written (`string[]`), `unknown` where none is. */
  stateType: string;
  /** The names that type takes from a module or from the map's own file, which a tool file must import. */
  stateTypeNames: StateTypeName[];
  /** Where it is declared, relative to the project root, for messages. */
  file: string;
  line: number;
  source: SourceFile;
  /** The file the class comes from (src/handle-map.ts), absolute. */
  classFile: string | undefined;
}

/**
 * A name the state's type uses (`Tape` in `HandleMap<Tape>`): imported by the map's file from
 * `module` (a file's absolute path, or a package), or declared in that file, and then at
 * `exportAt` when it is not exported yet.
 */
export interface StateTypeName {
  name: string;
  /** How the map's file imports it: `Tape`, `Tape as T`, or `default` for a default import. */
  imported: string;
  module: string;
  exportAt?: number;
}

/** The runtime classes a migrated kind is kept by. */
const RUNTIME_CLASSES = ["HandleMap", "HandleKeys"] as const;

export function findHandleMaps(project: Project, root: string): HandleMapKind[] {
  const found: HandleMapKind[] = [];
  for (const source of project.getSourceFiles()) {
    // A file that imports neither class makes none: its tree is not walked.
    const runtimes = new Map<string, ImportDeclaration>();
    for (const name of RUNTIME_CLASSES) {
      const imported = source.getImportDeclarations().find((i) => i.getNamedImports().some((n) => n.getName() === name));
      if (imported) runtimes.set(name, imported);
    }
    if (runtimes.size === 0) continue;
    for (const created of source.getDescendantsOfKind(SyntaxKind.NewExpression)) {
      const runtimeClass = RUNTIME_CLASSES.find((name) => name === created.getExpression().getText());
      const imported = runtimeClass && runtimes.get(runtimeClass);
      if (!runtimeClass || !imported) continue;
      const [kindArg, optionsArg] = created.getArguments();
      const declaration = created.getParentIfKind(SyntaxKind.VariableDeclaration);
      // Only a map at the top level of its file outlives a request, and can be handed to a tool.
      const topLevel = Node.isSourceFile(declaration?.getVariableStatement()?.getParent());
      if (!kindArg?.isKind(SyntaxKind.StringLiteral) || !declaration || !topLevel || !Node.isIdentifier(declaration.getNameNode())) continue;
      const createTool = optionsArg?.isKind(SyntaxKind.ObjectLiteralExpression) ? optionsArg.getProperty("createTool") : undefined;
      const toolName = createTool?.isKind(SyntaxKind.PropertyAssignment) ? createTool.getInitializer() : undefined;
      found.push({
        kind: kindArg.getLiteralText(),
        runtimeClass,
        createTool: toolName?.isKind(SyntaxKind.StringLiteral) ? toolName.getLiteralText() : `create_${kindArg.getLiteralText()}`,
        variable: declaration.getName(),
        stateType: created.getTypeArguments()[0]?.getText() ?? "unknown",
        stateTypeNames: stateTypeNames(source, created.getTypeArguments()[0]),
        file: relativePath(root, source.getFilePath()),
        line: created.getStartLineNumber(),
        source,
        classFile: imported.getModuleSpecifierSourceFile()?.getFilePath() ?? resolveSpecifier(source, imported.getModuleSpecifierValue()),
      });
    }
  }
  return found;
}

/** Every name the type refers to that is not a global one (`Map`, `Record`), with where it comes from. */
function stateTypeNames(source: SourceFile, type: Node | undefined): StateTypeName[] {
  if (!type) return [];
  const references = [type, ...type.getDescendants()].filter(Node.isTypeReference);
  const names = new Set(references.map((r) => r.getTypeName().getText().split(".")[0]!));
  const found: StateTypeName[] = [];
  for (const name of names) {
    for (const declaration of source.getImportDeclarations()) {
      const named = declaration.getNamedImports().find((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name);
      if (!named && declaration.getDefaultImport()?.getText() !== name) continue;
      const specifier = declaration.getModuleSpecifierValue();
      const module = specifier.startsWith(".") ? (declaration.getModuleSpecifierSourceFile()?.getFilePath() ?? resolveSpecifier(source, specifier)) : specifier;
      if (module) found.push({ name, imported: named ? named.getText() : "default", module });
    }
    if (found.some((f) => f.name === name)) continue;
    const local = source.getClass(name) ?? source.getInterface(name) ?? source.getTypeAlias(name) ?? source.getEnum(name);
    if (local) found.push({ name, imported: name, module: source.getFilePath(), ...(local.isExported() ? {} : { exportAt: local.getStart() }) });
  }
  return found;
}

/** `./handle-map.js` or `./handle-map` from src/server.ts → src/handle-map.ts, as TypeScript resolves it. */
function resolveSpecifier(source: SourceFile, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const resolved = path.resolve(path.dirname(source.getFilePath()), specifier);
  return /\.[cm]?ts$/.test(resolved) ? resolved : `${resolved.replace(/\.[cm]?js$/, "")}.ts`;
}
