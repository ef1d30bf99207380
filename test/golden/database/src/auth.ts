/**
 * How this server knows who is calling; the owner of every handle is the caller.
 *   MCP_AUTH=none (default)  no tokens: every caller is one anonymous principal, so handles are
 *                            bearer secrets (unguessable, short-lived) — fine on loopback only.
 *   MCP_AUTH=jwt             bearer JWTs checked with jose: MCP_JWT_SECRET (HS256), or MCP_JWKS_URL
 *                            with MCP_JWT_AUDIENCE (this server's URL, which a token's `aud` must
 *                            name); optionally MCP_JWT_ISSUER. The principal is `sub`.
 * Replace `verifier` with your own function to check tokens any other way.
 */
import type { TokenVerifier } from "./generated/handles/auth.ts";
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
