/**
 * Source → findings: every rule over one file's text. A file is parsed only when some
 * rule's text pre-filter matches, which keeps `check` fast enough for every commit.
 */
import ts from "typescript";
import type { Finding, Rule } from "./rule.ts";
import { agentsHandler } from "./rules/agents-handler.ts";
import { capabilityGate } from "./rules/capability-gate.ts";
import { corsHeaders } from "./rules/cors-headers.ts";
import { currentPointer } from "./rules/current-pointer.ts";
import { expressMcpHandler, expressMcpSessions } from "./rules/express-mcp-handler.ts";
import { factoryState } from "./rules/factory-state.ts";
import { fastMcp } from "./rules/fastmcp.ts";
import { legacyEntry } from "./rules/legacy-entry.ts";
import { listMutation } from "./rules/list-mutation.ts";
import { mcpAgent } from "./rules/mcp-agent.ts";
import { mcpFramework } from "./rules/mcp-framework.ts";
import { mcpNestV1 } from "./rules/mcp-nest-v1.ts";
import { mcpHandlerV1 } from "./rules/mcp-handler-v1.ts";
import { removedMessages } from "./rules/removed-messages.ts";
import { resumability } from "./rules/resumability.ts";
import { serverRequests } from "./rules/server-requests.ts";
import { sessionAuth } from "./rules/session-auth.ts";
import { sessionPush } from "./rules/session-push.ts";
import { sessionState } from "./rules/session-state.ts";
import { sessionTelemetry } from "./rules/session-telemetry.ts";
import { sharedServer } from "./rules/shared-server.ts";
import { smithery } from "./rules/smithery.ts";
import { stickyRouting } from "./rules/sticky-routing.ts";
import { todoMarkers } from "./rules/todo-markers.ts";
import { transportRouting } from "./rules/transport-routing.ts";

/** In DESIGN §5 order, then entries that cannot serve 2026-07-28 (agents' among them) and one that shares a server between requests, then migrate's leftovers. */
export const RULES: readonly Rule[] = [
  transportRouting,
  resumability,
  sessionState,
  currentPointer,
  factoryState,
  listMutation,
  capabilityGate,
  sessionPush,
  sessionAuth,
  sessionTelemetry,
  stickyRouting,
  removedMessages,
  serverRequests,
  legacyEntry,
  expressMcpHandler,
  expressMcpSessions,
  mcpAgent,
  agentsHandler,
  mcpHandlerV1,
  fastMcp,
  mcpFramework,
  mcpNestV1,
  smithery,
  sharedServer,
  corsHeaders,
  todoMarkers,
];

export interface FileAnalysis {
  findings: Finding[];
  /** Set when the file does not parse: its findings cannot be trusted. */
  error?: string;
}

export function analyzeText(file: string, text: string, rules: readonly Rule[] = RULES): FileAnalysis {
  const applicable = rules.filter((rule) => rule.prefilter.test(text));
  // A client's own session (it logs the id it was given, it ends it) is no server's state.
  if (applicable.length === 0 || isClientOnly(text)) return { findings: [] };
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const parseErrors = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (parseErrors.length) {
    const first = parseErrors[0]!;
    const { line, character } = source.getLineAndCharacterOfPosition(first.start ?? 0);
    return { findings: [], error: `${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, " ")}` };
  }
  const findings: Finding[] = [];
  for (const rule of applicable) {
    rule.analyze(source, (at, message, fix) => {
      const { line, character } = source.getLineAndCharacterOfPosition(typeof at === "number" ? at : at.getStart(source));
      findings.push({ rule: rule.id, file, line: line + 1, column: character + 1, message: oneLine(message), fix: fix ?? rule.fix });
    });
  }
  return { findings: findings.sort((a, b) => a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : 1)) };
}

/** A message quoting code written over lines (`server.server\n    .elicitInput(…)`) reads as the code on one line. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*(?=\??\.)/g, "").replace(/\s*\n\s*/g, " ");
}

/**
 * Whether the file imports the MCP client (`@modelcontextprotocol/client`, v1's `sdk/client/…`)
 * and nothing a server is made with: the SDK's other packages, or a server framework.
 */
function isClientOnly(text: string): boolean {
  const modules = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g)].map((match) => match[1]!);
  const client = (module: string) => /^@modelcontextprotocol\/(client|sdk\/client)(\/|$)/.test(module);
  // Types and protocol pieces both sides import say nothing of which side the file is.
  const shared = (module: string) => /^@modelcontextprotocol\/(core|sdk\/(types|shared|validation)\b)/.test(module);
  return modules.some(client) && !modules.some((module) => !client(module) && !shared(module) && SERVER_MODULES.test(module));
}

const SERVER_MODULES = /^(@modelcontextprotocol\/|fastmcp$|mcp-handler$|@vercel\/mcp-adapter|agents\/mcp|mcp-framework$|@rekog\/mcp-nest|@smithery\/sdk|express-mcp-handler$|@hono\/mcp$)/;

function scriptKind(file: string): ts.ScriptKind {
  if (/\.[cm]?tsx?$/.test(file)) return file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return file.endsWith("x") ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
}
