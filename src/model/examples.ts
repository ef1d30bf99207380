/**
 * Makes a plausible value for a JSON Schema: the arguments generated tests and `check --url`
 * send, and the values fresh handler stubs return. Uses the schema's `examples` first;
 * returns undefined where no value can be guessed (a bare regex pattern, say).
 */
type Schema = Record<string, unknown>;

const FORMATS: Record<string, string> = {
  email: "user@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  "date-time": "2026-01-01T00:00:00.000Z",
  date: "2026-01-01",
  time: "00:00:00",
};

export function exampleFor(schema: unknown, depth = 0): unknown {
  if (typeof schema !== "object" || schema === null || depth > 12) return undefined;
  const s = schema as Schema;
  // A schema's own examples win: the author knows a valid value where a pattern hides it.
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(s[key])) {
      for (const option of s[key] as unknown[]) {
        const value = exampleFor(option, depth + 1);
        if (value !== undefined) return value;
      }
      return undefined;
    }
  }
  if (Array.isArray(s.allOf) && s.allOf.length === 1) return exampleFor(s.allOf[0], depth + 1);
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case "string":
      return stringExample(s);
    case "number":
    case "integer":
      return numberExample(s);
    case "boolean":
      return false;
    case "null":
      return null;
    case "array": {
      const count = typeof s.minItems === "number" ? s.minItems : 0;
      if (count === 0) return [];
      const item = exampleFor(s.items, depth + 1);
      return item === undefined ? undefined : Array.from({ length: count }, () => item);
    }
    case "object":
      return objectExample(s, depth);
    default:
      return undefined;
  }
}

function stringExample(s: Schema): string | undefined {
  if (typeof s.format === "string") return FORMATS[s.format];
  if (typeof s.pattern === "string") return undefined;
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  const max = typeof s.maxLength === "number" ? s.maxLength : Infinity;
  const text = "example".padEnd(min, "x");
  return text.length > max ? text.slice(0, max) : text;
}

/** The friendliest number the bounds allow: 1, else 0, else the nearest bound. */
function numberExample(s: Schema): number {
  const integer = s.type === "integer";
  const step = integer ? 1 : Number.EPSILON;
  const low = typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + step : typeof s.minimum === "number" ? s.minimum : -Infinity;
  const high = typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum - step : typeof s.maximum === "number" ? s.maximum : Infinity;
  for (const candidate of [1, 0]) if (candidate >= low && candidate <= high) return candidate;
  return integer ? Math.ceil(low > -Infinity ? low : high) : low > -Infinity ? low : high;
}

function objectExample(s: Schema, depth: number): Record<string, unknown> | undefined {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const value: Record<string, unknown> = {};
  for (const key of required) {
    const item = exampleFor(properties[key], depth + 1);
    if (item === undefined) return undefined;
    value[key] = item;
  }
  return value;
}
