/**
 * Container runtimes wrap every log line: Docker's json-file driver writes
 * one JSON object per line, CRI runtimes (containerd, CRI-O) a
 * space-separated prefix. With `mode = "docker"` or `"cri"` the logging
 * input unwraps each line before multiline joining, keeping the stream name
 * and the runtime's timestamp, and learning whether the runtime split a long
 * line (a partial line is continued by the next one).
 *
 * Acceptance follows DataKit: the stream must be `stdout` or `stderr`, the
 * time is not checked (DataKit ignores it), so a time that does not parse
 * only leaves `timeNs` null. A CRI line with no tag field carries empty
 * text, and any tag other than `P` (before an optional `:`) means a full
 * line. Times become Unix nanoseconds with every digit kept; a fraction
 * longer than 9 digits is cut there, as Go's parser does.
 */

import { daysFromCivil, daysIn } from '../../pipeline/funcs/time/civil.js';
import type { ContainerLine } from './types.js';

/**
 * Unwraps one container log line (its terminator already removed).
 * Returns null when the line is not in `mode`'s format; the caller then
 * does what DataKit does: counts a parse failure and drops that line,
 * keeping any partial text gathered before it.
 */
export function parseContainerLine(mode: 'docker' | 'cri', text: string): ContainerLine | null {
  return mode === 'docker' ? parseDockerJson(text) : parseCri(text);
}

function isStream(s: unknown): s is string {
  return s === 'stdout' || s === 'stderr';
}

function parseDockerJson(text: string): ContainerLine | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const o = doc as Record<string, unknown>;
  const log = o['log'];
  const time = o['time'];
  // Go decodes an absent or null member as "" and refuses other types.
  if (log !== undefined && log !== null && typeof log !== 'string') return null;
  if (time !== undefined && time !== null && typeof time !== 'string') return null;
  if (!isStream(o['stream'])) return null;
  const body = typeof log === 'string' ? log : '';
  // An empty log is a complete (empty) line, as in DataKit.
  const complete = body.length === 0 || body.charCodeAt(body.length - 1) === 10;
  return {
    text: complete && body.length > 0 ? body.slice(0, -1) : body,
    stream: o['stream'] as string,
    timeNs: typeof time === 'string' ? parseRfc3339Nano(time) : null,
    complete,
  };
}

function parseCri(text: string): ContainerLine | null {
  const a = text.indexOf(' ');
  if (a < 0) return null;
  const b = text.indexOf(' ', a + 1);
  if (b < 0) return null;
  const stream = text.slice(a + 1, b);
  if (!isStream(stream)) return null;
  const timeNs = parseRfc3339Nano(text.slice(0, a));
  const c = text.indexOf(' ', b + 1);
  if (c < 0) return { text: '', stream, timeNs, complete: true };
  // Tags are `:`-separated for forward compatibility; only the first counts.
  const colon = text.indexOf(':', b + 1);
  const tagEnd = colon >= 0 && colon < c ? colon : c;
  const partial = tagEnd - b - 1 === 1 && text.charCodeAt(b + 1) === 0x50; // 'P'
  return { text: text.slice(c + 1), stream, timeNs, complete: !partial };
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const NS_PER_SECOND = 1_000_000_000n;
const FRACTION_SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** `2006-01-02T15:04:05.999999999Z07:00` → Unix ns, or null when it is not that shape. */
export function parseRfc3339Nano(s: string): bigint | null {
  if (s.length < 20 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':')
    return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const min = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || min < 0 || min > 59)
    return null;
  if (sec < 0 || sec > 59 || day > daysIn(month, year)) return null;
  let i = 19;
  let nsec = 0;
  if (s[i] === '.') {
    const start = ++i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const n = i - start;
    if (n === 0) return null;
    const kept = Math.min(n, 9);
    nsec = digits(s, start, kept) * FRACTION_SCALE[kept]!;
  }
  let offsetSec = 0;
  if (s[i] === 'Z' && i + 1 === s.length) {
    // UTC
  } else if ((s[i] === '+' || s[i] === '-') && i + 6 === s.length && s[i + 3] === ':') {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return null;
    offsetSec = (oh * 3600 + om * 60) * (s[i] === '-' ? -1 : 1);
  } else return null;
  const unixSec = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offsetSec;
  return BigInt(unixSec) * NS_PER_SECOND + BigInt(nsec);
}
