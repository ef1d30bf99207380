/**
 * The rules of `x-mcp-header` declarations (2026-07-28 Streamable HTTP), checked on the JSON
 * Schema zod makes of a tool's input, as `generate` checks it.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { JsonSchema } from "../../src/model/model.ts";
import { disagreeingHeader, headerValue, paramHeaderProblems, scanParamHeaders, valueAt } from "../../src/model/param-headers.ts";

const problemsOf = (input: z.ZodType) => paramHeaderProblems(z.toJSONSchema(input, { io: "input" }) as JsonSchema);
const header = (name: unknown) => ({ "x-mcp-header": name });

describe("x-mcp-header declarations", () => {
  it("accept strings, integers, booleans and enums, at any depth of properties, optional or not", () => {
    const input = z.object({
      region: z.string().meta(header("Region")),
      shard: z.number().int().meta(header("Shard")),
      dry_run: z.boolean().optional().meta(header("Dry-Run")),
      tier: z.enum(["free", "paid"]).meta(header("Tier")),
      target: z.object({ zone: z.string().meta(header("Zone")) }),
      query: z.string(),
    });
    expect(problemsOf(input)).toEqual([]);
    expect(problemsOf(z.object({ plain: z.string() }))).toEqual([]);
    expect(scanParamHeaders(z.toJSONSchema(input, { io: "input" }) as JsonSchema).declarations).toEqual([
      { header: "Region", path: ["region"], type: "string" },
      { header: "Shard", path: ["shard"], type: "integer" },
      { header: "Dry-Run", path: ["dry_run"], type: "boolean" },
      { header: "Tier", path: ["tier"], type: "string" },
      { header: "Zone", path: ["target", "zone"], type: "string" },
    ]);
  });

  it("refuse a name that is not an HTTP token, or not a string", () => {
    expect(problemsOf(z.object({ a: z.string().meta(header("My Region")) }))).toEqual([
      `parameter "a": x-mcp-header "My Region" is not a header name (letters, digits and !#$%&'*+-.^_\`|~ only)`,
    ]);
    expect(problemsOf(z.object({ a: z.string().meta(header("")) }))).toHaveLength(1);
    expect(problemsOf(z.object({ a: z.string().meta(header("X\r\nEvil: 1")) }))).toHaveLength(1);
    expect(problemsOf(z.object({ a: z.string().meta(header(7)) }))).toEqual([`parameter "a": x-mcp-header 7 is not a header name (letters, digits and !#$%&'*+-.^_\`|~ only)`]);
  });

  it("refuse numbers, objects, arrays and nullable values", () => {
    expect(problemsOf(z.object({ n: z.number().meta(header("N")) }))).toEqual([`parameter "n": x-mcp-header needs a string, an integer or a boolean, not number`]);
    expect(problemsOf(z.object({ o: z.object({}).meta(header("O")) }))).toEqual([`parameter "o": x-mcp-header needs a string, an integer or a boolean, not object`]);
    expect(problemsOf(z.object({ l: z.array(z.string()).meta(header("L")) }))).toEqual([`parameter "l": x-mcp-header needs a string, an integer or a boolean, not array`]);
    expect(problemsOf(z.object({ s: z.string().nullable().meta(header("S")) }))).toEqual([
      `parameter "s": x-mcp-header needs a string, an integer or a boolean, not a schema without one type`,
    ]);
  });

  it("refuse a declaration reached through anything but properties", () => {
    const unreachable = `x-mcp-header is allowed only on a property reached through \`properties\` alone (not in an array, a union, a record or a $ref)`;
    expect(problemsOf(z.object({ tags: z.array(z.object({ id: z.string().meta(header("Id")) })) }))).toEqual([`parameter "tags.id": ${unreachable}`]);
    expect(problemsOf(z.object({ pick: z.union([z.object({ a: z.string().meta(header("A")) }), z.object({ b: z.string() })]) }))).toEqual([`parameter "pick.a": ${unreachable}`]);
    expect(problemsOf(z.object({ byName: z.record(z.string(), z.string().meta(header("V"))) }))).toEqual([`parameter "byName": ${unreachable}`]);
    expect(problemsOf(z.object({ a: z.string() }).meta(header("Whole")))).toEqual([`the input itself: ${unreachable}`]);
    const shared = z.object({ region: z.string().meta(header("Region")) }).meta({ id: "Place" });
    expect(problemsOf(z.object({ place: shared }))).toEqual([`parameter "region": ${unreachable}`]);
  });

  it("refuse two parameters with one header, whatever the case", () => {
    expect(problemsOf(z.object({ a: z.string().meta(header("Region")), b: z.string().meta(header("region")) }))).toEqual([
      `parameter "b": x-mcp-header "region" is already the header of parameter "a" (header names ignore case)`,
    ]);
  });
});

describe("header values", () => {
  it("are written plain when they are visible ASCII, else Base64 in the spec's sentinel", () => {
    expect(headerValue("us-west1")).toBe("us-west1");
    expect(headerValue(42)).toBe("42");
    expect(headerValue(true)).toBe("true");
    expect(headerValue("Hello, 世界")).toBe("=?base64?SGVsbG8sIOS4lueVjA==?=");
    expect(headerValue(" padded ")).toBe("=?base64?IHBhZGRlZCA=?=");
    expect(headerValue("line1\nline2")).toBe("=?base64?bGluZTEKbGluZTI=?=");
    expect(headerValue("=?base64?literal?=")).toBe("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
  });

  it("that disagree with an argument are of its type and differ from it", () => {
    expect(disagreeingHeader("eu-west")).toBe("mcp-stateless-check");
    expect(disagreeingHeader("mcp-stateless-check")).toBe("mcp-stateless-check-2");
    expect(disagreeingHeader(7)).toBe("8");
    expect(disagreeingHeader(false)).toBe("true");
  });

  it("are read from the arguments at the declaration's path", () => {
    expect(valueAt({ target: { zone: "b" } }, ["target", "zone"])).toBe("b");
    expect(valueAt({ target: "flat" }, ["target", "zone"])).toBeUndefined();
  });
});
