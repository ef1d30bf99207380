// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/** Drives the server the way a real client does: the official MCP client, over HTTP semantics, in-process. */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { App } from "../../src/generated/app.ts";

/** A client whose requests carry the auth of `principal` (or none at all), and `headers` over its own. */
export async function connect(app: App, principal?: string, headers: Record<string, string> = {}): Promise<Client> {
  const authInfo = principal === undefined ? undefined : { token: `token-of-${principal}`, clientId: principal, scopes: [] };
  const transport = new StreamableHTTPClientTransport(new URL("http://in-process.test/mcp"), {
    fetch: (url, init) => {
      const request = new Request(url, init);
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      return app.handler.fetch(request, authInfo ? { authInfo } : undefined);
    },
  });
  const client = new Client({ name: "generated-tests", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  await client.connect(transport);
  return client;
}

/** A client whose requests carry `Authorization: Bearer <token>` through the app's own token check. */
export async function connectWithToken(app: App, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL("http://in-process.test/mcp"), {
    fetch: (url, init) => {
      const headers = new Headers(init?.headers);
      headers.set("authorization", `Bearer ${token}`);
      return app.fetch(new Request(url, { ...init, headers }));
    },
  });
  const client = new Client({ name: "generated-tests", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  await client.connect(transport);
  return client;
}

export interface Called {
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
}

export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Called> {
  const result = await client.callTool({ name, arguments: args });
  const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return {
    isError: result.isError === true,
    text: content.map((c) => c.text ?? "").join("\n"),
    structured: result.structuredContent as Record<string, unknown> | undefined,
  };
}

/** A clock the tests move by hand, so expiry is tested without sleeping. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
