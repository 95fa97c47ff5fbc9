/**
 * Line-protocol decoder, DataKit dialect (SPEC §2). This is the hottest
 * path of the product, so it is written as a hand scanner over one string:
 *
 * - the body is UTF-8-decoded once; tokens are found with `charCodeAt`
 *   and `indexOf` and cut with one `slice` each, unescaping only tokens
 *   that contained a backslash;
 * - the parser finds where a good line ends by itself (a newline outside
 *   a quoted value); after a bad line it resumes where DataKit's own line
 *   splitter would (`lp-line-scan.ts`), so bad lines are counted alike;
 * - errors are values: a bad line yields a `DecodeError` with its line
 *   number, byte offset and reason, good lines still yield points, and
 *   line/offset arithmetic runs only when an error is reported (offsets
 *   count UTF-8 bytes of the decoded text, which are the body's bytes
 *   unless the body holds invalid UTF-8).
 *
 * Acceptance follows DataKit's parser (the influxdb1-client fork it
 * vendors): leading spaces/tabs, `#` comment lines, blank lines, several
 * blanks between sections, unsorted tags, and a timestamp of 0 meaning
 * "none" (the receive time). Timestamps are scaled by `timestamp.ts`,
 * shared with the other codecs.
 *
 * Deliberate differences, all on input DataKit mishandles: where DataKit
 * silently drops a malformed field or point (bad base64, mixed-kind
 * arrays, junk after a closing quote or after `"..."b`), the line is
 * reported instead; a comment ends at its newline (in DataKit a quote in a
 * comment can swallow the lines after it); a backslash never escapes a
 * newline outside string values; `""b` and `[]` decode as empty bytes and
 * an empty array, so that every point the encoder writes reads back.
 */

import { isUtf8 } from 'node:buffer';
import type { Category } from '../category.js';
import {
  DEFAULT_LIMITS,
  HINT_CLEAN_ENTRIES,
  HINT_PLAIN_KEYS,
  type IntakeLimits,
  IntakeScreen,
  normalizePoint,
} from '../normalize.js';
import { Point } from '../point.js';
import { type FieldValue, INT64_MAX, INT64_MIN } from '../value.js';
import type { DecodeError, DecodeOptions, DecodeResult } from './errors.js';
import { asBuffer, utf8Slice } from './fast-buffer.js';
import { unescapeFieldKey, unescapeMeasurement, unescapeTag } from './lp-escape.js';
import { scanLogicalLineEnd } from './lp-line-scan.js';
import {
  BACKSLASH,
  COMMA,
  CR,
  DOT,
  describeAt,
  EQUALS,
  excerpt,
  fail,
  LF,
  MINUS,
  parseValue,
  quoted,
  type ScanState,
  SPACE,
} from './lp-values.js';
import { TextPositions } from './text-position.js';
import { nowNs, toNanos } from './timestamp.js';
import { utf8Length } from './utf8.js';

export const INVALID_LINE_POINT = 'datakit.invalidLinePoint';

const TAB = 9;
const NUL = 0;
const HASH = 35;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** DataKit's limit on measurement + tags + 4 + field key, in bytes. */
const MAX_SERIES_KEY = 65535;

/**
 * Chars that end or escape a token: measurement (`,` space), tag keys and
 * values and field keys (`,` space `=`); backslash and newline in both.
 * Looked up once per char so ordinary chars cost one load and one test.
 */
const STOP_NAME = 1;
const STOP_KEY = 2;
/** In keys a dot is noted (intake must rewrite it) but does not end the token. */
const STOP_DOT = 4;
const STOPS = new Uint8Array(128);
STOPS[COMMA] = STOP_NAME | STOP_KEY;
STOPS[SPACE] = STOP_NAME | STOP_KEY;
STOPS[BACKSLASH] = STOP_NAME | STOP_KEY;
STOPS[LF] = STOP_NAME | STOP_KEY;
STOPS[EQUALS] = STOP_KEY;
STOPS[DOT] = STOP_DOT;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === NUL;
}

class LineParser implements ScanState {
  /** The text being parsed: the whole body, or a piece of it ending at a line end. */
  s = '';
  n = 0;
  val: FieldValue = null;
  kind = 0;
  errPos = 0;
  errMsg = '';
  /** See `ScanState.bsAt`: the next backslash, found once per body region. */
  bsFrom = 0;
  bsAt = -1;
  /** The point of the last good line, null for blank and comment lines. */
  point: Point | null = null;
  readonly category: Category;
  readonly #precision: string | undefined;
  #now: bigint | undefined;
  /** Whether the last scanned token contained a backslash. */
  #esc = false;
  /**
   * Whether the keys and tag values of the last good line hold no
   * backslash and the keys no dot: the `HINT_PLAIN_KEYS` of the intake checks.
   */
  plain = true;
  /** Whether every entry of the last good line passed the intake screen (`HINT_CLEAN_ENTRIES`). */
  clean = true;
  readonly #screen: IntakeScreen;

  constructor(
    category: Category,
    precision: string | undefined,
    now: bigint | undefined,
    screen: IntakeScreen,
  ) {
    this.category = category;
    this.#screen = screen;
    this.#precision = precision;
    this.#now = now;
  }

  /** Parse `s` from now on. */
  setText(s: string): void {
    this.s = s;
    this.n = s.length;
    this.bsFrom = 0;
    this.bsAt = s.indexOf('\\');
  }

  /** Keys of the previous line by position (tags, then fields). */
  readonly #keys: string[] = [];
  #slot = 0;

  /**
   * The key `s[from, to)`: the previous line's key string in the same
   * position when equal (lines of a batch mostly share their keys), which
   * saves the allocation and lets the maps reuse its hash.
   */
  #key(from: number, to: number, slot: number): string {
    const s = this.s;
    const keys = this.#keys;
    const len = to - from;
    if (slot < keys.length) {
      const k = keys[slot]!;
      if (k.length === len && s.startsWith(k, from)) return k;
      const fresh = s.slice(from, to);
      keys[slot] = fresh;
      return fresh;
    }
    const fresh = s.slice(from, to);
    if (slot === keys.length && slot < 64) keys.push(fresh);
    return fresh;
  }

  /** The intake hints for the last good line's point. */
  hints(): number {
    if (!this.plain) return 0;
    return this.clean ? HINT_PLAIN_KEYS | HINT_CLEAN_ENTRIES : HINT_PLAIN_KEYS;
  }

  #receiveTime(): bigint {
    if (this.#now === undefined) this.#now = nowNs();
    return this.#now;
  }

  /**
   * Scan a measurement or tag token from `i` to its first unescaped char
   * in `mask` (or a newline, or the end). DataKit's rule: a char is escaped
   * when the char before it is a backslash, whatever came before that.
   * `escaped` says whether the char at `i` already is. Sets `#esc`.
   */
  #scanToken(i: number, mask: number, escaped: boolean): number {
    const s = this.s;
    const n = this.n;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128 || (STOPS[c]! & mask) === 0) {
        escaped = false;
        continue;
      }
      if (c === LF) return i;
      if (c === BACKSLASH) {
        this.#esc = true;
        escaped = true;
        continue;
      }
      if (c === DOT) {
        this.plain = false;
        escaped = false;
        continue;
      }
      if (!escaped) return i;
      escaped = false;
    }
    return n;
  }

  /**
   * Parse the line starting at `p0`. Returns the index of the char that
   * ends it (newline or end of body) with `point` set, or -1 on error.
   */
  parseLine(p0: number): number {
    const s = this.s;
    const n = this.n;
    this.point = null;
    this.plain = true;
    this.clean = true;
    let p = p0;
    while (p < n && isBlank(s.charCodeAt(p))) p++;
    if (p >= n) return n;
    let c = s.charCodeAt(p);
    if (c === LF) return p;
    if (c === HASH) {
      const e = s.indexOf('\n', p);
      return e === -1 ? n : e;
    }
    if (c === COMMA) return fail(this, p, 'missing measurement before ","');

    // Measurement: up to an unescaped `,` (tags follow) or space (fields follow).
    const keyStart = p;
    this.#esc = c === BACKSLASH;
    let i = this.#scanToken(p + 1, STOP_NAME, c === BACKSLASH);
    if (i >= n || (c = s.charCodeAt(i)) === LF) {
      return fail(this, i, 'missing fields: the line ends after the measurement');
    }
    const name = this.#esc ? unescapeMeasurement(s.slice(p, i)) : s.slice(p, i);
    const tags = new Map<string, string>();
    this.#slot = 0;
    if (c === COMMA) {
      i = this.#parseTags(i + 1, tags);
      if (i < 0) return -1;
    }
    const keyEnd = i;

    // Fields, after one or more blanks.
    p = i + 1;
    while (p < n && isBlank(s.charCodeAt(p))) p++;
    if (p >= n || s.charCodeAt(p) === LF) return fail(this, p, 'missing fields');
    const fields = new Map<string, FieldValue>();
    let keyBytes = -1;
    let slot = this.#slot;
    for (;;) {
      if (p >= n) return fail(this, p, 'missing field key after ","');
      const k0 = p;
      c = s.charCodeAt(p);
      if (c === EQUALS) return fail(this, p, 'missing field key before "="');
      if (c === COMMA || c === SPACE || c === LF) return fail(this, p, 'missing field key after ","');
      // Field keys follow the other escape rule: a backslash takes the next char with it.
      let esc = false;
      for (; p < n; p++) {
        c = s.charCodeAt(p);
        if (c >= 128 || (STOPS[c]! & (STOP_KEY | STOP_DOT)) === 0) continue;
        if (c === BACKSLASH) {
          if (p + 1 < n && s.charCodeAt(p + 1) !== LF) {
            esc = true;
            p++;
          }
          continue;
        }
        if (c === DOT) {
          this.plain = false;
          continue;
        }
        break;
      }
      if (esc) this.plain = false;
      if (p >= n || c !== EQUALS) return fail(this, p, `missing "=" after field key ${excerpt(s, k0, p)}`);
      if ((keyEnd - keyStart + 4 + p - k0) * 3 > MAX_SERIES_KEY) {
        if (keyBytes < 0) keyBytes = utf8Length(s, keyStart, keyEnd);
        if (keyBytes + 4 + utf8Length(s, k0, p) > MAX_SERIES_KEY) {
          return fail(
            this,
            k0,
            `series key too long: measurement, tags and field key exceed ${MAX_SERIES_KEY} bytes`,
          );
        }
      }
      const key = esc ? unescapeFieldKey(s.slice(k0, p)) : this.#key(k0, p, slot++);
      p++;
      if (p >= n || (c = s.charCodeAt(p)) === COMMA || c === SPACE || c === LF) {
        return fail(this, p, `missing value for field ${quoted(key)}, got ${describeAt(this, p)}`);
      }
      p = parseValue(this, p, false);
      if (p < 0) return -1;
      fields.set(key, this.val);
      if (this.clean && ((tags.size !== 0 && tags.has(key)) || !this.#screen.field(key, this.val))) {
        this.clean = false;
      }
      if (p >= n || s.charCodeAt(p) !== COMMA) break;
      p++;
    }

    // Optional timestamp; then only spaces until the end of the line.
    let ts: bigint | null = null;
    if (p < n && s.charCodeAt(p) === SPACE) {
      p++;
      while (p < n && isBlank(s.charCodeAt(p))) p++;
      if (p < n && s.charCodeAt(p) !== LF) {
        p = this.#parseTimestamp(p);
        if (p < 0) return -1;
        ts = this.#ts;
        while (p < n && s.charCodeAt(p) === SPACE) p++;
        if (p < n && s.charCodeAt(p) !== LF) {
          return fail(this, p, `unexpected ${describeAt(this, p)} after the timestamp`);
        }
      }
    }

    const time = ts === null || ts === 0n ? this.#receiveTime() : toNanos(ts, this.#precision);
    this.point = new Point(name, tags, fields, time, this.category);
    return p;
  }

  /** Tags after the measurement's `,`; returns the index of the space that ends them. */
  #parseTags(i: number, tags: Map<string, string>): number {
    const s = this.s;
    const n = this.n;
    for (;;) {
      const k0 = i;
      let c = i < n ? s.charCodeAt(i) : LF;
      if (c === SPACE || c === COMMA || c === EQUALS || c === LF)
        return fail(this, i, 'missing tag key after ","');
      this.#esc = c === BACKSLASH;
      if (c === DOT) this.plain = false;
      i = this.#scanToken(i + 1, STOP_KEY | STOP_DOT, c === BACKSLASH);
      if (this.#esc) this.plain = false;
      c = i < n ? s.charCodeAt(i) : LF;
      if (c === LF) return fail(this, i, `missing "=" and value for tag key ${excerpt(s, k0, i)}`);
      if (c !== EQUALS) return fail(this, i, `missing "=" after tag key ${excerpt(s, k0, i)}`);
      const key = this.#esc ? unescapeTag(s.slice(k0, i)) : this.#key(k0, i, this.#slot++);
      const v0 = ++i;
      c = i < n ? s.charCodeAt(i) : LF;
      if (c === COMMA || c === SPACE || c === LF) {
        return fail(this, i, `missing value for tag ${quoted(key)}, got ${describeAt(this, i)}`);
      }
      // The first char may be `=`: DataKit checks for unescaped `=` only after it.
      this.#esc = c === BACKSLASH;
      i = this.#scanToken(i + 1, STOP_KEY, c === BACKSLASH);
      c = i < n ? s.charCodeAt(i) : LF;
      if (c === LF) return fail(this, i, 'missing fields: the line ends after the tags');
      if (c === EQUALS) return fail(this, i, `unescaped "=" in the value of tag ${quoted(key)}`);
      let value: string;
      if (this.#esc) {
        this.plain = false;
        value = unescapeTag(s.slice(v0, i));
      } else value = s.slice(v0, i);
      if (this.clean && !this.#screen.tag(key, value)) this.clean = false;
      const size = tags.size;
      tags.set(key, value);
      if (tags.size === size) return fail(this, k0, `duplicate tag key ${quoted(key)}`);
      if (c === SPACE) return i;
      i++;
    }
  }

  #ts = 0n;
  /** The high part (first ten digits) and scale of the last long timestamp, and its bigint. */
  #hiDigits = -1;
  #hiScale = 0;
  #hiValue = 0n;

  /**
   * `-?digits` ending at a space or the end of the line, as int64 into
   * `#ts`. One pass splits the digits into the first ten and the rest (up
   * to nine), both exact doubles. Up to 15 digits they combine exactly as
   * a double; up to 19 the bigint of the first ten (scaled) is reused from
   * the previous line when equal, as it is for points of one batch, so no
   * line parses a decimal string into a BigInt.
   */
  #parseTimestamp(p: number): number {
    const s = this.s;
    const n = this.n;
    const t0 = p;
    if (s.charCodeAt(p) === MINUS) p++;
    const d0 = p;
    const hiEnd = d0 + 10;
    let hi = 0;
    let lo = 0;
    let c = 0;
    for (; p < n; p++) {
      c = s.charCodeAt(p);
      if (c < DIGIT_0 || c > DIGIT_9) break;
      if (p < hiEnd) hi = hi * 10 + (c - DIGIT_0);
      else lo = lo * 10 + (c - DIGIT_0);
    }
    if (p === d0 || (p < n && c !== SPACE && c !== LF)) {
      let e = p;
      while (e < n && s.charCodeAt(e) !== SPACE && s.charCodeAt(e) !== LF) e++;
      return fail(this, p, `invalid timestamp ${excerpt(s, t0, e)}`);
    }
    const digits = p - d0;
    let v: bigint;
    if (digits <= 10) v = BigInt(d0 === t0 ? hi : -hi);
    else if (digits <= 15) {
      const m = hi * POW10[digits - 10]! + lo;
      v = BigInt(d0 === t0 ? m : -m);
    } else if (digits <= 19) {
      const scale = digits - 10;
      if (hi !== this.#hiDigits || scale !== this.#hiScale) {
        this.#hiDigits = hi;
        this.#hiScale = scale;
        this.#hiValue = BigInt(hi) * BigInt(POW10[scale]!);
      }
      v = this.#hiValue + BigInt(lo);
      if (d0 !== t0) v = -v;
    } else v = BigInt(s.slice(t0, p));
    if (digits >= 19 && (v > INT64_MAX || v < INT64_MIN)) {
      return fail(this, t0, `timestamp ${excerpt(s, t0, p)} overflows int64`);
    }
    this.#ts = v;
    return p;
  }
}

/** Powers of ten up to 10^9, exact as doubles. */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Bodies above this size are decoded to text in pieces of about this many
 * bytes, cut after a newline: one large string lands in V8's large-object
 * space, whose fresh pages cost far more than the copy itself, while
 * pieces this small are cheap young-generation allocations.
 */
const PIECE_BYTES = 32 * 1024;

/**
 * Decode a line-protocol body into points (each through DataKit's intake
 * checks for `opts.category`) and one error per bad line.
 */
export function decodeLineProtocol(body: Uint8Array | string, opts: DecodeOptions): DecodeResult {
  const points: Point[] = [];
  const errors: DecodeError[] = [];
  const size = typeof body === 'string' ? body.length : body.byteLength;
  if (size === 0) {
    errors.push({ code: INVALID_LINE_POINT, message: 'empty body', offset: 0 });
    return { points, errors };
  }
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const parser = new LineParser(
    opts.category,
    opts.precision,
    opts.now,
    new IntakeScreen(opts.category, limits),
  );
  if (typeof body === 'string') {
    parser.setText(body);
    decodeText(parser, limits, points, errors, 1, 0);
  } else if (size <= PIECE_BYTES || !isUtf8(body)) {
    // Invalid UTF-8 keeps the whole-body path: error offsets count the
    // bytes of the decoded text, which a piece-wise count could not match.
    parser.setText(utf8Slice(asBuffer(body), 0, size));
    decodeText(parser, limits, points, errors, 1, 0);
  } else {
    decodePieces(parser, asBuffer(body), limits, points, errors);
  }
  return { points, errors };
}

/**
 * A valid UTF-8 body piece by piece. Good lines are parsed within their
 * piece; at the first line that fails or runs past its piece (a string
 * value with a newline across the cut), the rest of the body from that
 * line on becomes one text, so errors and resumption work exactly as for
 * a whole body, with line numbers and byte offsets carried over.
 */
function decodePieces(
  parser: LineParser,
  buf: Buffer,
  limits: IntakeLimits,
  points: Point[],
  errors: DecodeError[],
): void {
  const size = buf.length;
  const category = parser.category;
  let base = 0;
  while (base < size) {
    let end = base + PIECE_BYTES;
    if (end >= size) end = size;
    else {
      const nl = buf.lastIndexOf(LF, end - 1);
      if (nl >= base) end = nl + 1;
      else {
        const next = buf.indexOf(LF, end);
        end = next === -1 ? size : next + 1;
      }
    }
    const s = utf8Slice(buf, base, end);
    parser.setText(s);
    const n = s.length;
    const last = end === size;
    let pos = 0;
    while (pos < n) {
      const e = parser.parseLine(pos);
      if (e < 0 || (e >= n && !last)) break;
      const pt = parser.point;
      if (pt !== null) {
        normalizePoint(pt, category, limits, parser.hints());
        points.push(pt);
      }
      pos = e + 1;
    }
    if (pos < n) {
      const restByte = base + utf8Length(s, 0, pos);
      parser.setText(utf8Slice(buf, restByte, size));
      decodeText(parser, limits, points, errors, countLines(buf, restByte) + 1, restByte);
      return;
    }
    base = end;
  }
}

/** Newlines in `buf[0, end)`. */
function countLines(buf: Buffer, end: number): number {
  let lines = 0;
  let i = buf.indexOf(LF);
  while (i !== -1 && i < end) {
    lines++;
    i = buf.indexOf(LF, i + 1);
  }
  return lines;
}

/**
 * All lines of the parser's text, which starts on line `firstLine` at
 * byte `firstByte` of the body.
 */
function decodeText(
  parser: LineParser,
  limits: IntakeLimits,
  points: Point[],
  errors: DecodeError[],
  firstLine: number,
  firstByte: number,
): void {
  const s = parser.s;
  const n = s.length;
  const category = parser.category;
  let positions: TextPositions | null = null;
  let pos = 0;
  while (pos < n) {
    const end = parser.parseLine(pos);
    if (end >= 0) {
      const pt = parser.point;
      if (pt !== null) {
        normalizePoint(pt, category, limits, parser.hints());
        points.push(pt);
      }
      pos = end + 1;
      continue;
    }
    const lineEnd = scanLogicalLineEnd(s, pos);
    if (positions === null) positions = new TextPositions(s);
    const err = lineError(s, positions, pos, lineEnd, parser.errPos, parser.errMsg, firstLine, firstByte);
    errors.push(err);
    pos = lineEnd + 1;
  }
}

const CRLF_REASON = 'the line ends with "\\r": CRLF line endings are not supported';

function lineError(
  s: string,
  positions: TextPositions,
  start: number,
  lineEnd: number,
  errPos: number,
  reason: string,
  firstLine: number,
  firstByte: number,
): DecodeError {
  const line = positions.line(start) + firstLine - 1;
  const offset = positions.byteOffset(start) + firstByte;
  if (lineEnd > start && s.charCodeAt(lineEnd - 1) === CR) {
    reason = errPos === lineEnd - 1 ? CRLF_REASON : `${reason} (${CRLF_REASON})`;
  }
  if (errPos > start) reason += ` (at offset ${positions.byteOffset(errPos) + firstByte})`;
  return { code: INVALID_LINE_POINT, message: `line ${line} (offset ${offset}): ${reason}`, line, offset };
}

/**
 * One-line summary for the HTTP error answer:
 * `2 of 3 lines failed: line 2 (offset 30): …; line 3 (offset 52): …`.
 * Lists at most `maxListed` errors. Empty when there are no errors.
 */
export function summarizeLineErrors(result: DecodeResult, maxListed = 10): string {
  const { errors } = result;
  if (errors.length === 0) return '';
  if (errors.length === 1 && errors[0]!.line === undefined && result.points.length === 0) {
    return errors[0]!.message;
  }
  const total = result.points.length + errors.length;
  let listed = '';
  const shown = Math.min(errors.length, maxListed);
  for (let i = 0; i < shown; i++) listed += (i === 0 ? '' : '; ') + errors[i]!.message;
  if (errors.length > shown) listed += `; and ${errors.length - shown} more`;
  return `${errors.length} of ${total} lines failed: ${listed}`;
}
