/**
 * Cloudflare's `McpAgent` (agents/mcp) serves each MCP session from a Durable Object of its own,
 * named by the session id: its `this.state`, `this.sql` and instance fields are the session's,
 * and its `server` must be an SDK v1 one. 2026-07-28 has no sessions, and agents has frozen
 * McpAgent in favour of `createMcpHandler` from `agents/mcp/server`, which builds an SDK v2
 * server per request and keeps nothing between them. Reported, never rewritten: the class is a
 * Durable Object that the Worker's wrangler config binds (dropping it takes a `deleted_classes`
 * migration, which deletes what it stored), and where its state goes is a person's design.
 */
import ts from "typescript";
import { importedName, isReassigned, propertyNameText, walk, type Rule } from "../rule.ts";

export const mcpAgent: Rule = {
  id: "mcp-agent",
  prefilter: /\bMcpAgent\b/,
  fix: "build the server in a function, on SDK v2, and serve it with createMcpHandler(() => createServer(), { route: \"/mcp\" }) from agents/mcp/server; state kept per session (this.state, this.sql) goes behind handles: a create_* tool returns an id, the state lives in KV, D1 or a Durable Object named by it; keep the class exported until its sessions drain, then remove its Durable Object binding (not migrated automatically; docs/mcp-agent.md in create-mcp-stateless walks through it)",
  analyze(source, report) {
    const agent = importedName(source, "agents/mcp", "McpAgent");
    if (!agent) return;
    walk(source, (node) => {
      if (!ts.isClassLike(node) || !extendsFrom(node, agent)) return;
      const state = sessionState(node);
      const kept = state.length ? `keeps ${state.join(", ")} per MCP session, in that session's Durable Object` : "serves each MCP session from a Durable Object of its own";
      report(node.name ?? node, `McpAgent ${kept}; 2026-07-28 has no sessions, and agents has frozen McpAgent (which takes an SDK v1 server) for createMcpHandler from agents/mcp/server`);
    });
  },
};

/** Whether a class extends the named one (`extends McpAgent<Env, State>`). */
function extendsFrom(node: ts.ClassLikeDeclaration, name: string): boolean {
  return (node.heritageClauses ?? []).some(
    (clause) => clause.token === ts.SyntaxKind.ExtendsKeyword && clause.types.some((type) => ts.isIdentifier(type.expression) && type.expression.text === name),
  );
}

/** What an agent keeps for its session: its state, its SQL database, its storage, fields its methods write. */
function sessionState(agent: ts.ClassLikeDeclaration): string[] {
  const kept = new Set<string>();
  const initialState = agent.members.some((m) => ts.isPropertyDeclaration(m) && propertyNameText(m.name) === "initialState");
  if (initialState) kept.add("this.state");
  walk(agent, (node) => {
    if (!ts.isPropertyAccessExpression(node) || node.expression.kind !== ts.SyntaxKind.ThisKeyword) return;
    const member = node.name.text;
    if (member === "state" || member === "setState") kept.add("this.state");
    else if (member === "sql") kept.add("this.sql");
    else if (member === "ctx" && ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === "storage") kept.add("this.ctx.storage");
    else if (member !== "server" && isReassigned(node)) kept.add(`this.${member}`);
  });
  return [...kept];
}
