/**
 * `check --url`: drives running servers with the official MCP client (2026-07-28) and
 * reports, check by check, whether they behave statelessly — with the evidence. Side
 * effects are bounded: only tools annotated as not destructive are called (unless
 * --allow-writes), and no new handle flow starts once MAX_TOOL_CALLS of them are made.
 */
import { Client, extractWWWAuthenticateParams, MissingRequiredClientCapabilityError, StreamableHTTPClientTransport, type ClientCapabilities } from "@modelcontextprotocol/client";
import { exampleFor } from "../model/examples.ts";
import { describeError } from "../errors.ts";
import { authDiscoveryCheck } from "./auth-discovery.ts";
import { declaringTools, paramHeaderCheck } from "./param-headers.ts";

const MAX_TOOL_CALLS = 40;
/** How a create tool's description states a lifetime: "expires 1 hour after", "valid for 30 minutes", "ttl". */
const LIFETIME = /expire|valid for|lasts|lifetime|\bttl\b|\d+\s*(second|minute|hour|day)s?\b/i;
const UNKNOWN = /unknown|expired|not found|no such|invalid handle|has ended/i;
/** What a client declares to be asked everything a tool may ask: a list must not change for it. */
const ASKABLE: ClientCapabilities = { elicitation: { form: {}, url: {} }, sampling: {}, roots: {} };

export interface ProbeOptions {
  urls: string[];
  token?: string | undefined;
  tokenB?: string | undefined;
  /** Sent with every request of both principals (`--header`), set before the checks' own. */
  headers?: ReadonlyArray<[string, string]>;
  allowWrites: boolean;
  json: boolean;
}

export type Status = "pass" | "fail" | "skip";
export interface CheckResult {
  check: string;
  status: Status;
  evidence: string;
}

export interface Tool {
  name: string;
  description?: string;
  inputSchema?: { properties?: Record<string, unknown>; required?: string[] };
  outputSchema?: { properties?: Record<string, unknown> };
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean };
}

interface Called {
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
  /** What the tool asked its client for before it would answer (elicitation, sampling, roots), which check does not give. */
  asks?: string;
}

export async function probe(options: ProbeOptions): Promise<number> {
  const results = await runChecks(options);
  if (options.json) {
    console.log(JSON.stringify({ urls: options.urls, results }, null, 2));
  } else {
    for (const r of results) console.log(`${r.status.toUpperCase().padEnd(4)}  ${r.check.padEnd(20)} ${r.evidence}`);
    const failed = results.filter((r) => r.status === "fail").length;
    if (results.some((r) => r.check === "connect")) console.log("Nothing else was checked: no MCP connection could be made.");
    else console.log(failed ? `${failed} check${failed === 1 ? "" : "s"} failed: not stateless.` : "Every check that could run passed.");
  }
  return results.some((r) => r.status === "fail") ? 1 : 0;
}

async function runChecks(options: ProbeOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const budget = { calls: 0 };
  const allHeaders: Headers[] = [];
  // The client's connect error carries the HTTP status only in its message text; read it here.
  let lastStatus = 0;
  let lastChallenge: ReturnType<typeof extractWWWAuthenticateParams> = {};
  /** A client for one URL as one principal; every response's headers are kept for the session-id check. */
  const open = async (url: string, token = options.token, extra: Record<string, string> = {}, capabilities: ClientCapabilities = {}) => {
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        for (const [name, value] of options.headers ?? []) headers.set(name, value);
        if (token) headers.set("authorization", `Bearer ${token}`);
        for (const [k, v] of Object.entries(extra)) headers.set(k, v);
        const response = await fetch(input, { ...init, headers });
        allHeaders.push(response.headers);
        lastStatus = response.status;
        lastChallenge = response.status === 403 ? extractWWWAuthenticateParams(response) : {};
        return response;
      },
    });
    const client = new Client({ name: "mcp-stateless-check", version: "1.0.0" }, { versionNegotiation: { mode: "auto" }, capabilities });
    await client.connect(transport);
    return client;
  };
  const call = async (client: Client, name: string, args: Record<string, unknown>): Promise<Called> => {
    budget.calls += 1;
    let result: Awaited<ReturnType<Client["callTool"]>>;
    try {
      result = await client.callTool({ name, arguments: args });
    } catch (error) {
      // A 2026-07-28 tool may ask its client for input first; the SDK refuses the ask for a client
      // that cannot answer it, as this one cannot: the tool is then not exercised, nothing failed.
      if (!(error instanceof MissingRequiredClientCapabilityError)) throw error;
      return { isError: true, text: error.message, structured: undefined, asks: Object.keys(error.requiredCapabilities).join(" and ") };
    }
    const content = (result.content ?? []) as Array<{ text?: string }>;
    return { isError: result.isError === true, text: content.map((c) => c.text ?? "").join("\n"), structured: result.structuredContent as Record<string, unknown> | undefined };
  };

  // Asked without credentials, before connecting: it has something to say when connecting fails for want of a token.
  const discovery = await authDiscoveryCheck(options.urls);
  const clients: Client[] = [];
  for (const url of options.urls) {
    try {
      lastStatus = 0;
      clients.push(await open(url));
    } catch (error) {
      const why = describeError(error);
      const hint = lastStatus === 401 ? (options.token || options.headers?.length ? " (are --token and --header right?)" : ' (pass --token <bearer token>, or --header "name: value" for an API key)') : lastStatus === 403 ? scopeHint(lastChallenge) : "";
      return [{ check: "connect", status: "fail", evidence: `could not connect to ${url}: ${why}${hint}` }, discovery];
    }
  }
  const [first] = clients as [Client, ...Client[]];
  // Past the client's cache: a server that lets lists be reused would otherwise be compared with itself.
  const fresh = { cacheMode: "bypass" } as const;
  // A server that offers no tools is not asked for them (the client would warn on every ask).
  const offersTools = first.getServerCapabilities()?.tools !== undefined;
  const listJson = async (client: Client) => (offersTools ? JSON.stringify((await client.listTools(undefined, fresh)).tools) : "[]");

  // Tools and their descriptions.
  const listed = offersTools ? await first.listTools() : { tools: [] };
  const tools = listed.tools as Tool[];
  const undocumented = tools.filter((t) => !t.description?.trim() || !t.inputSchema);
  results.push(
    undocumented.length
      ? { check: "descriptions", status: "fail", evidence: `without a description or input schema: ${undocumented.map((t) => t.name).join(", ")}` }
      : tools.length
        ? { check: "descriptions", status: "pass", evidence: `all ${tools.length} tools have a description and an input schema` }
        : { check: "descriptions", status: "skip", evidence: "the server lists no tools: nothing to describe" },
  );
  const flows = handleFlows(tools);
  const makers = handleMakers(tools);
  const silent = makers.filter((t) => !LIFETIME.test(t.description ?? ""));
  results.push(
    makers.length === 0
      ? { check: "lifetimes", status: "skip", evidence: "no tool creates a handle" }
      : silent.length
        ? { check: "lifetimes", status: "fail", evidence: `create tools that state no lifetime: ${silent.map((t) => t.name).join(", ")}` }
        : { check: "lifetimes", status: "pass", evidence: `${makers.map((t) => t.name).join(", ")}: the description says how long a handle lives` },
  );

  // tools/list: the same every time, everywhere, whatever a client has done.
  const baseline = await listJson(first);
  const drift: string[] = [];
  if ((await listJson(first)) !== baseline) drift.push("a repeated request");
  for (const [i, client] of clients.entries()) if (i > 0 && (await listJson(client)) !== baseline) drift.push(options.urls[i]!);
  // Nor with what a client can do: one that declares it can be asked everything is listed the same tools.
  // (It is never asked anything: it only lists.)
  const capable = await open(options.urls[0]!, options.token, {}, ASKABLE);
  if ((await listJson(capable)) !== baseline) drift.push("a client declaring elicitation, sampling and roots");
  await capable.close();
  const offered = first.getServerCapabilities() ?? {};
  for (const kind of ["resources", "prompts"] as const) {
    if (!offered[kind]) continue;
    const list = async (c: Client) => JSON.stringify(kind === "resources" ? (await c.listResources(undefined, fresh)).resources : (await c.listPrompts(undefined, fresh)).prompts);
    const a = await list(first);
    if ((await list(first)) !== a) drift.push(`${kind}/list on a repeated request`);
  }

  // Handles: create, use through every URL, refuse unknown and foreign ones.
  const allowed = (t: Tool) => options.allowWrites || t.annotations?.readOnlyHint === true || t.annotations?.destructiveHint === false;
  const handleEvidence: string[] = [];
  const handleFailures: string[] = [];
  const unknownEvidence: string[] = [];
  const unknownFailures: string[] = [];
  const foreignEvidence: string[] = [];
  const foreignFailures: string[] = [];
  const clientB = options.tokenB ? await open(options.urls[0]!, options.tokenB) : undefined;
  const dataIds: string[] = [];
  let skippedForWrites = 0;
  const unguessable: string[] = [];
  const asking = new Set<string>();
  /** Create calls answered (not asked back), each followed by a tools/list compared with the first. */
  let creates = 0;
  /** Whether `called` asked its client for input first; if so, `tool` is noted as not exercised. */
  const asked = (tool: Tool, called: Called) => {
    if (called.asks) asking.add(`${tool.name} asks its client for ${called.asks}`);
    return called.asks !== undefined;
  };
  // A create tool may itself take a handle (open_cursor takes connection_id): such flows run
  // after the ones that make that handle, and are given the real one, not an example string.
  const produced = new Set(flows.map((f) => f.param));
  const handlesTaken = (tool: Tool) => (tool.inputSchema?.required ?? []).filter((r) => produced.has(r));
  const obtained = new Map<string, string>();
  const withObtained = (args: Record<string, unknown>, tool: Tool) => ({ ...args, ...Object.fromEntries(handlesTaken(tool).flatMap((p) => (obtained.has(p) ? [[p, obtained.get(p)]] : []))) });
  for (const flow of [...flows].sort((a, b) => handlesTaken(a.creator).length - handlesTaken(b.creator).length)) {
    if (budget.calls >= MAX_TOOL_CALLS) break;
    // The safest consumer this run may call and can make arguments for (a bare pattern with no
    // examples cannot be guessed).
    const callable = flow.consumers.flatMap((tool) => {
      const args = consumerArguments(tool, flow.param);
      return args ? [{ tool, args }] : [];
    });
    const chosen = callable.find(({ tool }) => allowed(tool));
    const createExample = exampleFor(flow.creator.inputSchema ?? { type: "object" }) as Record<string, unknown> | undefined;
    if (!allowed(flow.creator) || (callable.length && !chosen)) {
      skippedForWrites += 1;
      continue;
    }
    if (!createExample || !chosen) {
      unguessable.push((createExample ? flow.consumers[0]! : flow.creator).name);
      continue;
    }
    const { tool: consumer, args: useExample } = chosen;
    // A handle this run has not obtained (its own flow was skipped or failed) cannot be made up.
    if (handlesTaken(flow.creator).some((p) => !obtained.has(p))) continue;
    const createArgs = withObtained(createExample, flow.creator);
    const useArgs = withObtained(useExample, consumer);
    const made = await call(first, flow.creator.name, createArgs);
    if (asked(flow.creator, made)) continue;
    creates += 1;
    if ((await listJson(first)) !== baseline) drift.push(`after ${flow.creator.name}`);
    const handle = made.structured?.[flow.param];
    // A guess from the name that the answer does not bear out is no failure: nothing was promised.
    if (flow.inferred && !made.isError && typeof handle !== "string") continue;
    if (made.isError || typeof handle !== "string") {
      handleFailures.push(`${flow.creator.name} gave no ${flow.param}: ${made.text.slice(0, 120)}`);
      continue;
    }
    obtained.set(flow.param, handle);
    // A consumer that says it is destructive may end the handle (destroy_<kind>): each of its calls
    // is given a handle of its own, so an ended one is not taken for a refusal, and the first stays
    // live for the flows whose create tool takes it.
    const mayEnd = consumer.annotations?.destructiveHint === true;
    const handleToUse = async () => {
      if (!mayEnd) return handle;
      const again = await call(first, flow.creator.name, createArgs);
      return typeof again.structured?.[flow.param] === "string" ? (again.structured[flow.param] as string) : handle;
    };
    for (const [i, client] of clients.entries()) {
      const given = await handleToUse();
      const used = await call(client, consumer.name, { ...useArgs, [flow.param]: given });
      if (asked(consumer, used)) break;
      if (used.isError) handleFailures.push(`${consumer.name} via ${options.urls[i]} refused a fresh handle: ${used.text.slice(0, 160)}`);
      else handleEvidence.push(`${flow.creator.name} → ${consumer.name} via ${options.urls[i]}`);
    }
    const madeUp = lookalike(handle);
    const unknown = await call(first, consumer.name, { ...useArgs, [flow.param]: madeUp });
    if (asked(consumer, unknown)) continue;
    if (!unknown.isError) unknownFailures.push(`${consumer.name} accepted a made-up ${flow.param}`);
    else if (!unknown.text.includes(flow.creator.name) && !UNKNOWN.test(unknown.text)) unknownFailures.push(`${consumer.name} refused a made-up handle without saying what to do: "${unknown.text.slice(0, 120)}"`);
    else unknownEvidence.push(`${consumer.name}: "${unknown.text.slice(0, 100)}"`);
    // A handle is its maker's caller's alone; an id of data (a search result's) may be anyone's to read.
    if (clientB && !makers.includes(flow.creator)) dataIds.push(flow.param);
    else if (clientB) {
      const foreignHandle = await handleToUse();
      const foreign = await call(clientB, consumer.name, { ...useArgs, [flow.param]: foreignHandle });
      const unknownForB = await call(clientB, consumer.name, { ...useArgs, [flow.param]: madeUp });
      if (asked(consumer, foreign) || asked(consumer, unknownForB)) continue;
      if (!foreign.isError) foreignFailures.push(`${consumer.name} let another principal use a handle`);
      else if (foreign.text.replaceAll(foreignHandle, "<h>") !== unknownForB.text.replaceAll(madeUp, "<h>")) foreignFailures.push(`${consumer.name} tells another principal's handle apart from an unknown one`);
      else foreignEvidence.push(`${consumer.name} answers a foreign handle exactly like an unknown one`);
    }
  }
  const skipNote =
    (skippedForWrites ? ` (${skippedForWrites} flow${skippedForWrites === 1 ? "" : "s"} skipped: tools not annotated as safe; --allow-writes to include)` : "") +
    (unguessable.length ? ` (no valid arguments could be made up for ${unguessable.join(", ")}: \`examples\` in an input schema say what to send)` : "") +
    (asking.size ? ` (not exercised: ${[...asking].join(", ")} first, which check does not answer)` : "");
  const verdict = (check: string, failures: string[], evidence: string[], none: string, note = ""): CheckResult =>
    failures.length
      ? { check, status: "fail", evidence: failures.join("; ") }
      : evidence.length
        ? { check, status: "pass", evidence: evidence.join("; ") + skipNote + note }
        : { check, status: "skip", evidence: none + skipNote + note };
  results.push(verdict("handles", handleFailures, handleEvidence, "no handle flow could be exercised"));
  results.push(verdict("unknown-handles", unknownFailures, unknownEvidence, "no handle flow could be exercised"));
  results.push(
    clientB
      ? verdict("principals", foreignFailures, foreignEvidence, "no handle flow could be exercised", dataIds.length ? ` (not compared: ${dataIds.join(", ")}, ids from tools that make no handle)` : "")
      : { check: "principals", status: "skip", evidence: "give --token and --token-b to compare two principals" },
  );
  results.push(await listCache(listed as { ttlMs?: number; cacheScope?: string }, first, clientB, listJson));
  results.push(
    drift.length
      ? { check: "list-stable", status: "fail", evidence: `tools/list changed: ${drift.join(", ")}` }
      : { check: "list-stable", status: "pass", evidence: `tools/list identical across requests${clients.length > 1 ? `, ${clients.length} URLs` : ""}, client capabilities${creates ? " and after every create" : ""}` },
  );

  // A made-up session id must change nothing; GET and DELETE have nothing to serve.
  const withMadeUp = await open(options.urls[0]!, options.token, { "mcp-session-id": "made-up-session-0000" });
  // Compared with a plain request made now, so this check is about the header alone.
  const madeUpServed = (await listJson(withMadeUp)) === (await listJson(first));
  await withMadeUp.close();
  // What a request the checks make by hand carries: --header's, then the first principal's token.
  const asCaller = { ...Object.fromEntries(options.headers ?? []), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  const methods: string[] = [];
  for (const url of options.urls) {
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(url, { method, headers: { ...asCaller, accept: "application/json, text/event-stream" } });
      allHeaders.push(response.headers);
      await response.body?.cancel();
      if (response.status !== 405) methods.push(`${method} ${url} answered ${response.status}`);
    }
  }
  results.push(
    methods.length ? { check: "get-delete-405", status: "fail", evidence: methods.join("; ") } : { check: "get-delete-405", status: "pass", evidence: `GET and DELETE answered 405 on ${options.urls.length} URL(s)` },
  );
  // A browser calling a tool that mirrors arguments into headers sends those too (x-mcp-header).
  const declaring = declaringTools(tools);
  const mirrored = declaring.flatMap(({ declarations }) => declarations.map((d) => `mcp-param-${d.header.toLowerCase()}`));
  results.push(await browserPreflight(options.urls, [...PREFLIGHT_HEADERS, ...new Set(mirrored)]));
  const post = (url: string, headers: Record<string, string>, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: {
        ...asCaller,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2026-07-28",
        ...headers,
      },
      body: JSON.stringify(body),
    });
  results.push(await paramHeaderCheck(options.urls, declaring, allowed, post));
  results.push(discovery);
  const minted = allHeaders.filter((h) => h.get("mcp-session-id") !== null).length;
  results.push(
    minted || !madeUpServed
      ? { check: "no-session-id", status: "fail", evidence: [minted ? `${minted} of ${allHeaders.length} responses carried Mcp-Session-Id` : "", madeUpServed ? "" : "a request with a made-up Mcp-Session-Id was not served like any other"].filter(Boolean).join("; ") }
      : { check: "no-session-id", status: "pass", evidence: `${allHeaders.length} responses, none with Mcp-Session-Id; a made-up one changed nothing` },
  );

  for (const client of [...clients, ...(clientB ? [clientB] : [])]) await client.close();
  const order = ["no-session-id", "get-delete-405", "list-stable", "list-cache", "browser-preflight", "param-headers", "auth-discovery", "descriptions", "lifetimes", "handles", "unknown-handles", "principals"];
  return results.sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check));
}

/** The request headers a 2026-07-28 client's POST carries beyond the simple ones: a browser's preflight asks for them. */
const PREFLIGHT_HEADERS = ["content-type", "mcp-protocol-version", "mcp-method", "mcp-name"];

/**
 * A browser client's CORS preflight, for a server that answers CORS at all: an allow-list
 * written for sessions (Mcp-Session-Id, not Mcp-Method) refuses every 2026-07-28 request a web
 * page makes, and one without a tool's `Mcp-Param-*` header refuses every call of that tool.
 * A server with no CORS serves no page of another origin, which is its choice: skipped.
 */
async function browserPreflight(urls: readonly string[], requestHeaders: readonly string[]): Promise<CheckResult> {
  const refused: string[] = [];
  const allowing: string[] = [];
  for (const url of urls) {
    const response = await fetch(url, {
      method: "OPTIONS",
      headers: { origin: "https://client.example", "access-control-request-method": "POST", "access-control-request-headers": requestHeaders.join(", ") },
    });
    await response.body?.cancel();
    if (!response.headers.get("access-control-allow-origin")) continue;
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(",").map((name) => name.trim());
    const missing = allowed.includes("*") ? [] : requestHeaders.filter((header) => !allowed.includes(header));
    if (missing.length) refused.push(`${url} answers its preflight without ${missing.join(", ")} (allowed: ${allowed.filter(Boolean).join(", ") || "none"})`);
    else allowing.push(url);
  }
  if (refused.length) return { check: "browser-preflight", status: "fail", evidence: `a browser's 2026-07-28 requests are refused: ${refused.join("; ")}` };
  if (allowing.length) return { check: "browser-preflight", status: "pass", evidence: `the CORS preflight allows ${requestHeaders.join(", ")} on ${allowing.length} URL(s)` };
  return { check: "browser-preflight", status: "skip", evidence: "no CORS answer to a preflight: the server serves no web page of another origin" };
}

/**
 * What tools/list says about reusing it (MCP 2026-07-28: `ttlMs`, `cacheScope`). "public" claims
 * the list is the same for every caller, so a cache may share it: checked against a second
 * principal's list, since a per-caller list served as public would reach the wrong callers.
 */
async function listCache(listed: { ttlMs?: number; cacheScope?: string }, first: Client, clientB: Client | undefined, listJson: (c: Client) => Promise<string>): Promise<CheckResult> {
  const { ttlMs, cacheScope } = listed;
  if (!ttlMs) return { check: "list-cache", status: "skip", evidence: "tools/list says it is not to be reused (ttlMs 0 or none): nothing to check" };
  if (cacheScope !== "public") return { check: "list-cache", status: "pass", evidence: `tools/list may be reused for ${ttlMs} ms by the same caller (cacheScope ${cacheScope ?? "absent"})` };
  if (!clientB) return { check: "list-cache", status: "skip", evidence: `tools/list may be shared between callers for ${ttlMs} ms; give --token and --token-b to check a second caller gets the same list` };
  // Both now, one after the other: what the lists may do over time is list-stable's to judge.
  return (await listJson(clientB)) === (await listJson(first))
    ? { check: "list-cache", status: "pass", evidence: `tools/list may be shared between callers for ${ttlMs} ms, and a second principal gets the same list` }
    : { check: "list-cache", status: "fail", evidence: `tools/list says cacheScope "public" (any caller may be served a cached copy) but a second principal gets a different list` };
}

export interface Flow {
  creator: Tool;
  /** The tools that take the handle, safest first. */
  consumers: Tool[];
  /** The handle's field: in the creator's output, and in the consumer's input. */
  param: string;
  /** Read from the creator's name (create_note → note_id), as it declares no output. */
  inferred: boolean;
}

/**
 * Whether an output field carries a handle: marked so (generated servers mark it `x-mcp-handle`),
 * or named like one (`basket_id`, `basketId`, `id`, `handle`). Any other field that another tool
 * happens to take (`read_note` returns `text`, `create_note` takes `text`) is data, not a handle.
 */
function isHandleField(schema: unknown, name: string): boolean {
  return marksHandle(schema) || /(?:^|_)(?:id|handle)$/i.test(name) || /[a-z0-9](?:Id|Handle)$/.test(name);
}

function marksHandle(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && "x-mcp-handle" in schema;
}

/**
 * The tools that promise a lifetime: `create_*` ones, and any whose output marks a handle
 * (`db.open` in a generated server). A tool that returns some other id (`search_issues` gives
 * an `issue_id` that `get_issue` takes) hands out a name for data, not a handle that expires.
 */
export function handleMakers(tools: Tool[]): Tool[] {
  return tools.filter((t) => t.name.startsWith("create_") || Object.values(t.outputSchema?.properties ?? {}).some(marksHandle));
}

/**
 * Creator → consumers: a tool whose output has a handle field that other tools require as input
 * (`basket_id`), with read-only consumers first, then non-destructive ones, then those that say
 * nothing, and those that say they are destructive last. A create tool that declares no output
 * is taken at its name: create_basket makes basket_id.
 */
export function handleFlows(tools: Tool[]): Flow[] {
  const flows: Flow[] = [];
  for (const creator of tools) {
    const outputs = creator.outputSchema?.properties ?? {};
    const declared = Object.keys(outputs).filter((field) => isHandleField(outputs[field], field));
    const kind = /^create_(\w+)$/.exec(creator.name)?.[1];
    const inferred = declared.length === 0 && kind !== undefined;
    for (const param of inferred ? [`${kind}_id`] : declared) {
      const consumers = tools.filter((t) => t !== creator && (t.inputSchema?.required ?? []).includes(param));
      // A tool that says it is destructive (destroy_<kind>) comes last: it may end the handle
      // that a later flow's create tool is to be given.
      const rank = (t: Tool) => (t.annotations?.readOnlyHint ? 0 : t.annotations?.destructiveHint === false ? 1 : t.annotations?.destructiveHint === true ? 3 : 2);
      consumers.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : 1));
      if (consumers.length) flows.push({ creator, consumers, param, inferred });
    }
  }
  return flows;
}

/** Arguments for a tool that takes the handle `param`, everything but the handle made up from its schema. */
function consumerArguments(tool: Tool, param: string): Record<string, unknown> | undefined {
  return exampleFor({ ...tool.inputSchema, required: (tool.inputSchema?.required ?? []).filter((r) => r !== param) }) as Record<string, unknown> | undefined;
}

/** A handle of the same shape that no server has issued: same prefix, other characters. */
function lookalike(handle: string): string {
  const cut = handle.indexOf("_") + 1;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let tail = "";
  for (let i = cut; i < handle.length; i++) tail += alphabet[(alphabet.indexOf(handle[i]!) + 7 + alphabet.length) % alphabet.length] ?? "x";
  return handle.slice(0, cut) + tail;
}

/** What a 403's Bearer challenge says, for a failed connect: `insufficient_scope` and the scopes it names. */
function scopeHint({ error, scope }: ReturnType<typeof extractWWWAuthenticateParams>): string {
  if (error !== "insufficient_scope") return " (is the token allowed here?)";
  return scope ? ` (the token lacks a scope: the server asks for ${scope})` : " (the token lacks a scope the server asks for)";
}
