/**
 * strftime-style formatting as DataKit's `datetime` does it (it uses the Go
 * library itchyny/timefmt-go). Directives: %Y %y %C %G %g %m %B %b %h %A %a
 * %w %u %V %U %W %e %d %j %k %H %l %I %p %P %M %S %s %f %Z %z (%:z %::z
 * %:::z) %t %n %%, the compositions %c %+ %F %D %x %v %T %X %r %R, and the
 * flags `-` (no padding), `_` (spaces), `0` (zeros), `^` (upper case), `#`
 * (swap case) and a decimal width. Unknown directives are printed as
 * written. The library's quirks are kept: %l does not turn 0 into 12, %p
 * is AM up to 11:59, and the zone name comes from the Go zone abbreviation.
 */
import { LONG_DAYS, LONG_MONTHS, SHORT_DAYS, SHORT_MONTHS } from './go-layout-read.js';
import type { WallClock } from './wall-clock.js';

// Padding is kept as the library keeps it, a byte: the low 7 bits are the
// pad character and the high bit says the flag was written explicitly.
const PAD_NONE = 0x80;
const PAD_SPACE = 0x20;
const PAD_ZERO = 0x30;
const EXPLICIT = 0x80;
const MAX_WIDTH = 1024;

const COMPOSITIONS: Readonly<Record<string, string>> = {
  c: 'a b e H:M:S Y',
  '+': 'a b e H:M:S Z Y',
  F: 'Y-m-d',
  D: 'm/d/y',
  x: 'm/d/y',
  v: 'e-b-Y',
  T: 'H:M:S',
  X: 'H:M:S',
  r: 'I:M:S p',
  R: 'H:M',
};

function padChar(pad: number): string {
  return String.fromCharCode(pad & 0x7f);
}

function fmtInt(num: number, width: number, pad: number): string {
  const s = String(num);
  if (pad === PAD_NONE || s.length >= width) return s;
  return padChar(pad).repeat(width - s.length) + s;
}

function fmtString(str: string, width: number, pad: number, upper: boolean, swap: boolean): string {
  let out = '';
  if (width > str.length && pad !== PAD_NONE) {
    out = (pad < EXPLICIT ? ' ' : padChar(pad)).repeat(width - str.length);
  }
  if (swap && str.charCodeAt(str.length - 1) < 97) return out + str.toLowerCase();
  if (swap || upper) return out + str.toUpperCase();
  return out + str;
}

/** The text from the last `%` of `s`, padded as the library pads unknown directives. */
function lastDirective(s: string, width: number, pad: number): string {
  const at = s.lastIndexOf('%');
  return at < 0 ? '' : fmtString(s.slice(at), width, pad, false, false);
}

function fmtOffset(w: WallClock, width: number, pad: number, colons: number): string {
  let offset = w.offset;
  let sign = '+';
  if (offset < 0) {
    sign = '-';
    offset = -offset;
  }
  const hours = fmtInt(Math.floor(offset / 3600), 2, pad);
  // A space-padded hour puts the space before the sign: " +8".
  let body = hours.charCodeAt(0) === 32 ? ` ${sign}${hours.slice(1)}` : sign + hours;
  const rem = offset % 3600;
  if (colons <= 2 || rem !== 0) {
    if (colons !== 0) body += ':';
    body += fmtInt(Math.floor(rem / 60), 2, PAD_ZERO);
    const s = rem % 60;
    if (colons === 2 || (colons === 3 && s !== 0)) body += `:${fmtInt(s, 2, PAD_ZERO)}`;
  }
  if (pad === PAD_NONE || width <= body.length) return body;
  const ch = padChar(pad);
  const fill = ch.repeat(width - body.length);
  return ch === '0' ? body[0] + fill + body.slice(1) : fill + body;
}

/** Formats one directive letter; null when it is not a directive. */
function directive(
  w: WallClock,
  b: string,
  width: number,
  pad: number,
  upper: boolean,
  swap: boolean,
  colons: number,
): string | null {
  switch (b) {
    case 'Y':
      return fmtInt(w.year, width === 0 ? 4 : width, pad);
    case 'y':
      return fmtInt(w.year % 100, Math.max(width, 2), pad);
    case 'C':
      return fmtInt(Math.trunc(w.year / 100), Math.max(width, 2), pad);
    case 'g':
      return fmtInt(w.isoYear % 100, Math.max(width, 2), pad);
    case 'G':
      return fmtInt(w.isoYear, width === 0 ? 4 : width, pad);
    case 'm':
      return fmtInt(w.month, Math.max(width, 2), pad);
    case 'B':
      return fmtString(LONG_MONTHS[w.month - 1], width, pad, upper, swap);
    case 'b':
    case 'h':
      return fmtString(SHORT_MONTHS[w.month - 1], width, pad, upper, swap);
    case 'A':
      return fmtString(LONG_DAYS[w.weekday], width, pad, upper, swap);
    case 'a':
      return fmtString(SHORT_DAYS[w.weekday], width, pad, upper, swap);
    case 'w':
      return (width > 1 ? padChar(pad).repeat(width - 1) : '') + String(w.weekday);
    case 'u':
      return (width > 1 ? padChar(pad).repeat(width - 1) : '') + String(w.weekday === 0 ? 7 : w.weekday);
    case 'V':
      return fmtInt(w.isoWeek, Math.max(width, 2), pad);
    case 'U':
      return fmtInt(Math.floor((w.yday + 6 - w.weekday) / 7), Math.max(width, 2), pad);
    case 'W': {
      let week = w.yday;
      if (w.weekday > 0) week -= w.weekday - 7;
      return fmtInt(Math.floor(week / 7), Math.max(width, 2), pad);
    }
    case 'e':
      return fmtInt(w.day, Math.max(width, 2), pad < EXPLICIT ? PAD_SPACE : pad);
    case 'd':
      return fmtInt(w.day, Math.max(width, 2), pad);
    case 'j':
      return fmtInt(w.yday, Math.max(width, 3), pad);
    case 'k':
      return fmtInt(w.hour, Math.max(width, 2), pad < EXPLICIT ? PAD_SPACE : pad);
    case 'H':
      return fmtInt(w.hour, Math.max(width, 2), pad);
    case 'l':
      return fmtInt(w.hour > 12 ? w.hour - 12 : w.hour, Math.max(width, 2), pad < EXPLICIT ? PAD_SPACE : pad);
    case 'I': {
      const h = w.hour > 12 ? w.hour - 12 : w.hour === 0 ? 12 : w.hour;
      return fmtInt(h, Math.max(width, 2), pad);
    }
    case 'p':
      return fmtString(w.hour < 12 ? 'AM' : 'PM', width, pad, upper, swap);
    case 'P':
      return fmtString(w.hour < 12 ? 'am' : 'pm', width, pad, upper, swap);
    case 'M':
      return fmtInt(w.min, Math.max(width, 2), pad);
    case 'S':
      return fmtInt(w.sec, Math.max(width, 2), pad);
    case 's':
      return fmtInt(w.unix, width, pad < EXPLICIT ? PAD_SPACE : pad);
    case 'f':
      return fmtInt(Math.floor(w.nsec / 1000), width === 0 ? 6 : width, pad);
    case 'Z':
      if (w.abbrev !== '') return fmtString(w.abbrev, width, pad, upper, swap);
      return fmtOffset(w, width, pad, colons);
    case 'z':
      return fmtOffset(w, width, pad, colons);
    case 't':
      return fmtString('\t', width, pad, false, false);
    case 'n':
      return fmtString('\n', width, pad, false, false);
    case '%':
      return fmtString('%', width, pad, false, false);
    default:
      return null;
  }
}

/** Formats a wall clock with a strftime-style format. */
export function strftime(w: WallClock, format: string): string {
  let out = '';
  const n = format.length;
  for (let i = 0; i < n; i++) {
    if (format.charCodeAt(i) !== 37) {
      out += format[i];
      continue;
    }
    if (++i === n) {
      out += '%';
      break;
    }
    let width = 0;
    let pad = PAD_ZERO;
    let upper = false;
    let swap = false;
    let colons = 0;
    let b = format[i];
    let ended = false;
    // Flags and width, in any order, until the directive letter.
    flags: for (;;) {
      switch (b) {
        case '-':
        case '_':
        case '^':
        case '#':
        case '0':
          if (b === '-') pad = PAD_NONE;
          else if (b === '_') pad = PAD_SPACE | EXPLICIT;
          else if (b === '^') upper = true;
          else if (b === '#') swap = true;
          else pad = PAD_ZERO | EXPLICIT;
          if (++i === n) {
            ended = true;
            break flags;
          }
          b = format[i];
          continue;
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
          width = b.charCodeAt(0) - 48;
          for (i++; i < n; i++) {
            const c = format.charCodeAt(i);
            if (c < 48 || c > 57) break;
            width = Math.min(width * 10 + (c - 48), MAX_WIDTH);
          }
          if (pad === PAD_NONE) pad = PAD_SPACE | EXPLICIT;
          if (i === n) {
            ended = true;
            break flags;
          }
          b = format[i];
          continue;
        default:
          break flags;
      }
    }
    if (ended) {
      out += lastDirective(format, width, pad);
      break;
    }
    if (b === ':') {
      // %:z, %::z, %:::z; anything else after the colons is printed as written.
      colons = 1;
      for (i++; i < n && format[i] === ':'; i++) colons++;
      if (i < n && format[i] === 'z' && colons <= 3) {
        out += fmtOffset(w, width, pad, colons);
        continue;
      }
      if (i < n && format[i] === 'z') i++;
      out += lastDirective(format.slice(0, i), width, pad);
      i--;
      continue;
    }
    const one = directive(w, b, width, pad, upper, swap, colons);
    if (one !== null) {
      out += one;
      continue;
    }
    const comp = Object.hasOwn(COMPOSITIONS, b) ? COMPOSITIONS[b] : undefined;
    if (comp === undefined) {
      out += lastDirective(format.slice(0, i), width - 1, pad) + b;
      continue;
    }
    // A composition expands with default width and padding, keeping ^.
    for (let k = 0; k < comp.length; k++) {
      const part = directive(w, comp[k], 0, PAD_ZERO, upper, false, 0);
      out += part === null ? comp[k] : part;
    }
  }
  return out;
}
