/**
 * The JWT verifier that generated projects use (templates/runtime/jwt.ts), against tokens
 * signed here: a shared secret, and keys published as a JWKS on a loopback server.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, insufficientScope, metadataResponse, peekJson, resourceMetadata, scopesNeeded } from "../../templates/runtime/auth.ts";
import { jwtVerifier } from "../../templates/runtime/jwt.ts";

const secret = "a-shared-secret-of-at-least-32-bytes!";
const hs256 = (sub: string, key = secret, claims: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setExpirationTime("5m").sign(new TextEncoder().encode(key));

describe("a shared-secret verifier", () => {
  const verify = jwtVerifier({ secret, issuer: "https://issuer.test", audience: "mcp" });
  const claims = { iss: "https://issuer.test", aud: "mcp", scope: "read write" };

  it("takes the principal from sub, and scopes from scope", async () => {
    expect(await verify(await hs256("alice", secret, claims))).toMatchObject({ clientId: "alice", scopes: ["read", "write"], extra: { sub: "alice" } });
  });

  it("refuses a wrong key, a wrong issuer or audience, an expired token, and a token without sub or without expiry", async () => {
    expect(await verify(await hs256("alice", "another-secret-another-secret-!!", claims))).toBeUndefined();
    expect(await verify(await hs256("alice", secret, { ...claims, iss: "https://other.test" }))).toBeUndefined();
    expect(await verify(await hs256("alice", secret, { ...claims, aud: "other" }))).toBeUndefined();
    const expired = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("alice").setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(secret));
    expect(await verify(expired)).toBeUndefined();
    const anonymous = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setExpirationTime("5m").sign(new TextEncoder().encode(secret));
    expect(await verify(anonymous)).toBeUndefined();
    const forever = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("alice").sign(new TextEncoder().encode(secret));
    expect(await verify(forever)).toBeUndefined();
  });

  it("answers 401 with a Bearer challenge through authenticate, and passes with no verifier at all", async () => {
    const refused = await authenticate(new Request("http://x/mcp", { headers: { authorization: "Bearer nonsense" } }), verify);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(401);
    expect((refused as Response).headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await authenticate(new Request("http://x/mcp"), undefined)).toEqual({});
  });
});

describe("a JWKS verifier", () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    server = createServer((_, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const audience = "https://mcp.example.test/mcp";
  const rs256 = (key: CryptoKey, claims: Record<string, unknown> = { aud: audience }) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).setSubject("bob").setExpirationTime("5m").sign(key);

  it("verifies tokens signed by a published key for this server, and refuses others", async () => {
    const verify = jwtVerifier({ jwksUrl, audience });
    expect(await verify(await rs256(privateKey))).toMatchObject({ clientId: "bob" });
    expect(await verify(await rs256(privateKey, { aud: ["https://other.example.test", audience] }))).toMatchObject({ clientId: "bob" });
    const stranger = (await generateKeyPair("RS256")).privateKey;
    expect(await verify(await rs256(stranger))).toBeUndefined();
    // Signed by the same issuer, for another service, or for none named.
    expect(await verify(await rs256(privateKey, { aud: "https://other.example.test" }))).toBeUndefined();
    expect(await verify(await rs256(privateKey, {}))).toBeUndefined();
  });

  it("needs a secret or a JWKS URL, and with a JWKS URL the audience", () => {
    expect(() => jwtVerifier({})).toThrow(/needs a secret \(MCP_JWT_SECRET\) or a JWKS URL \(MCP_JWKS_URL\)/);
    expect(() => jwtVerifier({ jwksUrl })).toThrow(/needs the audience tokens must name \(MCP_JWT_AUDIENCE/);
  });
});

describe("protected resource metadata (RFC 9728)", () => {
  const metadata = resourceMetadata({ resource: "https://mcp.example.test/mcp", authorizationServers: ["https://auth.example.test"] });

  it("is served under the resource's own path, and names the resource and its authorization servers", () => {
    expect(metadata.path).toBe("/.well-known/oauth-protected-resource/mcp");
    expect(metadata.url).toBe("https://mcp.example.test/.well-known/oauth-protected-resource/mcp");
    expect(metadata.document).toEqual({ resource: "https://mcp.example.test/mcp", authorization_servers: ["https://auth.example.test"], bearer_methods_supported: ["header"] });
  });

  it("is pointed at by the 401 challenge, so a client without a token can find where to get one", async () => {
    const verify = jwtVerifier({ secret });
    const refused = (await authenticate(new Request("http://x/mcp"), verify, metadata.url)) as Response;
    expect(refused.status).toBe(401);
    // No token sent is no error of a token's (RFC 6750 §3.1): only where to get one.
    expect(refused.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"`);
    expect(await refused.json()).toEqual({ error_description: "a bearer token is required" });
  });

  it("lists the scopes the server names, only when it names some", () => {
    const scoped = resourceMetadata({ resource: "https://mcp.example.test/mcp", authorizationServers: [] }, ["files:read", "files:write"]);
    expect(scoped.document.scopes_supported).toEqual(["files:read", "files:write"]);
    expect(metadata.document).not.toHaveProperty("scopes_supported");
  });

  it("is readable from any origin, preflight included, and only read", async () => {
    const at = (method: string) => metadataResponse(new Request(metadata.url, { method }), metadata);
    const got = at("GET");
    expect(got.status).toBe(200);
    expect(got.headers.get("access-control-allow-origin")).toBe("*");
    expect(await got.json()).toEqual(metadata.document);
    expect(at("HEAD").status).toBe(200);
    const preflight = at("OPTIONS");
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
    const put = at("PUT");
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("needs the resource to be a URL", () => {
    expect(() => resourceMetadata({ resource: "mcp", authorizationServers: [] })).toThrow(`a protected resource is named by this server's URL (as https://mcp.example.com/mcp), not "mcp"`);
  });
});

describe("scopes", () => {
  const rules = { server: ["files:read"], tools: { write_file: ["files:write"], "odd.name": ["a", "files:read"] } };
  const call = (name: string) => ({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: {} } });

  it("a request needs the server's scopes, and a tool call the tool's own too, each once", () => {
    expect(scopesNeeded(rules, { jsonrpc: "2.0", id: 1, method: "tools/list" })).toEqual(["files:read"]);
    expect(scopesNeeded(rules, call("write_file"))).toEqual(["files:read", "files:write"]);
    expect(scopesNeeded(rules, call("odd.name"))).toEqual(["files:read", "a"]);
    expect(scopesNeeded(rules, call("read_file"))).toEqual(["files:read"]);
    // A batch calls every tool in it; a body that is no JSON-RPC needs only the server's.
    expect(scopesNeeded(rules, [call("read_file"), call("write_file")])).toEqual(["files:read", "files:write"]);
    expect(scopesNeeded(rules, undefined)).toEqual(["files:read"]);
    expect(scopesNeeded(rules, { method: "tools/call", params: { name: 7 } })).toEqual(["files:read"]);
    // A tool named like an Object.prototype member is no tool with scopes.
    expect(scopesNeeded(rules, call("constructor"))).toEqual(["files:read"]);
  });

  it("a token granting them passes; one lacking any gets 403 insufficient_scope naming all it needs", async () => {
    expect(insufficientScope(["files:write", "files:read", "x"], ["files:read", "files:write"])).toBeUndefined();
    expect(insufficientScope([], [])).toBeUndefined();
    const refused = insufficientScope(["files:read"], ["files:read", "files:write"], "https://mcp.example.test/.well-known/oauth-protected-resource/mcp")!;
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toBe(
      `Bearer error="insufficient_scope", error_description="the token does not grant files:write, which this request needs", scope="files:read files:write", resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(await refused.json()).toEqual({ error: "insufficient_scope", error_description: "the token does not grant files:write, which this request needs" });
  });

  it("the 401 names the scopes to ask for, and says invalid_token only of a token that was sent", async () => {
    const verify = jwtVerifier({ secret });
    const bare = (await authenticate(new Request("http://x/mcp"), verify, undefined, ["files:read", "files:write"])) as Response;
    expect(bare.headers.get("www-authenticate")).toBe(`Bearer scope="files:read files:write"`);
    const nonsense = (await authenticate(new Request("http://x/mcp", { headers: { authorization: "Bearer nonsense" } }), verify, undefined, ["files:read"])) as Response;
    expect(nonsense.headers.get("www-authenticate")).toBe(`Bearer error="invalid_token", error_description="the bearer token is not valid", scope="files:read"`);
    expect(((await authenticate(new Request("http://x/mcp"), verify)) as Response).headers.get("www-authenticate")).toBe("Bearer");
  });

  it("reads a POST's JSON body from a copy, so the request can still be read", async () => {
    const request = new Request("http://x/mcp", { method: "POST", body: JSON.stringify(call("write_file")) });
    expect(await peekJson(request)).toEqual(call("write_file"));
    expect(await request.json()).toEqual(call("write_file"));
    expect(await peekJson(new Request("http://x/mcp", { method: "POST", body: "{not json" }))).toBeUndefined();
    expect(await peekJson(new Request("http://x/mcp"))).toBeUndefined();
  });
});
