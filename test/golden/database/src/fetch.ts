/**
 * For serverless and web-standard hosts (Workers, Deno, Bun, Vercel, Netlify):
 * `export default { fetch }` is the whole mount. Choose a store every instance can reach
 * (MCP_HANDLE_STORE); a per-instance store loses handles between instances.
 */
import { protectedResourceFromEnv, verifierFromEnv } from "./auth.ts";
import { createApp } from "./generated/app.ts";

const app = await createApp({ verifier: verifierFromEnv(), protectedResource: protectedResourceFromEnv() });

export default {
  fetch(request: Request): Promise<Response> {
    return app.fetch(request);
  },
};
