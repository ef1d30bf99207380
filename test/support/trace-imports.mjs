// Preloaded with --import: records every package a process loads, printed at exit (for start-up tests).
import { registerHooks } from "node:module";

const packages = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(result.url);
    if (match) packages.add(match[1]);
    return result;
  },
});
process.on("exit", () => process.stderr.write(`\nLOADED-PACKAGES ${JSON.stringify([...packages].sort())}\n`));
