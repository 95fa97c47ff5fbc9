/**
 * The line parser of the line-protocol decoder (DataKit dialect, SPEC §2):
 * one line of text into a point, or an error with its position. Written
 * as a hand scanner because this is the hottest path of the product:
 *
 * - tokens are found with `charCodeAt` and `indexOf` and cut with one
 *   `slice` each, unescaping only tokens that contained a backslash; a
 *   key equal to the previous line's key in the same position reuses
 *   that string (no allocation, and its hash is already known to maps);
 * - the parser finds where a good line ends by itself (a newline outside
 *   a quoted value); the body-level loop is in `lp-decode.ts`;
 * - while scanning, it notes what the intake checks would look for (dots
 *   and backslashes in keys, lengths, tag/field clashes), which
 *   `normalizePoint` takes as hints, so clean points skip a second pass.
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
import type { Category } from '../category.js';
import { HINT_CLEAN_ENTRIES, HINT_PLAIN_KEYS, type IntakeScreen } from '../normalize.js';
import { Point } from '../point.js';
import { type FieldValue, INT64_MAX, INT64_MIN } from '../value.js';
import { unescapeFieldKey, unescapeMeasurement, unescapeTag } from './lp-escape.js';
import {
  BACKSLASH,
  COMMA,
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
import { nowNs, toNanos } from './timestamp.js';
import { utf8Length } from './utf8.js';

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

export class LineParser implements ScanState {
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
