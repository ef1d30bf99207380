/**
 * Regions of a file the user owns that the generator keeps current: a README's handle flow, say,
 * which would otherwise describe the tools the project was created with. A region runs from
 * `<!-- mcp-stateless:begin NAME … -->` to `<!-- mcp-stateless:end NAME -->`; everything outside
 * the markers is the user's, and a region whose markers the user removed is theirs too.
 */
const REGION = /<!-- mcp-stateless:begin ([\w-]+)[^>]*-->[\s\S]*?<!-- mcp-stateless:end \1 -->/g;

/** `current` with each region it shares with `wanted` taken from `wanted`. */
export function mergeSections(current: string, wanted: string): string {
  const fresh = new Map([...wanted.matchAll(REGION)].map((match) => [match[1]!, match[0]]));
  return current.replace(REGION, (region, name: string) => fresh.get(name) ?? region);
}

/** The markers around a region, as templates write them. */
export function region(name: string, body: string): string {
  return `<!-- mcp-stateless:begin ${name} (kept current by \`generate\` from mcp.spec.ts; edit outside these markers) -->\n${body}\n<!-- mcp-stateless:end ${name} -->`;
}
