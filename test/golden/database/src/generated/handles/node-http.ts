// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * The app served to `node:http`. It does what the SDK's `toNodeHandler` does (Node request in,
 * web `Request` to the app, web `Response` back out, a client that goes away aborts the
 * exchange, SSE streamed with backpressure), but it reads and parses the body once and hands
 * the parsed value on, and it sends a JSON answer in one write with its length. With
 * `toNodeHandler` the body is a stream the SDK copies before reading and every answer goes out
 * chunked; on a small request those copies cost more than the tool call (docs/performance.md,
 * step 4).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { NodeRequest, RequestHeaders } from "./node-request.ts";

export interface FetchApp {
  fetch(request: Request, options?: { parsedBody?: unknown }): Promise<Response>;
}

export interface NodeListenerOptions {
  /** A body over this many bytes is answered 413 unread (default 4 MiB, as the SDK's). */
  maxBodyBytes?: number;
  /** Told of a failure the client only sees as a 500. */
  onerror?: (error: unknown) => void;
  /** True once the server is shutting down: each answer sent from then on closes its connection. */
  draining?: () => boolean;
}

const FOUR_MIB = 4 * 1024 * 1024;
/** Headers that describe the body on the wire; they are wrong for a body handed on parsed. */
const BODY_FRAMING = new Set(["content-length", "transfer-encoding", "content-encoding"]);
/** Headers about this one connection, which Node manages (the SDK's SSE answers say keep-alive). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding"]);
/** Methods a web `Request` refuses to carry (the fetch standard's forbidden methods). */
const FETCH_FORBIDDEN = new Set(["CONNECT", "TRACE", "TRACK"]);

/** An answer the bridge gives itself, to the client's mistake: not a fault, nothing to report. */
interface Refusal {
  status: number;
  message: string;
  code: number;
  headers?: Record<string, string>;
}

export function toNodeListener(app: FetchApp, { maxBodyBytes = FOUR_MIB, onerror, draining }: NodeListenerOptions = {}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const abort = new AbortController();
    // `on`, not `once`, for events that come once: no wrapper per request (step 15).
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    void readBody(req, maxBodyBytes)
      .then(async (body) => {
        if (body === TOO_LARGE) return refuse(res, tooLarge(maxBodyBytes));
        const handedOn = toRequest(req, body, abort.signal);
        if (!Array.isArray(handedOn)) return refuse(res, handedOn);
        const response = await app.fetch(...handedOn);
        // Answer on the event loop's next turn, together with every other answer finished in
        // this one: writes in a row instead of one between each request's work. Under load the
        // same CPU then serves about half again as many requests; alone, a request waits no
        // longer (an idle loop's next turn is immediate). docs/performance.md, step 5.
        await nextTurn();
        await send(res, response, abort.signal, draining?.() === true);
      })
      .catch((error: unknown) => {
        if (res.destroyed) return; // the client went away: nobody to answer, nothing wrong
        onerror?.(error);
        if (!res.headersSent) sendJson(res, 500, { jsonrpc: "2.0", error: { code: -32603, message: "Internal server error" }, id: null });
        else res.destroy();
      });
  };
}

const TOO_LARGE = Symbol("too large");

/** Those waiting for the next turn; one `setImmediate` releases them all (step 13). */
let waitingForNextTurn: Array<() => void> = [];

function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (waitingForNextTurn.push(resolve) === 1) setImmediate(releaseNextTurn);
  });
}

function releaseNextTurn(): void {
  const waiting = waitingForNextTurn;
  waitingForNextTurn = [];
  for (const resolve of waiting) resolve();
}

/** The whole body, undefined when there is none, TOO_LARGE past the limit (the rest is discarded). */
function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<Buffer | typeof TOO_LARGE | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"]) > maxBodyBytes) {
      req.resume();
      return resolve(TOO_LARGE);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received <= maxBodyBytes) return void chunks.push(chunk);
      req.off("data", onData).resume();
      resolve(TOO_LARGE);
    };
    req.on("data", onData);
    req.on("end", () => resolve(received === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)));
    req.on("error", reject);
  });
}

/** The last URL that parsed (a client sends the same Host and target every time). */
let lastUrlParsed: string | undefined;

/**
 * The web Request and, when the body is JSON, its parsed value; a refusal when no Request could
 * carry what came (a Host header and target that make no URL, a method fetch forbids). A body
 * that is not JSON goes on as text, so the SDK answers it exactly as any other malformed request.
 */
function toRequest(req: IncomingMessage, body: Buffer | undefined, signal: AbortSignal): [Request, { parsedBody?: unknown }] | Refusal {
  const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
  // Parsed only when unlike the last that parsed (step 15).
  if (url !== lastUrlParsed) {
    if (!URL.canParse(url)) return { status: 400, code: -32600, message: "Bad request: the Host header and the request target do not make a URL" };
    lastUrlParsed = url;
  }
  const method = req.method ?? "GET";
  // Answered as the SDK answers every other method its endpoint does not take.
  if (FETCH_FORBIDDEN.has(method.toUpperCase())) return { status: 405, code: -32000, message: "Method not allowed.", headers: { allow: "POST" } };
  const text = body?.toString("utf8");
  const parsedBody = text === undefined ? undefined : parseJson(text);
  const headers = RequestHeaders.fromRaw(req.rawHeaders, parsedBody === undefined ? undefined : BODY_FRAMING);
  const withText = parsedBody === undefined && text !== undefined;
  const request = new NodeRequest({ url, method, headers, signal, ...(withText && { body: text }) });
  return [request, parsedBody === undefined ? {} : { parsedBody }];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function send(res: ServerResponse, response: Response, signal: AbortSignal, closeConnection: boolean): Promise<void> {
  // One pass over the answer's headers (step 15).
  const headers: Record<string, string | string[]> = {};
  let cookies: string[] | undefined;
  response.headers.forEach((value, name) => {
    // Several cookies are several headers; joined into one they would no longer parse.
    if (name === "set-cookie") (cookies ??= []).push(value);
    else if (!HOP_BY_HOP.has(name)) headers[name] = value;
  });
  if (cookies !== undefined) headers["set-cookie"] = cookies;
  if (closeConnection) headers["connection"] = "close";
  if (response.body === null) {
    res.writeHead(response.status, headers).end();
    return;
  }
  // A JSON answer is one finished value: send it whole, with its length. As text (JSON is UTF-8
  // by its standard), because Node sends a text body and its headers in one write, a buffer in
  // two (docs/performance.md, step 14).
  const contentType = headers["content-type"];
  if (typeof contentType === "string" && contentType.startsWith("application/json")) {
    const text = await response.text();
    headers["content-length"] = String(Buffer.byteLength(text));
    res.writeHead(response.status, headers).end(text);
    return;
  }
  // Anything else (SSE) streams as it comes, no faster than the client reads it.
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  signal.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted) break;
      if (!res.write(value)) await drained(res);
    }
  } finally {
    signal.removeEventListener("abort", stop);
    res.end();
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.once("drain", done).once("close", done);
  });
}

/** The rest of an oversized body is not read, so the connection cannot carry another request. */
function tooLarge(maxBodyBytes: number): Refusal {
  return { status: 413, code: -32000, message: `Payload Too Large: Request body must not exceed ${maxBodyBytes} bytes`, headers: { connection: "close" } };
}

function refuse(res: ServerResponse, { status, code, message, headers }: Refusal): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(bytes.byteLength) }).end(bytes);
}
