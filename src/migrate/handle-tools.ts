/**
 * The text of what a handle migration adds to a server: the create tool that makes a kind's
 * handles, and the field and description by which the tools using them take one. One spelling
 * for every rule that moves state behind handles, so a migrated server reads as one piece.
 */

/** `cart` → what its tools take and where it comes from (`create_cart`, unless a tool of its own makes it). */
export function handleNames(kind: string, createTool = `create_${kind}`): { param: string; createTool: string; words: string } {
  return { param: `${kind}_id`, createTool, words: kind.replace(/_/g, " ") };
}

/** The zod field a consumer tool takes its handle in. */
export function handleField(kind: string, maker?: string): string {
  const { param, createTool, words } = handleNames(kind, maker);
  return `${param}: z.string().describe("The ${words} to use: the ${param} that ${createTool} returned")`;
}

/** The description a consumer registered without one gets: a model must learn where the handle comes from. */
export function takesHandle(kind: string, maker?: string): string {
  const { param, createTool, words } = handleNames(kind, maker);
  return `Takes ${param}, a ${words} handle from ${createTool}.`;
}

/**
 * `server.registerTool("create_cart", …)` on one line, making handles in `map`; `initial` is the
 * new state's expression when a handle starts with one (an empty one otherwise); `lifetime` says
 * when a handle ends.
 */
export function createToolStatement(server: string, kind: string, map: string, initial?: string, lifetime = "A handle unused for an hour expires."): string {
  const { param, createTool, words } = handleNames(kind);
  // `notes` is its own plural: "Creates new notes", not "a new notes".
  const article = /[^s]s$/.test(kind) ? "" : "a ";
  const description = `Creates ${article}new${initial === undefined ? ", empty" : ""} ${words} and returns its handle, ${param}: pass it to the tools that use it. ${lifetime}`;
  // Its output schema tells clients where the handle is, as a generated create tool's does.
  return `${server}.registerTool("${createTool}", { description: "${description}", outputSchema: z.object({ ${param}: z.string() }) }, async (ctx) => ${map}.create(ctx${initial === undefined ? "" : `, ${initial}`}));`;
}
