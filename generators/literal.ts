const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** An object key as written in TypeScript: bare when it can be. */
export const propertyKey = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

/** `.name` or `["odd.name"]`. */
export const memberAccess = (name: string) => (IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);

/** A JSON value as a TypeScript literal, keys bare where possible: `{ sku: "A-100", quantity: 2 }`. */
export function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`);
    return entries.length ? `{ ${entries.join(", ")} }` : "{}";
  }
  return JSON.stringify(value) ?? "undefined";
}
