/** Naming rules shared by validation and generation, so both agree on every name. */

/** The parameter (and result field) that carries a handle of this kind. */
export function handleParamName(kind: string): string {
  return `${kind}_id`;
}

/** `add_item` → `addItem`, `db.query-v2` → `dbQueryV2`; a leading digit gets a `_`. */
export function identifierFor(name: string): string {
  const camel = name.replace(/[_.-]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[_.-]/g, "");
  return /^[0-9]/.test(camel) ? `_${camel}` : camel;
}

/** `add_item` → `AddItem`: for type names. */
export function typeNameFor(name: string): string {
  const id = identifierFor(name).replace(/^_/, "");
  return id.charAt(0).toUpperCase() + id.slice(1);
}
