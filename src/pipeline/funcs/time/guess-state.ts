/**
 * The scratch state of one layout guess (see guess-layout.ts): the text
 * being scanned, the Go layout being written over a copy of it, where each
 * date and time field starts and how long it is, and which state each of
 * the two scanners is in. Fields are written in place, so a guess costs a
 * handful of string splices and no per-character allocation.
 */

export type DateState =
  | 'start'
  | 'digit'
  | 'yearDash'
  | 'yearDashAlphaDash'
  | 'yearDashDash'
  | 'yearDashDashWs'
  | 'yearDashDashT'
  | 'digitDash'
  | 'digitDashAlpha'
  | 'digitDashAlphaDash'
  | 'digitDot'
  | 'digitDotDot'
  | 'digitSlash'
  | 'digitColon'
  | 'digitChineseYear'
  | 'digitChineseYearWs'
  | 'digitWs'
  | 'digitWsMoYear'
  | 'digitWsMolong'
  | 'alpha'
  | 'alphaWs'
  | 'alphaWsDigit'
  | 'alphaWsDigitMore'
  | 'alphaWsDigitMoreWs'
  | 'alphaWsDigitMoreWsYear'
  | 'alphaWsMonth'
  | 'alphaWsDigitYearMaybe'
  | 'alphaWsMonthMore'
  | 'alphaWsMonthSuffix'
  | 'alphaWsMore'
  | 'alphaWsAlpha'
  | 'alphaPeriodWsDigit'
  | 'weekdayComma'
  | 'weekdayAbbrevComma';

export type TimeState =
  | 'ignore'
  | 'start'
  | 'ws'
  | 'wsAlpha'
  | 'wsAlphaWs'
  | 'wsAlphaZoneOffset'
  | 'wsAlphaZoneOffsetWs'
  | 'wsAlphaZoneOffsetWsYear'
  | 'wsAlphaZoneOffsetWsExtra'
  | 'wsAmPmMaybe'
  | 'wsAmPm'
  | 'wsOffset'
  | 'wsOffsetWs'
  | 'wsOffsetColon'
  | 'wsOffsetColonAlpha'
  | 'wsYear'
  | 'offset'
  | 'offsetColon'
  | 'period'
  | 'periodAlpha'
  | 'periodOffset'
  | 'periodOffsetColon'
  | 'periodOffsetColonWs'
  | 'periodWs'
  | 'periodWsOffset'
  | 'periodWsOffsetAlpha'
  | 'periodWsOffsetColon'
  | 'periodWsOffsetColonAlpha'
  | 'zulu'
  | 'zuluDigit';

export class GuessState {
  /** The text this pass scans (a byte string); never trimmed. */
  readonly src: string;
  /** The text the final parse reads: src, possibly cut short by trimExtra. */
  cur: string;
  /** The Go layout, written over a copy of src. */
  layout: string;
  date: DateState = 'start';
  time: TimeState = 'ignore';
  /** A trailing `Z` was seen after whole seconds: read the time as UTC. */
  utc = false;
  /** Leading bytes (a long weekday name) dropped from layout and text before parsing. */
  skip = 0;
  /** Where trimExtra cuts layout and text. */
  extra = 0;
  /** Length of the first run of digits. */
  part1Len = 0;
  yeari = 0;
  yearlen = 0;
  moi = 0;
  molen = 0;
  dayi = 0;
  daylen = 0;
  houri = 0;
  hourlen = 0;
  mini = 0;
  minlen = 0;
  seci = 0;
  seclen = 0;
  msi = 0;
  mslen = 0;
  offseti = 0;
  tzi = 0;
  tzlen = 0;
  /** A full English month name opening the text, lower-cased. */
  fullMonth = '';
  /** Scan position, shared by the date and time scanners. */
  i = 0;
  /** Set when the text must be scanned again, rewritten (weekday dropped, "2nd" -> "2", "," -> "."). */
  restart: string | null = null;
  /** Set when the text has no recognisable layout. */
  failed = false;

  constructor(src: string) {
    this.src = src;
    this.cur = src;
    this.layout = src;
  }

  /** Writes `val` into the layout at `at`, unless it would not fit. */
  put(at: number, val: string): void {
    if (at < 0 || this.layout.length < at + val.length) return;
    this.layout = this.layout.slice(0, at) + val + this.layout.slice(at + val.length);
  }

  nextIs(i: number, ch: string): boolean {
    return this.cur.length > i + 1 && this.cur[i + 1] === ch;
  }

  setYear(): void {
    if (this.yearlen === 2) this.put(this.yeari, '06');
    else if (this.yearlen === 4) this.put(this.yeari, '2006');
  }

  setMonth(): void {
    if (this.molen === 2) this.put(this.moi, '01');
    else if (this.molen === 1) this.put(this.moi, '1');
  }

  setDay(): void {
    if (this.daylen === 2) this.put(this.dayi, '02');
    else if (this.daylen === 1) this.put(this.dayi, '2');
  }

  /** Closes date fields still open at `end`. */
  coalesceDate(end: number): void {
    if (this.yeari > 0) {
      if (this.yearlen === 0) this.yearlen = end - this.yeari;
      this.setYear();
    }
    if (this.moi > 0 && this.molen === 0) {
      this.molen = end - this.moi;
      this.setMonth();
    }
    if (this.dayi > 0 && this.daylen === 0) {
      this.daylen = end - this.dayi;
      this.setDay();
    }
  }

  /** Closes time fields still open at `end`; false if the fraction runs past the layout. */
  coalesceTime(end: number): boolean {
    if (this.houri > 0) {
      if (this.hourlen === 2) this.put(this.houri, '15');
      else if (this.hourlen === 1) this.put(this.houri, '3');
    }
    if (this.mini > 0) {
      if (this.minlen === 0) this.minlen = end - this.mini;
      this.put(this.mini, this.minlen === 2 ? '04' : '4');
    }
    if (this.seci > 0) {
      if (this.seclen === 0) this.seclen = end - this.seci;
      this.put(this.seci, this.seclen === 2 ? '05' : '5');
    }
    if (this.msi > 0 && this.mslen > 0) {
      if (this.msi + this.mslen > this.layout.length) return false;
      this.layout =
        this.layout.slice(0, this.msi) + '0'.repeat(this.mslen) + this.layout.slice(this.msi + this.mslen);
    }
    return true;
  }

  /** Cuts layout and text at `extra` (drops trailing noise such as "m=+0.001" or "(CEST)"). */
  trimExtra(): void {
    if (this.extra > 0 && this.layout.length > this.extra) {
      this.layout = this.layout.slice(0, this.extra);
      this.cur = this.cur.slice(0, this.extra);
    }
  }
}
