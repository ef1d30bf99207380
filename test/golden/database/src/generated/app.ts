// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * The server as a web-standard handler: `app.handler.fetch(request)` answers one MCP
 * request. The Node, stdio and serverless entry points all start here.
 */
import { createMcpHandler, type McpHttpHandler } from "@modelcontextprotocol/server";
import { authenticate, metadataResponse, resourceMetadata, type ProtectedResource, type TokenVerifier } from "./handles/auth.ts";
import { principalOf, type HandleStore } from "./handles/handles.ts";
import { DEFAULT_RATE_LIMIT, parseRateLimit, RateLimiter, tooManyRequests, type RateLimit } from "./handles/rate-limit.ts";
import { createServer } from "./server.ts";
import { storeFromEnv } from "./stores.ts";

export interface App {
  /**
   * Serves one request, after checking its bearer token when the app has a verifier (401
   * otherwise) and its caller's allowance of requests (429 past it). `parsedBody` is the body
   * already read and parsed (the Node entry does that).
   * With a protected resource it also serves `metadataPath` (GET, and CORS preflights; other
   * methods get 405), no token needed.
   */
  fetch(request: Request, options?: { parsedBody?: unknown }): Promise<Response>;
  /** Where the Protected Resource Metadata (RFC 9728) is served, when the app has it. */
  metadataPath?: string;
  /** The MCP handler itself, which trusts the authInfo it is given (tests use it directly). */
  handler: McpHttpHandler;
  store: HandleStore;
  close(): Promise<void>;
}

/**
 * `store` defaults to the one MCP_HANDLE_STORE names; tests pass their own. Without a
 * `verifier` there is no auth: every request is the anonymous principal. A
 * `protectedResource` tells clients without a token where to get one. `rateLimit` is how many
 * requests each caller may make of this instance (default: MCP_RATE_LIMIT, else
 * 1200/min; `false` for no limit).
 */
export async function createApp(
  options: { store?: HandleStore; verifier?: TokenVerifier; protectedResource?: ProtectedResource; rateLimit?: RateLimit | false } = {},
): Promise<App> {
  const metadata = options.protectedResource && resourceMetadata(options.protectedResource);
  const rate = options.rateLimit ?? parseRateLimit(process.env.MCP_RATE_LIMIT ?? DEFAULT_RATE_LIMIT);
  const limiter = rate ? new RateLimiter(rate) : undefined;
  const store = options.store ?? (await storeFromEnv());
  const handler = createMcpHandler(({ authInfo, requestInfo }) => createServer({ store, principal: principalOf(authInfo) }, requestInfo));
  return {
    async fetch(request, { parsedBody } = {}) {
      // The document's path answers only as the document (a POST there is a 405, not an MCP call).
      // The URL is parsed only when its text names that path, so MCP calls do not pay for it.
      if (metadata && request.url.includes(metadata.path) && new URL(request.url).pathname === metadata.path) return metadataResponse(request, metadata);
      const auth = await authenticate(request, options.verifier, metadata?.url);
      if (auth instanceof Response) return auth;
      const wait = limiter ? limiter.take(principalOf(auth.authInfo)) : 0;
      if (limiter && wait > 0) return tooManyRequests(wait, limiter.rate, parsedBody);
      return handler.fetch(request, parsedBody === undefined ? auth : { ...auth, parsedBody });
    },
    ...(metadata && { metadataPath: metadata.path }),
    handler,
    store,
    async close() {
      await handler.close();
      await store.close();
    },
  };
}
