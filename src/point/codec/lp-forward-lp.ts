/**
 * The line-protocol side of the line-protocol forwarder: the line just
 * scanned (`lp-forward-scan.ts`), copied with the missing added tags put
 * after its own tags and its timestamp in nanoseconds.
 *
 * Most lines of a batch come out byte for byte as they went in (the host
 * tag is already there, the timestamps are in ns), so such lines are not
 * copied one by one: consecutive ones form a pending run of the body that
 * is copied in one `copyWithin` when a line that needs changes, a skipped
 * blank line or the end of the body breaks it. `out.pos` already counts
 * the run's bytes, so the points' end offsets are known as they are read.
 */
import { arena, copyBytes, copyOut, copyPiece, ensure, out } from './lp-forward-out.js';
import { line } from './lp-forward-scan.js';
import type { AddTagSet, NowForms } from './lp-forward-tags.js';

const LF = 10;
const SPACE = 32;
const DIGIT_0 = 48;

/** The pending run: body offset of its first byte (-1: none) and its place in the output. */
let runFrom = -1;
let runAt = 0;

/** Start a new body. */
export function lpBegin(): void {
  runFrom = -1;
}

/** Append the scanned line and its newline; `missing[a]` marks added tags to insert. */
export function writeLpLine(
  n: number,
  add: AddTagSet,
  missing: Uint8Array,
  missingCount: number,
  now: NowForms,
): void {
  const start = line.start;
  const end = line.end;
  if (missingCount === 0 && line.tsStart >= 0 && line.zeros === 0 && end < n) {
    // Unchanged, newline included: extend (or start) the pending run.
    const len = end + 1 - start;
    if (runFrom >= 0 && runFrom + (out.pos - runAt) !== start) lpFlush();
    if (runFrom < 0) {
      runFrom = start;
      runAt = out.pos;
    }
    ensure(len);
    out.pos += len;
    return;
  }
  lpFlush();
  const tagsEnd = line.tagsEnd;
  let size = tagsEnd - start + 1;
  for (let a = 0; a < add.count; a++) if (missing[a] !== 0) size += add.lp[a]!.length;
  if (line.tsStart >= 0) size += line.tsEnd - tagsEnd + line.zeros;
  else size += line.fieldsEnd - tagsEnd + 1 + now.digits.length;
  ensure(size);
  const o = arena; // after `ensure`: the arena may have grown
  let p = copyOut(start, tagsEnd, out.pos);
  for (let a = 0; a < add.count; a++) if (missing[a] !== 0) p = copyPiece(a, p);
  if (line.tsStart >= 0) {
    p = copyOut(tagsEnd, line.tsEnd, p);
    for (let z = line.zeros; z > 0; z--) o[p++] = DIGIT_0;
  } else {
    p = copyOut(tagsEnd, line.fieldsEnd, p);
    o[p++] = SPACE;
    p = copyBytes(now.digits, p);
  }
  o[p++] = LF;
  out.pos = p;
}

/** Copy the pending run, if any, into place. */
export function lpFlush(): void {
  if (runFrom < 0) return;
  copyOut(runFrom, runFrom + (out.pos - runAt), runAt);
  runFrom = -1;
}
