/**
 * A stateless server lists its tools on every request, and each listing asks each schema for
 * its JSON Schema again. The schemas never change, so this wrapper converts each one once
 * and hands out that result. Validation still goes to zod. (See docs/performance.md in
 * create-mcp-stateless for the measured gain.)
 */
import type { StandardSchemaWithJSON } from "@modelcontextprotocol/server";
import type { z } from "zod";

type Options = Parameters<StandardSchemaWithJSON["~standard"]["jsonSchema"]["input"]>[0];

export function convertedOnce<T extends z.ZodType>(schema: T): StandardSchemaWithJSON<z.input<T>, z.output<T>> {
  const standard = schema["~standard"] as unknown as StandardSchemaWithJSON<z.input<T>, z.output<T>>["~standard"];
  const cache = new Map<string, Record<string, unknown>>();
  const once = (io: "input" | "output") => (options: Options) => {
    const key = `${io} ${options.target}`;
    let converted = cache.get(key);
    if (!converted) cache.set(key, (converted = standard.jsonSchema[io](options)));
    return converted;
  };
  return {
    "~standard": { version: 1, vendor: standard.vendor, validate: standard.validate, jsonSchema: { input: once("input"), output: once("output") } },
  };
}
