/**
 * `cover(key, [start, end])`: masks the runes from position `start` to `end`
 * (1-based, inclusive) with `*`, or the full-width `＊` for Han characters.
 * Negative positions count from the end (-1 is the last rune), `end` is
 * clamped to the length, and a start of 0 or less also counts from the end.
 * An impossible range (start after end) leaves the value unchanged (null).
 */
const HAN = /\p{Script=Han}/u;

export function cover(value: string, start: number, end: number): string | null {
  const runes = Array.from(value);
  const n = runes.length;
  let s = Math.trunc(start);
  let e = Math.trunc(end);
  if (e > n) e = n;
  if (e < 0) e += n + 1;
  if (s <= 0) s += n + 1;
  if (s > e) return null;
  for (let i = 0; i < n; i++) {
    if (i + 1 >= s && i < e) runes[i] = HAN.test(runes[i]!) ? '＊' : '*';
  }
  return runes.join('');
}
