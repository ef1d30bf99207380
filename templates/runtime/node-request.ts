/**
 * The web `Request` the Node bridge hands the app, answered from Node's own parse of the request
 * until something needs more. The SDK reads a request's method, headers and signal on every call;
 * building undici's `Request` and `Headers` for that (URL parsing, header validation, an abort
 * controller, body bookkeeping) was about a seventh of the server's CPU under load
 * (docs/performance.md, step 12). Everything else a `Request` has (its body, `clone()`, its modes)
 * goes to a real `Request`, built once, the first time one of those is asked for.
 *
 * It is not an undici `Request` (`instanceof Request` is false): pass `request.clone()` where
 * code needs a real one.
 */

/**
 * A request's headers as `Headers` has them: names lower-cased, repeated fields joined, sorted
 * when listed. Unlike `Headers` it does not check names and values: they come from Node's
 * parser, which has.
 */
export class RequestHeaders implements Headers {
  /** Each field's value, repeats joined with ", " as `Headers` joins them. */
  readonly #fields = new Map<string, string>();
  /** Set-Cookie is the one field `Headers` keeps apart per value. */
  #cookies: string[] = [];

  /** From Node's `rawHeaders` (name, value, name, value…), leaving out the names `skip` holds. */
  static fromRaw(raw: readonly string[], skip?: ReadonlySet<string>): RequestHeaders {
    const headers = new RequestHeaders();
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      // HTTP/2 pseudo-headers (":path") are not fields, and fetch refuses them.
      if (name.startsWith(":") || skip?.has(name)) continue;
      headers.append(name, raw[i + 1]!);
    }
    return headers;
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    if (key === "set-cookie") return void this.#cookies.push(value);
    const had = this.#fields.get(key);
    this.#fields.set(key, had === undefined ? value : `${had}, ${value}`);
  }

  set(name: string, value: string): void {
    this.delete(name);
    this.append(name, value);
  }

  delete(name: string): void {
    const key = name.toLowerCase();
    if (key === "set-cookie") this.#cookies = [];
    else this.#fields.delete(key);
  }

  get(name: string): string | null {
    const key = name.toLowerCase();
    if (key === "set-cookie") return this.#cookies.length === 0 ? null : this.#cookies.join(", ");
    return this.#fields.get(key) ?? null;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    return [...this.#cookies];
  }

  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.#sorted()) callback.call(thisArg, value, name, this);
  }

  entries(): HeadersIterator<[string, string]> {
    return this.#sorted().values() as unknown as HeadersIterator<[string, string]>;
  }

  keys(): HeadersIterator<string> {
    return this.#sorted().map(([name]) => name).values() as unknown as HeadersIterator<string>;
  }

  values(): HeadersIterator<string> {
    return this.#sorted().map(([, value]) => value).values() as unknown as HeadersIterator<string>;
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  /** Fetch's "sort and combine": by name, each Set-Cookie value its own entry. */
  #sorted(): [string, string][] {
    const entries: [string, string][] = [...this.#fields];
    for (const cookie of this.#cookies) entries.push(["set-cookie", cookie]);
    return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

export interface NodeRequestInit {
  /** Absolute, as it came (`http://` + Host + target); the bridge has checked that it parses. */
  url: string;
  method: string;
  headers: RequestHeaders;
  /** The exchange's signal: it aborts when the client goes away. */
  signal: AbortSignal;
  /** The body, when it is handed on as text rather than parsed. */
  body?: string;
}

export class NodeRequest implements Request {
  readonly method: string;
  readonly signal: AbortSignal;
  readonly #init: NodeRequestInit;
  #url: string | undefined;
  #real: Request | undefined;

  constructor(init: NodeRequestInit) {
    this.#init = init;
    this.method = init.method;
    this.signal = init.signal;
  }

  /** Normalised as a `Request` normalises it, on first read (the SDK does not read it per call). */
  get url(): string {
    return (this.#url ??= new URL(this.#init.url).href);
  }

  /** Once a real `Request` exists, its headers (made from these), so the two never disagree. */
  get headers(): Headers {
    return this.#real?.headers ?? this.#init.headers;
  }

  /** The real `Request`, made on first need; it follows the exchange's signal, as its copies do. */
  #request(): Request {
    const { url, method, headers, signal, body } = this.#init;
    return (this.#real ??= new Request(url, { method, headers: [...headers], signal, ...(body !== undefined && { body }) }));
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#request().body;
  }
  get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false;
  }
  get cache(): RequestCache {
    return this.#request().cache;
  }
  get credentials(): RequestCredentials {
    return this.#request().credentials;
  }
  get destination(): RequestDestination {
    return this.#request().destination;
  }
  get integrity(): string {
    return this.#request().integrity;
  }
  get keepalive(): boolean {
    return this.#request().keepalive;
  }
  get mode(): RequestMode {
    return this.#request().mode;
  }
  get redirect(): RequestRedirect {
    return this.#request().redirect;
  }
  get referrer(): string {
    return this.#request().referrer;
  }
  get referrerPolicy(): ReferrerPolicy {
    return this.#request().referrerPolicy;
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#request().arrayBuffer();
  }
  blob(): Promise<Blob> {
    return this.#request().blob();
  }
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#request().bytes();
  }
  formData(): Promise<FormData> {
    return this.#request().formData();
  }
  json(): Promise<unknown> {
    return this.#request().json();
  }
  text(): Promise<string> {
    return this.#request().text();
  }
  clone(): Request {
    return this.#request().clone();
  }
}
