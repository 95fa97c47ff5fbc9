/**
 * Line-protocol decoder, DataKit dialect (SPEC §2): a request body into
 * points (each through DataKit's intake checks) and one error per bad line.
 * Lines are parsed by `LineParser` (`lp-line-parser.ts`); this file runs
 * them over the body:
 *
 * - the body is UTF-8-decoded once, in pieces of about 32 KiB cut after a
 *   newline (see `decodePieces`), since one large string costs far more
 *   to allocate than several small ones;
 * - after a bad line the loop resumes where DataKit's own line splitter
 *   would (`lp-line-scan.ts`), so bad lines are counted alike;
 * - errors are values: a bad line yields a `DecodeError` with its line
 *   number, byte offset and reason, good lines still yield points, and
 *   line/offset arithmetic runs only when an error is reported (offsets
 *   count UTF-8 bytes of the decoded text, which are the body's bytes
 *   unless the body holds invalid UTF-8).
 */
import { isUtf8 } from 'node:buffer';
import { DEFAULT_LIMITS, type IntakeLimits, IntakeScreen, normalizePoint } from '../normalize.js';
import type { Point } from '../point.js';
import type { DecodeError, DecodeOptions, DecodeResult } from './errors.js';
import { asBuffer, utf8Slice } from './fast-buffer.js';
import { LineParser } from './lp-line-parser.js';
import { scanLogicalLineEnd } from './lp-line-scan.js';
import { CR, LF } from './lp-values.js';
import { TextPositions } from './text-position.js';
import { utf8Length } from './utf8.js';

export const INVALID_LINE_POINT = 'datakit.invalidLinePoint';

/**
 * Bodies above this size are decoded to text in pieces of about this many
 * bytes, cut after a newline: one large string lands in V8's large-object
 * space, whose fresh pages cost far more than the copy itself, while
 * pieces this small are cheap young-generation allocations.
 */
const PIECE_BYTES = 32 * 1024;

/**
 * Decode a line-protocol body into points (each through DataKit's intake
 * checks for `opts.category`) and one error per bad line.
 */
export function decodeLineProtocol(body: Uint8Array | string, opts: DecodeOptions): DecodeResult {
  const points: Point[] = [];
  const errors: DecodeError[] = [];
  const size = typeof body === 'string' ? body.length : body.byteLength;
  if (size === 0) {
    errors.push({ code: INVALID_LINE_POINT, message: 'empty body', offset: 0 });
    return { points, errors };
  }
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const parser = new LineParser(
    opts.category,
    opts.precision,
    opts.now,
    new IntakeScreen(opts.category, limits),
  );
  if (typeof body === 'string') {
    parser.setText(body);
    decodeText(parser, limits, points, errors, 1, 0);
  } else if (size <= PIECE_BYTES || !isUtf8(body)) {
    // Invalid UTF-8 keeps the whole-body path: error offsets count the
    // bytes of the decoded text, which a piece-wise count could not match.
    parser.setText(utf8Slice(asBuffer(body), 0, size));
    decodeText(parser, limits, points, errors, 1, 0);
  } else {
    decodePieces(parser, asBuffer(body), limits, points, errors);
  }
  return { points, errors };
}

/**
 * A valid UTF-8 body piece by piece. Good lines are parsed within their
 * piece; at the first line that fails or runs past its piece (a string
 * value with a newline across the cut), the rest of the body from that
 * line on becomes one text, so errors and resumption work exactly as for
 * a whole body, with line numbers and byte offsets carried over.
 */
function decodePieces(
  parser: LineParser,
  buf: Buffer,
  limits: IntakeLimits,
  points: Point[],
  errors: DecodeError[],
): void {
  const size = buf.length;
  const category = parser.category;
  let base = 0;
  while (base < size) {
    let end = base + PIECE_BYTES;
    if (end >= size) end = size;
    else {
      const nl = buf.lastIndexOf(LF, end - 1);
      if (nl >= base) end = nl + 1;
      else {
        const next = buf.indexOf(LF, end);
        end = next === -1 ? size : next + 1;
      }
    }
    const s = utf8Slice(buf, base, end);
    parser.setText(s);
    const n = s.length;
    const last = end === size;
    let pos = 0;
    while (pos < n) {
      const e = parser.parseLine(pos);
      if (e < 0 || (e >= n && !last)) break;
      const pt = parser.point;
      if (pt !== null) {
        normalizePoint(pt, category, limits, parser.hints());
        points.push(pt);
      }
      pos = e + 1;
    }
    if (pos < n) {
      const restByte = base + utf8Length(s, 0, pos);
      parser.setText(utf8Slice(buf, restByte, size));
      decodeText(parser, limits, points, errors, countLines(buf, restByte) + 1, restByte);
      return;
    }
    base = end;
  }
}

/** Newlines in `buf[0, end)`. */
function countLines(buf: Buffer, end: number): number {
  let lines = 0;
  let i = buf.indexOf(LF);
  while (i !== -1 && i < end) {
    lines++;
    i = buf.indexOf(LF, i + 1);
  }
  return lines;
}

/**
 * All lines of the parser's text, which starts on line `firstLine` at
 * byte `firstByte` of the body.
 */
function decodeText(
  parser: LineParser,
  limits: IntakeLimits,
  points: Point[],
  errors: DecodeError[],
  firstLine: number,
  firstByte: number,
): void {
  const s = parser.s;
  const n = s.length;
  const category = parser.category;
  let positions: TextPositions | null = null;
  let pos = 0;
  while (pos < n) {
    const end = parser.parseLine(pos);
    if (end >= 0) {
      const pt = parser.point;
      if (pt !== null) {
        normalizePoint(pt, category, limits, parser.hints());
        points.push(pt);
      }
      pos = end + 1;
      continue;
    }
    const lineEnd = scanLogicalLineEnd(s, pos);
    if (positions === null) positions = new TextPositions(s);
    const err = lineError(s, positions, pos, lineEnd, parser.errPos, parser.errMsg, firstLine, firstByte);
    errors.push(err);
    pos = lineEnd + 1;
  }
}

const CRLF_REASON = 'the line ends with "\\r": CRLF line endings are not supported';

function lineError(
  s: string,
  positions: TextPositions,
  start: number,
  lineEnd: number,
  errPos: number,
  reason: string,
  firstLine: number,
  firstByte: number,
): DecodeError {
  const line = positions.line(start) + firstLine - 1;
  const offset = positions.byteOffset(start) + firstByte;
  if (lineEnd > start && s.charCodeAt(lineEnd - 1) === CR) {
    reason = errPos === lineEnd - 1 ? CRLF_REASON : `${reason} (${CRLF_REASON})`;
  }
  if (errPos > start) reason += ` (at offset ${positions.byteOffset(errPos) + firstByte})`;
  return { code: INVALID_LINE_POINT, message: `line ${line} (offset ${offset}): ${reason}`, line, offset };
}

/**
 * One-line summary for the HTTP error answer:
 * `2 of 3 lines failed: line 2 (offset 30): …; line 3 (offset 52): …`.
 * Lists at most `maxListed` errors. Empty when there are no errors.
 */
export function summarizeLineErrors(result: DecodeResult, maxListed = 10): string {
  const { errors } = result;
  if (errors.length === 0) return '';
  if (errors.length === 1 && errors[0]!.line === undefined && result.points.length === 0) {
    return errors[0]!.message;
  }
  const total = result.points.length + errors.length;
  let listed = '';
  const shown = Math.min(errors.length, maxListed);
  for (let i = 0; i < shown; i++) listed += (i === 0 ? '' : '; ') + errors[i]!.message;
  if (errors.length > shown) listed += `; and ${errors.length - shown} more`;
  return `${errors.length} of ${total} lines failed: ${listed}`;
}
