/**
 * Line numbers and UTF-8 byte offsets of string positions, computed only
 * when an error needs them. Queries mostly move forward through the body;
 * a cursor remembers the last answer and the next newline, so each query
 * costs the distance from the previous one (in either direction) and a run
 * of queries over a body stays linear.
 */
import { utf8Length } from './utf8.js';

export class TextPositions {
  readonly #s: string;
  #linePos = 0;
  #line = 1;
  /** First newline at or after `#linePos`, or -1. */
  #nextNewline: number;
  #bytePos = 0;
  #bytes = 0;

  constructor(s: string) {
    this.#s = s;
    this.#nextNewline = s.indexOf('\n');
  }

  /** 1-based line of `pos` (newlines before it + 1). */
  line(pos: number): number {
    const s = this.#s;
    if (pos < this.#linePos) {
      let i = s.lastIndexOf('\n', this.#linePos - 1);
      while (i >= pos) {
        this.#line--;
        this.#nextNewline = i;
        i = i === 0 ? -1 : s.lastIndexOf('\n', i - 1);
      }
    } else {
      while (this.#nextNewline !== -1 && this.#nextNewline < pos) {
        this.#line++;
        this.#nextNewline = s.indexOf('\n', this.#nextNewline + 1);
      }
    }
    this.#linePos = pos;
    return this.#line;
  }

  /** UTF-8 byte offset of `pos`. */
  byteOffset(pos: number): number {
    if (pos >= this.#bytePos) this.#bytes += utf8Length(this.#s, this.#bytePos, pos);
    else this.#bytes -= utf8Length(this.#s, pos, this.#bytePos);
    this.#bytePos = pos;
    return this.#bytes;
  }
}
