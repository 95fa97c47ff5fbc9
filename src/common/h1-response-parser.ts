/**
 * An HTTP/1.x response read incrementally from a socket's chunks: status
 * line, headers, then a body framed by Content-Length, chunked encoding or
 * the end of the connection (RFC 9112 §6.3). Informational answers (1xx)
 * are skipped. The parser never sees more than one response: plkit sends
 * one request at a time per connection (no pipelining), so bytes after the
 * end are a protocol error and the connection is not reused.
 *
 * Pure (no sockets), so the tests can split a response at every byte.
 */

export class H1ParseError extends Error {
  /** The response body grew past the caller's limit (not a protocol error). */
  readonly tooLarge: boolean;
  constructor(message: string, tooLarge = false) {
    super(message);
    this.tooLarge = tooLarge;
  }
}

export type H1Headers = Record<string, string | string[] | undefined>;

/** Longest status line + headers accepted (Node's own limit is 16 KiB; be generous). */
const MAX_HEAD_BYTES = 64 * 1024;
/** Longest chunk-size line (size, extensions). */
const MAX_CHUNK_LINE = 4096;

type State =
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-crlf'
  | 'trailers'
  | 'until-close'
  | 'done';

export class H1ResponseParser {
  status = 0;
  /**
   * The final answer's header lines, names lower-cased, in order. The
   * `headers` object is made from them only when asked for: on the
   * offloader's hot path nobody reads a 2xx answer's headers.
   */
  #names: string[] = [];
  #values: string[] = [];
  #headers: H1Headers | null = null;
  /** The connection may carry another request after this response. */
  keepAlive = false;
  readonly #maxBody: number;
  readonly #noBody: boolean;
  #state: State = 'head';
  /** Head bytes (or a chunk-size / trailer line) not yet complete. */
  #pending: Buffer | null = null;
  #body: Buffer[] = [];
  #bodyBytes = 0;
  /** Bytes left in a Content-Length body or in the current chunk. */
  #left = 0;
  #http10 = false;

  /** `noBody`: the request was HEAD, whose answer has no body whatever its headers say. */
  constructor(maxBodyBytes: number, noBody = false) {
    this.#maxBody = maxBodyBytes;
    this.#noBody = noBody;
  }

  /** Every header of the answer; a name seen more than once has its values in an array. */
  get headers(): H1Headers {
    if (this.#headers === null) {
      const h: H1Headers = {};
      for (let i = 0; i < this.#names.length; i++) {
        const name = this.#names[i]!;
        const value = this.#values[i]!;
        const had = h[name];
        if (had === undefined) h[name] = value;
        else if (Array.isArray(had)) had.push(value);
        else h[name] = [had, value];
      }
      this.#headers = h;
    }
    return this.#headers;
  }

  /** One header's values joined by ", " (as RFC 9110 §5.3 allows); undefined when absent. */
  header(name: string): string | undefined {
    let out: string | undefined;
    for (let i = 0; i < this.#names.length; i++) {
      if (this.#names[i] === name) out = out === undefined ? this.#values[i]! : `${out}, ${this.#values[i]!}`;
    }
    return out;
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /** Any byte of the answer seen (a reused connection that fails before this may be retried). */
  seen = false;

  get body(): Buffer {
    const b = this.#body;
    return b.length === 1 ? b[0]! : Buffer.concat(b, this.#bodyBytes);
  }

  /** Feed the next bytes; true when the response is complete. Throws H1ParseError. */
  push(chunk: Buffer): boolean {
    if (chunk.length > 0) this.seen = true;
    let at = 0;
    while (at < chunk.length) {
      switch (this.#state) {
        case 'head':
          at = this.#head(chunk, at);
          break;
        case 'length':
          at = this.#counted(chunk, at, 'done');
          break;
        case 'until-close':
          this.#take(at === 0 ? chunk : chunk.subarray(at));
          at = chunk.length;
          break;
        case 'chunk-size': {
          const line = this.#line(chunk, at, MAX_CHUNK_LINE, 'chunk size line');
          if (line === null) return false;
          at = line.next;
          const m = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line.text);
          if (m === null)
            throw new H1ParseError(`malformed chunk size ${JSON.stringify(line.text.slice(0, 40))}`);
          this.#left = Number.parseInt(m[1]!, 16);
          this.#state = this.#left === 0 ? 'trailers' : 'chunk-data';
          break;
        }
        case 'chunk-data':
          at = this.#counted(chunk, at, 'chunk-crlf');
          break;
        case 'chunk-crlf': {
          const line = this.#line(chunk, at, 2, 'chunk end');
          if (line === null) return false;
          if (line.text !== '') throw new H1ParseError('chunk data longer than its size');
          at = line.next;
          this.#state = 'chunk-size';
          break;
        }
        case 'trailers': {
          const line = this.#line(chunk, at, MAX_HEAD_BYTES, 'trailer');
          if (line === null) return false;
          at = line.next;
          if (line.text === '') this.#state = 'done';
          break;
        }
        case 'done':
          throw new H1ParseError('bytes after the end of the response');
      }
    }
    return this.#state === 'done';
  }

  /**
   * The connection ended. A body read until the close is complete now;
   * anything else unfinished is an error (the caller reports the cause).
   */
  end(): boolean {
    if (this.#state === 'until-close') {
      this.#state = 'done';
      this.keepAlive = false;
    }
    return this.#state === 'done';
  }

  /** Body bytes of a counted run (Content-Length, one chunk) from `at`; `next` once it is all read. */
  #counted(chunk: Buffer, at: number, next: State): number {
    const n = Math.min(this.#left, chunk.length - at);
    this.#take(chunk.subarray(at, at + n));
    this.#left -= n;
    if (this.#left === 0) this.#state = next;
    return at + n;
  }

  #take(b: Buffer): void {
    if (b.length === 0) return;
    this.#bodyBytes += b.length;
    if (this.#bodyBytes > this.#maxBody) {
      throw new H1ParseError(`response larger than ${this.#maxBody} bytes`, true);
    }
    // A copy: the caller's chunk may be a view of a read buffer that is reused (h1-pool).
    this.#body.push(Buffer.from(b));
  }

  /** One CRLF- (or LF-) terminated line starting at `at`, joined with earlier pending bytes; null if incomplete. */
  #line(chunk: Buffer, at: number, max: number, what: string): { text: string; next: number } | null {
    const nl = chunk.indexOf(0x0a, at);
    if (nl < 0) {
      const rest = chunk.subarray(at);
      this.#pending = this.#pending === null ? Buffer.from(rest) : Buffer.concat([this.#pending, rest]);
      if (this.#pending.length > max + 2) throw new H1ParseError(`${what} too long`);
      return null;
    }
    let raw = chunk.subarray(at, nl);
    if (this.#pending !== null) {
      raw = Buffer.concat([this.#pending, raw]);
      this.#pending = null;
    }
    if (raw.length > max + 1) throw new H1ParseError(`${what} too long`);
    let end = raw.length;
    if (end > 0 && raw[end - 1] === 0x0d) end--;
    return { text: raw.toString('latin1', 0, end), next: nl + 1 };
  }

  /** Head bytes from `at`: returns where the body starts in `chunk`, or chunk.length if the head is not complete. */
  #head(chunk: Buffer, at: number): number {
    const base = this.#pending === null ? 0 : this.#pending.length;
    const buf =
      this.#pending === null ? chunk.subarray(at) : Buffer.concat([this.#pending, chunk.subarray(at)]);
    const end = headEnd(buf, Math.max(0, base - 3));
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES)
        throw new H1ParseError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
      this.#pending = Buffer.from(buf);
      return chunk.length;
    }
    this.#pending = null;
    this.#parseHead(buf.toString('latin1', 0, end));
    // Where the body starts, in `chunk`'s terms.
    return at + (headEndAfter(buf, end) - base);
  }

  #parseHead(text: string): void {
    let eol = text.indexOf('\n');
    if (eol < 0) eol = text.length;
    const m = STATUS_LINE.exec(lineAt(text, 0, eol));
    if (m === null) {
      throw new H1ParseError(`malformed status line ${JSON.stringify(lineAt(text, 0, eol).slice(0, 60))}`);
    }
    const status = Number(m[2]);
    const names: string[] = [];
    const values: string[] = [];
    while (eol < text.length) {
      const start = eol + 1;
      eol = text.indexOf('\n', start);
      if (eol < 0) eol = text.length;
      let end = eol;
      if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
      if (end === start) continue;
      const colon = text.indexOf(':', start);
      const c0 = text.charCodeAt(start);
      if (colon < 0 || colon >= end || colon === start || c0 === 0x20 || c0 === 0x09) {
        throw new H1ParseError(
          `malformed header line ${JSON.stringify(text.slice(start, end).slice(0, 60))}`,
        );
      }
      const name = headerName(text, start, colon);
      let vs = colon + 1;
      let ve = end;
      while (vs < ve && isOws(text.charCodeAt(vs))) vs++;
      while (ve > vs && isOws(text.charCodeAt(ve - 1))) ve--;
      names.push(name);
      values.push(text.slice(vs, ve));
    }
    if (status === 101) throw new H1ParseError('unexpected 101 Switching Protocols');
    // 1xx: informational, the real answer follows on the same connection.
    if (status < 200) return;
    this.status = status;
    this.#names = names;
    this.#values = values;
    this.#headers = null;
    this.#http10 = m[1] === '0';
    const conn = (this.header('connection') ?? '').toLowerCase();
    this.keepAlive = this.#http10 ? /\bkeep-alive\b/.test(conn) : !/\bclose\b/.test(conn);
    this.#frame(status);
  }

  #frame(status: number): void {
    if (this.#noBody || status === 204 || status === 304) {
      this.#state = 'done';
      return;
    }
    const te = this.header('transfer-encoding');
    if (te !== undefined) {
      const codings = te.toLowerCase().split(',');
      if (codings[codings.length - 1]!.trim() === 'chunked') this.#state = 'chunk-size';
      else {
        this.#state = 'until-close';
        this.keepAlive = false;
      }
      return;
    }
    const cl = this.header('content-length');
    if (cl !== undefined) {
      // Repeats of one value (a list, or the header sent twice) are allowed (RFC 9112 §6.3).
      let v = cl;
      if (cl.includes(',')) {
        const values = new Set(cl.split(',').map((x) => x.trim()));
        v = values.size === 1 ? [...values][0]! : '';
      }
      if (!/^\d{1,15}$/.test(v)) throw new H1ParseError(`invalid Content-Length ${JSON.stringify(cl)}`);
      this.#left = Number(v);
      if (this.#left > this.#maxBody) {
        throw new H1ParseError(`response larger than ${this.#maxBody} bytes`, true);
      }
      this.#state = this.#left === 0 ? 'done' : 'length';
      return;
    }
    this.#state = 'until-close';
    this.keepAlive = false;
  }
}

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;

/** `text[start, end)` without the CR before its LF. */
function lineAt(text: string, start: number, end: number): string {
  return end > start && text.charCodeAt(end - 1) === 0x0d
    ? text.slice(start, end - 1)
    : text.slice(start, end);
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** RFC 9110 token characters, by char code. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}

/** The header name `text[start, colon)`, lower-cased; throws unless it is a token. */
function headerName(text: string, start: number, colon: number): string {
  let upper = false;
  for (let i = start; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) {
      throw new H1ParseError(
        `malformed header name ${JSON.stringify(text.slice(start, colon).slice(0, 60))}`,
      );
    }
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  const name = text.slice(start, colon);
  return upper ? name.toLowerCase() : name;
}

/**
 * Where the head's text ends in `buf` (before the empty line), searching
 * from `from`; -1 when the empty line has not arrived. Accepts CRLF and bare LF.
 */
function headEnd(buf: Buffer, from: number): number {
  for (let i = buf.indexOf(0x0a, from); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
    if (buf[i + 1] === 0x0a) return i;
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return i;
  }
  return -1;
}

/** The first body byte, given headEnd's answer (the head's last line feed). */
function headEndAfter(buf: Buffer, end: number): number {
  return buf[end + 1] === 0x0a ? end + 2 : end + 3;
}
