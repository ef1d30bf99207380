/**
 * Reading a file's habits and writing in them (src/style.ts): what add and migrate put into
 * someone's file must change only quotes and indentation, never what a string says.
 */
import { describe, expect, it } from "vitest";
import { indentUnitOf, inStyle, quoteOf, requote, semicolonsOf, withoutSemicolons } from "../../src/style.ts";

describe("a file's style", () => {
  it("is the quote of its first import, and the indentation of its code lines, not of a doc comment", () => {
    expect(quoteOf(`/** "doc" */\nimport x from 'x';\nconst y = "y";`)).toBe("'");
    expect(quoteOf(`import x from "x";`)).toBe('"');
    expect(indentUnitOf(`/**\n * header\n */\nfunction f() {\n    return 1;\n}`)).toBe("    ");
    expect(indentUnitOf(`function f() {\n\treturn 1;\n}`)).toBe("\t");
    expect(indentUnitOf(`const a = 1;`)).toBe("  ");
    // A template literal's text, indented its own way, does not set the file's unit.
    expect(indentUnitOf(`function f() {\n    if (x) {\n        g(\`\n   - one\n   - two\n\`);\n    }\n}`)).toBe("    ");
  });

  it("ends statements with semicolons when most of its statements do, or when it has none to tell by", () => {
    expect(semicolonsOf(`import x from 'x'\nconst y = x()\nfor (;;) break\nexport { y };`)).toBe(false);
    expect(semicolonsOf(`import x from "x";\nconst y = x();\nf()`)).toBe(true);
    expect(semicolonsOf(`// nothing yet\n`)).toBe(true);
  });
});

describe("withoutSemicolons", () => {
  it("drops the semicolons that end statements, class fields and type members at a line's end", () => {
    const code = `import x from "x";\ninterface A {\n  a: string;\n  b(): void;\n}\nclass B {\n  c = 1;\n}\nconst d = x(); // why\nreturn;\n`;
    expect(withoutSemicolons(code)).toBe(`import x from "x"\ninterface A {\n  a: string\n  b(): void\n}\nclass B {\n  c = 1\n}\nconst d = x() // why\nreturn\n`);
  });

  it("keeps those that leaving out would change: before ( [ \` + - /, between statements on one line, in for headers and strings", () => {
    const code = "a();\n(b || c)();\nd();\n[1].map(f);\ne();\n`t`;\nf(); g();\nfor (let i = 0; i < 1; i++) h(\";\");\n";
    expect(withoutSemicolons(code)).toBe("a();\n(b || c)()\nd();\n[1].map(f)\ne();\n`t`\nf(); g()\nfor (let i = 0; i < 1; i++) h(\";\")\n");
  });

  it("looks past comments for what the next line starts with", () => {
    expect(withoutSemicolons("f();\n\n/** doc */\ng();\n// note\n[1].map(h);\n")).toBe("f()\n\n/** doc */\ng();\n// note\n[1].map(h)\n");
  });

  it("drops those of statements nested in another's function body, each at its own place", () => {
    expect(withoutSemicolons("f(() => {\n  g();\n  return 1;\n});\nh();\n")).toBe("f(() => {\n  g()\n  return 1\n})\nh()\n");
  });

  it("changes only what lies in the ranges it is given", () => {
    expect(withoutSemicolons("f();\ng();\n", [[5, 9]])).toBe("f();\ng()\n");
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
    expect(inStyle(`if (a) {\n  f("x");\n    g("y");\n}`, { quote: "'", unit: "\t", semicolons: true })).toBe(`if (a) {\n\tf('x');\n\t\tg('y');\n}`);
  });

  it("leaves out semicolons for a file that does", () => {
    expect(inStyle(`const a = f("x");\n`, { quote: "'", unit: "  ", semicolons: false })).toBe(`const a = f('x')\n`);
  });
});
