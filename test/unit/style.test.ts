/**
 * Reading a file's habits and writing in them (src/style.ts): what add and migrate put into
 * someone's file must change only quotes and indentation, never what a string says.
 */
import { describe, expect, it } from "vitest";
import { indentUnitOf, inStyle, quoteOf, requote } from "../../src/style.ts";

describe("a file's style", () => {
  it("is the quote of its first import, and the indentation of its code lines, not of a doc comment", () => {
    expect(quoteOf(`/** "doc" */\nimport x from 'x';\nconst y = "y";`)).toBe("'");
    expect(quoteOf(`import x from "x";`)).toBe('"');
    expect(indentUnitOf(`/**\n * header\n */\nfunction f() {\n    return 1;\n}`)).toBe("    ");
    expect(indentUnitOf(`function f() {\n\treturn 1;\n}`)).toBe("\t");
    expect(indentUnitOf(`const a = 1;`)).toBe("  ");
  });
});

describe("requote", () => {
  it("turns double-quoted strings single, leaving those that hold a quote or an escape", () => {
    expect(requote(`f("a", "it's", "a\\"b", 'c');`, "'")).toBe(`f('a', "it's", "a\\"b", 'c');`);
  });

  it("never touches the text of a template literal, whatever follows its substitutions", () => {
    const snippet = 'const t = `got "${a}" and "${b}" ok`; g("x");';
    expect(requote(snippet, "'")).toBe("const t = `got \"${a}\" and \"${b}\" ok`; g('x');");
  });

  it("never mistakes a regular expression or a comment for a string", () => {
    expect(requote('s.replace(/"/g, "q"); // say "hi"', "'")).toBe(`s.replace(/"/g, 'q'); // say "hi"`);
  });

  it("reads JSX as JSX, and leaves its attributes in double quotes", () => {
    const tsx = 'const a = <b title="x">{f("y")}</b>;';
    expect(requote(tsx, "'", undefined, "view.tsx")).toBe(`const a = <b title="x">{f('y')}</b>;`);
  });

  it("changes only what lies in the ranges it is given", () => {
    expect(requote('f("a"); g("b");', "'", [[8, 15]])).toBe(`f("a"); g('b');`);
  });

  it("changes strings inside a substitution, which are code", () => {
    expect(requote('`${f("a")} "b"`', "'")).toBe("`${f('a')} \"b\"`");
  });
});

describe("inStyle", () => {
  it("re-indents two-space text by the file's unit and requotes it", () => {
    expect(inStyle(`if (a) {\n  f("x");\n    g("y");\n}`, { quote: "'", unit: "\t" })).toBe(`if (a) {\n\tf('x');\n\t\tg('y');\n}`);
  });
});
