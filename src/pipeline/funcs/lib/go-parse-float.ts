/**
 * Go's `strconv.ParseFloat(s, 64)`: decimal and hexadecimal (`0x1p-2`)
 * forms, `_` separators only after a base prefix, `inf`/`infinity`/`nan`
 * in any case, and a range error (not Infinity) when a finite literal
 * overflows. Used wherever DataKit converts strings with `cast.ToFloat64`.
 */

export class GoNumError extends Error {
  override name = 'GoNumError';
}

const DEC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F_]*\.?[0-9a-fA-F_]*)[pP]([+-]?[0-9_]+)$/;
// a sign is accepted before "inf" but not before "nan", as in Go
const SPECIAL = /^(?:([+-]?)(?:inf|infinity)|nan)$/i;

/** m * 2^e correctly rounded (ties to even), subnormals included; Infinity on overflow. */
export function scaleToDouble(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const bits = m.toString(2).length;
  const top = bits - 1 + e; // exponent of the leading bit
  if (top > 1023) return Number.POSITIVE_INFINITY;
  const keep = top >= -1022 ? 53 : top + 1075;
  let q = m;
  let exp = e;
  const drop = bits - keep;
  if (drop > 0) {
    const d = BigInt(drop);
    q = m >> d;
    const rem = m & ((1n << d) - 1n);
    const half = 1n << (d - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    exp += drop;
  }
  // q has at most 54 bits and the result is representable, so scaling by
  // powers of two in steps stays exact
  let v = Number(q);
  while (exp > 1000) {
    v *= 2 ** 1000;
    exp -= 1000;
  }
  while (exp < -1000) {
    v *= 2 ** -1000;
    exp += 1000;
  }
  return v * 2 ** exp;
}

function hexToFloat(sign: string, mant: string, exp: string): number | GoNumError {
  const digits = mant.replace(/_/g, '');
  const dot = digits.indexOf('.');
  const intPart = dot < 0 ? digits : digits.slice(0, dot);
  const frac = dot < 0 ? '' : digits.slice(dot + 1);
  if (intPart === '' && frac === '') return new GoNumError('invalid syntax');
  const e = Number.parseInt(exp.replace(/_/g, ''), 10) - 4 * frac.length;
  const v = scaleToDouble(BigInt(`0x${intPart}${frac}`), Math.max(-100000, Math.min(100000, e)));
  if (!Number.isFinite(v)) return new GoNumError('value out of range');
  return sign === '-' ? -v : v;
}

export function parseGoFloat(s: string): number | GoNumError {
  const sp = SPECIAL.exec(s);
  if (sp) {
    if (sp[1] === undefined) return Number.NaN;
    return sp[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const hx = HEX.exec(s);
  if (hx) {
    if (!underscoresOk(s)) return new GoNumError(`parsing ${JSON.stringify(s)}: invalid syntax`);
    return hexToFloat(hx[1]!, hx[2]!, hx[3]!);
  }
  if (!DEC.test(s)) return new GoNumError(`parsing ${JSON.stringify(s)}: invalid syntax`);
  const v = Number(s);
  if (!Number.isFinite(v)) return new GoNumError(`parsing ${JSON.stringify(s)}: value out of range`);
  return v;
}

/** Go's `underscoreOK`: separators only between digits, after a base prefix. */
export function underscoresOk(str: string): boolean {
  let s = str;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}
