/**
 * Line/column from an offset, computed only when someone needs it (an error
 * being reported), so tokens and nodes carry plain integer offsets.
 */
export interface LineCol {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in characters (code points) of that line. */
  column: number;
}

export function lineInfo(source: string, offset: number): LineCol {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const c = source.charCodeAt(i);
    // a surrogate pair is one character
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) i++;
    column++;
  }
  return { line, column };
}

/** The text of the line holding `offset` (for caret displays). */
export function lineText(source: string, offset: number): string {
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  let end = source.indexOf('\n', offset);
  if (end < 0) end = source.length;
  return source.slice(start, end);
}
