/**
 * `check --url`'s auth-discovery check. A server that takes OAuth bearer tokens answers a request
 * without one with 401 and a Bearer challenge, and an MCP client learns from it where to get a
 * token: the Protected Resource Metadata (RFC 9728) the challenge's `resource_metadata` names or,
 * without one, the document at the well-known URIs (2026-07-28 authorization). The check asks
 * as such a client does and holds the document to what the official client accepts: at least one
 * authorization server, and a `resource` the URL belongs to. It fails only on a chain that is
 * there and broken; a server that answers without credentials, or names no document (tokens
 * handed out some other way), is skipped with what a client would make of it.
 */
import { checkResourceAllowed, extractWWWAuthenticateParams, resourceUrlFromServerUrl } from "@modelcontextprotocol/client";
import { describeError } from "../errors.ts";
import type { CheckResult, Status } from "./probe.ts";

/** What one URL answers a request without credentials, as far as discovery goes. */
interface Finding {
  status: Status;
  text: string;
}

export async function authDiscoveryCheck(urls: readonly string[]): Promise<CheckResult> {
  const findings: Finding[] = [];
  for (const url of urls) findings.push(await discover(url));
  // One broken chain fails the check; one that works passes it; otherwise each URL says why it was skipped.
  const status = (["fail", "pass", "skip"] as const).find((s) => findings.some((f) => f.status === s)) ?? "skip";
  return { check: "auth-discovery", status, evidence: findings.filter((f) => f.status === status).map((f) => f.text).join("; ") };
}

/** The request a client without a token starts with: 2026-07-28's tools/list. */
async function unauthenticated(url: string): Promise<Response> {
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: meta } }),
  });
}

async function discover(url: string): Promise<Finding> {
  let response: Response;
  try {
    response = await unauthenticated(url);
    await response.body?.cancel();
  } catch (error) {
    return { status: "skip", text: `${url} could not be reached (${describeError(error)})` };
  }
  if (response.status !== 401) return { status: "skip", text: `${url} answers a request without credentials (HTTP ${response.status}): no token to discover` };
  const challenge = response.headers.get("www-authenticate");
  // RFC 9110 wants a challenge with every 401, but a server keyed by an API key often sends none:
  // its credentials are handed out another way, so there is no OAuth chain to break.
  if (!challenge) return { status: "skip", text: `${url} answers 401 with no WWW-Authenticate challenge (RFC 9110 asks for one): an OAuth client cannot tell it wants a token, so credentials must be handed out another way` };
  if (!/^\s*(Bearer|DPoP)(\s|,|$)/i.test(challenge)) return { status: "skip", text: `${url} asks for ${challenge.split(/[\s,]/)[0]} credentials, not OAuth bearer tokens` };

  const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
  const candidates = resourceMetadataUrl ? [resourceMetadataUrl] : wellKnown(url);
  const named = resourceMetadataUrl !== undefined;
  for (const candidate of candidates) {
    const read = await readDocument(candidate);
    // A well-known URI without a document (a 404, or a server that refuses every unknown path) is
    // no broken chain: the server may simply not publish one. A document it names must be there.
    if (!named && "error" in read) continue;
    if ("error" in read) return { status: "fail", text: `${url}: ${describeSource(candidate, named)} cannot be read as Protected Resource Metadata: ${read.error}` };
    return judge(url, candidate, named, read.document, scope);
  }
  return {
    status: "skip",
    text: `${url} wants bearer tokens, but its 401 names no resource_metadata and no Protected Resource Metadata is at ${candidates.join(" or ")}: an OAuth client cannot find where to get a token, so tokens must be handed out another way`,
  };
}

/** Where RFC 9728 puts a resource's document: under its own path first, then at the root. */
function wellKnown(url: string): URL[] {
  const { pathname } = new URL(url);
  const root = new URL("/.well-known/oauth-protected-resource", url);
  return pathname === "/" ? [root] : [new URL(`/.well-known/oauth-protected-resource${pathname.replace(/\/$/, "")}`, url), root];
}

async function readDocument(at: URL): Promise<{ document: Record<string, unknown> } | { error: string }> {
  try {
    const response = await fetch(at, { headers: { accept: "application/json", "mcp-protocol-version": "2026-07-28" } });
    if (!response.ok) {
      await response.body?.cancel();
      return { error: `HTTP ${response.status}` };
    }
    const document: unknown = await response.json().catch(() => undefined);
    if (typeof document !== "object" || document === null || Array.isArray(document)) return { error: "its body is no JSON object" };
    return { document: document as Record<string, unknown> };
  } catch (error) {
    return { error: describeError(error) };
  }
}

function describeSource(at: URL, named: boolean): string {
  return `${at} (${named ? "named by its 401" : "a well-known URI"})`;
}

/** The document as the official client takes it: authorization servers to ask, for a resource this URL is part of. */
function judge(url: string, at: URL, named: boolean, document: Record<string, unknown>, scope: string | undefined): Finding {
  const from = describeSource(at, named);
  const { resource, authorization_servers: servers } = document;
  if (typeof resource !== "string" || !URL.canParse(resource)) return { status: "fail", text: `${url}: ${from} names no resource URL (RFC 9728 requires \`resource\`)` };
  if (!Array.isArray(servers) || servers.length === 0 || servers.some((s) => typeof s !== "string")) {
    return { status: "fail", text: `${url}: ${from} lists no authorization_servers, and MCP requires at least one: a client has no one to ask for a token` };
  }
  if (!checkResourceAllowed({ requestedResource: resourceUrlFromServerUrl(url), configuredResource: resource })) {
    return { status: "fail", text: `${url}: ${from} is for the resource ${resource}, which a client at ${url} refuses (RFC 9728 §3.3): tokens for it are not for this URL` };
  }
  const asked = scope ? `, scope "${scope}"` : "";
  const how = named ? "its 401 names" : "its 401 names none; found at the well-known URI";
  return { status: "pass", text: `${url}: ${how} ${at} (resource ${resource}, authorization server${servers.length > 1 ? "s" : ""} ${servers.join(", ")}${asked})` };
}
