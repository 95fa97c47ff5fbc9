/**
 * Go's `strconv.FormatFloat(v, fmt, prec, 64)` for the formats fmt uses
 * (`e E f g G b x X`). Fixed precisions round the exact binary value half
 * to even, as Go does (`%.0f` of 0.5 is "0", of 2.5 is "2"), which
 * `toFixed` does not; so digits come from an exact BigInt expansion.
 * Shortest output (prec < 0) uses JavaScript's shortest round-trip digits,
 * which are the same digits Go picks.
 */

interface Digits {
  d: string; // significant digits, no trailing zeros ("" for zero)
  dp: number; // decimal point position: value = 0.d × 10^dp
}

const view = new DataView(new ArrayBuffer(8));

function bitsOf(v: number): { neg: boolean; exp: number; mant: bigint } {
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  return {
    neg: hi >>> 31 === 1,
    exp: (hi >>> 20) & 0x7ff,
    mant: (BigInt(hi & 0xfffff) << 32n) | BigInt(lo),
  };
}

function trimZeros(d: string): string {
  let n = d.length;
  while (n > 0 && d.charCodeAt(n - 1) === 0x30) n--;
  return d.slice(0, n);
}

/** The exact decimal expansion of |v| (finite). */
function exactDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const { exp, mant } = bitsOf(v);
  let m = mant;
  let e: number;
  if (exp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = exp - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (m << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (m * 5n ** BigInt(-e)).toString();
    dp = s.length + e;
  }
  return { d: trimZeros(s), dp };
}

/** Shortest digits that read back as |v| (finite). */
function shortestDigits(v: number): Digits {
  if (v === 0) return { d: '', dp: 0 };
  const s = Math.abs(v).toExponential();
  const ePos = s.indexOf('e');
  const d = trimZeros(s.slice(0, ePos).replace('.', ''));
  return { d, dp: Number(s.slice(ePos + 1)) + 1 };
}

/** Rounds to `nd` digits, half to even on exact ties (Go's decimal.Round). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const c = x.d.charCodeAt(nd);
  let up: boolean;
  if (c === 0x35 && nd + 1 === x.d.length) up = nd > 0 && (x.d.charCodeAt(nd - 1) - 0x30) % 2 === 1;
  else up = c >= 0x35;
  if (!up) return { d: trimZeros(x.d.slice(0, nd)), dp: x.dp };
  for (let i = nd - 1; i >= 0; i--) {
    const ci = x.d.charCodeAt(i);
    if (ci < 0x39) return { d: x.d.slice(0, i) + String.fromCharCode(ci + 1), dp: x.dp };
  }
  return { d: '1', dp: x.dp + 1 };
}

function fmtE(neg: boolean, x: Digits, prec: number, e: string): string {
  let out = neg ? '-' : '';
  out += x.d.length === 0 ? '0' : x.d[0];
  if (prec > 0) {
    out += '.';
    const m = Math.min(x.d.length, prec + 1);
    out += x.d.slice(1, m);
    for (let i = Math.max(m, 1); i <= prec; i++) out += '0';
  }
  out += e;
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else out += '+';
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let out = neg ? '-' : '';
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    out += x.d.slice(0, m);
    for (let i = m; i < x.dp; i++) out += '0';
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      out += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return out;
}

function fmtB(neg: boolean, mant: bigint, exp: number): string {
  const e = exp - 52;
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`;
}

const ONE60 = 1n << 60n;
const MASK60 = ONE60 - 1n;

function fmtX(prec: number, upper: boolean, neg: boolean, mant0: bigint, exp0: number): string {
  let mant = mant0;
  let exp = mant === 0n ? 0 : exp0;
  mant <<= 8n; // leading 1 at bit 60
  while (mant !== 0n && (mant & ONE60) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & MASK60;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = `${neg ? '-' : ''}0${upper ? 'X' : 'x'}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += upper ? 'P' : 'p';
  if (exp < 0) {
    out += '-';
    exp = -exp;
  } else out += '+';
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}

export type FloatFmt = 'e' | 'E' | 'f' | 'g' | 'G' | 'b' | 'x' | 'X';

/** Go's `strconv.FormatFloat(v, fmt, prec, 64)`; prec < 0 means shortest. */
export function formatFloat(v: number, fmt: FloatFmt, prec0: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const { neg, exp: rawExp, mant: rawMant } = bitsOf(v);
  if (fmt === 'b' || fmt === 'x' || fmt === 'X') {
    let mant = rawMant;
    let exp = rawExp;
    if (exp === 0) exp++;
    else mant |= 1n << 52n;
    exp -= 1023;
    return fmt === 'b' ? fmtB(neg, mant, exp) : fmtX(prec0, fmt === 'X', neg, mant, exp);
  }
  let prec = prec0;
  const shortest = prec < 0;
  let x: Digits;
  if (shortest) {
    x = shortestDigits(v);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(x.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(x.d.length - x.dp, 0);
    else prec = x.d.length;
  } else {
    x = exactDigits(v);
    if (fmt === 'e' || fmt === 'E') x = roundDigits(x, prec + 1);
    else if (fmt === 'f') x = roundDigits(x, x.dp + prec);
    else {
      if (prec === 0) prec = 1;
      x = roundDigits(x, prec);
    }
  }
  if (fmt === 'e' || fmt === 'E') return fmtE(neg, x, prec, fmt);
  if (fmt === 'f') return fmtF(neg, x, prec);
  // %g: %e for large or small exponents, %f otherwise
  let eprec = prec;
  if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
  if (shortest) eprec = 6;
  const exp = x.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > x.d.length) prec = x.d.length;
    return fmtE(neg, x, prec - 1, fmt === 'g' ? 'e' : 'E');
  }
  if (prec > x.dp) prec = x.d.length;
  return fmtF(neg, x, Math.max(prec - x.dp, 0));
}
