/**
 * `strfmt(key, fmt, args…)`: Go's `fmt.Sprintf` over script values. Script
 * values carry Go types (int64, float64, string, bool, nil, []interface {},
 * map[string]interface {}; uint64 and []byte from point fields), so the
 * output, including Go's error notes such as `%!d(string=abc)`,
 * `%!s(<nil>)`, `%!d(MISSING)` and `%!(EXTRA int64=1)`, is reproduced:
 * flags `+-# 0`, width and precision (also `*`), explicit `[n]` argument
 * indexes, and the verbs v T t d b o O x X c q U e E f F g G s %.
 */

import { UInt } from '../../../point/value.js';
import { type FmtArg, Printer, typeName } from './fmt-printer.js';

export type { FmtArg } from './fmt-printer.js';

function parseNum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isNum = false;
  let i = start;
  for (; i < end && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39; i++) {
    if (num > 1e6) return [0, false, end]; // absurdly long number
    num = num * 10 + (s.charCodeAt(i) - 0x30);
    isNum = true;
  }
  return [num, isNum, i];
}

function intFromArg(args: readonly FmtArg[], argNum: number): [number, boolean, number] {
  if (argNum >= args.length) return [0, false, argNum];
  const a = args[argNum]!;
  let num = 0;
  let ok = false;
  if (typeof a === 'bigint') {
    num = Number(a);
    ok = true;
  } else if (a instanceof UInt && a.v <= BigInt(Number.MAX_SAFE_INTEGER)) {
    num = Number(a.v);
    ok = true;
  }
  if (num > 1e6 || num < -1e6) return [0, false, argNum + 1];
  return [num, ok, argNum + 1];
}

/** Go's `fmt.Sprintf(format, args...)`. */
export function strfmt(format: string, args: readonly FmtArg[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let reordered = false;
  let goodArgNum = true;

  // `[n]` argument index at i: [newArgNum, newI, found]
  const argNumber = (cur: number, i: number): [number, number, boolean] => {
    if (i >= end || format[i] !== '[') return [cur, i, false];
    reordered = true;
    if (end - i < 3) {
      goodArgNum = false;
      return [cur, i + 1, false];
    }
    for (let j = i + 1; j < end; j++) {
      if (format[j] === ']') {
        const [w, ok, next] = parseNum(format, i + 1, j);
        if (!ok || next !== j) {
          goodArgNum = false;
          return [cur, j + 1, false];
        }
        const index = w - 1;
        if (index >= 0 && index < args.length) return [index, j + 1, true];
        goodArgNum = false;
        return [cur, j + 1, true];
      }
    }
    goodArgNum = false;
    return [cur, i + 1, false];
  };

  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.clearFlags();
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#':
          p.sharp = true;
          break;
        case '0':
          p.zero = !p.minus; // zero padding only to the left
          break;
        case '+':
          p.plus = true;
          break;
        case '-':
          p.minus = true;
          p.zero = false;
          break;
        case ' ':
          p.space = true;
          break;
        default:
          break flags;
      }
    }

    let afterIndex: boolean;
    [argNum, i, afterIndex] = argNumber(argNum, i);

    if (i < end && format[i] === '*') {
      i++;
      [p.wid, p.widPresent, argNum] = intFromArg(args, argNum);
      if (!p.widPresent) p.buf += '%!(BADWIDTH)';
      if (p.wid < 0) {
        p.wid = -p.wid;
        p.minus = true;
        p.zero = false;
      }
      afterIndex = false;
    } else {
      [p.wid, p.widPresent, i] = parseNum(format, i, end);
      if (afterIndex && p.widPresent) goodArgNum = false; // "%[3]2d"
    }

    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false; // "%[3].2d"
      [argNum, i, afterIndex] = argNumber(argNum, i);
      if (i < end && format[i] === '*') {
        i++;
        [p.prec, p.precPresent, argNum] = intFromArg(args, argNum);
        if (p.prec < 0) {
          p.prec = 0;
          p.precPresent = false;
        }
        if (!p.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        [p.prec, p.precPresent, i] = parseNum(format, i, end);
        if (!p.precPresent) {
          p.prec = 0;
          p.precPresent = true;
        }
      }
    }

    if (!afterIndex) [argNum, i, afterIndex] = argNumber(argNum, i);

    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }

    const cp = format.codePointAt(i)!;
    const verb = String.fromCodePoint(cp);
    i += verb.length;

    if (verb === '%') p.buf += '%';
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) p.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        p.sharpV = p.sharp;
        p.sharp = false;
        p.plusV = p.plus;
        p.plus = false;
      }
      p.printArg(args[argNum]!, verb, 0);
      argNum++;
    }
  }

  if (!reordered && argNum < args.length) {
    p.clearFlags();
    p.buf += '%!(EXTRA ';
    for (let k = argNum; k < args.length; k++) {
      if (k > argNum) p.buf += ', ';
      const a = args[k]!;
      if (a === null) p.buf += '<nil>';
      else {
        p.buf += `${typeName(a)}=`;
        p.printArg(a, 'v', 0);
      }
    }
    p.buf += ')';
  }
  return p.buf;
}
