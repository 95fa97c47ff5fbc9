/**
 * The date half of the layout guess: walks the text rune by rune from the
 * start, decides which family of date it is (2006-01-02, 01/02/2006,
 * 2 Jan 2006, Jan 2, 2006, January 2nd 2006, Mon, 02 Jan 2006, 2006年01月02日,
 * bare digits, ...) and writes the matching Go layout elements over the
 * date fields. It stops where the time of day begins (leaving `g.time` at
 * 'start') or at the end of the text.
 */
import { asciiLower, decodeRuneAt, isDigitRune, isLetterRune, runeSize } from './bytes.js';
import type { GuessState } from './guess-state.js';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAYS = [
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];
const CHINESE_YEAR = 0x5e74;

/** Ends the date scan: `g.i` is where it stopped. */
export function scanDate(g: GuessState): void {
  const src = g.src;
  const n = src.length;
  let i = 0;
  scan: for (; i < n; i++) {
    let r = src.charCodeAt(i);
    if (r >= 0x80) {
      r = decodeRuneAt(src, i);
      i += runeSize - 1;
    }
    switch (g.date) {
      case 'start':
        if (isDigitRune(r)) g.date = 'digit';
        else if (isLetterRune(r)) g.date = 'alpha';
        else {
          g.failed = true;
          return;
        }
        break;
      case 'digit':
        switch (r) {
          case 0x2d: // '-'
          case 0x2212: // minus sign
            if (i === 4) {
              g.date = 'yearDash';
              g.yeari = 0;
              g.yearlen = i;
              g.moi = i + 1;
              g.put(0, '2006');
            } else {
              g.date = 'digitDash';
            }
            break;
          case 0x2f: // '/'
          case 0x3a: // ':'
            g.date = r === 0x2f ? 'digitSlash' : 'digitColon';
            if (i === 4) {
              g.yearlen = i;
              g.moi = i + 1;
              g.setYear();
            } else if (g.molen === 0) {
              g.molen = i;
              g.setMonth();
              g.dayi = i + 1;
            }
            break;
          case 0x2e: // '.'
            g.date = 'digitDot';
            if (i === 4) {
              g.yearlen = i;
              g.moi = i + 1;
              g.setYear();
            } else {
              g.moi = 0;
              g.molen = i;
              g.setMonth();
              g.dayi = i + 1;
            }
            break;
          case 0x20:
            g.date = 'digitWs';
            g.dayi = 0;
            g.daylen = i;
            break;
          case CHINESE_YEAR:
            g.date = 'digitChineseYear';
            break;
          case 0x2c: // ','
            g.failed = true;
            return;
          default:
            continue;
        }
        g.part1Len = i;
        break;
      case 'yearDash':
        if (r === 0x2d) {
          g.molen = i - g.moi;
          g.dayi = i + 1;
          g.date = 'yearDashDash';
          g.setMonth();
        } else if (isLetterRune(r)) {
          g.date = 'yearDashAlphaDash';
        }
        break;
      case 'yearDashDash':
        if (r === 0x20 || r === 0x54) {
          g.daylen = i - g.dayi;
          g.date = r === 0x20 ? 'yearDashDashWs' : 'yearDashDashT';
          g.time = 'start';
          g.setDay();
          break scan;
        }
        break;
      case 'yearDashAlphaDash':
        if (r === 0x2d) {
          g.molen = i - g.moi;
          g.put(g.moi, 'Jan');
          g.dayi = i + 1;
        }
        break;
      case 'digitDash':
        if (!isLetterRune(r)) {
          g.failed = true;
          return;
        }
        g.date = 'digitDashAlpha';
        g.moi = i;
        break;
      case 'digitDashAlpha':
        if (r === 0x2d) {
          g.molen = i - g.moi;
          g.put(g.moi, 'Jan');
          g.yeari = i + 1;
          g.date = 'digitDashAlphaDash';
        }
        break;
      case 'digitDashAlphaDash':
        if (r === 0x20) {
          dayMonYearSpan(g, i - (g.moi + g.molen + 1));
          g.time = 'start';
          break scan;
        }
        break;
      case 'digitSlash':
      case 'digitColon':
        if (r === 0x20) {
          g.time = 'start';
          if (g.yearlen === 0) {
            g.yearlen = i - g.yeari;
            g.setYear();
          } else if (g.daylen === 0) {
            g.daylen = i - g.dayi;
            g.setDay();
          }
          break scan;
        }
        if (r === (g.date === 'digitSlash' ? 0x2f : 0x3a)) {
          if (g.yearlen > 0) {
            if (g.molen === 0) {
              g.molen = i - g.moi;
              g.setMonth();
              g.dayi = i + 1;
            }
          } else if (g.daylen === 0) {
            g.daylen = i - g.dayi;
            g.setDay();
            g.yeari = i + 1;
          }
        }
        break;
      case 'digitWs':
        if (r === 0x20) {
          g.yeari = i + 1;
          g.dayi = 0;
          g.daylen = g.part1Len;
          g.setDay();
          g.time = 'start';
          if (i > g.daylen + 4) {
            // More than " Sep" after the day: a full month name.
            g.date = 'digitWsMolong';
          } else {
            g.moi = g.daylen + 1;
            g.molen = i - g.moi;
            g.put(g.moi, 'Jan');
            g.date = 'digitWsMoYear';
          }
        }
        break;
      case 'digitWsMoYear':
        if (r === 0x2c || r === 0x20) {
          g.yearlen = i - g.yeari;
          g.setYear();
          if (r === 0x2c) i++;
          break scan;
        }
        break;
      case 'digitChineseYear':
        if (r === 0x20) g.date = 'digitChineseYearWs';
        break;
      case 'digitDotDot':
      case 'digitWsMolong':
        // The rest of the text is read as it is.
        break;
      case 'digitDot':
        if (r === 0x2e) {
          if (g.moi === 0) {
            g.daylen = i - g.dayi;
            g.yeari = i + 1;
            g.setDay();
          } else {
            g.molen = i - g.moi;
            g.dayi = i + 1;
            g.setMonth();
          }
          g.date = 'digitDotDot';
        }
        break;
      case 'alpha':
        if (r === 0x20) {
          if (i > 3) {
            const word = asciiLower(src.slice(0, i));
            if (MONTHS.includes(word)) {
              g.fullMonth = word;
              g.date = n - i < 10 ? 'alphaWsMonth' : 'alphaWsMore';
              g.dayi = i + 1;
            }
          } else {
            if (DAYS.includes(asciiLower(src.slice(0, i)))) {
              // A leading weekday says nothing: scan again without it.
              g.restart = src.slice(i + 1);
              return;
            }
            g.date = 'alphaWs';
          }
        } else if (r === 0x2c) {
          if (i === 3) {
            g.date = 'weekdayAbbrevComma';
            g.put(0, 'Mon');
          } else {
            g.date = 'weekdayComma';
            g.skip = i + 2;
            i++;
          }
        } else if (r === 0x2e) {
          g.date = 'alphaPeriodWsDigit';
          if (i === 3) {
            g.molen = i;
            g.put(0, 'Jan');
          } else if (i === 4) {
            // "Sept." -> "Sep."
            g.restart = src.slice(0, i - 1) + src.slice(i);
            return;
          } else {
            g.failed = true;
            return;
          }
        }
        break;
      case 'alphaWs':
        if (isLetterRune(r)) {
          g.put(0, 'Mon');
          g.date = 'alphaWsAlpha';
          g.put(i, 'Jan');
        } else if (isDigitRune(r)) {
          g.put(0, 'Jan');
          g.date = 'alphaWsDigit';
          g.dayi = i;
        }
        break;
      case 'alphaWsDigit':
        if (r === 0x2c) {
          g.daylen = i - g.dayi;
          g.setDay();
          g.date = 'alphaWsDigitMore';
        } else if (r === 0x20) {
          g.daylen = i - g.dayi;
          g.setDay();
          g.yeari = i + 1;
          g.date = 'alphaWsDigitYearMaybe';
          g.time = 'start';
        } else if (isLetterRune(r)) {
          g.date = 'alphaWsMonthSuffix';
          i--;
        }
        break;
      case 'alphaWsDigitYearMaybe':
        if (r === 0x3a) {
          // Not a year but an hour: back up to where the time starts.
          i -= 3;
          g.date = 'alphaWsDigit';
          g.yeari = 0;
          break scan;
        }
        if (r === 0x20) {
          g.yearlen = i - g.yeari;
          g.setYear();
          break scan;
        }
        break;
      case 'alphaWsDigitMore':
        if (r === 0x20) {
          g.yeari = i + 1;
          g.date = 'alphaWsDigitMoreWs';
        }
        break;
      case 'alphaWsDigitMoreWs':
        if (r === 0x27) {
          g.yeari = i + 1;
        } else if (r === 0x20 || r === 0x2c) {
          g.date = 'alphaWsDigitMoreWsYear';
          g.yearlen = i - g.yeari;
          g.setYear();
          g.time = 'start';
          break scan;
        }
        break;
      case 'alphaWsMonth':
        if (r === 0x20 || r === 0x2c) {
          if (g.daylen === 0) {
            g.daylen = i - g.dayi;
            g.setDay();
          }
        } else if (isSuffixStart(r)) {
          i--;
          g.date = 'alphaWsMonthSuffix';
        } else if (g.daylen > 0 && g.yeari === 0) {
          g.yeari = i;
        }
        break;
      case 'alphaWsMonthMore':
        if (r === 0x2c || r === 0x20) {
          g.yearlen = i - g.yeari;
          g.setYear();
          g.time = 'start';
          if (r === 0x2c) i++;
          break scan;
        }
        break;
      case 'alphaWsMonthSuffix': {
        // "2nd", "3rd", "4th", "1st": drop the suffix and scan again.
        const follower = ordinalFollower(r);
        if (follower !== '' && (g.nextIs(i, follower) || g.nextIs(i, follower.toUpperCase())) && n > i + 2) {
          g.restart = g.cur.slice(0, i) + g.cur.slice(i + 2);
          return;
        }
        break;
      }
      case 'alphaWsMore':
        if (r === 0x2c) {
          if (g.nextIs(i, ' ')) {
            g.daylen = i - g.dayi;
            g.setDay();
            g.yeari = i + 2;
            g.date = 'alphaWsMonthMore';
            i++;
          }
        } else if (r === 0x20) {
          g.daylen = i - g.dayi;
          g.setDay();
          g.yeari = i + 1;
          g.date = 'alphaWsMonthMore';
        } else if (!isDigitRune(r) && isLetterRune(r)) {
          g.daylen = i - g.dayi;
          g.setDay();
          g.date = 'alphaWsMonthSuffix';
          i--;
        }
        break;
      case 'alphaPeriodWsDigit':
        if (r === 0x20) break;
        if (!isDigitRune(r)) {
          g.failed = true;
          return;
        }
        g.date = 'alphaWsDigit';
        g.dayi = i;
        break;
      case 'weekdayComma':
        if (g.dayi === 0) g.dayi = i;
        if (r === 0x20 || r === 0x2d) {
          if (g.moi === 0) {
            g.moi = i + 1;
            g.daylen = i - g.dayi;
            g.setDay();
          } else if (g.yeari === 0) {
            g.yeari = i + 1;
            g.molen = i - g.moi;
            g.put(g.moi, 'Jan');
          } else {
            g.time = 'start';
            break scan;
          }
        }
        break;
      case 'weekdayAbbrevComma':
        if (r === 0x20 || r === 0x2d) {
          if (g.dayi === 0) {
            g.dayi = i + 1;
          } else if (g.moi === 0) {
            g.daylen = i - g.dayi;
            g.setDay();
            g.moi = i + 1;
          } else if (g.yeari === 0) {
            g.molen = i - g.moi;
            g.put(g.moi, 'Jan');
            g.yeari = i + 1;
          } else {
            g.yearlen = i - g.yeari;
            g.setYear();
            g.time = 'start';
            break scan;
          }
        }
        break;
      default:
        break scan;
    }
  }
  g.i = i;
}

/** dd-Mon-yyyy / dd-Mon-yy: the run after the month decides whether it is a 4- or 2-digit year. */
export function dayMonYearSpan(g: GuessState, length: number): void {
  if (length !== 4 && length !== 2) return;
  g.yearlen = length;
  g.put(g.yeari, length === 4 ? '2006' : '06');
  g.dayi = 0;
  g.daylen = g.part1Len;
  g.setDay();
}

function isSuffixStart(r: number): boolean {
  switch (r) {
    case 0x73: // s
    case 0x53:
    case 0x72: // r
    case 0x52:
    case 0x74: // t
    case 0x54:
    case 0x6e: // n
    case 0x4e:
      return true;
    default:
      return false;
  }
}

/** The second letter of an ordinal suffix starting with r ("st", "nd", "rd", "th"), lower-case. */
function ordinalFollower(r: number): string {
  switch (r) {
    case 0x74:
    case 0x54:
      return 'h';
    case 0x6e:
    case 0x4e:
      return 'd';
    case 0x73:
    case 0x53:
      return 't';
    case 0x72:
    case 0x52:
      return 'd';
    default:
      return '';
  }
}
