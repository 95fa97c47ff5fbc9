/**
 * Backslash escapes of DataKit's line protocol, one pair of functions per
 * token kind, because each kind has its own rule (facts of the Go
 * implementation DataKit uses, kept so bytes and values match it):
 *
 * | token       | decode: `\x` becomes `x` for x in | encode escapes     |
 * |-------------|-----------------------------------|--------------------|
 * | measurement | `,` `"` space `=`                 | `,` space          |
 * | tag key/val | `,` space `=`                     | `,` space `=`      |
 * | field key   | `,` `"` space `=` `\` (see below) | `,` `"` space `=`  |
 * | string val  | `"` `\`                           | `"` `\`            |
 *
 * A backslash before any other character is literal (`a\\b` as a tag value
 * stays `a\\b`). For field keys a backslash is dropped whenever the next
 * character is escapable, and that next character is then looked at again:
 * `\\,` reads as `,`. Every function returns its input unchanged (no copy)
 * when there is nothing to do.
 */

const BACKSLASH = 92;

/**
 * One table for all token kinds: bit flags per ASCII char, so the hot
 * escape loops do one array load per char instead of calling a predicate.
 */
const DEC_MEASUREMENT = 1;
const DEC_TAG = 2;
const DEC_FIELD_KEY = 4;
const ENC_MEASUREMENT = 8;
const ENC_TAG = 16;
const ENC_FIELD_KEY = 32;

const FLAGS = new Uint8Array(128);
FLAGS[44] = DEC_MEASUREMENT | DEC_TAG | DEC_FIELD_KEY | ENC_MEASUREMENT | ENC_TAG | ENC_FIELD_KEY; // ,
FLAGS[32] = DEC_MEASUREMENT | DEC_TAG | DEC_FIELD_KEY | ENC_MEASUREMENT | ENC_TAG | ENC_FIELD_KEY; // space
FLAGS[61] = DEC_MEASUREMENT | DEC_TAG | DEC_FIELD_KEY | ENC_TAG | ENC_FIELD_KEY; // =
FLAGS[34] = DEC_MEASUREMENT | DEC_FIELD_KEY | ENC_FIELD_KEY; // "
FLAGS[92] = DEC_FIELD_KEY; // backslash

function has(c: number, mask: number): boolean {
  return c < 128 && (FLAGS[c]! & mask) !== 0;
}

/** Shared single-pass unescape: `\x` → `x` when x is in `mask`. */
function unescapePairs(raw: string, mask: number): string {
  let i = raw.indexOf('\\');
  if (i === -1) return raw;
  let out = '';
  let seg = 0;
  const n = raw.length;
  while (i !== -1 && i + 1 < n) {
    if (has(raw.charCodeAt(i + 1), mask)) {
      out += raw.slice(seg, i);
      seg = i + 1; // keep the escaped char, drop the backslash
      i = raw.indexOf('\\', i + 2);
    } else {
      i = raw.indexOf('\\', i + 1);
    }
  }
  return out + raw.slice(seg);
}

export function unescapeMeasurement(raw: string): string {
  return unescapePairs(raw, DEC_MEASUREMENT);
}

export function unescapeTag(raw: string): string {
  return unescapePairs(raw, DEC_TAG);
}

export function unescapeFieldKey(raw: string): string {
  if (raw.indexOf('\\') === -1) return raw;
  let out = '';
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < n && has(raw.charCodeAt(i + 1), DEC_FIELD_KEY)) continue;
    out += raw[i];
  }
  return out;
}

/** Prefix a backslash to every char of `s` in `mask`. */
function escapeChars(s: string, mask: number): string {
  const n = s.length;
  let i = 0;
  while (i < n && !has(s.charCodeAt(i), mask)) i++;
  if (i === n) return s;
  let out = '';
  let seg = 0;
  for (; i < n; i++) {
    if (has(s.charCodeAt(i), mask)) {
      out += s.slice(seg, i) + '\\';
      seg = i;
    }
  }
  return out + s.slice(seg);
}

/**
 * DataKit first undoes `\,` and `\ ` in a name, then escapes `,` and
 * space, so a literal `\,` in a name is written as `\,` (and reads back as
 * `,`). Reproduced for byte-exact output.
 */
export function escapeMeasurement(name: string): string {
  if (name.indexOf('\\') !== -1) name = unescapePairs(name, ENC_MEASUREMENT);
  return escapeChars(name, ENC_MEASUREMENT);
}

export function escapeTag(s: string): string {
  return escapeChars(s, ENC_TAG);
}

export function escapeFieldKey(s: string): string {
  return escapeChars(s, ENC_FIELD_KEY);
}

/** `"` → `\"`, `\` → `\\`, found with `indexOf` (long messages, few specials). */
export function escapeStringValue(s: string): string {
  let q = s.indexOf('"');
  let b = s.indexOf('\\');
  if (q === -1 && b === -1) return s;
  let out = '';
  let seg = 0;
  while (q !== -1 || b !== -1) {
    let i: number;
    if (b === -1 || (q !== -1 && q < b)) {
      i = q;
      q = s.indexOf('"', i + 1);
    } else {
      i = b;
      b = s.indexOf('\\', i + 1);
    }
    out += s.slice(seg, i) + '\\';
    seg = i;
  }
  return out + s.slice(seg);
}
