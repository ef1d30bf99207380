/** Naming rules shared by validation and generation, so both agree on every name. */

/** The parameter (and result field) that carries a handle of this kind. */
export function handleParamName(kind: string): string {
  return `${kind}_id`;
}

// Words a `const` cannot be named: a tool called `delete` exports `deleteTool` instead.
const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval")
    .split(" "),
);

/** `add_item` → `addItem`, `db.query-v2` → `dbQueryV2`; a leading digit gets a `_`, a reserved word `Tool`. */
export function identifierFor(name: string): string {
  const camel = name.replace(/[_.-]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[_.-]/g, "");
  if (/^[0-9]/.test(camel)) return `_${camel}`;
  return RESERVED.has(camel) ? `${camel}Tool` : camel;
}

/** `add_item` → `AddItem`, `3d_render` → `Tool3dRender`: for type names, which cannot start with a digit either. */
export function typeNameFor(name: string): string {
  const id = identifierFor(name).replace(/^_(?=[0-9])/, "Tool");
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** The tools a handle kind can ask for without writing a handler: `list_baskets`, `destroy_basket`. */
export function builtinToolName(builtin: "list" | "destroy", kind: string): string {
  return builtin === "list" ? `list_${kind}s` : `destroy_${kind}`;
}

// The spec's `name` is also the generated package's name, so it follows npm's rule.
const VALID_NAME = /^(?:@[a-z0-9-*~][a-z0-9-*._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Why `name` cannot be an npm package name, or undefined when it can. */
export function packageNameProblem(name: string): string | undefined {
  if (name.length === 0) return "a package name cannot be empty";
  if (name.length > 214) return "a package name can have at most 214 characters";
  if (!VALID_NAME.test(name)) {
    return "a package name uses only lowercase letters, digits and - . _ ~, and does not start with . or _";
  }
  return undefined;
}

/** The nearest valid package name: "My Server!" → "my-server". */
export function suggestPackageName(name: string): string {
  const suggestion = name
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/^[._]+/, "")
    .replace(/[^a-z0-9-~]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return suggestion || "mcp-server";
}
