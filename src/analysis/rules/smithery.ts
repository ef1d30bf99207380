/**
 * Smithery's SDK 1.x (`@smithery/sdk`, read in 1.7.5) serves a server factory from Express on SDK
 * v1: `createStatefulServer(createMcpServer)` builds a server and transport for each session,
 * handing the factory that session's id and config, and keeps the transports in a session store
 * in the process; `createStatelessServer(createMcpServer)` builds them for each request, the
 * 2025-era protocol only. Both read the client's config from the query string. Its later majors
 * have no server entry at all (a module's default export is run by Smithery's own runtime).
 * Reported, never rewritten: the config parsing and whatever a factory kept by session id are
 * the app's, and the file waits for it, like a framework's.
 */
import { importedCalls, type Rule } from "../rule.ts";

const MODULES = ["@smithery/sdk", "@smithery/sdk/server/index.js", "@smithery/sdk/server/stateful.js", "@smithery/sdk/server/stateless.js"];

const WHAT: Record<string, string> = {
  createStatefulServer: "createStatefulServer keeps an SDK v1 server and transport per session (Mcp-Session-Id), each built for that session's id and config",
  createStatelessServer: "createStatelessServer serves only the 2025-era protocol (an SDK v1 server and transport per request)",
};

/** Each entry under each name the package exports it by. */
const IMPORTS = MODULES.flatMap((module) => Object.keys(WHAT).map((name) => [module, name] as const));

export const smithery: Rule = {
  id: "smithery",
  prefilter: /["']@smithery\/sdk/,
  fix: "serve the factory with SDK v2's createMcpHandler (toNodeHandler from @modelcontextprotocol/node on Express), reading the config from each request's query string as Smithery's SDK did, and give what the factory kept by session id a handle; or move to Smithery's current SDK, whose runtime serves a module's default export (not migrated automatically)",
  analyze(source, report) {
    for (const { call, exported } of importedCalls(source, IMPORTS)) {
      report(call, `Smithery's ${WHAT[exported]}; createMcpHandler serves each request, in both eras`);
    }
  },
};
