/**
 * `format_int(v, base)`: Go's `strconv.FormatInt` (lowercase digits, a
 * leading "-" for negatives). Go panics on a base outside 2..36; here that
 * is an Error the engine reports as a run error.
 */
export function formatInt(v: bigint, base: bigint): string | RangeError {
  if (base < 2n || base > 36n) return new RangeError(`strconv: illegal AppendInt/FormatInt base ${base}`);
  return BigInt.asIntN(64, v).toString(Number(base));
}
