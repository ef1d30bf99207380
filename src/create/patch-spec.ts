/**
 * Makes a template's spec the new project's own: its name, and the store and transports
 * chosen, as plain text edits that keep the template's layout and comments.
 */
import type { Store, Transport } from "./options.ts";

export function patchSpec(text: string, choices: { name: string; store: Store; transport: Transport }): string {
  const nameLine = /^(\s*)name: "[^"]*",$/m;
  const match = nameLine.exec(text);
  if (!match) throw new Error("template spec has no `name: \"…\",` line to patch");
  const indent = match[1];
  const lines = [`${indent}name: ${JSON.stringify(choices.name)},`];
  // Defaults (sqlite, both transports) are left out so the spec shows only what was chosen.
  if (choices.store !== "sqlite") lines.push(`${indent}store: ${JSON.stringify(choices.store)},`);
  if (choices.transport !== "both") lines.push(`${indent}transports: [${JSON.stringify(choices.transport)}],`);
  return text.replace(nameLine, lines.join("\n"));
}
