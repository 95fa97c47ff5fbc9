/**
 * The first step of the logging input's text layer: the bytes of one
 * stream (a file from some offset, a socket connection) become decoded
 * lines, each carrying the stream offset just past its terminator so the
 * tailer can save a position that never falls inside a delivered line.
 *
 * Lines end at "\n" (a "\r" right before it is dropped). In UTF-16 the
 * newline is a whole code unit, counted in pairs of bytes from the start
 * offset (DataKit cuts on the byte 0x0A before decoding, which garbles
 * UTF-16; plkit does not copy that). GBK and GB18030 can be cut on the
 * byte 0x0A because their trail bytes never take that value. A U+FEFF at
 * the very start of the stream (a byte order mark, in whichever encoding)
 * is dropped; DataKit keeps it in the first message.
 *
 * A line longer than `maxLineBytes` (bytes of the source, terminator not
 * counted) comes out in pieces, as in DataKit: as soon as the unfinished
 * line holds more than the limit it is cut at the last character boundary
 * within the limit, that piece is handed out flagged `truncated` ("the next
 * Line continues it") with `end` just past its last byte, and the rest
 * starts the next piece. The last piece ends at the terminator and is not
 * flagged. No byte is dropped, memory stays bounded, every piece depends
 * only on the bytes (never on how they were chunked), and a reader started
 * at any `end` produces the rest exactly. (DataKit cuts once the held block
 * passes 128 KiB, so its pieces are up to a read block longer.) A "\r" at
 * the limit waits for the next byte: if "\n" follows, it was the line's
 * CRLF and the line fits.
 *
 * Hot path: lines (and the pieces of a long one) are found with
 * `Buffer#indexOf` and decoded straight from the caller's chunk; only the
 * unfinished tail of a chunk is copied, and it is never longer than the
 * limit plus one code unit.
 */

import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';
import { stripAnsi } from './ansi.js';
import type { Line } from './types.js';

export interface LineReaderOptions {
  /** '' or 'utf-8' (default), 'utf-16le', 'utf-16be', 'gbk', 'gb18030' (DataKit's `character_encoding`). */
  encoding: string;
  /** Longest line, in bytes of the source; a longer one comes out in pieces, all but the last flagged `truncated`. */
  maxLineBytes: number;
  /** remove_ansi_escape_codes */
  removeAnsi: boolean;
}

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'gbk' | 'gb18030';

/** A reader option that cannot be used; names the option and the value. */
export class LineReaderError extends Error {
  override name = 'LineReaderError';
  constructor(
    readonly option: 'encoding' | 'maxLineBytes',
    readonly value: string,
    message: string,
  ) {
    super(message);
  }
}

const ENCODINGS: ReadonlyMap<string, TextEncoding> = new Map([
  ['', 'utf8'],
  ['none', 'utf8'],
  ['utf-8', 'utf8'],
  ['utf8', 'utf8'],
  ['utf-16le', 'utf16le'],
  ['utf-16be', 'utf16be'],
  ['gbk', 'gbk'],
  ['gb18030', 'gb18030'],
]);

/** DataKit's `character_encoding` names (any case) → the decoder used. */
export function resolveEncoding(name: string): TextEncoding | LineReaderError {
  const e = ENCODINGS.get(name.trim().toLowerCase());
  if (e !== undefined) return e;
  return new LineReaderError(
    'encoding',
    name,
    `unknown character_encoding ${JSON.stringify(name)} (want utf-8, utf-16le, utf-16be, gbk or gb18030)`,
  );
}

function checkOptions(opts: LineReaderOptions): TextEncoding | LineReaderError {
  if (!(opts.maxLineBytes >= 4)) {
    const v = String(opts.maxLineBytes);
    return new LineReaderError('maxLineBytes', v, `maxLineBytes must be at least 4, got ${v}`);
  }
  return resolveEncoding(opts.encoding);
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

export class LineReader {
  readonly #enc: TextEncoding;
  /** Bytes per code unit: 2 for UTF-16, else 1. */
  readonly #unit: number;
  readonly #max: number;
  readonly #removeAnsi: boolean;
  #offset: number;
  /** Stream offset where the unfinished line (or the rest of a cut one) began. */
  #lineStart: number;
  /** Copies of the unfinished line's bytes; at most `#max + #unit` in all. */
  #parts: Buffer[] = [];
  #held = 0;
  /** UTF-16: the first byte of a code unit split between chunks, or -1. */
  #odd = -1;
  /** GBK/GB18030: one decoder reused for every line (`end()` resets it). */
  readonly #gb: iconv.DecoderStream | null;

  /** Checks the options first; errors are values naming the bad option. */
  static create(opts: LineReaderOptions, startOffset: number): LineReader | LineReaderError {
    const enc = checkOptions(opts);
    return enc instanceof LineReaderError ? enc : new LineReader(opts, startOffset);
  }

  /** Throws the LineReaderError `create` would return; use `create` for options from a config. */
  constructor(opts: LineReaderOptions, startOffset: number) {
    const enc = checkOptions(opts);
    if (enc instanceof LineReaderError) throw enc;
    this.#enc = enc;
    this.#unit = enc === 'utf16le' || enc === 'utf16be' ? 2 : 1;
    this.#max = opts.maxLineBytes;
    this.#removeAnsi = opts.removeAnsi;
    this.#offset = startOffset;
    this.#lineStart = startOffset;
    this.#gb = enc === 'gbk' || enc === 'gb18030' ? iconv.getDecoder(enc, { stripBOM: false }) : null;
  }

  /** Offset of the next byte expected. */
  get offset(): number {
    return this.#offset;
  }

  /**
   * Source bytes not handed out yet (the unfinished line, or what is left
   * of a long one after its pieces), so `offset - pendingBytes` is where a
   * reader would have to start again to see them.
   */
  get pendingBytes(): number {
    return this.#offset - this.#lineStart;
  }

  /**
   * Go on at `offset`, past lines the caller handled itself (the file
   * tailer's byte road, raw-lines.ts). Only between lines: nothing may be
   * held, and `offset` must be a line start at or after `offset`.
   */
  skipTo(offset: number): void {
    if (this.pendingBytes !== 0 || this.#odd >= 0 || offset < this.#offset) {
      throw new Error(`LineReader.skipTo(${offset}): not between lines at ${this.#offset}`);
    }
    this.#offset = offset;
    this.#lineStart = offset;
  }

  /** Bytes that follow the stream at `offset`; returns every line and piece completed by them (maybe none). */
  push(chunk: Uint8Array): Line[] {
    const out: Line[] = [];
    if (chunk.length === 0) return out;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // Stream offset of buf[0].
    let base = this.#offset;
    let n = buf.length;
    if (this.#unit === 2) {
      if (this.#odd >= 0) {
        const joined = Buffer.allocUnsafe(n + 1);
        joined[0] = this.#odd;
        joined.set(buf, 1);
        buf = joined;
        base--;
        n++;
        this.#odd = -1;
      }
      if ((n & 1) === 1) this.#odd = buf[--n]!;
    }
    let pos = 0;
    while (pos < n) {
      const nl = this.#unit === 1 ? buf.indexOf(LF, pos) : this.#findUnitNewline(buf, pos, n);
      if (nl < 0 || nl >= n) {
        this.#hold(buf, pos, n, out);
        break;
      }
      this.#complete(buf, pos, nl, base + nl + this.#unit, out);
      pos = nl + this.#unit;
    }
    this.#offset += chunk.length;
    return out;
  }

  /**
   * The held unfinished line as a Line (end = offset), e.g. when the file
   * went idle or rotated; null if none. A "\r" that ends it is dropped (it
   * may be half of a CRLF), and what is left is within the limit.
   */
  flushPartial(): Line | null {
    if (this.#offset === this.#lineStart) return null;
    // A UTF-16 byte without its pair decodes to nothing; the end still covers it.
    this.#odd = -1;
    const bytes = this.#takeParts();
    let b = bytes.length;
    if (this.#endsWithCr(bytes, 0, b)) b -= this.#unit;
    return this.#finish(bytes, 0, b, this.#offset, false);
  }

  /** Index of the first byte of a UTF-16 newline unit in buf[pos, n) (pos and n even), or -1. */
  #findUnitNewline(buf: Buffer, pos: number, n: number): number {
    const le = this.#enc === 'utf16le';
    let i = pos;
    for (;;) {
      i = buf.indexOf(LF, i);
      if (i < 0 || i >= n) return -1;
      if (le) {
        if ((i & 1) === 0 && buf[i + 1] === 0) return i;
      } else if ((i & 1) === 1 && buf[i - 1] === 0) return i - 1;
      i++;
    }
  }

  /**
   * buf[a, b) continues the unfinished line with no terminator yet: hands
   * out the pieces it completes and keeps a copy of the rest.
   */
  #hold(buf: Buffer, a: number, b: number, out: Line[]): void {
    if (a === b) return;
    if (this.#held + (b - a) > this.#max) {
      if (this.#held > 0) {
        buf = this.#takeParts(buf.subarray(a, b));
        a = 0;
        b = buf.length;
      }
      a = this.#cutPieces(buf, a, b, out);
    }
    if (a < b) {
      this.#parts.push(Buffer.from(buf.subarray(a, b)));
      this.#held += b - a;
    }
  }

  /**
   * Hands out pieces from the front of an unfinished line buf[a, b) while
   * it is surely longer than the limit; returns where the rest begins. The
   * one case held back: only a trailing "\r" is over the limit, and the
   * next byte decides whether it was part of a CRLF.
   */
  #cutPieces(buf: Buffer, a: number, b: number, out: Line[]): number {
    const max = this.#max;
    while (b - a > max && !(b - a <= max + this.#unit && this.#endsWithCr(buf, a, b))) {
      const cut = this.#cutPoint(buf, a, max);
      out.push(this.#finish(buf, a, a + cut, this.#lineStart + cut, true));
      a += cut;
    }
    return a;
  }

  /** The line ending with buf[a, b) (terminator at b), whose terminator ends at stream offset `end`. */
  #complete(buf: Buffer, a: number, b: number, end: number, out: Line[]): void {
    if (this.#held > 0) {
      buf = this.#takeParts(buf.subarray(a, b));
      a = 0;
      b = buf.length;
    }
    if (a === b) {
      const line = this.#finish(buf, a, b, end, false);
      line.bare = true;
      out.push(line);
      return;
    }
    if (this.#endsWithCr(buf, a, b)) b -= this.#unit;
    const max = this.#max;
    while (b - a > max) {
      const cut = this.#cutPoint(buf, a, max);
      out.push(this.#finish(buf, a, a + cut, this.#lineStart + cut, true));
      a += cut;
    }
    out.push(this.#finish(buf, a, b, end, false));
  }

  /** Joins and clears the held bytes, with `more` after them when given. */
  #takeParts(more?: Buffer): Buffer {
    if (more !== undefined) this.#parts.push(more);
    const parts = this.#parts;
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.#parts = [];
    this.#held = 0;
    return bytes;
  }

  /** Decodes buf[a, b) as one line or piece ending at stream offset `end`; what follows starts there. */
  #finish(buf: Buffer, a: number, b: number, end: number, truncated: boolean): Line {
    let text = this.#decode(buf, a, b);
    if (this.#lineStart === 0 && text.charCodeAt(0) === BOM) text = text.slice(1);
    if (this.#removeAnsi) text = stripAnsi(text);
    this.#lineStart = end;
    return { text, end, truncated };
  }

  #endsWithCr(buf: Buffer, a: number, b: number): boolean {
    if (this.#unit === 1) return b > a && buf[b - 1] === CR;
    if (b - a < 2) return false;
    return this.#enc === 'utf16le'
      ? buf[b - 2] === CR && buf[b - 1] === 0
      : buf[b - 2] === 0 && buf[b - 1] === CR;
  }

  /** The longest prefix of buf[a, a+len) that ends on a character boundary. */
  #cutPoint(buf: Buffer, a: number, len: number): number {
    switch (this.#enc) {
      case 'utf8': {
        // Back off over continuation bytes of a character the cut would split.
        let cut = len;
        for (let k = 0; k < 3 && cut > 0 && (buf[a + cut]! & 0xc0) === 0x80; k++) cut--;
        return cut;
      }
      case 'utf16le':
      case 'utf16be': {
        let cut = len & ~1;
        if (cut >= 2) {
          const hi = this.#enc === 'utf16le' ? buf[a + cut - 1]! : buf[a + cut - 2]!;
          if (hi >= 0xd8 && hi <= 0xdb) cut -= 2; // a lead surrogate without its trail
        }
        return cut;
      }
      default:
        return gbCutPoint(buf, a, len, this.#enc === 'gb18030');
    }
  }

  #decode(buf: Buffer, a: number, b: number): string {
    switch (this.#enc) {
      case 'utf8':
        return buf.toString('utf8', a, b);
      case 'utf16le':
        return buf.toString('utf16le', a, b);
      case 'utf16be':
        // Swapped into a copy: Node decodes only little-endian UTF-16 natively.
        return Buffer.from(buf.subarray(a, b - ((b - a) & 1)))
          .swap16()
          .toString('utf16le');
      default: {
        const sub = buf.subarray(a, b);
        // Most of a GBK log is ASCII, which Node slices natively.
        if (isAscii(sub)) return buf.toString('latin1', a, b);
        const text = this.#gb!.write(sub);
        const tail = this.#gb!.end();
        return tail ? text + tail : text;
      }
    }
  }
}

/** GBK/GB18030 character boundary at or before `len` (runs only on a line longer than the limit). */
function gbCutPoint(buf: Buffer, a: number, len: number, four: boolean): number {
  let i = 0;
  for (;;) {
    const c = buf[a + i]!;
    let size = 1;
    if (c >= 0x81 && c <= 0xfe) {
      const d = buf[a + i + 1];
      size = four && d !== undefined && d >= 0x30 && d <= 0x39 ? 4 : 2;
    }
    if (i + size > len) return i;
    i += size;
    if (i === len) return i;
  }
}
