/**
 * The working memory of the line-protocol forwarder: one ArrayBuffer (the
 * arena) holding a copy of the body, a sentinel after it, and the output
 * being written, reused from call to call.
 *
 * Why one buffer for both: copying a run of body bytes to the output is
 * then `copyWithin`, a builtin with a small fixed cost (~35 ns here),
 * where `Buffer#copy` costs three times that in argument checks and a
 * JS loop pays per byte. The sentinel (a `"` and zero padding after the
 * body) stops every scan loop at the end of the body, so the scanner's
 * loops need no bounds test. The output is copied out into a Buffer of
 * its exact size at the end (one native memcpy).
 */

/** The body copy is followed by this many bytes: the sentinel quote and padding for word reads. */
const PAD = 8;
/** Arenas up to this size are kept for the next call. */
const MAX_KEPT = 16 * 1024 * 1024;
/** Below this many bytes a word loop beats `copyWithin`'s fixed cost. */
const SHORT_COPY = 32;
const QUOTE = 34;

/** Views over the arena; replaced when it grows. */
export let arena = new Uint8Array(64 * 1024);
export let view = new DataView(arena.buffer);
/** Where the output starts, and its end so far (or, for the LP writer's pending run, reserved end). */
export const out = { base: 0, pos: 0 };

function align8(n: number): number {
  return (n + 7) & ~7;
}

function replace(size: number, keep: number): void {
  // An unpooled Buffer owns its whole ArrayBuffer (offset 0) and skips the zero fill.
  const next = Buffer.allocUnsafeSlow(size).buffer;
  const u8 = new Uint8Array(next, 0, size);
  if (keep > 0) u8.set(arena.subarray(0, keep));
  arena = u8;
  view = new DataView(next, 0, size);
}

/** Where `loadBody` put piece i: `arena[pieceAt[i], pieceEnd[i])`. */
let pieceAt = new Int32Array(16);
let pieceEnd = new Int32Array(16);

/**
 * Copy `body` to the start of the arena with its sentinel, then `pieces`
 * (the bytes every line may need: added tags), and start an output of
 * about `estimate` bytes after them. Returns the body length.
 *
 * The pieces live in the arena so that writing one is `copyOut` (word
 * copies or `copyWithin`) rather than a byte loop from another buffer:
 * a ~40-byte added host tag cost 100–250 ns a line that way.
 */
export function loadBody(body: Uint8Array, estimate: number, pieces: readonly Uint8Array[]): number {
  const n = body.length;
  let piecesLen = 0;
  for (let i = 0; i < pieces.length; i++) piecesLen += pieces[i]!.length;
  const at0 = align8(n + PAD);
  const base = align8(at0 + piecesLen);
  if (base + estimate > arena.length) replace(align8(base + estimate), 0);
  arena.set(body);
  arena[n] = QUOTE;
  for (let k = n + 1; k < at0; k++) arena[k] = 0;
  if (pieceAt.length < pieces.length) {
    pieceAt = new Int32Array(pieces.length);
    pieceEnd = new Int32Array(pieces.length);
  }
  let at = at0;
  for (let i = 0; i < pieces.length; i++) {
    arena.set(pieces[i]!, at);
    pieceAt[i] = at;
    at += pieces[i]!.length;
    pieceEnd[i] = at;
  }
  out.base = base;
  out.pos = base;
  return n;
}

/** Copy piece `i` of `loadBody` to the output at `at`; returns the end. */
export function copyPiece(i: number, at: number): number {
  return copyOut(pieceAt[i]!, pieceEnd[i]!, at);
}

/** Make room for `extra` more output bytes. */
export function ensure(extra: number): void {
  const need = out.pos + extra;
  if (need <= arena.length) return;
  let size = arena.length * 2;
  while (size < need) size *= 2;
  replace(size, out.pos);
}

/**
 * Copy `arena[from, to)` (body bytes) to the output at `at`; returns the end.
 *
 * Small on purpose: the writers call it for every key and value, and
 * TurboFan inlines a function's callees only up to a budget of bytecode
 * (920 bytes). At 262 bytes this took the budget of `writePbPoint` by
 * itself, leaving the varint writers as calls; keys and short values (4 to
 * 8 bytes, the common case) are copied here, the rest in `copyOutAny`.
 */
export function copyOut(from: number, to: number, at: number): number {
  const len = to - from;
  if (len < 4 || len > 8) return copyOutAny(from, to, at);
  // Two words that may overlap, no loop.
  const dv = view;
  const head = dv.getInt32(from, true);
  const tail = dv.getInt32(to - 4, true);
  dv.setInt32(at, head, true);
  dv.setInt32(at + len - 4, tail, true);
  return at + len;
}

function copyOutAny(from: number, to: number, at: number): number {
  const len = to - from;
  if (len >= SHORT_COPY) {
    arena.copyWithin(at, from, to);
    return at + len;
  }
  const dv = view;
  let k = from;
  for (const last = to - 4; k <= last; k += 4, at += 4) dv.setInt32(at, dv.getInt32(k, true), true);
  const u8 = arena;
  for (; k < to; k++) u8[at++] = u8[k]!;
  return at;
}

/** Whether `arena[x, x + len)` and `arena[y, y + len)` hold the same bytes; four at a time. */
export function sameArenaBytes(x: number, y: number, len: number): boolean {
  const dv = view;
  let k = 0;
  for (; k + 4 <= len; k += 4) if (dv.getInt32(x + k) !== dv.getInt32(y + k)) return false;
  for (; k < len; k++) if (dv.getUint8(x + k) !== dv.getUint8(y + k)) return false;
  return true;
}

/** Copy `src` (a few bytes from outside the arena) to the output at `at`; returns the end. */
export function copyBytes(src: Uint8Array, at: number): number {
  const u8 = arena;
  for (let k = 0; k < src.length; k++) u8[at++] = src[k]!;
  return at;
}

/**
 * The output as a Buffer of its own — a fresh one, or the start of `into`
 * (at least as long) —; the arena is kept (if not too large) for the next call.
 */
export function takeOutput(into?: Buffer): Buffer {
  const len = out.pos - out.base;
  const result = into === undefined ? Buffer.allocUnsafe(len) : into.subarray(0, len);
  result.set(arena.subarray(out.base, out.pos));
  release();
  return result;
}

/** End a call: drop an oversized arena. */
export function release(): void {
  if (arena.length > MAX_KEPT) replace(64 * 1024, 0);
  out.base = 0;
  out.pos = 0;
}
