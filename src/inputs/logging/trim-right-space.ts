/**
 * DataKit trims every log line before multiline joining, and the exact
 * trim decides both the message text and whether a line looks like a
 * continuation, so plkit trims the same way, quirk included: trailing ASCII
 * whitespace (`\t \n \v \f \r` and space) goes; if the scan from the end
 * meets a non-ASCII character first, DataKit switches to a Unicode trim of
 * *both* ends, so such a line also loses its leading whitespace
 * (`"\tat 函数"` becomes `"at 函数"`, while `"\tat 函数()"` keeps its tab).
 */

function isAsciiSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32;
}

/** Go's `unicode.IsSpace` (every such code point is in the BMP). */
export function isGoSpace(c: number): boolean {
  if (c < 0x80) return isAsciiSpace(c);
  if (c === 0x85 || c === 0xa0 || c === 0x1680 || c === 0x3000) return true;
  if (c >= 0x2000 && c <= 0x200a) return true;
  return c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f;
}

/** A line as DataKit's `TrimRightSpace` leaves it. */
export function trimRightSpace(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c >= 0x80) return trimGoSpaceBothEnds(s, end);
    if (!isAsciiSpace(c)) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

function trimGoSpaceBothEnds(s: string, end: number): string {
  let start = 0;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}
