/**
 * v1's transports checked the Host and Origin headers themselves when told to
 * (`enableDnsRebindingProtection: true`, `allowedHosts`, `allowedOrigins`); createMcpHandler checks
 * neither (its documentation: put Origin/Host validation in front of the handler). The rewrite that
 * takes the transport away would take that protection with it, silently, so the one handler gets
 * the SDK's own guards in front of it: `hostHeaderValidation`/`originValidation` for Node's
 * request, `hostHeaderValidationResponse`/`originValidationResponse` for a web one. v1 compared the
 * whole Host header, port included, and whole origins; v2's guards compare hostnames, so
 * `"127.0.0.1:3000"` becomes `"127.0.0.1"` and `"http://localhost:5173"` becomes `"localhost"`.
 * Pure: it reads the file and returns what to write.
 */
import ts from "typescript";
import { quoteOf } from "../../style.ts";
import { references, type ImportNeed } from "../rule.ts";

export interface RebindingGuard {
  /** Module-level declarations, each ending in a newline: the guards (Node), or the lists (web). */
  declarations: string;
  /** The lines that answer a refused request before the handler sees it. */
  lines: (request: string, response: string, answer?: (refusal: string) => string) => string[];
  imports: ImportNeed[];
}

/**
 * The guard for what the file's transports were told to check; undefined where none was told
 * to (or given nothing to check); why not, where the lists are not literals this can read.
 */
export function rebindingGuard(source: ts.SourceFile, web: boolean): RebindingGuard | string | undefined {
  const checks = new Map<string, { hosts: string[]; origins: string[] }>();
  let unreadable: string | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && /(StreamableHTTPServerTransport|SSEServerTransport)$/.test(node.expression.getText(source))) {
      const options = node.arguments?.find(ts.isObjectLiteralExpression);
      const read = options && protectionOf(options);
      if (typeof read === "string") unreadable ??= read;
      else if (read) checks.set(JSON.stringify(read), read);
    }
    node.forEachChild(visit);
  };
  visit(source);
  if (unreadable) return `a transport's DNS rebinding protection is set from ${unreadable}, which this rewrite cannot read, and createMcpHandler does not check Host or Origin itself: put the SDK's guards in front of the handler by hand (hostHeaderValidation and originValidation from @modelcontextprotocol/node, hostnames without ports), or write the lists as literals, then run migrate again`;
  if (checks.size > 1) return "the file's transports check different Host or Origin lists, and one handler takes the place of all of them: make the lists one, then run migrate again";
  const [check] = checks.values();
  if (!check) return undefined;

  const q = quoteOf(source.text);
  const list = (names: string[]) => `[${names.map((name) => `${q}${name}${q}`).join(", ")}]`;
  const fresh = (name: string) => (declares(source, name) ? `${name}Checked` : name);
  const parts = [
    check.hosts.length ? { name: fresh(web ? "allowedHostnames" : "hostAllowed"), make: "hostHeaderValidation", respond: "hostHeaderValidationResponse", names: check.hosts } : undefined,
    check.origins.length ? { name: fresh(web ? "allowedOrigins" : "originAllowed"), make: "originValidation", respond: "originValidationResponse", names: check.origins } : undefined,
  ].filter((part) => part !== undefined);
  const why = "// v1's transport refused other Host and Origin headers (DNS rebinding protection); the handler checks neither, these do.\n";
  if (web) {
    return {
      declarations: why + parts.map((part) => `const ${part.name} = ${list(part.names)};\n`).join(""),
      lines: (request, _response, answer = (refusal) => refusal) => [
        `const refused = ${parts.map((part) => `${part.respond}(${request}, ${part.name})`).join(" ?? ")};`,
        `if (refused) return ${answer("refused")};`,
      ],
      imports: parts.map((part) => ({ module: "@modelcontextprotocol/server", name: part.respond })),
    };
  }
  return {
    declarations: why + parts.map((part) => `const ${part.name} = ${part.make}(${list(part.names)});\n`).join(""),
    // Each guard answers 403 itself when it refuses.
    lines: (req, res) => [`if (${parts.map((part) => `!${part.name}(${req}, ${res})`).join(" || ")}) return;`],
    imports: parts.map((part) => ({ module: "@modelcontextprotocol/node", name: part.make })),
  };
}

/** Whether the file uses `name` itself, not only as a property's name (which the old options were). */
function declares(source: ts.SourceFile, name: string): boolean {
  return references(source, name).some((id) => !(ts.isPropertyAssignment(id.parent) && id.parent.name === id));
}

/** What one transport's options ask it to check; undefined when nothing; the text it cannot read. */
function protectionOf(options: ts.ObjectLiteralExpression): { hosts: string[]; origins: string[] } | string | undefined {
  const value = (name: string) => {
    const property = options.properties.find((p) => p.name?.getText() === name);
    return property && ts.isPropertyAssignment(property) ? property.initializer : property;
  };
  const enabled = value("enableDnsRebindingProtection");
  if (!enabled || enabled.kind === ts.SyntaxKind.FalseKeyword) return undefined;
  if (enabled.kind !== ts.SyntaxKind.TrueKeyword) return enabled.getText();
  const strings = (name: string): string[] | string => {
    const list = value(name);
    if (!list) return [];
    if (!ts.isArrayLiteralExpression(list) || !list.elements.every(ts.isStringLiteralLike)) return list.getText();
    return list.elements.map((element) => (element as ts.StringLiteralLike).text);
  };
  const hosts = strings("allowedHosts");
  const origins = strings("allowedOrigins");
  if (typeof hosts === "string") return hosts;
  if (typeof origins === "string") return origins;
  const originHostnames: string[] = [];
  for (const origin of origins) {
    const hostname = URL.parse(origin)?.hostname;
    if (!hostname) return JSON.stringify(origin);
    originHostnames.push(hostname);
  }
  // `localhost:3000` → `localhost`, `[::1]:3000` → `[::1]`.
  const hostnames = hosts.map((host) => host.replace(/:\d+$/, ""));
  // Told to protect with nothing to check, v1 checked nothing.
  if (hostnames.length === 0 && originHostnames.length === 0) return undefined;
  return { hosts: [...new Set(hostnames)], origins: [...new Set(originHostnames)] };
}
