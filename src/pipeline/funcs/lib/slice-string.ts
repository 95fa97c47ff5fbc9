/**
 * `slice_string(s, start, end)`: the runes from `start` (inclusive) to `end`
 * (exclusive). An end past the string is clamped; a negative or too large
 * start, or an end before the start, gives "" rather than a fault.
 */
export function sliceString(s: string, start: bigint | number, end: bigint | number): string {
  const runes = Array.from(s);
  const n = BigInt(runes.length);
  const b = BigInt(start);
  let e = BigInt(end);
  if (e > n) e = n;
  if (b < 0n || b > n || e < b) return '';
  return runes.slice(Number(b), Number(e)).join('');
}
