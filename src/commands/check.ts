/**
 * `mcp-stateless check`: statically, every session reliance left in a codebase; live
 * (--url), whether a running server really behaves statelessly.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Finding } from "../analysis/rule.ts";
import { UserError } from "../errors.ts";
import { projectFolder, relativePath } from "../paths.ts";
import { findingLines } from "./findings.ts";

export default async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const urls = (values.url as string[] | undefined) ?? [];
  for (const url of urls) if (!/^https?:$/.test(URL.parse(url)?.protocol ?? "")) throw new UserError(`--url ${url}: not an http:// or https:// URL`, "like http://127.0.0.1:3000/mcp");
  if (urls.length) {
    // A live check reads no code: paths or --dir beside --url would be ignored, so they are refused.
    if (positionals.length || values.dir !== undefined) {
      throw new UserError(`check: ${positionals.length ? `paths (${positionals.join(" ")})` : "--dir"} and --url do not go together`, "run `check [paths…]` for the code and `check --url <url>` for a running server, one after the other");
    }
    const { probe } = await import("../live/probe.ts");
    const headers = requestHeaders((values.header as string[] | undefined) ?? []);
    return probe({ urls, token: values.token as string | undefined, tokenB: values["token-b"] as string | undefined, headers, allowWrites: values["allow-writes"] === true, json: values.json === true });
  }
  if (values.token || values["token-b"] || values.header || values["allow-writes"]) throw new UserError("check: --token, --token-b, --header and --allow-writes go with --url");
  // Without paths, the project --dir names is the code to check, as it is the generated output's.
  const dir = values.dir as string | undefined;
  return checkStatic(positionals.length ? positionals : [dir ?? "."], projectFolder(dir), values.json === true);
}

/** `--header "x-api-key: k1"`, as [name, value]; a malformed one, or one the checks set themselves, is refused. */
function requestHeaders(given: readonly string[]): Array<[string, string]> {
  return given.map((header) => {
    const match = /^([!#$%&'*+.^_\`|~0-9A-Za-z-]+)\s*:\s*(.*)$/.exec(header);
    if (!match) throw new UserError(`--header ${JSON.stringify(header)}: not "name: value"`, 'like --header "x-api-key: k1"');
    const name = match[1]!.toLowerCase();
    if (OWN_HEADERS.has(name)) throw new UserError(`--header ${match[1]}: the checks set this header themselves`, name === "authorization" ? "give a bearer token with --token" : undefined);
    return [name, match[2]!.trim()];
  });
}

/** What the live checks set on their requests: a header given for all of them would change what they test. */
const OWN_HEADERS = new Set(["authorization", "mcp-session-id", "mcp-protocol-version", "content-type", "accept"]);

async function checkStatic(paths: string[], root: string, json: boolean): Promise<number> {
  const { sourceFiles } = await import("../analysis/files.ts");
  const { analyzeText } = await import("../analysis/analyze.ts");
  const cwd = process.cwd();
  const files = await sourceFiles(paths, cwd);
  const findings: Finding[] = [];
  const errors: Array<{ file: string; reason: string }> = [];
  for (const file of files) {
    const shown = relativePath(cwd, file) || file;
    const result = analyzeText(shown, await readFile(file, "utf8"));
    findings.push(...result.findings);
    if (result.error) errors.push({ file: shown, reason: `does not parse (${result.error})` });
  }

  // In a generated project, output that no longer matches the spec is a finding too.
  if (existsSync(path.join(root, "mcp.spec.ts"))) {
    const { staleOutput } = await import("./generate.ts");
    for (const stale of await staleOutput(root)) {
      findings.push({ rule: "stale-generated", file: path.relative(cwd, path.join(root, stale)) || stale, line: 1, column: 1, message: "generated output differs from what mcp.spec.ts produces", fix: "run `mcp-stateless generate`" });
    }
  }

  if (json) {
    console.log(JSON.stringify({ files: files.length, findings, errors }, null, 2));
  } else {
    for (const line of findingLines(findings, "fix")) console.log(line);
    for (const e of errors) console.log(`ERR ${e.file}: ${e.reason}`);
    const filesWith = new Set(findings.map((f) => f.file)).size;
    console.log(
      findings.length
        ? `${findings.length} finding${findings.length === 1 ? "" : "s"} in ${filesWith} of ${files.length} files: not stateless yet.`
        : `No session reliance found in ${files.length} file${files.length === 1 ? "" : "s"}.`,
    );
  }
  return findings.length || errors.length ? 1 : 0;
}
