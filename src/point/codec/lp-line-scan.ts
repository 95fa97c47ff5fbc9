/**
 * Where DataKit's line-protocol reader ends a line, used to resume after a
 * bad line so that plkit counts and numbers bad lines as DataKit does.
 *
 * DataKit splits the body before parsing: a newline ends a line unless it
 * is inside a quoted field value. Quotes count only after the first
 * unescaped space (the field section) and only in a value (more `=` than
 * top-level `,` seen); a backslash skips the next character; a second
 * nested `[` or an unmatched `]` in the field section also ends the line.
 * Good lines never need this: the parser itself finds their end.
 */

const BACKSLASH = 92;
const SPACE = 32;
const EQUALS = 61;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const QUOTE = 34;
const LF = 10;

/** Index of the char that ends the line starting at `start` (a newline, or where scanning stopped). */
export function scanLogicalLineEnd(s: string, start: number): number {
  const n = s.length;
  let i = start;
  let fields = false;
  let quoted = false;
  let equals = 0;
  let commas = 0;
  let brackets = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && i + 2 < n) {
      i += 2;
      continue;
    }
    if (c === SPACE) fields = true;
    if (fields) {
      if (!quoted && c === EQUALS) {
        equals++;
        i++;
        continue;
      }
      if (!quoted && c === COMMA) {
        if (brackets === 0) commas++;
        i++;
        continue;
      }
      if (!quoted && c === LBRACKET) {
        i++;
        if (++brackets > 1) break;
        continue;
      }
      if (!quoted && c === RBRACKET) {
        i++;
        if (--brackets < 0) break;
        continue;
      }
      if (c === QUOTE && equals > commas) {
        quoted = !quoted;
        i++;
        continue;
      }
    }
    if (c === LF && !quoted) break;
    i++;
  }
  return i;
}
