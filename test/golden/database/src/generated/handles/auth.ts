// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * Who is calling: each request's bearer token, checked by a pluggable verifier. Without a
 * verifier the server has no auth and every caller is the one anonymous principal.
 */
import { bearerAuthChallengeResponse, getOAuthProtectedResourceMetadataUrl, OAuthError, OAuthErrorCode } from "@modelcontextprotocol/server";

/** What a verified token says (the SDK's AuthInfo shape). */
export interface VerifiedToken {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt?: number;
  extra?: Record<string, unknown>;
}

/** Checks one bearer token; undefined means it is not valid. */
export type TokenVerifier = (token: string) => Promise<VerifiedToken | undefined>;

/** Where clients get tokens for this server: what its Protected Resource Metadata (RFC 9728) says. */
export interface ProtectedResource {
  /** This server's public URL (as https://mcp.example.com/mcp): the audience its tokens name. */
  resource: string;
  /** The issuer URLs of the authorization servers that grant those tokens. */
  authorizationServers: string[];
}

export interface ResourceMetadata {
  /** Where the document is served, by the SDK's reading of RFC 9728: the resource's path under /.well-known/oauth-protected-resource. */
  url: string;
  path: string;
  document: { resource: string; authorization_servers: string[]; bearer_methods_supported: string[]; scopes_supported?: string[] };
}

/** The document for `resource`; `scopesSupported`, when there are any, are every scope the server asks tokens for. */
export function resourceMetadata({ resource, authorizationServers }: ProtectedResource, scopesSupported: readonly string[] = []): ResourceMetadata {
  if (!URL.canParse(resource)) throw new Error(`a protected resource is named by this server's URL (as https://mcp.example.com/mcp), not "${resource}"`);
  const url = getOAuthProtectedResourceMetadataUrl(new URL(resource));
  const document = { resource, authorization_servers: authorizationServers, bearer_methods_supported: ["header"], ...(scopesSupported.length > 0 && { scopes_supported: [...scopesSupported] }) };
  return { url, path: new URL(url).pathname, document };
}

/** Any origin may read the document: browser-based clients fetch it across origins, some with MCP headers (a preflight). */
const OPEN_TO_ALL = { "access-control-allow-origin": "*", "access-control-allow-methods": "GET, HEAD, OPTIONS", "access-control-allow-headers": "*" };

/** The answer at the metadata's path: the document to a GET or HEAD, a CORS preflight's 204, 405 to the rest. */
export function metadataResponse(request: Request, metadata: ResourceMetadata): Response {
  if (request.method === "GET" || request.method === "HEAD") return Response.json(metadata.document, { headers: OPEN_TO_ALL });
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: OPEN_TO_ALL });
  return new Response(null, { status: 405, headers: { ...OPEN_TO_ALL, allow: "GET, HEAD, OPTIONS" } });
}

/**
 * The request's verified token, or a 401 to send back. With no verifier every request passes
 * with no token information (the anonymous principal). The challenge says where to get a token
 * (`metadataUrl`) and which scopes to ask for (`scopes`: what this request needs), so a client
 * that has none yet can get the right one at the first try.
 */
export async function authenticate(
  request: Request,
  verifier: TokenVerifier | undefined,
  metadataUrl?: string,
  scopes: readonly string[] = [],
): Promise<{ authInfo?: VerifiedToken } | Response> {
  if (!verifier) return {};
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  const authInfo = token ? await verifier(token) : undefined;
  if (authInfo) return { authInfo };
  if (token) {
    const invalid = new OAuthError(OAuthErrorCode.InvalidToken, "the bearer token is not valid");
    return bearerAuthChallengeResponse(invalid, { requiredScopes: [...scopes], resourceMetadataUrl: metadataUrl });
  }
  // RFC 6750 §3.1: a request that sent no token gets no error code (the SDK's challenge always
  // names one), only where to get a token and what to ask for.
  const parameters = [metadataUrl && `resource_metadata="${metadataUrl}"`, scopes.length > 0 && `scope="${scopes.join(" ")}"`].filter(Boolean);
  const challenge = parameters.length > 0 ? `Bearer ${parameters.join(", ")}` : "Bearer";
  return Response.json({ error_description: "a bearer token is required" }, { status: 401, headers: { "www-authenticate": challenge } });
}

/** What a token must grant (spec: `scopes`): `server` for every request, and a tool's own for a call of that tool. */
export interface ScopeRules {
  server: readonly string[];
  tools: Readonly<Record<string, readonly string[]>>;
}

/**
 * The scopes a request needs, read from its JSON-RPC body: the server's, and those of each tool
 * it calls (a batch, which older protocol versions allow, can call several).
 */
export function scopesNeeded(rules: ScopeRules, body: unknown): string[] {
  const needed = new Set(rules.server);
  for (const message of Array.isArray(body) ? body : [body]) {
    const name = calledTool(message);
    if (name !== undefined && Object.hasOwn(rules.tools, name)) for (const scope of rules.tools[name]!) needed.add(scope);
  }
  return [...needed];
}

function calledTool(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null || (message as { method?: unknown }).method !== "tools/call") return undefined;
  const name = (message as { params?: { name?: unknown } }).params?.name;
  return typeof name === "string" ? name : undefined;
}

/**
 * A 403 `insufficient_scope` when the token lacks any scope the request needs, else undefined.
 * The challenge names every scope the request needs, not only the missing ones, so that one
 * re-authorization is enough (the 2026-07-28 authorization spec asks for them all at once).
 */
export function insufficientScope(granted: readonly string[], needed: readonly string[], metadataUrl?: string): Response | undefined {
  const missing = needed.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return undefined;
  const error = new OAuthError(OAuthErrorCode.InsufficientScope, `the token does not grant ${missing.join(" ")}, which this request needs`);
  return bearerAuthChallengeResponse(error, { requiredScopes: [...needed], resourceMetadataUrl: metadataUrl });
}

/** The body of a POST read as JSON from a copy, leaving the request unread; undefined when it is not JSON. */
export async function peekJson(request: Request): Promise<unknown> {
  if (request.method !== "POST") return undefined;
  try {
    return await request.clone().json();
  } catch {
    return undefined; // the MCP handler reads the request itself and answers the parse error
  }
}
