/**
 * Script values with DataKit's (Go) semantics.
 *
 * | kind  | JS                                   |
 * |-------|--------------------------------------|
 * | int   | `bigint`, wrapped to int64           |
 * | float | `number`                             |
 * | bool  | `boolean`                            |
 * | str   | `string`                             |
 * | nil   | `null`                               |
 * | list  | JS array (shared by reference)       |
 * | map   | plain object, string keys (shared)   |
 *
 * Maps are plain objects so `JSON.parse` output is usable as is (JSON
 * numbers are floats, as in Go). Reads go through `mapGet` (own keys only,
 * so `toString` or `__proto__` never leak in) and writes through `mapSet`.
 * Operators raise `RunFault`; the compiler attaches the position.
 */
import { RunFault } from './errors.js';

export type MapValue = { [key: string]: Value };
export type Value = bigint | number | boolean | string | null | Value[] | MapValue;

export type Kind = 'int' | 'float' | 'bool' | 'str' | 'nil' | 'list' | 'map';

export function kindOfValue(v: Value): Kind {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    default:
      if (v === null) return 'nil';
      return Array.isArray(v) ? 'list' : 'map';
  }
}

export function isMap(v: Value): v is MapValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasOwn = Object.prototype.hasOwnProperty;

export function mapGet(m: MapValue, k: string): Value | undefined {
  return hasOwn.call(m, k) ? m[k] : undefined;
}

export function mapHas(m: MapValue, k: string): boolean {
  return hasOwn.call(m, k);
}

export function mapSet(m: MapValue, k: string, v: Value): void {
  if (k === '__proto__')
    Object.defineProperty(m, k, { value: v, writable: true, enumerable: true, configurable: true });
  else m[k] = v;
}

export function newMap(): MapValue {
  return {};
}

export function wrapInt(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** Platypus truthiness: zero, "", nil, empty list/map and false are false. */
export function truthy(v: Value): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0;
    case 'string':
      return v !== '';
    default:
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      for (const k in v) if (hasOwn.call(v, k)) return true;
      return false;
  }
}

function numKind(v: Value): 0 | 1 | 2 {
  // 0 = not numeric, 1 = int-like (int, bool), 2 = float
  const t = typeof v;
  if (t === 'bigint' || t === 'boolean') return 1;
  if (t === 'number') return 2;
  return 0;
}

function asBig(v: Value): bigint {
  return typeof v === 'bigint' ? v : v === true ? 1n : 0n;
}

function asNum(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return v === true ? 1 : 0;
}

export type ArithOp = '+' | '-' | '*' | '/' | '%';

/** Binary arithmetic: str+str concatenates, float wins over int, bool counts as int. */
export function arith(op: ArithOp, l: Value, r: Value): Value {
  const lt = typeof l;
  const rt = typeof r;
  if (lt === 'string' || rt === 'string') {
    if (op === '+' && lt === 'string' && rt === 'string') return (l as string) + (r as string);
    if (lt !== 'string' && numKind(l) === 0)
      throw new RunFault(`unsupported lhs data type: ${kindOfValue(l)}`);
    if (rt !== 'string' && numKind(r) === 0)
      throw new RunFault(`unsupported rhs data type: ${kindOfValue(r)}`);
    throw new RunFault(`unsupported operand type(s) for ${op}: ${kindOfValue(l)} and ${kindOfValue(r)}`);
  }
  const lk = numKind(l);
  const rk = numKind(r);
  if (lk === 0) throw new RunFault(`unsupported lhs data type: ${kindOfValue(l)}`);
  if (rk === 0) throw new RunFault(`unsupported rhs data type: ${kindOfValue(r)}`);
  if (lk === 2 || rk === 2) {
    const a = asNum(l);
    const b = asNum(r);
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throw new RunFault('float division by zero');
        return a / b;
      default:
        throw new RunFault('float does not support modulo operations');
    }
  }
  const a = asBig(l);
  const b = asBig(r);
  switch (op) {
    case '+':
      return BigInt.asIntN(64, a + b);
    case '-':
      return BigInt.asIntN(64, a - b);
    case '*':
      return BigInt.asIntN(64, a * b);
    case '/':
      if (b === 0n) throw new RunFault('integer division by zero');
      return BigInt.asIntN(64, a / b);
    default:
      if (b === 0n) throw new RunFault('integer modulo by zero');
      return a % b;
  }
}

/** `==` as DataKit: numbers (and bools) compare as floats; str, nil by kind; list/map deeply. */
export function looseEquals(l: Value, r: Value): boolean {
  const lk = numKind(l);
  if (lk !== 0) {
    if (numKind(r) === 0) return false;
    if (typeof l === 'bigint' && typeof r === 'bigint') return l === r;
    return asNum(l) === asNum(r);
  }
  if (typeof l === 'string') return typeof r === 'string' && l === r;
  if (l === null) return r === null;
  return deepEqual(l, r);
}

/** Go's reflect.DeepEqual over script values: kinds must match exactly. */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta !== typeof b) return false;
  if (ta === 'number') return false; // NaN, or different numbers
  if (ta !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const am = a as MapValue;
  const bm = b as MapValue;
  let n = 0;
  for (const k in am) {
    if (!hasOwn.call(am, k)) continue;
    n++;
    if (!hasOwn.call(bm, k) || !deepEqual(am[k]!, bm[k]!)) return false;
  }
  for (const k in bm) if (hasOwn.call(bm, k)) n--;
  return n === 0;
}

export type CompareOp = '<' | '<=' | '>' | '>=';

export function compare(op: CompareOp, l: Value, r: Value): boolean {
  const lk = numKind(l);
  const rk = numKind(r);
  if (lk === 0 || rk === 0) throw new RunFault('not compareable');
  if (lk === 1 && rk === 1) {
    const a = asBig(l);
    const b = asBig(r);
    switch (op) {
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      default:
        return a >= b;
    }
  }
  const a = asNum(l);
  const b = asNum(r);
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** `x in y`: substring, map key, or list element (deep equality). */
export function inOp(l: Value, r: Value): boolean {
  if (typeof r === 'string') {
    if (typeof l !== 'string') throw new RunFault(`unsupported lhs data type: ${kindOfValue(l)}`);
    return r.includes(l);
  }
  if (Array.isArray(r)) {
    for (let i = 0; i < r.length; i++) if (deepEqual(l, r[i]!)) return true;
    return false;
  }
  if (isMap(r)) {
    if (typeof l !== 'string') throw new RunFault(`unsupported lhs data type: ${kindOfValue(l)}`);
    return hasOwn.call(r, l);
  }
  throw new RunFault(`unsupported rhs data type: ${kindOfValue(r)}`);
}

export function unaryMinus(v: Value, neg: boolean): Value {
  switch (typeof v) {
    case 'bigint':
      return neg ? BigInt.asIntN(64, -v) : v;
    case 'number':
      return neg ? -v : v;
    case 'boolean':
      return v ? (neg ? -1n : 1n) : 0n;
    default:
      throw new RunFault(`unsupported operand type for unary op ${neg ? '-' : '+'}: ${kindOfValue(v)}`);
  }
}

export function notOp(v: Value): boolean {
  return !truthy(v);
}

// ---------------------------------------------------------------------------
// Conversions with Go's spf13/cast meaning (errors give the zero value)

/** Go's strconv.FormatFloat(f, 'f', -1, 64). */
export function formatFloatF(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  const s = String(f);
  if (!s.includes('e')) return s;
  return expandExponent(s);
}

function expandExponent(s: string): string {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const [mant, expStr] = body.split('e') as [string, string];
  const exp = Number(expStr);
  const dot = mant.indexOf('.');
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const intLen = (dot < 0 ? mant.length : dot) + exp;
  let out: string;
  if (intLen <= 0) out = `0.${'0'.repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return neg ? `-${out}` : out;
}

export function toGoString(v: Value): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'bigint':
      return v.toString();
    case 'number':
      return formatFloatF(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return '';
  }
}

/** strconv.ParseFloat's accepted syntax (decimal, hex float, inf/nan, underscores not allowed). */
export function parseGoFloat(s: string): number | null {
  if (s === '') return null;
  if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(s)) return Number(s);
  const low = s.toLowerCase();
  if (low === 'inf' || low === '+inf' || low === 'infinity' || low === '+infinity')
    return Number.POSITIVE_INFINITY;
  if (low === '-inf' || low === '-infinity') return Number.NEGATIVE_INFINITY;
  if (low === 'nan') return Number.NaN;
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s))
    return Number(BigInt(s.replace(/^[+-]/, ''))) * (s.startsWith('-') ? -1 : 1);
  return null;
}

export function toGoFloat(v: Value): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return parseGoFloat(v) ?? 0;
    default:
      return 0;
  }
}

/** Go's int64(f) conversion as amd64 does it (out of range gives MinInt64). */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(f));
}

export function toGoBool(v: Value): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0;
    case 'string':
      return v === '1' || v === 't' || v === 'T' || v === 'true' || v === 'TRUE' || v === 'True';
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// JSON the way Go's encoder writes it (sorted keys, HTML-safe escapes)

const ESC: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

const NEEDS_ESC = /["\\<>&\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
const ESC_ALL = /["\\<>&\u0000-\u001f\u2028\u2029]|[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;

export function goJsonString(s: string): string {
  if (!NEEDS_ESC.test(s)) return `"${s}"`;
  return `"${s.replace(ESC_ALL, (c) => {
    const e = ESC[c];
    if (e !== undefined) return e;
    if (c.length === 2) return c; // a valid surrogate pair
    const code = c.charCodeAt(0);
    if (code >= 0xd800) return '\\ufffd';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  })}"`;
}

function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new RunFault(`json: unsupported value: ${formatFloatF(f)}`);
  return String(f);
}

export function toGoJson(v: Value): string {
  switch (typeof v) {
    case 'string':
      return goJsonString(v);
    case 'bigint':
      return v.toString();
    case 'number':
      return goJsonFloat(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default: {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ',';
          out += toGoJson(v[i]!);
        }
        return `${out}]`;
      }
      const keys = Object.keys(v).sort(byteOrder);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) out += ',';
        out += `${goJsonString(keys[i]!)}:${toGoJson(v[keys[i]!]!)}`;
      }
      return `${out}}`;
    }
  }
}

/** Go compares strings bytewise (UTF-8); for our purposes code-point order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Conv2String: basic kinds via cast.ToString, list/map as JSON, nil as "". */
export function conv2String(v: Value): string {
  if (typeof v === 'object' && v !== null) return toGoJson(v);
  return toGoString(v);
}
