/**
 * Where a spec's objects are written: the object literal behind `export default`, and the
 * literals of its sections (`tools`, `handles`), seen through `satisfies`, `as`, parentheses,
 * `defineSpec({...})` and a const of the file. One walk for every reader of a spec's text:
 * `generate` pointing errors at a line, `add` inserting an entry.
 */
import ts from "typescript";

export type Property = ts.PropertyAssignment | ts.ShorthandPropertyAssignment;

/** The expression after `export default`. */
export function defaultExport(source: ts.SourceFile): ts.Expression | undefined {
  for (const statement of source.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) return statement.expression;
  }
  return undefined;
}

/** The object literal a node stands for, or undefined when it is anything else. */
export function objectLiteralOf(node: ts.Node | undefined, source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  for (let depth = 0; node && depth < 10; depth++) {
    if (ts.isObjectLiteralExpression(node)) return node;
    if (ts.isSatisfiesExpression(node) || ts.isAsExpression(node) || ts.isParenthesizedExpression(node)) {
      node = node.expression;
    } else if (ts.isCallExpression(node)) {
      node = node.arguments[0];
    } else if (ts.isIdentifier(node)) {
      node = constInitializer(source, node.text);
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The literal of a section of an object (`tools: {…}`, `{ tools }`, `tools: myTools`). */
export function sectionOf(literal: ts.ObjectLiteralExpression, name: string, source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  const property = propertyNamed(literal, name);
  return property && objectLiteralOf(valueOf(property), source);
}

export function propertyNamed(literal: ts.ObjectLiteralExpression, key: string): Property | undefined {
  // The last one wins at run time, so that is the one to point at.
  let match: Property | undefined;
  for (const property of literal.properties) {
    if ((ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && propertyName(property.name) === key) match = property;
  }
  return match;
}

/** What a property's value is written as: its initializer, or for `{ tools }` the const it names. */
export function valueOf(property: Property): ts.Expression {
  return ts.isPropertyAssignment(property) ? property.initializer : property.name;
}

export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/** The names of an object literal's written properties, in order. */
export function keysOf(literal: ts.ObjectLiteralExpression): string[] {
  return literal.properties.flatMap((p) => {
    const name = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? propertyName(p.name) : undefined;
    return name === undefined ? [] : [name];
  });
}

function constInitializer(source: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
    }
  }
  return undefined;
}
