/**
 * The time half of the layout guess: from where the date ended, reads
 * hh:mm[:ss][.fff] and whatever follows (AM/PM, a zone name, a numeric
 * offset, a year, Go's own "m=+0.001" monotonic suffix) and writes Go
 * layout elements over them. It reads byte by byte, as the reference does
 * (so a non-ASCII byte counts as a letter exactly when its Latin-1 reading
 * is one). A zone name at the very end of the text is left as literal text,
 * so it must match itself and the time is read in the given location —
 * that is how DataKit reads "2021-12-02 11:55:43 UTC".
 */
import type { GuessState } from './guess-state.js';

function isDigitByte(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Go's unicode.IsLetter applied to a single byte read as a rune (Latin-1). */
function isLetterByte(c: number): boolean {
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return c === 0xaa || c === 0xb5 || c === 0xba || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);
}

/** Scans the time of day; false when the guess must stop (restart or failure). */
export function scanTime(g: GuessState): boolean {
  const src = g.src;
  const n = src.length;
  let i = g.i;
  if (i < g.cur.length) i++;
  while (i < n && src.charCodeAt(i) === 32) i++;

  scan: for (; i < n; i++) {
    const r = src.charCodeAt(i);
    switch (g.time) {
      case 'start':
        if (g.houri === 0) g.houri = i;
        switch (r) {
          case 0x2c: // ',': a comma before the fraction, read as a period
            g.restart = `${g.cur.slice(0, i)}.${g.cur.slice(i + 1)}`;
            return false;
          case 0x2d:
          case 0x2b: // '-', '+'
            g.time = 'offset';
            if (g.seci === 0) g.minlen = i - g.mini;
            else g.seclen = i - g.seci;
            g.offseti = i;
            break;
          case 0x2e: // '.'
            g.time = 'period';
            g.seclen = i - g.seci;
            g.msi = i + 1;
            break;
          case 0x5a: // 'Z'
            g.time = 'zulu';
            if (g.seci === 0) g.minlen = i - g.mini;
            else g.seclen = i - g.seci;
            g.utc = true;
            break;
          case 0x61:
          case 0x41: // 'a', 'A': "at" before the time, or am/AM after it
            if (g.nextIs(i, 't') || g.nextIs(i, 'T')) {
              i++;
              if (g.nextIs(i, ' ')) {
                i++;
                g.houri = 0;
              }
            } else if (r === 0x61 && g.nextIs(i, 'm')) {
              if (!g.coalesceTime(i)) return fail(g);
              g.put(i, 'am');
            } else if (r === 0x41 && g.nextIs(i, 'M')) {
              if (!g.coalesceTime(i)) return fail(g);
              g.put(i, 'PM');
            }
            break;
          case 0x70:
          case 0x50: // 'p', 'P'
            if (r === 0x70 && g.nextIs(i, 'm')) {
              if (!g.coalesceTime(i)) return fail(g);
              g.put(i, 'pm');
            } else if (r === 0x50 && g.nextIs(i, 'M')) {
              if (!g.coalesceTime(i)) return fail(g);
              g.put(i, 'PM');
            }
            break;
          case 0x20:
            if (!g.coalesceTime(i)) return fail(g);
            g.time = 'ws';
            break;
          case 0x3a: // ':'
            if (g.mini === 0) {
              g.mini = i + 1;
              g.hourlen = i - g.houri;
            } else if (g.seci === 0) {
              g.seci = i + 1;
              g.minlen = i - g.mini;
            }
            break;
        }
        break;
      case 'offset':
        if (r === 0x3a) g.time = 'offsetColon';
        break;
      case 'ws':
        if (r === 0x41 || r === 0x50) {
          // AM/PM, or a zone such as PST.
          g.tzi = i;
          g.time = 'wsAmPmMaybe';
        } else if (r === 0x2b || r === 0x2d) {
          g.offseti = i;
          g.time = 'wsOffset';
        } else if (isLetterByte(r)) {
          g.tzi = i;
          g.time = 'wsAlpha';
        } else if (isDigitByte(r)) {
          g.time = 'wsYear';
          g.yeari = i;
        }
        break;
      case 'wsAlpha':
        if (r === 0x2b || r === 0x2d || r === 0x20) {
          g.tzlen = i - g.tzi;
          if (g.tzlen === 4) g.put(g.tzi, ' MST');
          else if (g.tzlen === 3) g.put(g.tzi, 'MST');
          if (r === 0x20) {
            g.time = 'wsAlphaWs';
            g.yeari = i + 1;
          } else {
            g.time = 'wsAlphaZoneOffset';
            g.offseti = i;
          }
        }
        break;
      case 'wsAlphaZoneOffset':
        if (r === 0x20) {
          g.put(g.offseti, '-0700');
          if (g.yeari === 0) g.yeari = i + 1;
          g.time = 'wsAlphaZoneOffsetWs';
        }
        break;
      case 'wsAlphaZoneOffsetWs':
        if (isDigitByte(r)) {
          g.time = 'wsAlphaZoneOffsetWsYear';
        } else {
          g.extra = i - 1;
          g.time = 'wsAlphaZoneOffsetWsExtra';
        }
        break;
      case 'wsAlphaZoneOffsetWsYear':
        if (isDigitByte(r)) {
          g.yearlen = i - g.yeari + 1;
          if (g.yearlen === 4) g.setYear();
        }
        break;
      case 'wsAmPmMaybe':
        if (r === 0x4d) {
          g.time = 'wsAmPm';
          g.put(i - 1, 'PM');
          if (g.hourlen === 2) g.put(g.houri, '03');
          else if (g.hourlen === 1) g.put(g.houri, '3');
        } else {
          g.time = 'wsAlpha';
        }
        break;
      case 'wsOffset':
        if (r === 0x3a) {
          g.time = 'wsOffsetColon';
        } else if (r === 0x20) {
          g.put(g.offseti, '-0700');
          g.yeari = i + 1;
          g.time = 'wsOffsetWs';
        }
        break;
      case 'wsOffsetWs':
        if (r === 0x3d) {
          // Go's "m=+0.000000001" monotonic-clock suffix.
          if (src.charCodeAt(i - 1) === 0x6d) {
            g.extra = i - 2;
            g.trimExtra();
          }
        } else if (r === 0x2b || r === 0x2d) {
          // A second offset, as in "+0300 +03": dropped.
          g.extra = i - 1;
          g.time = 'wsOffset';
          g.trimExtra();
        } else if (isDigitByte(r)) {
          g.yearlen = i - g.yeari + 1;
          if (g.yearlen === 4) g.setYear();
        } else if (isLetterByte(r)) {
          if (g.tzi === 0) g.tzi = i;
        }
        break;
      case 'wsOffsetColon':
        if (isLetterByte(r)) {
          g.time = 'wsOffsetColonAlpha';
          break scan;
        }
        break;
      case 'period':
        if (r === 0x20) {
          g.mslen = i - g.msi;
          g.time = 'periodWs';
        } else if (r === 0x2b || r === 0x2d) {
          g.mslen = i - g.msi;
          g.offseti = i;
          g.time = 'periodOffset';
        } else if (isLetterByte(r)) {
          // Includes a trailing "Z": the fraction form keeps it literal, read in the location.
          g.mslen = i - g.msi;
          g.time = 'periodAlpha';
        }
        break;
      case 'periodOffset':
        if (r === 0x3a) g.time = 'periodOffsetColon';
        break;
      case 'periodOffsetColon':
        if (r === 0x20) {
          g.put(g.offseti, '-07:00');
          g.time = 'periodOffsetColonWs';
          g.tzi = i + 1;
        }
        break;
      case 'periodWs':
        if (g.offseti === 0) g.offseti = i;
        if (r === 0x2b || r === 0x2d) {
          g.mslen = i - g.msi - 1;
          g.time = 'periodWsOffset';
        } else if (isLetterByte(r)) {
          g.time = 'periodWsOffsetAlpha';
          break scan;
        }
        break;
      case 'periodWsOffset':
        if (r === 0x3a) {
          g.time = 'periodWsOffsetColon';
        } else if (r === 0x20) {
          g.put(g.offseti, '-0700');
        } else if (r === 0x2b || r === 0x2d) {
          g.extra = i - 1;
          g.trimExtra();
        } else if (isLetterByte(r)) {
          g.time = 'periodWsOffsetAlpha';
        }
        break;
      case 'periodWsOffsetAlpha':
        if (r === 0x3d && src.charCodeAt(i - 1) === 0x6d) {
          g.extra = i - 2;
          g.trimExtra();
        }
        break;
      case 'periodWsOffsetColon':
        if (r === 0x20) {
          g.put(g.offseti, '-07:00');
        } else if (isLetterByte(r)) {
          g.tzi = i;
          g.time = 'periodWsOffsetColonAlpha';
        }
        break;
      case 'zulu':
        if (isDigitByte(r)) g.time = 'zuluDigit';
        break;
      default:
        break;
    }
  }

  switch (g.time) {
    case 'wsAlphaWs':
    case 'wsYear':
      g.yearlen = i - g.yeari;
      g.setYear();
      break;
    case 'wsAlphaZoneOffsetWsExtra':
      g.trimExtra();
      break;
    case 'wsAlphaZoneOffset':
      g.put(g.offseti, i - g.offseti < 4 ? '-07' : '-0700');
      break;
    case 'period':
      g.mslen = i - g.msi;
      break;
    case 'offset':
    case 'wsOffset':
    case 'periodOffset':
    case 'periodWsOffset':
      g.put(g.offseti, '-0700');
      break;
    case 'wsOffsetColon':
    case 'offsetColon':
    case 'periodOffsetColon':
      g.put(g.offseti, '-07:00');
      break;
    case 'periodWsOffsetColonAlpha':
      g.tzlen = i - g.tzi;
      if (g.tzlen === 3) g.put(g.tzi, 'MST');
      else if (g.tzlen === 4) g.put(g.tzi, 'MST ');
      break;
  }
  if (!g.coalesceTime(i)) return fail(g);
  g.i = i;
  return true;
}

function fail(g: GuessState): boolean {
  g.failed = true;
  return false;
}
