/** The pure parts under the generator: durations and example values. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { exampleFor } from "../../src/model/examples.ts";
import { describeDuration, parseDuration } from "../../src/spec/duration.ts";
import { identifierFor, typeNameFor } from "../../src/spec/names.ts";

describe("durations", () => {
  it.each([
    ["90s", 90_000, "90 seconds"],
    ["30m", 1_800_000, "30 minutes"],
    ["1h", 3_600_000, "1 hour"],
    ["7d", 604_800_000, "7 days"],
  ])("%s is %d ms, described as %s", (text, ms, words) => {
    expect(parseDuration(text)).toEqual({ ms });
    expect(describeDuration(ms)).toBe(words);
  });

  it.each(["", "10", "1 h", "-5m", "500ms", "31d", 60])("refuses %j", (text) => {
    expect(parseDuration(text)).toHaveProperty("error");
  });
});

describe("names", () => {
  it.each([
    ["add_item", "addItem", "AddItem"],
    ["db.query-v2", "dbQueryV2", "DbQueryV2"],
    ["3d_render", "_3dRender", "Tool3dRender"],
    ["delete", "deleteTool", "DeleteTool"],
  ])("%s → %s / %s", (name, identifier, type) => {
    expect(identifierFor(name)).toBe(identifier);
    expect(typeNameFor(name)).toBe(type);
  });
});

describe("examples made from schemas", () => {
  const cases: Array<[string, z.ZodType]> = [
    ["an object of common fields", z.object({ name: z.string(), count: z.number().int(), on: z.boolean(), mail: z.email() })],
    ["bounded numbers", z.object({ n: z.number().int().min(5).max(9), m: z.number().negative(), p: z.number().positive() })],
    ["enums, literals, unions and arrays", z.object({ e: z.enum(["a", "b"]), l: z.literal("x"), u: z.union([z.number(), z.string()]), a: z.array(z.string()).min(2) })],
    ["optional fields and defaults", z.object({ o: z.string().optional(), d: z.number().default(3), s: z.string().min(12) })],
    ["nested objects and records", z.object({ inner: z.object({ url: z.url(), when: z.iso.datetime() }), r: z.record(z.string(), z.number()) })],
  ];
  it.each(cases)("are valid for %s", (_, schema) => {
    const example = exampleFor(z.toJSONSchema(schema, { io: "input" }));
    expect(example).toBeDefined();
    expect(schema.safeParse(example).success).toBe(true);
  });

  it("use a schema's own examples first", () => {
    const schema = z.object({ code: z.string().regex(/^[A-Z]{3}$/).meta({ examples: ["EUR"] }) });
    expect(exampleFor(z.toJSONSchema(schema, { io: "input" }))).toEqual({ code: "EUR" });
  });

  it("give up on a pattern rather than guess", () => {
    expect(exampleFor(z.toJSONSchema(z.object({ code: z.string().regex(/^[A-Z]{3}$/) })))).toBeUndefined();
  });
});
