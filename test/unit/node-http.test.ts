/**
 * The Node entry's bridge (templates/runtime/node-http.ts) over real loopback HTTP: what the
 * app is handed, what the client gets back, and the cases where it must not buffer or read.
 */
import { once } from "node:events";
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FetchApp, toNodeListener } from "../../templates/runtime/node-http.ts";
import { RequestHeaders } from "../../templates/runtime/node-request.ts";

interface Seen {
  request: Request;
  parsedBody?: unknown;
  text: string;
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function serve(app: FetchApp, options: Parameters<typeof toNodeListener>[1] = {}): Promise<string> {
  server = createServer(toNodeListener(app, options));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

/** An app that records what it was handed and answers with a fixed JSON body. */
function recorder(seen: Seen[], answer: unknown = { jsonrpc: "2.0", id: 1, result: {} }): FetchApp {
  return {
    async fetch(request, options) {
      seen.push({ request, parsedBody: options?.parsedBody, text: await request.text() });
      return Response.json(answer);
    },
  };
}

/** A promise and the function that settles it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** A raw request, so framing headers (content-length vs chunked) can be read as sent. */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; chunks?: string[] }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? "POST", headers: init.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    for (const chunk of init.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe("the Node bridge", () => {
  it("hands the app a JSON body parsed once, and the headers without the body's framing", async () => {
    const seen: Seen[] = [];
    const url = await serve(recorder(seen));
    const body = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list" });
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "mcp-method": "tools/list" }, body });

    expect(response.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.parsedBody).toEqual({ jsonrpc: "2.0", id: 7, method: "tools/list" });
    expect(seen[0]!.text).toBe("");
    expect(seen[0]!.request.method).toBe("POST");
    expect(new URL(seen[0]!.request.url).pathname).toBe("/mcp");
    expect(seen[0]!.request.headers.get("mcp-method")).toBe("tools/list");
    expect(seen[0]!.request.headers.get("content-type")).toBe("application/json");
    expect(seen[0]!.request.headers.has("content-length")).toBe(false);
  });

  it("sends a JSON answer whole, with its length, not chunked", async () => {
    const answer = { jsonrpc: "2.0", id: 1, result: { text: "é".repeat(100) } };
    const url = await serve(recorder([], answer));
    const response = await raw(url, { headers: { "content-type": "application/json" }, chunks: ['{"jsonrpc":"2.0","id":1,"method":"ping"}'] });

    expect(response.status).toBe(200);
    expect(response.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(response.headers["content-length"])).toBe(Buffer.byteLength(response.body));
    expect(JSON.parse(response.body)).toEqual(answer);
  });

  it("keeps the app's headers, several cookies as several headers", async () => {
    const url = await serve({
      async fetch() {
        const headers = new Headers({ "content-type": "application/json", "x-request-id": "r1" });
        headers.append("set-cookie", "a=1; Path=/");
        headers.append("set-cookie", "b=2; Path=/");
        return new Response("{}", { status: 201, headers });
      },
    });
    const response = await raw(url, { headers: { "content-type": "application/json" }, chunks: ["{}"] });

    expect(response.status).toBe(201);
    expect(response.headers["x-request-id"]).toBe("r1");
    expect(response.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("closes the connection after each answer once draining, whatever connection header the answer had", async () => {
    const app: FetchApp = { fetch: async () => new Response("data: {}\n\n", { headers: { "content-type": "text/event-stream", connection: "keep-alive" } }) };
    let draining = false;
    const url = await serve(app, { draining: () => draining });
    expect((await raw(url, { chunks: ["{}"] })).headers["connection"]).toBe("keep-alive");
    draining = true;
    const response = await raw(url, { chunks: ["{}"] });
    expect(response.headers["connection"]).toBe("close");
    expect(response.body).toBe("data: {}\n\n");
  });

  it("passes a body that is not JSON on as text, for the SDK to answer", async () => {
    const seen: Seen[] = [];
    const url = await serve(recorder(seen));
    await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });

    expect(seen[0]!.parsedBody).toBeUndefined();
    expect(seen[0]!.text).toBe("{not json");
  });

  it("hands the headers on as fetch's Headers has them: repeats joined, any case, sorted", async () => {
    const seen: Seen[] = [];
    const url = await serve(recorder(seen));
    const sent = ["Content-Type", "application/json", "X-Trace", "a", "x-trace", "b", "Authorization", "Bearer one", "authorization", "Bearer two", "Content-Length", "2"];
    // Written by hand: Node's client would merge the repeated fields before sending them.
    const { host, port } = new URL(url);
    const socket = connect(Number(port), "127.0.0.1");
    socket.end(`POST /mcp HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${sent.map((v, i) => (i % 2 ? `${v}\r\n` : `${v}: `)).join("")}\r\n{}`);
    const answer = (await socket.setEncoding("utf8").toArray()).join("");
    expect(answer).toMatch(/^HTTP\/1.1 200/);

    // What undici's Headers makes of the same fields, less the body's framing (handed on parsed).
    const expected = new Headers();
    for (let i = 0; i < sent.length; i += 2) expected.append(sent[i]!, sent[i + 1]!);
    expected.set("host", host);
    expected.set("connection", "close");
    expected.delete("content-length");
    const got = seen[0]!.request.headers;
    expect([...got]).toEqual([...expected]);
    for (const name of ["X-TRACE", "authorization", "content-length", "missing"]) {
      expect([got.get(name), got.has(name)]).toEqual([expected.get(name), expected.has(name)]);
    }
  });

  it("answers the rest of a Request from a real one: its URL normalised, its modes, its body", async () => {
    const seen: Seen[] = [];
    const url = await serve(recorder(seen));
    // Sent as written: fetch and URL-taking clients would normalise the path first.
    const { hostname, port } = new URL(url);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ hostname, port, method: "POST", path: "/tools/../mcp?x=1", headers: { "content-type": "text/plain" } }, (res) => res.resume().on("end", resolve));
      req.on("error", reject).end("plain text");
    });
    const target = `http://${hostname}:${port}/tools/../mcp?x=1`;

    const request = seen[0]!.request;
    const real = new Request(target, { method: "POST", body: "plain text" });
    expect(request.url).toBe(real.url);
    expect([request.mode, request.cache, request.credentials, request.redirect]).toEqual([real.mode, real.cache, real.credentials, real.redirect]);
    expect(seen[0]!.text).toBe("plain text");
    expect(request.bodyUsed).toBe(true);
    expect(request.headers.get("content-type")).toBe("text/plain");
  });

  it("reads no body for GET and hands the request on as it came", async () => {
    const seen: Seen[] = [];
    const url = await serve(recorder(seen));
    await fetch(url, { headers: { accept: "text/event-stream" } });

    expect(seen[0]!.request.method).toBe("GET");
    expect(seen[0]!.parsedBody).toBeUndefined();
    expect(seen[0]!.request.headers.get("accept")).toBe("text/event-stream");
  });

  it("answers 413 to a body over the limit, declared or streamed, without calling the app", async () => {
    const seen: Seen[] = [];
    const url = await serve(recorder(seen), { maxBodyBytes: 64 });
    const declared = await raw(url, { headers: { "content-type": "application/json", "content-length": "100" }, chunks: ["x".repeat(100)] });
    const streamed = await raw(url, { headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, chunks: ["x".repeat(40), "x".repeat(40)] });

    for (const response of [declared, streamed]) {
      expect(response.status).toBe(413);
      expect(response.headers["connection"]).toBe("close"); // the rest of the body is never read
      expect(JSON.parse(response.body)).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "Payload Too Large: Request body must not exceed 64 bytes" }, id: null });
    }
    expect(seen).toHaveLength(0);
  });

  it("answers 400 when the Host header and the target make no URL, without calling the app or reporting a fault", async () => {
    const seen: Seen[] = [];
    const reported: unknown[] = [];
    const url = await serve(recorder(seen), { onerror: (error) => reported.push(error) });
    // A good request first: the bridge remembers the last URL that parsed, and only that one.
    expect((await raw(url, { headers: { "content-type": "application/json" }, chunks: ["{}"] })).status).toBe(200);
    const response = await raw(url, { headers: { host: "[", "content-type": "application/json" }, chunks: ["{}"] });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ jsonrpc: "2.0", error: { code: -32600, message: "Bad request: the Host header and the request target do not make a URL" }, id: null });
    expect(seen).toHaveLength(1);
    expect(reported).toHaveLength(0);
  });

  it("answers 405 as the SDK does to a method fetch cannot carry (TRACE), without calling the app or reporting a fault", async () => {
    const seen: Seen[] = [];
    const reported: unknown[] = [];
    const url = await serve(recorder(seen), { onerror: (error) => reported.push(error) });
    const response = await raw(url, { method: "TRACE" });

    expect(response.status).toBe(405);
    expect(response.headers["allow"]).toBe("POST");
    expect(JSON.parse(response.body)).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null });
    expect(seen).toHaveLength(0);
    expect(reported).toHaveLength(0);
  });

  it("answers 500 as JSON-RPC when the app throws, and reports the error", async () => {
    const reported: unknown[] = [];
    const url = await serve({ fetch: () => Promise.reject(new Error("boom")) }, { onerror: (error) => reported.push(error) });
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ jsonrpc: "2.0", error: { code: -32603, message: "Internal server error" }, id: null });
    expect(reported).toEqual([new Error("boom")]);
  });

  it("streams an SSE answer as it is written, before the stream ends", async () => {
    let finish!: () => void;
    const url = await serve({
      async fetch() {
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode("data: first\n\n"));
            finish = () => {
              controller.enqueue(encoder.encode("data: last\n\n"));
              controller.close();
            };
          },
        });
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      },
    });
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();

    expect(decoder.decode((await reader.read()).value)).toBe("data: first\n\n");
    finish();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(rest).toBe("data: last\n\n");
  });

  it("aborts the exchange, a copy of its request too, and cancels the stream when the client goes away", async () => {
    const aborted = signal();
    const copyAborted = signal();
    const cancelled = signal();
    const url = await serve({
      async fetch(request) {
        request.signal.addEventListener("abort", () => aborted.resolve());
        // The SDK copies the request when it must read the body itself (handed on as text).
        request.clone().signal.addEventListener("abort", () => copyAborted.resolve());
        const body = new ReadableStream<Uint8Array>({
          start: (controller) => controller.enqueue(new TextEncoder().encode(": open\n\n")),
          cancel: () => cancelled.resolve(),
        });
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      },
    });
    const client = new AbortController();
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", signal: client.signal });
    await response.body!.getReader().read();
    client.abort();

    await expect(Promise.all([aborted.promise, copyAborted.promise, cancelled.promise])).resolves.toBeDefined();
  });
});

describe("RequestHeaders", () => {
  // Every step done to both, then all they answer compared: they must not drift apart.
  it("answers as undici's Headers does through appends, sets and deletes", () => {
    const ours = RequestHeaders.fromRaw(["Accept", "a/b", ":path", "/mcp", "X-One", "1", "x-one", "2", "Set-Cookie", "c=1", "set-cookie", "d=2", "Content-Length", "9"], new Set(["content-length"]));
    const theirs = new Headers([["accept", "a/b"], ["x-one", "1"], ["x-one", "2"], ["set-cookie", "c=1"], ["set-cookie", "d=2"]]);
    const steps: [string, string?][] = [["X-Two", "2"], ["x-one"], ["Accept", "c/d"], ["set-cookie"], ["Set-Cookie", "e=3"]];
    const compare = () => {
      expect([...ours]).toEqual([...theirs]);
      expect([...ours.keys()]).toEqual([...theirs.keys()]);
      expect([...ours.values()]).toEqual([...theirs.values()]);
      expect(ours.getSetCookie()).toEqual(theirs.getSetCookie());
      for (const name of ["accept", "X-ONE", "x-two", "set-cookie", "content-length"]) {
        expect([ours.get(name), ours.has(name)]).toEqual([theirs.get(name), theirs.has(name)]);
      }
      const seen: string[] = [];
      ours.forEach((value, name, parent) => seen.push(`${name}=${value}:${parent === ours}`));
      const expected: string[] = [];
      theirs.forEach((value, name) => expected.push(`${name}=${value}:true`));
      expect(seen).toEqual(expected);
    };
    compare();
    for (const [i, [name, value]] of steps.entries()) {
      if (value === undefined) {
        ours.delete(name);
        theirs.delete(name);
      } else if (i % 2 === 0) {
        ours.append(name, value);
        theirs.append(name, value);
      } else {
        ours.set(name, value);
        theirs.set(name, value);
      }
      compare();
    }
  });
});
