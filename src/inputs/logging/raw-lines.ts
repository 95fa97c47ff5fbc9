/**
 * The byte road of the file tailer: the complete lines of one read, found
 * and trimmed in the read buffer and handed on as byte spans, never decoded
 * to strings. It serves the common case only — plain UTF-8 text, no
 * multiline joining, no ANSI removal, no container wrapper — for files
 * whose points go to the offload fleet as wire bytes: those bytes are then
 * copied once, from the read buffer to the request body.
 *
 * The spans are what the ordinary road (line-reader.ts, then multiline.ts
 * with joining off) would make of the same bytes: "\n" ends a line and a
 * "\r" before it goes; a line with no bytes at all is skipped; a U+FEFF at
 * stream offset 0 goes; each line is trimmed as DataKit's TrimRightSpace
 * does (trim-right-space.ts, quirk included) and a line left empty is
 * dropped. Whatever the byte road would have to treat differently — bytes
 * that are not valid UTF-8 (the ordinary road decodes them to U+FFFD), a
 * line longer than the reader's limit (cut in pieces there), a read with
 * no complete line (its bytes are held there) — makes `scanRawLines` return
 * null, and the caller hands the read to the ordinary road instead.
 */
import { isUtf8 } from 'node:buffer';
import { isGoSpace } from './trim-right-space.js';

/**
 * The kept lines of one read, as columns: line i is `buf[starts[i], ends[i])`.
 * One per logging input, reused from read to read (its reads take turns):
 * the file tailer reads into `buf`, `scanRawLines` fills the columns, and
 * the encoder writes its output in `buf` after the read bytes, growing it
 * when short (log-wire.ts `encodeLogSpans`). The output stays there: the
 * buffer goes with it, and the next read gets another (log-sender.ts).
 */
export class RawLines {
  buf: Buffer;
  starts = new Uint32Array(1024);
  ends = new Uint32Array(1024);
  /** Stream offset just past the terminator of line i (where a position may be saved). */
  streamEnds = new Float64Array(1024);
  /** Lines kept. */
  count = 0;
  /** Bytes of the read that the lines cover, up to and with the last "\n"; the rest is read again. */
  consumed = 0;
  /**
   * How much the next read may take: a quarter of the buffer at first, so
   * the wire bytes (~1.3× the text for long lines, ~3× for short ones) fit
   * after it. Halved when a read's output did not fit, doubled back (up to
   * the quarter) when it used little room (see `fitted`).
   */
  readBytes: number;

  /** `buf`: room for the largest read and, after it, the output (it grows when short). */
  constructor(buf: Buffer) {
    this.buf = buf;
    this.readBytes = buf.length >>> 2;
  }

  /**
   * The last read's output took `outBytes` after its read bytes in a buffer
   * of `size`, or did not fit (`grew`: the encoder moved to a larger one).
   */
  fitted(grew: boolean, outBytes: number, size: number): void {
    if (grew) this.readBytes = Math.max(16 * 1024, this.readBytes >>> 1);
    else if (outBytes * 3 < size - this.consumed) this.readBytes = Math.min(size >>> 2, this.readBytes * 2);
  }
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The complete lines of `r.buf[0, n)`, which starts at stream offset
 * `streamBase` on a line boundary, into `r`'s columns; false when the read
 * must take the ordinary road instead (see the module comment).
 */
export function scanRawLines(r: RawLines, n: number, streamBase: number, maxLineBytes: number): boolean {
  const buf = r.buf;
  const lastNl = n === 0 ? -1 : buf.lastIndexOf(LF, n - 1);
  if (lastNl < 0) return false;
  const consumed = lastNl + 1;
  // The unterminated rest is read again next time, unless it is already too long to wait for.
  if (n - consumed > maxLineBytes) return false;
  if (!isUtf8(buf.subarray(0, consumed))) return false;
  let count = 0;
  let pos = 0;
  while (pos < consumed) {
    const nl = buf.indexOf(LF, pos);
    let a = pos;
    let b = nl;
    pos = nl + 1;
    if (b === a) continue; // a bare "\n"
    if (buf[b - 1] === CR) b--;
    if (b - a > maxLineBytes) return false;
    if (streamBase + a === 0 && b - a >= 3 && buf[a] === 0xef && buf[a + 1] === 0xbb && buf[a + 2] === 0xbf)
      a += 3;
    // DataKit's TrimRightSpace on bytes: ASCII whitespace from the end; a non-ASCII byte first means a
    // Unicode trim of both ends.
    while (b > a) {
      const c = buf[b - 1]!;
      if (c >= 0x80) {
        a = skipGoSpaceForward(buf, a, b);
        b = skipGoSpaceBackward(buf, a, b);
        break;
      }
      if (!((c >= 9 && c <= 13) || c === 32)) break;
      b--;
    }
    if (b === a) continue;
    if (count === r.starts.length) growColumns(r, count);
    r.starts[count] = a;
    r.ends[count] = b;
    r.streamEnds[count] = streamBase + pos;
    count++;
  }
  r.count = count;
  r.consumed = consumed;
  return true;
}

/** Double the columns, keeping the first `count` entries. */
function growColumns(r: RawLines, count: number): void {
  const { starts, ends, streamEnds } = r;
  r.starts = new Uint32Array(count * 2);
  r.ends = new Uint32Array(count * 2);
  r.streamEnds = new Float64Array(count * 2);
  r.starts.set(starts);
  r.ends.set(ends);
  r.streamEnds.set(streamEnds);
}

/** The code point starting at buf[i] (valid UTF-8) and its length in bytes. */
function decodeAt(buf: Buffer, i: number): [number, number] {
  const c = buf[i]!;
  if (c < 0x80) return [c, 1];
  if (c < 0xe0) return [((c & 0x1f) << 6) | (buf[i + 1]! & 0x3f), 2];
  if (c < 0xf0) return [((c & 0x0f) << 12) | ((buf[i + 1]! & 0x3f) << 6) | (buf[i + 2]! & 0x3f), 3];
  return [0x10000, 4]; // beyond the BMP: never a space
}

function skipGoSpaceForward(buf: Buffer, a: number, b: number): number {
  while (a < b) {
    const [cp, len] = decodeAt(buf, a);
    if (!isGoSpace(cp)) break;
    a += len;
  }
  return a;
}

function skipGoSpaceBackward(buf: Buffer, a: number, b: number): number {
  while (b > a) {
    let i = b - 1;
    while (i > a && (buf[i]! & 0xc0) === 0x80) i--;
    const [cp] = decodeAt(buf, i);
    if (!isGoSpace(cp)) break;
    b = i;
  }
  return b;
}
