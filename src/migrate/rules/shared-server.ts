/**
 * A createMcpHandler factory that returns one server made outside it → a factory that builds a
 * new one each time: the server's making and its registrations move into `createMcpServer()`
 * (module-server.ts, as for a server the routing connected), and the handler is given that; a
 * named factory returns what it builds instead.
 */
import ts from "typescript";
import type { Finding } from "../../analysis/rule.ts";
import { sharedServersReturned } from "../../analysis/rules/shared-server.ts";
import { enclosingFunction, insertedAbove, nodeStartingAt, offsetOf, references, topLevelStatement, type ImportNeed, type Migration, type TextEdit } from "../rule.ts";
import { factoryOf } from "./module-server.ts";

export const sharedServerMigration: Migration = {
  rule: "shared-server",
  migrate(source, findings, context) {
    // Findings grouped by the server they return, each with the factories that return it.
    const byServer = new Map<string, { findings: Finding[]; factories: Set<ts.FunctionLikeDeclaration> }>();
    for (const finding of findings) {
      const returned = nodeStartingAt(source, offsetOf(source, finding), ts.isIdentifier);
      const factory = returned && enclosingFunction(returned);
      if (!returned || !factory || !(ts.isArrowFunction(factory) || ts.isFunctionExpression(factory) || ts.isFunctionDeclaration(factory))) continue;
      const group = byServer.get(returned.text) ?? { findings: [], factories: new Set() };
      group.findings.push(finding);
      group.factories.add(factory);
      byServer.set(returned.text, group);
    }
    const edits: TextEdit[] = [];
    const imports: ImportNeed[] = [];
    const handled: Finding[] = [];
    let unmoved: string | undefined;
    const taken = new Set<string>();
    for (const [server, group] of byServer) {
      const factories = [...group.factories];
      const made = factoryOf(source, server, factories, taken, context.importedText);
      if (typeof made === "string") unmoved ??= made;
      if (typeof made !== "object") continue;
      // In a factory, the server may only be what it returns: anything else it did with the one instance has none to reach.
      const returned = new Set(factories.flatMap(sharedServersReturned));
      const otherUse = references(source, server).find((ref) => !returned.has(ref) && factories.some((f) => f.pos <= ref.pos && ref.end <= f.end));
      if (otherUse) {
        unmoved ??= `the factory does more with ${server} than return it, and each request's server is a new one now: build it in createMcpServer's place by hand, then run migrate again`;
        continue;
      }
      taken.add(made.name);
      edits.push(...made.edits);
      imports.push(...(made.imports ?? []));
      for (const factory of factories) edits.push(...given(source, factory, made.name));
      if (made.text) edits.push(insertedAbove(source, made.within ?? topLevelStatement(factories[0]!), made.text));
      handled.push(...group.findings);
    }
    return { edits, handled, imports, ...(unmoved && { unmoved }) };
  },
};

/** `() => server` becomes the factory's name; elsewhere, each returned server becomes a call of it. */
function given(source: ts.SourceFile, factory: ts.FunctionLikeDeclaration, name: string): TextEdit[] {
  if (ts.isArrowFunction(factory) && factory.parameters.length === 0 && !ts.isBlock(factory.body) && ts.isCallExpression(factory.parent)) {
    return [{ start: factory.getStart(source), end: factory.getEnd(), text: name }];
  }
  return sharedServersReturned(factory).map((id) => ({ start: id.getStart(source), end: id.getEnd(), text: `${name}()` }));
}
