/**
 * `check --url`'s param-headers check. A tool whose input schema declares `x-mcp-header` has its
 * clients mirror that argument into an `Mcp-Param-{Name}` header, so that a load balancer or
 * gateway can route on it; the server must then refuse a call whose header disagrees with the
 * body (2026-07-28: 400, HeaderMismatch -32020), or the gateway and the tool act on different
 * values. The check sends each such tool one call per URL with valid arguments and one header
 * that disagrees: a server that keeps the rule runs nothing.
 */
import { exampleFor } from "../model/examples.ts";
import type { JsonSchema } from "../model/model.ts";
import { disagreeingHeader, headerValue, isHeaderValue, scanParamHeaders, valueAt, type ParamHeader } from "../model/param-headers.ts";
import type { CheckResult, Tool } from "./probe.ts";

/** At most this many tools are tried, each once per URL. */
const MAX_TOOLS = 10;
const HEADER_MISMATCH = -32020;

/** Sends one POST to `url` with the caller's credentials and these headers. */
export type Post = (url: string, headers: Record<string, string>, body: unknown) => Promise<Response>;

/** A listed tool that mirrors arguments into headers, with its declarations. */
export interface DeclaringTool {
  tool: Tool;
  declarations: ParamHeader[];
}

/** The listed tools that declare `x-mcp-header`, read once for every check that needs them. */
export function declaringTools(tools: readonly Tool[]): DeclaringTool[] {
  return tools.flatMap((tool) => {
    const { declarations } = scanParamHeaders((tool.inputSchema ?? {}) as JsonSchema);
    return declarations.length ? [{ tool, declarations }] : [];
  });
}

export async function paramHeaderCheck(urls: readonly string[], declaring: readonly DeclaringTool[], allowed: (tool: Tool) => boolean, post: Post): Promise<CheckResult> {
  if (!declaring.length) return { check: "param-headers", status: "skip", evidence: "no tool mirrors an argument into a header (x-mcp-header)" };
  const failures: string[] = [];
  const evidence: string[] = [];
  const notTried: string[] = [];
  for (const { tool, declarations } of declaring.slice(0, MAX_TOOLS)) {
    const args = exampleFor(tool.inputSchema ?? { type: "object" }) as Record<string, unknown> | undefined;
    const present = args && declarations.filter((d) => isHeaderValue(valueAt(args, d.path)));
    if (!allowed(tool) || !args || !present?.length) {
      notTried.push(tool.name);
      continue;
    }
    const [wrong, ...right] = present as [ParamHeader, ...ParamHeader[]];
    const headers = Object.fromEntries(right.map((d) => [`mcp-param-${d.header}`, headerValue(valueAt(args, d.path))]));
    headers[`mcp-param-${wrong.header}`] = disagreeingHeader(valueAt(args, wrong.path));
    const said = `Mcp-Param-${wrong.header} disagreeing with its ${wrong.path.join(".")}`;
    for (const url of urls) {
      const response = await post(url, { "mcp-method": "tools/call", "mcp-name": tool.name, ...headers }, callOf(tool.name, args));
      const code = response.status === 400 ? await errorCode(response) : (await response.body?.cancel(), undefined);
      if (code === HEADER_MISMATCH) evidence.push(`${tool.name} via ${url}`);
      else failures.push(`${tool.name} via ${url} answered a call with ${said} with HTTP ${response.status}${code === undefined ? "" : ` (error ${code})`}, not 400 HeaderMismatch: a gateway routing on the header and the tool would act on different values`);
    }
  }
  const skipped = notTried.length ? ` (not tried: ${notTried.join(", ")}: not annotated as safe, or no arguments could be made up; --allow-writes to include the first)` : "";
  if (failures.length) return { check: "param-headers", status: "fail", evidence: failures.join("; ") };
  if (evidence.length) return { check: "param-headers", status: "pass", evidence: `a call whose Mcp-Param header disagrees with its argument is refused (400, HeaderMismatch): ${evidence.join(", ")}${skipped}` };
  return { check: "param-headers", status: "skip", evidence: `tools mirror arguments into headers, but none could be tried${skipped}` };
}

/** A 2026-07-28 tools/call: the protocol version and the client's capabilities travel with every request. */
function callOf(name: string, args: Record<string, unknown>) {
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": { name: "mcp-stateless-check", version: "1.0.0" },
    "io.modelcontextprotocol/clientCapabilities": {},
  };
  return { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, _meta } };
}

async function errorCode(response: Response): Promise<number | undefined> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === "number" ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}
