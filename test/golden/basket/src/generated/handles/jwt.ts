// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * Verifies bearer tokens that are JWTs, with `jose`: signed with a shared secret (HS256) or
 * by keys published at a JWKS URL. The principal (owner of handles) is the token's `sub`.
 */
import type { JWTVerifyGetKey } from "jose";
import type { TokenVerifier } from "./auth.ts";

export interface JwtOptions {
  /** A shared secret (HS256); or give `jwksUrl`. */
  secret?: string;
  /** Where the issuer publishes its public keys; needs `audience`. */
  jwksUrl?: string;
  issuer?: string;
  /** This server's own identifier (its URL), which a token's `aud` must name. */
  audience?: string;
}

export function jwtVerifier(options: JwtOptions): TokenVerifier {
  const jwksUrl = options.jwksUrl ? new URL(options.jwksUrl) : undefined;
  if (!options.secret && !jwksUrl) throw new Error("jwtVerifier needs a secret (MCP_JWT_SECRET) or a JWKS URL (MCP_JWKS_URL)");
  // An authorization server that publishes its keys signs tokens for other services too, and
  // MCP requires a server to refuse tokens not issued for it: the audience is what says so.
  if (jwksUrl && !options.audience) {
    throw new Error("jwtVerifier with a JWKS URL (MCP_JWKS_URL) needs the audience tokens must name (MCP_JWT_AUDIENCE, this server's URL, e.g. https://mcp.example.com/mcp): without it, a token the same issuer made for another service would be accepted here");
  }
  // jose loads here, not at import: a server without tokens (MCP_AUTH=none) starts without it.
  const jose = import("jose");
  const key: Promise<Uint8Array | JWTVerifyGetKey> = options.secret
    ? Promise.resolve(new TextEncoder().encode(options.secret))
    : jose.then(({ createRemoteJWKSet }) => createRemoteJWKSet(jwksUrl!));
  return async (token) => {
    const [{ jwtVerify }, keyOrKeys] = await Promise.all([jose, key]); // a failed load is no invalid token
    try {
      // An access token must say when it ends (RFC 9068 requires `exp`): one that does not is a credential forever.
      const { payload } = await jwtVerify(token, keyOrKeys as Uint8Array, { issuer: options.issuer, audience: options.audience, requiredClaims: ["exp"] });
      if (typeof payload.sub !== "string" || payload.sub === "") return undefined;
      const scopes = typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : [];
      return { token, clientId: payload.sub, scopes, extra: { sub: payload.sub }, expiresAt: payload.exp };
    } catch {
      return undefined; // expired or without expiry, tampered, wrong key, wrong issuer or audience: all simply invalid
    }
  };
}
