/** The official MCP client, speaking 2026-07-28, connected the ways the tests and demos need. */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport, type StdioServerParameters } from "@modelcontextprotocol/client/stdio";

function newClient(): Client {
  return new Client({ name: "mcp-stateless-tests", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
}

/** Over real HTTP; `fetch` lets a caller watch or reroute every request. */
export async function connectHttp(url: string, fetch?: typeof globalThis.fetch): Promise<Client> {
  const client = newClient();
  await client.connect(new StreamableHTTPClientTransport(new URL(url), fetch ? { fetch } : {}));
  return client;
}

/** To a server the client starts itself, over stdio. */
export async function connectStdio(server: StdioServerParameters): Promise<Client> {
  const client = newClient();
  await client.connect(new StdioClientTransport(server));
  return client;
}
