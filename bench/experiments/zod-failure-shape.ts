/**
 * Experiment (docs/performance.md, "Why the floor target is missed"): what zod 4.6's shape of a
 * failed `safeParse` result costs a server. Preload it into any server entry:
 *
 *   node --import ./bench/experiments/zod-failure-shape.ts --trace-gc <entry>
 *
 * and zod's `failure()` returns an instance of a class whose `error` getter and setter live on
 * its prototype, the alternative zod's own comment on `failure()` names, instead of an object
 * literal with a getter and setter of its own. Nothing else changes: same fields, same lazily
 * built error. Without the preload, the same entry runs zod as installed; compare the two under
 * bench/load.ts (`npm run bench` does, in its row "with zod's failed parses on a prototype").
 * Never used by generated projects: it rewrites a dependency's code as it loads, which is fine
 * for measuring and nowhere else.
 *
 * Why the shape matters: V8 keeps a literal's accessors in an AccessorPair, which it allocates in
 * the old generation, so the getter and setter (young closures) and what they hold (the parse's
 * issues and context) are reachable from an old object until the next full collection. Every
 * young collection must treat them as live and copies, then promotes them, though nothing uses
 * them after the caller has read `success`. The SDK makes five failing parses a request.
 */
import { registerHooks } from "node:module";

const LITERAL = /function failure\(Err, issues, ctx\) \{\n {4}let error;\n {4}return \{[\s\S]*?\n {4}\};\n\}/;

const ON_PROTOTYPE = `class Failure {
    constructor(Err, issues, ctx) { this._Err = Err; this._issues = issues; this._ctx = ctx; this._error = undefined; }
    get error() {
        if (!this._error) {
            this._error = new this._Err(this._issues.map((iss) => util.finalizeIssue(iss, this._ctx, core.config())));
            this._issues = undefined;
            this._ctx = undefined;
        }
        return this._error;
    }
    set error(e) { this._error = e; this._issues = undefined; this._ctx = undefined; }
}
Failure.prototype.success = false;
function failure(Err, issues, ctx) {
    return new Failure(Err, issues, ctx);
}`;

registerHooks({
  load(url, context, nextLoad) {
    const loaded = nextLoad(url, context);
    if (!url.endsWith("/zod/v4/core/parse.js")) return loaded;
    const source = String(loaded.source);
    // Another zod (one that made the change itself, say): left as it is, and said so.
    if (!LITERAL.test(source)) {
      console.error(`zod-failure-shape: not applied, ${url} has no failure() of the shape this replaces`);
      return loaded;
    }
    // bench/run.ts reads this line to tell whether the rewrite was made.
    console.error("zod-failure-shape: failed parses return a Failure whose accessors are on its prototype");
    return { ...loaded, source: source.replace(LITERAL, ON_PROTOTYPE) };
  },
});
