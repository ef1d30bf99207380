/**
 * Lets a spec load before its project has run `npm install`: when `zod` or
 * `create-mcp-stateless/spec` cannot be found from the spec's folder, they resolve to this
 * package's own copies. `npm create` needs this to generate before installing, and the
 * project's own copy still wins whenever it is there.
 */
import { registerHooks } from "node:module";

const FALLBACK = /^(zod(\/.*)?|create-mcp-stateless\/spec)$/;
let registered = false;

export function allowSpecImportsBeforeInstall(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (!FALLBACK.test(specifier) || (error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw error;
        return nextResolve(specifier, { ...context, parentURL: import.meta.url });
      }
    },
  });
}
