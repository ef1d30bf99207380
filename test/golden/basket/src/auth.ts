/**
 * How this server knows who is calling; the owner of every handle is the caller.
 *   MCP_AUTH=none (default)  no tokens: every caller is one anonymous principal, so handles are
 *                            bearer secrets (unguessable, short-lived) — fine on loopback only.
 *   MCP_AUTH=jwt             bearer JWTs checked with jose: MCP_JWT_SECRET (HS256), or MCP_JWKS_URL
 *                            with MCP_JWT_AUDIENCE (this server's URL, which a token's `aud` must
 *                            name); optionally MCP_JWT_ISSUER. The principal is `sub`; its
 *                            `scope` claim is held to the spec's `scopes`, when it names any;
 *                            a token without `exp` is refused.
 *                            With MCP_JWKS_URL and MCP_JWT_ISSUER, clients without a token learn
 *                            from this server where to get one (RFC 9728, as MCP clients expect).
 * Replace `verifier` with your own function to check tokens any other way.
 */
import type { ProtectedResource, TokenVerifier } from "./generated/handles/auth.ts";
import { jwtVerifier } from "./generated/handles/jwt.ts";

export function verifierFromEnv(env: Record<string, string | undefined> = process.env): TokenVerifier | undefined {
  switch (env.MCP_AUTH ?? "none") {
    case "none":
      return undefined;
    case "jwt":
      return jwtVerifier({ secret: env.MCP_JWT_SECRET, jwksUrl: env.MCP_JWKS_URL, issuer: env.MCP_JWT_ISSUER, audience: env.MCP_JWT_AUDIENCE });
    default:
      throw new Error(`MCP_AUTH=${env.MCP_AUTH} is not known; use none or jwt`);
  }
}

/**
 * Tokens from an authorization server (MCP_JWKS_URL): this server publishes its own URL (the
 * audience) and that server's (the issuer) at /.well-known/oauth-protected-resource/…, and the
 * 401 points there. Without an issuer there is nothing to publish.
 */
export function protectedResourceFromEnv(env: Record<string, string | undefined> = process.env): ProtectedResource | undefined {
  if (env.MCP_AUTH !== "jwt" || !env.MCP_JWKS_URL || !env.MCP_JWT_ISSUER || !env.MCP_JWT_AUDIENCE) return undefined;
  if (!URL.canParse(env.MCP_JWT_AUDIENCE)) throw new Error(`MCP_JWT_AUDIENCE must be this server's URL (as https://mcp.example.com/mcp), not "${env.MCP_JWT_AUDIENCE}"`);
  return { resource: env.MCP_JWT_AUDIENCE, authorizationServers: [env.MCP_JWT_ISSUER] };
}
