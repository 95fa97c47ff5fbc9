/**
 * The formatting half of strfmt: Go's `fmt` printer state (flags, width,
 * precision) and how each Go type prints under each verb, including the
 * `%!verb(type=value)` notes for mismatches. `strfmt.ts` parses the format
 * string and drives it.
 */
import { UInt } from '../../../point/value.js';
import { type FloatFmt, formatFloat } from './go-float-format.js';
import { canBackquote, isPrint, quote, quoteRune } from './go-quote.js';
import type { LibValue } from './value.js';

/** A strfmt argument: a script value, or a uint64 / bytes value read from a point. */
export type FmtArg = LibValue | UInt | Uint8Array;

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff)
      n++;
  }
  return n;
}

function isList(v: FmtArg): v is LibValue[] {
  return Array.isArray(v);
}

function isMap(v: FmtArg): v is { [k: string]: LibValue } {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof UInt) &&
    !(v instanceof Uint8Array)
  );
}

/** Go's type name for %T and error notes. */
export function typeName(v: FmtArg): string {
  switch (typeof v) {
    case 'bigint':
      return 'int64';
    case 'number':
      return 'float64';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      if (v === null) return '<nil>';
      if (v instanceof UInt) return 'uint64';
      if (v instanceof Uint8Array) return '[]uint8';
      return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
  }
}

/** Map keys in Go's sort order (byte order of UTF-8, i.e. code point order). */
function sortedKeys(m: { [k: string]: LibValue }): string[] {
  return Object.keys(m).sort((a, b) => {
    const ia = a[Symbol.iterator]();
    const ib = b[Symbol.iterator]();
    for (;;) {
      const x = ia.next();
      const y = ib.next();
      if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
      const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
      if (d !== 0) return d;
    }
  });
}

export class Printer {
  buf = '';
  wid = 0;
  prec = 0;
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;

  clearFlags(): void {
    this.wid = 0;
    this.prec = 0;
    this.widPresent = false;
    this.precPresent = false;
    this.minus = false;
    this.plus = false;
    this.sharp = false;
    this.space = false;
    this.zero = false;
    this.plusV = false;
    this.sharpV = false;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  truncate(s: string): string {
    if (!this.precPresent) return s;
    let n = this.prec;
    let i = 0;
    for (const ch of s) {
      if (n-- <= 0) return s.slice(0, i);
      i += ch.length;
    }
    return s;
  }

  badVerb(verb: string, arg: FmtArg | undefined): void {
    this.buf += `%!${verb}(`;
    if (arg === undefined || arg === null) this.buf += '<nil>';
    else {
      this.buf += `${typeName(arg)}=`;
      this.printArg(arg, 'v', 0);
    }
    this.buf += ')';
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
    else this.badVerb(verb, v);
  }

  /** fmt's integer formatting of a 64-bit pattern `u` (signed when `signed`). */
  fmtIntegerBase(u0: bigint, base: number, signed: boolean, verb: string, digits: string): void {
    let u = u0;
    const negative = signed && u < 0n;
    if (negative) u = -u;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--; // room for the sign
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8) {
        if (s[0] !== '0') s = `0${s}`;
      } else if (base === 16) s = `0${digits[16]}${s}`;
    }
    if (verb === 'O') s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.plus) s = `+${s}`;
    else if (this.space) s = ` ${s}`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let s = u.toString(16).toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = `U+${s}`;
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /** An int64 (`signed`) or uint64 under one of the integer verbs. */
  fmtInteger(v: bigint, signed: boolean, verb: string, arg: FmtArg): void {
    const u = signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
    const bits = BigInt.asUintN(64, v);
    switch (verb) {
      case 'v':
        if (this.sharpV && !signed) {
          const sharp = this.sharp;
          this.sharp = true;
          this.fmtIntegerBase(u, 16, false, 'v', LDIGITS);
          this.sharp = sharp;
        } else this.fmtIntegerBase(u, 10, signed, verb, LDIGITS);
        return;
      case 'd':
        this.fmtIntegerBase(u, 10, signed, verb, LDIGITS);
        return;
      case 'b':
        this.fmtIntegerBase(u, 2, signed, verb, LDIGITS);
        return;
      case 'o':
      case 'O':
        this.fmtIntegerBase(u, 8, signed, verb, LDIGITS);
        return;
      case 'x':
        this.fmtIntegerBase(u, 16, signed, verb, LDIGITS);
        return;
      case 'X':
        this.fmtIntegerBase(u, 16, signed, verb, UDIGITS);
        return;
      case 'c': {
        const r = bits > 0x10ffffn ? 0xfffd : Number(bits);
        this.pad(String.fromCodePoint(r >= 0xd800 && r <= 0xdfff ? 0xfffd : r));
        return;
      }
      case 'q':
        this.pad(quoteRune(bits > 0x10ffffn ? 0xfffd : Number(bits), this.plus));
        return;
      case 'U':
        this.fmtUnicode(bits);
        return;
      default:
        this.badVerb(verb, arg);
    }
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        this.fmtFloatAs(v, 'g', -1, 'g');
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.fmtFloatAs(v, verb, -1, verb);
        return;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
        this.fmtFloatAs(v, verb === 'F' ? 'f' : (verb as FloatFmt), 6, verb);
        return;
      default:
        this.badVerb(verb, v);
    }
  }

  fmtFloatAs(v: number, fmt: FloatFmt, prec0: number, verb: string): void {
    const prec = this.precPresent ? this.prec : prec0;
    let num = formatFloat(v, fmt, prec);
    num = num[0] === '-' || num[0] === '+' ? num : `+${num}`;
    if (this.space && num[0] === '+' && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && fmt !== 'b') num = this.sharpFloat(num, verb, prec);
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  /** The # flag: always a decimal point, and %g keeps its trailing zeros. */
  private sharpFloat(num0: string, verb: string, prec: number): string {
    let num = num0;
    let digits = 0;
    if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
    let tail = '';
    let hasPoint = false;
    let sawNonzero = false;
    for (let i = 1; i < num.length; i++) {
      const c = num[i]!;
      if (c === '.') hasPoint = true;
      else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
        tail = num.slice(i);
        num = num.slice(0, i);
        break;
      } else {
        if (c !== '0') sawNonzero = true;
        if (sawNonzero) digits--;
      }
    }
    if (!hasPoint) {
      if (num.length === 2 && num[1] === '0') digits--;
      num += '.';
    }
    while (digits > 0) {
      num += '0';
      digits--;
    }
    return num + tail;
  }

  fmtString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(s);
        else this.pad(this.truncate(s));
        return;
      case 's':
        this.pad(this.truncate(s));
        return;
      case 'x':
        this.fmtHexBytes(Buffer.from(s, 'utf8'), LDIGITS);
        return;
      case 'X':
        this.fmtHexBytes(Buffer.from(s, 'utf8'), UDIGITS);
        return;
      case 'q':
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb, s);
    }
  }

  fmtQ(s0: string): void {
    const s = this.truncate(s0);
    if (this.sharp && canBackquote(s)) this.pad(`\`${s}\``);
    else this.pad(quote(s, this.plus));
  }

  fmtHexBytes(b: Uint8Array, digits: string): void {
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = this.sharp ? `0${digits[16]}` : '';
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += `0${digits[16]}`;
      }
      const c = b[i]!;
      out += digits[c >> 4]! + digits[c & 0xf]!;
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtBytes(b: Uint8Array, verb: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (this.sharpV) {
          this.buf += '[]byte{';
          for (let i = 0; i < b.length; i++) {
            if (i > 0) this.buf += ', ';
            const sharp = this.sharp;
            this.sharp = true;
            this.fmtIntegerBase(BigInt(b[i]!), 16, false, 'v', LDIGITS);
            this.sharp = sharp;
          }
          this.buf += '}';
        } else {
          this.buf += '[';
          for (let i = 0; i < b.length; i++) {
            if (i > 0) this.buf += ' ';
            this.fmtIntegerBase(BigInt(b[i]!), 10, false, verb, LDIGITS);
          }
          this.buf += ']';
        }
        return;
      case 's':
        this.pad(this.truncate(Buffer.from(b).toString('utf8')));
        return;
      case 'x':
        this.fmtHexBytes(b, LDIGITS);
        return;
      case 'X':
        this.fmtHexBytes(b, UDIGITS);
        return;
      case 'q':
        this.fmtQ(Buffer.from(b).toString('utf8'));
        return;
      default:
        this.buf += '[';
        for (let i = 0; i < b.length; i++) {
          if (i > 0) this.buf += ' ';
          this.fmtInteger(BigInt(b[i]!), false, verb, new UInt(BigInt(b[i]!)));
        }
        this.buf += ']';
    }
  }

  printArg(arg: FmtArg, verb: string, depth: number): void {
    if (arg === null) {
      if (depth > 0) {
        // a nil element of a list or map
        this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>';
        return;
      }
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, null);
      return;
    }
    if (verb === 'T' && depth === 0) {
      this.pad(this.truncate(typeName(arg)));
      return;
    }
    if (verb === 'p' && depth === 0) {
      // addresses cannot be reproduced; Go prints one only for reference kinds
      this.badVerb(verb, arg);
      return;
    }
    switch (typeof arg) {
      case 'boolean':
        this.fmtBool(arg, verb);
        return;
      case 'bigint':
        this.fmtInteger(arg, true, verb, arg);
        return;
      case 'number':
        this.fmtFloat(arg, verb);
        return;
      case 'string':
        this.fmtString(arg, verb);
        return;
    }
    if (arg instanceof UInt) {
      this.fmtInteger(arg.v, false, verb, arg);
      return;
    }
    if (arg instanceof Uint8Array) {
      this.fmtBytes(arg, verb);
      return;
    }
    if (isList(arg)) {
      if (this.sharpV) {
        this.buf += '[]interface {}{';
        for (let i = 0; i < arg.length; i++) {
          if (i > 0) this.buf += ', ';
          this.printArg(arg[i]!, verb, depth + 1);
        }
        this.buf += '}';
      } else {
        this.buf += '[';
        for (let i = 0; i < arg.length; i++) {
          if (i > 0) this.buf += ' ';
          this.printArg(arg[i]!, verb, depth + 1);
        }
        this.buf += ']';
      }
      return;
    }
    if (isMap(arg)) {
      this.buf += this.sharpV ? 'map[string]interface {}{' : 'map[';
      const keys = sortedKeys(arg);
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        this.printArg(keys[i]!, verb, depth + 1);
        this.buf += ':';
        this.printArg(arg[keys[i]!]!, verb, depth + 1);
      }
      this.buf += this.sharpV ? '}' : ']';
    }
  }
}
