/**
 * Go reference layouts (`2006-01-02 15:04:05.000 -0700 MST`), split once
 * into chunks of literal text followed by one element. The recognition
 * rules are Go's, quirks included: any lone `1` is a month, `2` a day, `3`
 * an hour, `4` a minute, `5` a second; `Jan`/`Mon` only count when no
 * lower-case letter follows; `.000`/`,999` are fractional seconds only when
 * no other digit follows the run. Compiled layouts are cached.
 */

export const Std = {
  None: 0,
  LongMonth: 1,
  Month: 2,
  NumMonth: 3,
  ZeroMonth: 4,
  LongWeekDay: 5,
  WeekDay: 6,
  Day: 7,
  UnderDay: 8,
  ZeroDay: 9,
  UnderYearDay: 10,
  ZeroYearDay: 11,
  Hour: 12,
  Hour12: 13,
  ZeroHour12: 14,
  Minute: 15,
  ZeroMinute: 16,
  Second: 17,
  ZeroSecond: 18,
  LongYear: 19,
  Year: 20,
  PM: 21,
  pm: 22,
  TZ: 23,
  ISO8601TZ: 24,
  ISO8601SecondsTZ: 25,
  ISO8601ShortTZ: 26,
  ISO8601ColonTZ: 27,
  ISO8601ColonSecondsTZ: 28,
  NumTZ: 29,
  NumSecondsTZ: 30,
  NumShortTZ: 31,
  NumColonTZ: 32,
  NumColonSecondsTZ: 33,
  FracSecond0: 34,
  FracSecond9: 35,
} as const;

export type StdCode = (typeof Std)[keyof typeof Std];

export interface Chunk {
  /** Literal text before the element. */
  readonly lit: string;
  /** The element; Std.None on the last chunk, which is only literal text. */
  readonly std: StdCode;
  /** The element as written in the layout (for error messages). */
  readonly text: string;
  /** Digits of a fractional-second element. */
  readonly digits: number;
  /** Separator (`.` or `,`) of a fractional-second element. */
  readonly sep: string;
}

const ZERO_X: readonly StdCode[] = [
  Std.ZeroMonth,
  Std.ZeroDay,
  Std.ZeroHour12,
  Std.ZeroMinute,
  Std.ZeroSecond,
  Std.Year,
];

function startsLower(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c >= 97 && c <= 122;
}

function isDigit(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** The next element at or after `from`: [start, end, std, digits], or null. */
function nextElement(layout: string, from: number): [number, number, StdCode, number] | null {
  const n = layout.length;
  for (let i = from; i < n; i++) {
    switch (layout[i]) {
      case 'J':
        if (layout.startsWith('Jan', i)) {
          if (layout.startsWith('January', i)) return [i, i + 7, Std.LongMonth, 0];
          if (!startsLower(layout, i + 3)) return [i, i + 3, Std.Month, 0];
        }
        break;
      case 'M':
        if (layout.startsWith('Mon', i)) {
          if (layout.startsWith('Monday', i)) return [i, i + 6, Std.LongWeekDay, 0];
          if (!startsLower(layout, i + 3)) return [i, i + 3, Std.WeekDay, 0];
        }
        if (layout.startsWith('MST', i)) return [i, i + 3, Std.TZ, 0];
        break;
      case '0': {
        const c1 = i + 1 < n ? layout.charCodeAt(i + 1) : 0;
        if (c1 >= 49 && c1 <= 54) return [i, i + 2, ZERO_X[c1 - 49], 0];
        if (layout.startsWith('002', i)) return [i, i + 3, Std.ZeroYearDay, 0];
        break;
      }
      case '1':
        if (layout[i + 1] === '5') return [i, i + 2, Std.Hour, 0];
        return [i, i + 1, Std.NumMonth, 0];
      case '2':
        if (layout.startsWith('2006', i)) return [i, i + 4, Std.LongYear, 0];
        return [i, i + 1, Std.Day, 0];
      case '_':
        if (layout[i + 1] === '2') {
          // "_2006" is a literal underscore followed by the year.
          if (layout.startsWith('2006', i + 1)) return [i + 1, i + 5, Std.LongYear, 0];
          return [i, i + 2, Std.UnderDay, 0];
        }
        if (layout.startsWith('__2', i)) return [i, i + 3, Std.UnderYearDay, 0];
        break;
      case '3':
        return [i, i + 1, Std.Hour12, 0];
      case '4':
        return [i, i + 1, Std.Minute, 0];
      case '5':
        return [i, i + 1, Std.Second, 0];
      case 'P':
        if (layout[i + 1] === 'M') return [i, i + 2, Std.PM, 0];
        break;
      case 'p':
        if (layout[i + 1] === 'm') return [i, i + 2, Std.pm, 0];
        break;
      case '-':
        if (layout.startsWith('-070000', i)) return [i, i + 7, Std.NumSecondsTZ, 0];
        if (layout.startsWith('-07:00:00', i)) return [i, i + 9, Std.NumColonSecondsTZ, 0];
        if (layout.startsWith('-0700', i)) return [i, i + 5, Std.NumTZ, 0];
        if (layout.startsWith('-07:00', i)) return [i, i + 6, Std.NumColonTZ, 0];
        if (layout.startsWith('-07', i)) return [i, i + 3, Std.NumShortTZ, 0];
        break;
      case 'Z':
        if (layout.startsWith('Z070000', i)) return [i, i + 7, Std.ISO8601SecondsTZ, 0];
        if (layout.startsWith('Z07:00:00', i)) return [i, i + 9, Std.ISO8601ColonSecondsTZ, 0];
        if (layout.startsWith('Z0700', i)) return [i, i + 5, Std.ISO8601TZ, 0];
        if (layout.startsWith('Z07:00', i)) return [i, i + 6, Std.ISO8601ColonTZ, 0];
        if (layout.startsWith('Z07', i)) return [i, i + 3, Std.ISO8601ShortTZ, 0];
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < n && layout[j] === ch) j++;
          if (!isDigit(layout, j)) return [i, j, ch === '0' ? Std.FracSecond0 : Std.FracSecond9, j - i - 1];
        }
        break;
      }
    }
  }
  return null;
}

function compile(layout: string): Chunk[] {
  const chunks: Chunk[] = [];
  let pos = 0;
  for (;;) {
    const el = nextElement(layout, pos);
    if (el === null) {
      chunks.push({ lit: layout.slice(pos), std: Std.None, text: '', digits: 0, sep: '' });
      return chunks;
    }
    const [start, end, std, digits] = el;
    chunks.push({
      lit: layout.slice(pos, start),
      std,
      text: layout.slice(start, end),
      digits,
      sep: layout[start],
    });
    pos = end;
  }
}

const CACHE = new Map<string, Chunk[]>();
const CACHE_MAX = 512;

/** The chunks of a layout, compiled once. */
export function layoutChunks(layout: string): Chunk[] {
  let c = CACHE.get(layout);
  if (c === undefined) {
    c = compile(layout);
    if (layout.length <= 128) {
      if (CACHE.size >= CACHE_MAX) CACHE.clear();
      CACHE.set(layout, c);
    }
  }
  return c;
}
