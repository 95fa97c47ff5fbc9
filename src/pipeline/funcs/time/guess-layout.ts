/**
 * Reading a date without being told its layout, as DataKit's
 * `default_time` does through github.com/araddon/dateparse: scan the text
 * once, write a Go reference layout over it (2021-12-02 -> 2006-01-02),
 * then parse the text with that layout in the given location. Bare digit
 * strings are Unix timestamps by length (10 s, 13 ms, 16 us, 19 ns) or
 * yyyy / yyyymmdd / yyyymmddhhmmss. Month-first is preferred when
 * ambiguous (12/02/2021 is December 2).
 *
 * This is a reimplementation of that library's observable behaviour (the
 * version DataKit ships), written from its documented families and checked
 * against the conformance vectors, including its oddities: a zone name at
 * the very end of the text is matched literally and ignored, and a `Z`
 * after fractional seconds is too.
 */
import { fromByteString, goStrconvQuote } from './bytes.js';
import { toUnixNano } from './civil.js';
import { failureText, type InstantResult, parseInLocation } from './go-layout-parse.js';
import { scanDate } from './guess-date.js';
import { GuessState } from './guess-state.js';
import { scanTime } from './guess-time.js';
import { UTC_ZONE, type Zone } from './zone.js';

export type GuessResult = { ok: true; ns: bigint } | { ok: false; error: string };

const CHINESE_DATE = Buffer.from('2006年01月02日', 'utf8').toString('latin1');
const CHINESE_DATE_TIME = Buffer.from('2006年01月02日 15:04:05', 'utf8').toString('latin1');
const INT64_MAX = 2n ** 63n - 1n;
const MAX_RESTARTS = 64;

function unknown(text: string): GuessResult {
  return { ok: false, error: `Could not find format for ${goStrconvQuote(fromByteString(text))}` };
}

/** Guesses the layout of a byte-string date and parses it in `loc`. */
export function guessAndParse(text: string, loc: Zone): GuessResult {
  let src = text;
  for (let pass = 0; pass < MAX_RESTARTS; pass++) {
    const g = new GuessState(src);
    scanDate(g);
    if (g.restart !== null) {
      src = g.restart;
      continue;
    }
    if (g.failed) return unknown(src);
    g.coalesceDate(g.i);
    if (g.time === 'start' && !scanTime(g)) {
      if (g.restart !== null) {
        src = g.restart;
        continue;
      }
      return unknown(src);
    }
    return finish(g, loc);
  }
  return unknown(src);
}

function fromParse(r: InstantResult): GuessResult {
  return r.ok ? { ok: true, ns: toUnixNano(r.sec, r.nsec) } : { ok: false, error: failureText(r.failure) };
}

/** A run of decimal digits as an int64, or null (too long, or not only digits). */
function digitsValue(s: string): bigint | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const v = BigInt(s);
  return v > INT64_MAX ? null : v;
}

/** Bare digits: a Unix timestamp by length, or one of the compact date layouts. */
function digitsOnly(g: GuessState, loc: Zone): GuessResult {
  const s = g.src;
  let scale: bigint;
  switch (s.length) {
    case 19:
      scale = 1n;
      break;
    case 16:
      scale = 1000n;
      break;
    case 13:
      scale = 1_000_000n;
      break;
    case 10:
      scale = 1_000_000_000n;
      break;
    case 14:
      return fromParse(parseInLocation('20060102150405', s, loc));
    case 8:
      return fromParse(parseInLocation('20060102', s, loc));
    case 4:
      return fromParse(parseInLocation('2006', s, loc));
    default:
      if (s.length < 4) return { ok: false, error: `unrecognized format, too short ${fromByteString(s)}` };
      return unknown(s);
  }
  const v = digitsValue(s);
  if (v === null) return unknown(s);
  return { ok: true, ns: BigInt.asIntN(64, v * scale) };
}

function finish(g: GuessState, loc: Zone): GuessResult {
  const n = g.src.length;
  switch (g.date) {
    case 'digit':
      return digitsOnly(g, loc);
    case 'yearDashAlphaDash':
      g.daylen = g.i - g.dayi;
      g.setDay();
      break;
    case 'digitDashAlphaDash': {
      const length = n - (g.moi + g.molen + 1);
      if (length === 4 || length === 2) {
        g.yearlen = length;
        g.put(g.yeari, length === 4 ? '2006' : '06');
        g.dayi = 0;
        g.daylen = g.part1Len;
        g.setDay();
      }
      break;
    }
    case 'digitDot':
      g.molen = g.i - g.moi;
      g.setMonth();
      break;
    case 'digitWsMolong':
      g.layout = g.daylen === 2 ? '02 January 2006' : '2 January 2006';
      break;
    case 'alphaWsMonth':
    case 'alphaWsDigitMoreWs':
      g.yearlen = g.i - g.yeari;
      g.setYear();
      break;
    case 'digitChineseYear':
      g.layout = CHINESE_DATE;
      break;
    case 'digitChineseYearWs':
      g.layout = CHINESE_DATE_TIME;
      break;
    case 'yearDash':
    case 'yearDashDash':
    case 'yearDashDashWs':
    case 'yearDashDashT':
    case 'digitDotDot':
    case 'digitWsMoYear':
    case 'alphaWsMonthMore':
    case 'alphaWsDigitMoreWsYear':
    case 'alphaWsAlpha':
    case 'alphaWsDigit':
    case 'alphaWsDigitYearMaybe':
    case 'digitSlash':
    case 'digitColon':
    case 'weekdayComma':
    case 'weekdayAbbrevComma':
      break;
    default:
      return unknown(g.src);
  }
  if (g.fullMonth !== '' && g.moi === 0) g.layout = `January${g.layout.slice(g.fullMonth.length)}`;
  if (g.skip > 0 && g.layout.length > g.skip) {
    g.layout = g.layout.slice(g.skip);
    g.cur = g.cur.slice(g.skip);
  }
  return fromParse(parseInLocation(g.layout, g.cur, g.utc ? UTC_ZONE : loc));
}
