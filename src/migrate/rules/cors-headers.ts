/**
 * A CORS allow-list that names `Mcp-Session-Id` or `MCP-Protocol-Version` gets the request headers a 2026-07-28 client
 * sends, appended as the list writes its entries: array elements, or names in the string.
 * `Mcp-Session-Id` stays: naming a header nobody sends costs nothing.
 */
import ts from "typescript";
import { missingFrom } from "../../analysis/rules/cors-headers.ts";
import { nodeStartingAt, offsetOf, perFinding, type Migration, type TextEdit } from "../rule.ts";

export const corsHeadersMigration: Migration = {
  rule: "cors-headers",
  migrate(source, findings) {
    return perFinding(findings, (finding) => {
      const list = nodeStartingAt(source, offsetOf(source, finding), (node): node is ts.Expression => missingFrom(node) !== undefined);
      return list && withModernHeaders(source, list);
    });
  },
};

function withModernHeaders(source: ts.SourceFile, list: ts.Expression): TextEdit | undefined {
  // In the case the list wrote its MCP header in: `mcp-session-id` gets `mcp-method`.
  const lowercase = /mcp-(?:session-id|protocol-version)/.test(list.getText(source));
  const missing = missingFrom(list)!.map((header) => (lowercase ? header.toLowerCase() : header));
  if (ts.isArrayLiteralExpression(list)) {
    const last = list.elements.at(-1);
    if (!last) return undefined;
    return { start: last.getEnd(), end: last.getEnd(), text: missing.map((header) => `, "${header}"`).join("") };
  }
  // Inside the string, before its closing quote, in the separator it uses.
  const text = list.getText(source);
  const separator = /,\s/.test(text) ? ", " : ",";
  const end = list.getEnd() - 1;
  return { start: end, end, text: missing.map((header) => `${separator}${header}`).join("") };
}
