// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * Who is calling: each request's bearer token, checked by a pluggable verifier. Without a
 * verifier the server has no auth and every caller is the one anonymous principal.
 */
import { getOAuthProtectedResourceMetadataUrl } from "@modelcontextprotocol/server";

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
  document: { resource: string; authorization_servers: string[]; bearer_methods_supported: string[] };
}

export function resourceMetadata({ resource, authorizationServers }: ProtectedResource): ResourceMetadata {
  if (!URL.canParse(resource)) throw new Error(`a protected resource is named by this server's URL (as https://mcp.example.com/mcp), not "${resource}"`);
  const url = getOAuthProtectedResourceMetadataUrl(new URL(resource));
  return { url, path: new URL(url).pathname, document: { resource, authorization_servers: authorizationServers, bearer_methods_supported: ["header"] } };
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
 * with no token information (the anonymous principal). `metadataUrl`, when given, goes in the
 * challenge, so a client that has no token yet can find where to get one.
 */
export async function authenticate(request: Request, verifier: TokenVerifier | undefined, metadataUrl?: string): Promise<{ authInfo?: VerifiedToken } | Response> {
  if (!verifier) return {};
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  const authInfo = token ? await verifier(token) : undefined;
  if (authInfo) return { authInfo };
  const reason = token ? "the bearer token is not valid" : "a bearer token is required";
  return new Response(JSON.stringify({ error: "invalid_token", error_description: reason }), {
    status: 401,
    headers: {
      "content-type": "application/json",
      "www-authenticate": `Bearer error="invalid_token", error_description="${reason}"${metadataUrl ? `, resource_metadata="${metadataUrl}"` : ""}`,
    },
  });
}
