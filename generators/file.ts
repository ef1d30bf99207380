/** One file a generator wants on disk. */
export interface GeneratedFile {
  /** Relative to the project root, with `/` separators. */
  path: string;
  content: string;
  /**
   * `generator`: rewritten by every `generate` and checked by `generate --check`.
   * `user`: written once when missing, never touched again.
   * `sections`: written once when missing; after that only its marked regions are kept current
   * (generators/sections.ts), and checked like the generator's files.
   */
  owner: "generator" | "user" | "sections";
}

export const GENERATED_HEADER = "// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.";

/** Where each tool's handler is written. */
export const HANDLERS_DIR = "src/handlers";

/** The files written once for each tool: its handler and its test, the user's from then on. */
export function toolUserFiles(tool: string): { handler: string; test: string } {
  return { handler: `${HANDLERS_DIR}/${tool}.ts`, test: `test/${tool}.test.ts` };
}
