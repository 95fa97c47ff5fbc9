/**
 * Line-protocol encoder producing exactly DataKit's bytes (what its
 * `point.Encoder` writes for `content_encoding = "v1"` and the offload
 * sender): tags then fields sorted by key in UTF-8 byte order, DataKit's
 * escapes, floats as Go's `FormatFloat(f, 'f', -1, 64)`, `i`/`u`
 * suffixes, `"base64"b` bytes, `[..]` arrays, nanosecond timestamps,
 * points joined by `\n` without a trailing newline.
 *
 * DataKit skips, rather than fails, points it cannot write: no fields, an
 * empty field key, a NaN or infinite float field, or a series key over
 * 65535 bytes. Tags with an empty value and nil fields are left out. The
 * same happens here, so a batch always encodes.
 */
import type { Point } from '../point.js';
import { type BasicValue, type FieldValue, UInt } from '../value.js';
import { encodeStdBase64 } from './base64-std.js';
import { utf8Write } from './fast-buffer.js';
import { formatGoFloat } from './go-float.js';
import { escapeFieldKey, escapeMeasurement, escapeStringValue, escapeTag } from './lp-escape.js';
import { compareUtf8, isSortedUtf8, utf8Length } from './utf8.js';

const MAX_SERIES_KEY = 65535;

/** Encode `points` as a line-protocol body (no trailing newline). */
export function encodeLineProtocol(points: readonly Point[]): string {
  let out = '';
  let first = true;
  for (let i = 0; i < points.length; i++) {
    const line = encodeLinePoint(points[i]!);
    if (line === '') continue;
    out = first ? line : out + '\n' + line;
    first = false;
  }
  return out;
}

/**
 * `encodeLineProtocol` as UTF-8 bytes, ready for an HTTP body. Each line is
 * written into one growing buffer as soon as it is built: converting the
 * joined string instead would first copy the whole body into a flat
 * string, which measured ~25% slower.
 */
export function encodeLineProtocolBytes(points: readonly Point[]): Uint8Array {
  let buf = Buffer.allocUnsafe(points.length * 256 + 256);
  let off = 0;
  for (let i = 0; i < points.length; i++) {
    const line = encodeLinePoint(points[i]!);
    if (line === '') continue;
    const need = off + 1 + line.length * 3; // worst case of UTF-8 per UTF-16 unit
    if (need > buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
      buf.copy(grown, 0, 0, off);
      buf = grown;
    }
    if (off > 0) buf[off++] = 10;
    off += utf8Write(buf, line, off);
  }
  return buf.subarray(0, off);
}

/** One point as a line, or `''` when DataKit would skip it. */
export function encodeLinePoint(pt: Point): string {
  const fieldKeys: string[] = [];
  for (const [k, v] of pt.fields) {
    if (v === null) continue;
    if (k === '') return '';
    if (typeof v === 'number' && !Number.isFinite(v)) return '';
    fieldKeys.push(k);
  }
  if (fieldKeys.length === 0) return '';
  if (!isSortedUtf8(fieldKeys)) fieldKeys.sort(compareUtf8);

  let key = escapeMeasurement(pt.name);
  if (pt.tags.size > 0) {
    const tagKeys = Array.from(pt.tags.keys());
    if (!isSortedUtf8(tagKeys)) tagKeys.sort(compareUtf8);
    for (let i = 0; i < tagKeys.length; i++) {
      const k = tagKeys[i]!;
      const v = pt.tags.get(k)!;
      if (v === '') continue;
      key += ',' + escapeTag(k) + '=' + escapeTag(v);
    }
  }
  if (seriesKeyTooLong(key, fieldKeys)) return '';

  let line = key + ' ';
  for (let i = 0; i < fieldKeys.length; i++) {
    const k = fieldKeys[i]!;
    if (i > 0) line += ',';
    line += escapeFieldKey(k) + '=' + formatValue(pt.fields.get(k)!);
  }
  return line + ' ' + pt.time.toString();
}

function seriesKeyTooLong(key: string, fieldKeys: readonly string[]): boolean {
  let longest = 0;
  for (let i = 0; i < fieldKeys.length; i++)
    if (fieldKeys[i]!.length > longest) longest = fieldKeys[i]!.length;
  if ((key.length + 4 + longest) * 3 <= MAX_SERIES_KEY) return false;
  const keyBytes = utf8Length(key);
  for (let i = 0; i < fieldKeys.length; i++) {
    if (keyBytes + 4 + utf8Length(escapeFieldKey(fieldKeys[i]!)) > MAX_SERIES_KEY) return true;
  }
  return false;
}

function formatBasic(v: BasicValue): string {
  switch (typeof v) {
    case 'string':
      return '"' + escapeStringValue(v) + '"';
    case 'bigint':
      return v.toString() + 'i';
    case 'number':
      return formatGoFloat(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v instanceof UInt) return v.v.toString() + 'u';
      return '"' + encodeStdBase64(v) + '"b';
  }
}

function formatValue(v: Exclude<FieldValue, null>): string {
  if (!Array.isArray(v)) return formatBasic(v);
  let out = '[';
  for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + formatBasic(v[i]!);
  return out + ']';
}
