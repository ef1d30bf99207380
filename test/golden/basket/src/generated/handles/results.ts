// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/** Turns what a handler returns into an MCP tool result. */
import type { InputRequests } from "@modelcontextprotocol/server";
import type { HandleKind } from "./handles.ts";

export type Reply = { output: Record<string, unknown> } | { text: string };

/**
 * A handler's reply that it needs more from the client first (`ask` in ask.ts, or the SDK's own
 * `inputRequired`): the call has not happened yet, so nothing is saved, made or ended by it.
 */
export interface Ask {
  readonly resultType: "input_required";
  readonly inputRequests?: InputRequests;
  /** What `ask` signs into the request state; unsigned, it never goes out as it is (ask.ts). */
  readonly remember?: unknown;
}

export function isAsk(result: unknown): result is Ask {
  return (result as { resultType?: unknown } | null)?.resultType === "input_required";
}

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: "text"; text: string }>;
  structuredContent?: Record<string, unknown>;
}

/**
 * Structured output also goes out as JSON text, for clients that read only `content`.
 * `renamed` (sealed handles) is the handle the caller must use from now on. An ask goes out as it is.
 */
export function reply(result: Reply | Ask, renamed?: Record<string, string>): ToolResult | Ask {
  if (isAsk(result)) return result;
  if ("output" in result) {
    const structuredContent = { ...result.output, ...renamed };
    return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
  }
  const note = renamed ? Object.entries(renamed).map(([param, handle]) => `\n\n${param} is now ${handle}; use it from now on.`).join("") : "";
  return { content: [{ type: "text", text: result.text + note }] };
}

/** The result of a create tool: `{ "<kind>_id": handle }` plus whatever the handler returned. */
export function created(kind: HandleKind, handle: string, result: { output?: Record<string, unknown>; text?: string }): ToolResult {
  const structuredContent = { [`${kind.name}_id`]: handle, ...result.output };
  const text = result.text ?? `Created ${kind.name} ${handle}; it expires in ${kind.lifetime}. ${JSON.stringify(structuredContent)}`;
  return { content: [{ type: "text", text }], structuredContent };
}
