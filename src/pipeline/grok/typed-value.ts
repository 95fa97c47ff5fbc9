/**
 * Typed captures (`%{INT:code:int}`): DataKit converts the captured text
 * with Go's `spf13/cast` and, when that fails, stores the type's zero value
 * (`"12x"` as int is `0`, not an error and not absent). The conversions
 * follow Go's `strconv`:
 * - int: `ParseInt(s, 0, 64)` after dropping a zero-only decimal tail
 *   (`"12.00"` → 12): base prefixes `0x`, `0o`, `0b`, a leading `0` means
 *   octal, `_` may separate digits; out of range fails;
 * - float: `ParseFloat(s, 64)`: decimal or hex (`0x1p-2`), `inf`,
 *   `infinity`, `nan` in any case, `_` between digits; overflow fails;
 * - bool: exactly `1 t T TRUE true True 0 f F FALSE false False`.
 */
import { underscoresOk } from '../funcs/lib/go-parse-float.js';
import { goParseIntBase0, trimZeroDecimal } from '../funcs/time/go-num.js';
import type { GrokType } from './pattern-ref.js';

export type GrokValue = string | bigint | number | boolean;

export function castGrokValue(type: GrokType | null, s: string): GrokValue {
  switch (type) {
    case 'int':
      return parseGoInt(trimZeroDecimal(s)) ?? 0n;
    case 'float':
      return parseGoFloat(s) ?? 0;
    case 'bool':
      return parseGoBool(s) ?? false;
    default:
      return s;
  }
}

/** Go's strconv.ParseInt(s, 0, 64), shared with the time functions. */
export const parseGoInt = goParseIntBase0;

const DEC_FLOAT = /^[+-]?(?:[0-9_]+(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/;

export function parseGoFloat(s: string): number | null {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special !== null) return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(s)) return Number.NaN;
  let v: number;
  if (DEC_FLOAT.test(s)) {
    if (!/[0-9]/.test(s.replace(/[eE].*$/, ''))) return null;
    if (s.includes('_') && !underscoresOk(s)) return null;
    v = Number(s.replaceAll('_', ''));
  } else {
    const m = HEX_FLOAT.exec(s);
    if (m === null) return null;
    if (s.includes('_') && !underscoresOk(s)) return null;
    const int = m[2]!.replaceAll('_', '');
    const frac = (m[3] ?? '').replaceAll('_', '');
    if (int === '' && frac === '') return null;
    const mant = BigInt(`0x${int}${frac}` === '0x' ? '0' : `0x${int}${frac}`);
    const exp = Number(m[4]!.replaceAll('_', '')) - 4 * frac.length;
    v = Number(mant) * 2 ** exp;
    if (m[1] === '-') v = -v;
  }
  return Number.isFinite(v) ? v : null;
}

export function parseGoBool(s: string): boolean | null {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return null;
  }
}
