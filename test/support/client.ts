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

/** What a client answers when a server asks: a form's content (undefined declines), the model's text. */
export interface Answers {
  form?: (message: string) => Record<string, string | number | boolean> | undefined;
  model?: (prompt: string) => string;
}

/** Over real HTTP, declaring it can be asked for forms and for its model, and answering with `answers`. */
export async function connectAskable(url: string, answers: Answers): Promise<Client> {
  const client = new Client({ name: "mcp-stateless-tests", version: "1.0.0" }, { versionNegotiation: { mode: "auto" }, capabilities: { elicitation: { form: {} }, sampling: {} } });
  client.setRequestHandler("elicitation/create", async (request) => {
    const content = answers.form?.(request.params.message);
    return content ? { action: "accept", content } : { action: "decline" };
  });
  client.setRequestHandler("sampling/createMessage", async (request) => {
    const prompt = request.params.messages.map((m) => ("text" in m.content && typeof m.content.text === "string" ? m.content.text : "")).join("\n");
    return { role: "assistant", model: "test-model", content: { type: "text", text: answers.model?.(prompt) ?? "" } };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}
