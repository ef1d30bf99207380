/**
 * Finds where a plain SDK v2 server builds its McpServer: every `new McpServer(...)` held in
 * a const inside a function (the factory passed to createMcpHandler or serveStdio, or any
 * other), with the statement a registration call should go before.
 */
import { Node, type Project, type SourceFile, SyntaxKind } from "ts-morph";
import { relativePath } from "../paths.ts";

export interface FactoryCandidate {
  file: string;
  line: number;
  /** The function's name where it has one (`createServer`), for --factory. */
  name: string | undefined;
  /** The variable holding the server, or undefined when it is built dynamically (no plain const). */
  serverVariable: string | undefined;
  /** Offset at which a `register…(server);` line goes (before `return server`, or after the declaration). */
  insertAt: number | undefined;
  source: SourceFile;
}

export function findFactories(project: Project, root: string): FactoryCandidate[] {
  const found: FactoryCandidate[] = [];
  for (const source of project.getSourceFiles()) {
    for (const created of source.getDescendantsOfKind(SyntaxKind.NewExpression)) {
      if (created.getExpression().getText() !== "McpServer") continue;
      const fn = created.getFirstAncestor((n) => Node.isFunctionDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n) || Node.isMethodDeclaration(n));
      const declaration = created.getParentIfKind(SyntaxKind.VariableDeclaration);
      const statement = declaration?.getFirstAncestorByKind(SyntaxKind.VariableStatement);
      const body = statement?.getParent();
      const plain = declaration && Node.isIdentifier(declaration.getNameNode()) && body && (Node.isBlock(body) || Node.isSourceFile(body));
      const variable = plain ? declaration!.getName() : undefined;
      let insertAt: number | undefined;
      if (plain) {
        const statements = Node.isBlock(body!) || Node.isSourceFile(body!) ? body!.getStatements() : [];
        const returning = statements.find((s) => Node.isReturnStatement(s) && s.getExpression()?.getText() === variable);
        insertAt = returning ? returning.getStart() : statement!.getEnd();
      }
      found.push({
        file: relativePath(root, source.getFilePath()),
        line: created.getStartLineNumber(),
        name: fn ? functionName(fn) : undefined,
        serverVariable: variable,
        insertAt,
        source,
      });
    }
  }
  return found;
}

function functionName(fn: Node): string | undefined {
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return fn.getName();
  const holder = fn.getParentIfKind(SyntaxKind.VariableDeclaration);
  return holder?.getName();
}
