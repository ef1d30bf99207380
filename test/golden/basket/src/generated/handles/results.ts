// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/** Turns what a handler returns into an MCP tool result. */
import type { HandleKind } from "./handles.ts";

export type Reply = { output: Record<string, unknown> } | { text: string };

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: "text"; text: string }>;
  structuredContent?: Record<string, unknown>;
}

/** Structured output also goes out as JSON text, for clients that read only `content`. */
export function reply(result: Reply): ToolResult {
  if ("output" in result) {
    return { content: [{ type: "text", text: JSON.stringify(result.output) }], structuredContent: result.output };
  }
  return { content: [{ type: "text", text: result.text }] };
}

/** The result of a create tool: `{ "<kind>_id": handle }` plus whatever the handler returned. */
export function created(kind: HandleKind, handle: string, result: { output?: Record<string, unknown>; text?: string }): ToolResult {
  const structuredContent = { [`${kind.name}_id`]: handle, ...result.output };
  const text = result.text ?? `Created ${kind.name} ${handle}; it expires in ${kind.lifetime}. ${JSON.stringify(structuredContent)}`;
  return { content: [{ type: "text", text }], structuredContent };
}
