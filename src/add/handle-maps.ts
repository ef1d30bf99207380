/**
 * Finds the handle kinds `migrate` left in a plain server: each
 * `const carts = new HandleMap<State>("cart", { createTool: "create_cart" })`, so that `add tool
 * --uses cart` can work on the same handles as the migrated tools.
 */
import path from "node:path";
import { Node, type Project, type SourceFile, SyntaxKind } from "ts-morph";
import { relativePath } from "../paths.ts";

export interface HandleMapKind {
  kind: string;
  createTool: string;
  /** The variable that holds the map, at the top level of its file. */
  variable: string;
  /** The state's type as written (`string[]`), `unknown` where none is. */
  stateType: string;
  /** Where it is declared, relative to the project root, for messages. */
  file: string;
  line: number;
  source: SourceFile;
  /** The file the HandleMap class comes from (src/handle-map.ts), absolute. */
  classFile: string | undefined;
}

export function findHandleMaps(project: Project, root: string): HandleMapKind[] {
  const found: HandleMapKind[] = [];
  for (const source of project.getSourceFiles()) {
    const imported = source.getImportDeclarations().find((i) => i.getNamedImports().some((n) => n.getName() === "HandleMap"));
    if (!imported) continue;
    for (const created of source.getDescendantsOfKind(SyntaxKind.NewExpression)) {
      if (created.getExpression().getText() !== "HandleMap") continue;
      const [kindArg, optionsArg] = created.getArguments();
      const declaration = created.getParentIfKind(SyntaxKind.VariableDeclaration);
      // Only a map at the top level of its file outlives a request, and can be handed to a tool.
      const topLevel = Node.isSourceFile(declaration?.getVariableStatement()?.getParent());
      if (!kindArg?.isKind(SyntaxKind.StringLiteral) || !declaration || !topLevel || !Node.isIdentifier(declaration.getNameNode())) continue;
      const createTool = optionsArg?.isKind(SyntaxKind.ObjectLiteralExpression) ? optionsArg.getProperty("createTool") : undefined;
      const toolName = createTool?.isKind(SyntaxKind.PropertyAssignment) ? createTool.getInitializer() : undefined;
      found.push({
        kind: kindArg.getLiteralText(),
        createTool: toolName?.isKind(SyntaxKind.StringLiteral) ? toolName.getLiteralText() : `create_${kindArg.getLiteralText()}`,
        variable: declaration.getName(),
        stateType: created.getTypeArguments()[0]?.getText() ?? "unknown",
        file: relativePath(root, source.getFilePath()),
        line: created.getStartLineNumber(),
        source,
        classFile: imported.getModuleSpecifierSourceFile()?.getFilePath() ?? resolveSpecifier(source, imported.getModuleSpecifierValue()),
      });
    }
  }
  return found;
}

/** `./handle-map.js` or `./handle-map` from src/server.ts → src/handle-map.ts, as TypeScript resolves it. */
function resolveSpecifier(source: SourceFile, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const resolved = path.resolve(path.dirname(source.getFilePath()), specifier);
  return /\.[cm]?ts$/.test(resolved) ? resolved : `${resolved.replace(/\.[cm]?js$/, "")}.ts`;
}
