/**
 * A file's writing habits, read from its text: its quote and its indentation unit. What `add`
 * and `migrate` write into someone's file follows them, as a person editing it would.
 */
import ts from "typescript";

export type Quote = '"' | "'";

/** The quote the file's first import uses (the one choice nearly every file makes the same way). */
export function quoteOf(text: string): Quote {
  return /^import\b[^;'"]*(['"])/m.exec(text)?.[1] === "'" ? "'" : '"';
}

/**
 * One level of the file's indentation: a tab, or the fewest spaces a line of code is indented
 * by (comment lines such as a doc comment's " * " are not code). Two spaces when nothing is.
 */
export function indentUnitOf(text: string): string {
  let unit: string | undefined;
  for (const [, lead] of text.matchAll(/^([ \t]+)[^\s*]/gm)) {
    if (lead!.startsWith("\t")) return "\t";
    if (unit === undefined || lead!.length < unit.length) unit = lead!;
  }
  return unit ?? "  ";
}

/**
 * `snippet` with its double-quoted string literals in `quote`. A string with a quote or an
 * escape in it is left as written: re-escaping would only make it harder to read.
 */
export function requote(snippet: string, quote: Quote): string {
  if (quote === '"' || !snippet.includes('"')) return snippet;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, snippet);
  let out = "";
  let copied = 0;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token !== ts.SyntaxKind.StringLiteral) continue;
    const raw = scanner.getTokenText();
    if (!raw.startsWith('"') || /['\\]/.test(raw)) continue;
    out += `${snippet.slice(copied, scanner.getTokenStart())}'${raw.slice(1, -1)}'`;
    copied = scanner.getTokenEnd();
  }
  return out + snippet.slice(copied);
}

/**
 * Text this tool wrote (two spaces a level, no string spanning lines) in a file's habits: its
 * indentation unit and its quote.
 */
export function inStyle(text: string, style: { quote: Quote; unit: string }): string {
  const indented = style.unit === "  " ? text : text.replace(/^((?:  )+)/gm, (lead) => style.unit.repeat(lead.length / 2));
  return requote(indented, style.quote);
}
