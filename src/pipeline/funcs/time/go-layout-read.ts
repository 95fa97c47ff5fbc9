/**
 * The small readers Go's time.Parse is built from (skip, getnum, getnum3,
 * atoi, lookup, parseNanoseconds, parseTimeZone) and the English names it
 * matches. They work on byte strings and report what they consumed through
 * the exported scratch variables, so a parse allocates nothing per field.
 */
import { isDigitAt } from './bytes.js';

export const SHORT_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
export const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Scratch results of the small readers below, so they allocate nothing.
export let rest = '';
export let nanos = 0;
export let nanoRange = '';

/** Go's skip: the literal must match, a space run matching a space run. Null on mismatch (rest holds where). */
export function skipLiteral(v: string, lit: string): string | null {
  let i = 0;
  let j = 0;
  const n = v.length;
  while (j < lit.length) {
    if (lit.charCodeAt(j) === 32) {
      if (i < n && v.charCodeAt(i) !== 32) {
        rest = v.slice(i);
        return null;
      }
      while (j < lit.length && lit.charCodeAt(j) === 32) j++;
      while (i < n && v.charCodeAt(i) === 32) i++;
      continue;
    }
    if (i >= n || v.charCodeAt(i) !== lit.charCodeAt(j)) {
      rest = v.slice(i);
      return null;
    }
    i++;
    j++;
  }
  return i === 0 ? v : v.slice(i);
}

/** Go's getnum: one or two digits (exactly two when fixed); -1 when bad. */
export function getnum(s: string, fixed: boolean): number {
  if (!isDigitAt(s, 0)) return -1;
  if (!isDigitAt(s, 1)) {
    if (fixed) return -1;
    rest = s.slice(1);
    return s.charCodeAt(0) - 48;
  }
  rest = s.slice(2);
  return (s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48);
}

/** Go's getnum3: one to three digits (exactly three when fixed); -1 when bad. */
export function getnum3(s: string, fixed: boolean): number {
  let n = 0;
  let i = 0;
  while (i < 3 && isDigitAt(s, i)) {
    n = n * 10 + (s.charCodeAt(i) - 48);
    i++;
  }
  if (i === 0 || (fixed && i !== 3)) return -1;
  rest = s.slice(i);
  return n;
}

/** Go's atoi: optional sign, then digits only; null when bad. */
export function atoi(s: string): number | null {
  let i = 0;
  let neg = false;
  if (s.length > 0 && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    i = 1;
  }
  let x = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    x = x * 10 + (c - 48);
  }
  return neg ? -x : x;
}

/** Go's lookup: the first table entry that prefixes v, ASCII case-insensitively; -1 when none. */
export function lookupName(table: readonly string[], v: string): number {
  outer: for (let k = 0; k < table.length; k++) {
    const name = table[k];
    if (v.length < name.length) continue;
    for (let i = 0; i < name.length; i++) {
      let a = v.charCodeAt(i);
      let b = name.charCodeAt(i);
      if (a !== b) {
        a |= 32;
        b |= 32;
        if (a !== b || a < 97 || a > 122) continue outer;
      }
    }
    rest = v.slice(name.length);
    return k;
  }
  return -1;
}

export function commaOrPeriod(c: number): boolean {
  return c === 46 || c === 44;
}

/** Go's parseNanoseconds over v[0..nbytes): a separator then digits; false when bad (nanoRange set on a range error). */
export function parseNanos(v: string, nbytes: number): boolean {
  nanoRange = '';
  if (!commaOrPeriod(v.charCodeAt(0))) return false;
  const n = Math.min(nbytes, 10);
  const x = atoi(v.slice(1, n));
  if (x === null) return false;
  if (x < 0) {
    nanoRange = 'fractional second';
    return true;
  }
  let ns = x;
  for (let i = 0; i < 10 - n; i++) ns *= 10;
  nanos = ns;
  return true;
}

/** Go's parseSignedOffset: length of a `+h`/`-hh` prefix (hours up to 12), 0 when none. */
export function signedOffsetLen(v: string): number {
  const c = v.charCodeAt(0);
  if (c !== 43 && c !== 45) return 0;
  let i = 1;
  let x = 0;
  while (i < v.length && isDigitAt(v, i)) {
    x = x * 10 + (v.charCodeAt(i) - 48);
    if (x > 2 ** 62) return 0;
    i++;
  }
  if (i === 1 || x > 12) return 0;
  return i;
}

/** Go's parseTimeZone: length of a zone abbreviation at the start of v, 0 when none. */
export function zoneNameLen(v: string): number {
  if (v.length < 3) return 0;
  if (v.startsWith('ChST') || v.startsWith('MeST')) return 4;
  if (v.startsWith('GMT')) return 3 + (v.length > 3 ? signedOffsetLen(v.slice(3)) : 0);
  const c0 = v.charCodeAt(0);
  if (c0 === 43 || c0 === 45) return signedOffsetLen(v);
  let upper = 0;
  while (upper < 6 && upper < v.length) {
    const c = v.charCodeAt(upper);
    if (c < 65 || c > 90) break;
    upper++;
  }
  switch (upper) {
    case 3:
      return 3;
    case 4:
      return v[3] === 'T' || v.startsWith('WITA') ? 4 : 0;
    case 5:
      return v[4] === 'T' ? 5 : 0;
    default:
      return 0;
  }
}
