/**
 * Who is calling: each request's bearer token, checked by a pluggable verifier. Without a
 * verifier the server has no auth and every caller is the one anonymous principal.
 */

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

/**
 * The request's verified token, or a 401 to send back. With no verifier every request passes
 * with no token information (the anonymous principal).
 */
export async function authenticate(request: Request, verifier: TokenVerifier | undefined): Promise<{ authInfo?: VerifiedToken } | Response> {
  if (!verifier) return {};
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  const authInfo = token ? await verifier(token) : undefined;
  if (authInfo) return { authInfo };
  const reason = token ? "the bearer token is not valid" : "a bearer token is required";
  return new Response(JSON.stringify({ error: "invalid_token", error_description: reason }), {
    status: 401,
    headers: { "content-type": "application/json", "www-authenticate": `Bearer error="invalid_token", error_description="${reason}"` },
  });
}
