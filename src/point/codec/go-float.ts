/**
 * Float text exactly as Go's `strconv.FormatFloat(f, 'f', -1, 64)` writes
 * it, which is what DataKit puts in line protocol: the shortest digits that
 * read back to the same float, never in exponent form (`1e21` is written
 * with all its zeros), `-0` keeps its sign, and `NaN`/`+Inf`/`-Inf`.
 *
 * JS `String(v)` already yields the shortest round-trip digits; it only
 * switches to exponent form outside [1e-6, 1e21), which we expand.
 */
export function formatGoFloat(v: number): string {
  if (v === 0) return 1 / v < 0 ? '-0' : '0';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const s = String(v);
  return s.indexOf('e') === -1 ? s : expandExponent(s);
}

/** `-1.25e-7` → `-0.000000125`, `1e+21` → `1000000000000000000000`. */
function expandExponent(s: string): string {
  const neg = s.charCodeAt(0) === 45;
  const body = neg ? s.slice(1) : s;
  const e = body.indexOf('e');
  const mant = body.slice(0, e);
  const exp = Number(body.slice(e + 1));
  const dot = mant.indexOf('.');
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const point = (dot < 0 ? mant.length : dot) + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return neg ? '-' + out : out;
}
