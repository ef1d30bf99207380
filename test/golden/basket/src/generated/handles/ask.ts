// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * Asking the client for more in the middle of a call, the 2026-07-28 way (multi round-trip
 * requests): a handler returns `ask(...)`, the client gathers the answers (a form for its user, a
 * reply from its model, its roots) and makes the same call again with them. No server keeps the
 * call waiting, so the call that comes back may be served by any instance.
 *
 * What a handler asks to `remember` travels with the client, signed (HMAC-SHA256 with
 * MCP_STATE_SECRET), for ten minutes, and only back to the same tool, called by the same caller
 * with the same input: a copy sent anywhere else, altered or late is refused. It is signed, not
 * encrypted: the client can read it, so it must hold nothing the client may not see.
 */
import {
  acceptedContent,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  ProtocolError,
  ProtocolErrorCode,
  type InputRequest,
  type InputRequests,
  type InputRequiredResult,
  type InputResponses,
  type RequestStateCodec,
} from "@modelcontextprotocol/server";
import { base64url } from "./handles.ts";
import type { Ask } from "./results.ts";

export { acceptedContent, inputResponse, type Ask, type InputResponses };

/**
 * Asks the client for everything in `inputRequests` (each under a key of the handler's choosing,
 * built with `ask.form`, `ask.url`, `ask.model` or `ask.roots`). The client calls again with the
 * same input, its answers in `answers` under the same keys, and `remember` (any JSON) in
 * `remembered`. Read a form's answer with `acceptedContent(answers, key, schema)`, which checks it.
 */
export function ask(inputRequests: InputRequests, options: { remember?: unknown } = {}): Ask {
  if (Object.keys(inputRequests).length === 0) throw new TypeError("ask() needs at least one request for the client");
  return options.remember === undefined ? { resultType: "input_required", inputRequests } : { resultType: "input_required", inputRequests, remember: options.remember };
}

/** A form for the client's user: `schema` is a flat zod object of strings, numbers, booleans and enums. */
ask.form = (message: string, schema: Parameters<typeof inputRequired.elicit>[0]["requestedSchema"]): InputRequest => inputRequired.elicit({ message, requestedSchema: schema });
/** A page for the client's user to open (a sign-in, a payment), for what must not pass through the client. */
ask.url = (message: string, url: string): InputRequest => inputRequired.elicitUrl({ message, url });
/** A completion from the client's model. */
ask.model = (params: Parameters<typeof inputRequired.createMessage>[0]): InputRequest => inputRequired.createMessage(params);
/** The client's roots (the folders or files it works in). */
ask.roots = (): InputRequest => inputRequired.listRoots();

/** Who asks and about what: a remembered value opens only for the same caller, tool and input. */
export interface AskingCall {
  caller: string;
  tool: string;
  input: unknown;
}

/** What the signed state holds: the handler's value and a digest of the call it belongs to. */
interface Sealed {
  value: unknown;
  call: string;
}

/** The answer, word for word, the SDK gives state its own check refuses (spec: reject state that fails verification). */
export class RequestStateRefused extends ProtocolError {
  constructor() {
    super(ProtocolErrorCode.InvalidParams, "Invalid or expired requestState", { reason: "invalid_request_state" });
  }
}

let codec: RequestStateCodec<Sealed> | undefined;

/** Signs with MCP_STATE_SECRET; without it, with a key of this process alone (and says so once). */
function stateCodec(): RequestStateCodec<Sealed> {
  if (codec) return codec;
  let key: string | Uint8Array | undefined = process.env.MCP_STATE_SECRET;
  if (key === undefined || key === "") {
    process.emitWarning("MCP_STATE_SECRET is not set: what a tool asks to remember comes back only to this instance, until it restarts. Set the same value, 32 or more random bytes, on every instance.");
    key = crypto.getRandomValues(new Uint8Array(32));
  } else if (new TextEncoder().encode(key).byteLength < 32) {
    throw new Error("MCP_STATE_SECRET must be at least 32 bytes (e.g. `openssl rand -base64 32`)");
  }
  return (codec = createRequestStateCodec<Sealed>({ key }));
}

/** The wire form of an ask: `remember`, if any, signed into `requestState` for this call alone. */
export async function askResult(asked: Ask, call: AskingCall): Promise<InputRequiredResult> {
  if (asked.remember === undefined) return inputRequired({ inputRequests: asked.inputRequests });
  const requestState = await stateCodec().mint({ value: asked.remember, call: await digest(call) });
  return inputRequired({ inputRequests: asked.inputRequests, requestState });
}

/** The value remembered by the call the client is answering; RequestStateRefused if it is not this call's, altered or expired. */
export async function remembered(requestState: string, call: AskingCall): Promise<unknown> {
  // Outside the try: a secret set wrong is the server's error, not the caller's.
  const codec = stateCodec();
  let sealed: Sealed;
  try {
    sealed = await codec.verify(requestState, undefined as never);
  } catch {
    throw new RequestStateRefused();
  }
  if (sealed.call !== (await digest(call))) throw new RequestStateRefused();
  return sealed.value;
}

/** SHA-256 of the call, keys sorted, so the same input digests alike however its keys were ordered. */
async function digest({ caller, tool, input }: AskingCall): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson([caller, tool, input]));
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
