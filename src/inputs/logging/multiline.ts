/**
 * Lines become log messages here: with multiline joining off every line is
 * one message; with it on, a line that starts an entry (see
 * `multiline-matcher.ts`) closes the pending message and opens the next,
 * and any other line joins the pending one after a "\n".
 *
 * The rules are DataKit's file tailer's (its socket input trims and drops
 * only when joining is on, so it bypasses this class when joining is off):
 * - every line is trimmed first (`trim-right-space.ts`); a line left empty
 *   is dropped when joining is off, and when joining is on it is dropped
 *   unless a message is open (then it adds an empty continuation); bare
 *   lines (nothing before the "\n") never reach this class (`Line.bare`);
 * - a continuation line with no open message (before the first entry
 *   start, or after a message was flushed) is a message by itself;
 * - when a continuation pushes the pending message past `maxBytes` (UTF-8
 *   bytes; DataKit's default is 80% of the 1 MiB DataWay body limit), the
 *   message is handed out as it stands and the continuation lines that
 *   follow open a new message instead of standing alone, so one long
 *   entry becomes several; a single entry-start line is never split;
 * - there is no limit on the number of lines.
 *
 * A dropped line is simply not returned: the next message ends further on
 * in the stream, so positions still move past it.
 *
 * DataKit flushes a pending message whenever its reader finds no new data
 * (then waits a second before reading again); older versions also let a
 * message live at most 5 s. Here the caller decides, using `pendingSince`,
 * and `MULTILINE_MAX_LIFE_MS` is that 5 s.
 */

import { GoRegexpError } from '../../pipeline/funcs/lib/go-regexp.js';
import { compileLinePattern, LineMatcher } from './multiline-matcher.js';
import { trimRightSpace } from './trim-right-space.js';
import type { Line, Message } from './types.js';

/** How long a pending message may wait for more lines before the caller flushes it. */
export const MULTILINE_MAX_LIFE_MS = 5_000;

/** DataKit's cap on one joined message: int(1 MiB × 0.8) bytes. */
export const MULTILINE_MAX_BYTES = 838_860;

export interface MultilineOptions {
  /**
   * multiline_match: an RE2 pattern as written in the conf ('' = none).
   * When set, only this pattern is used (manual mode), whatever `auto` says.
   * Pass '' when multiline joining is off in the conf: DataKit ignores the
   * pattern then.
   */
  match: string;
  /**
   * Joining on without a pattern: automatic detection with the built-in
   * patterns and then `extraPatterns`. DataKit turns joining on with
   * `enable_multiline` or `auto_multiline_detection`.
   */
  auto: boolean;
  /** auto_multiline_extra_patterns, tried after the built-in group (automatic mode only). */
  extraPatterns: readonly string[];
  /** Longest joined message in UTF-8 bytes before it is cut (default `MULTILINE_MAX_BYTES`). */
  maxBytes?: number;
}

/** A pattern that does not compile: which option, which entry, the pattern and why. */
export class MultilineError extends Error {
  override name = 'MultilineError';
  constructor(
    readonly option: 'multiline_match' | 'auto_multiline_extra_patterns',
    /** Index in auto_multiline_extra_patterns; null for multiline_match. */
    readonly index: number | null,
    readonly pattern: string,
    readonly reason: string,
  ) {
    const where = index === null ? option : `${option}[${index}]`;
    super(`${where}: invalid pattern ${JSON.stringify(pattern)}: ${reason}`);
  }
}

export class Multiline {
  /** null: joining is off. */
  readonly #matcher: LineMatcher | null;
  readonly #maxBytes: number;
  #text = '';
  /** UTF-8 length of `#text`: DataKit's rules look at the buffer's byte length, not its line count. */
  #bytes = 0;
  #lines = 0;
  #end = 0;
  #since = 0;
  /** The last message left because of `maxBytes`: continuations open a new message. */
  #cutForLength = false;

  /** Compile once; a pattern that does not compile is an error value naming the pattern and the reason. */
  static create(o: MultilineOptions): Multiline | MultilineError {
    let matcher: LineMatcher | null = null;
    if (o.match !== '') {
      const re = compileLinePattern(o.match);
      if (re instanceof GoRegexpError)
        return new MultilineError('multiline_match', null, o.match, re.message);
      matcher = new LineMatcher(re, []);
    } else if (o.auto) {
      const extra: RegExp[] = [];
      for (let i = 0; i < o.extraPatterns.length; i++) {
        const p = o.extraPatterns[i]!;
        const re = compileLinePattern(p);
        if (re instanceof GoRegexpError)
          return new MultilineError('auto_multiline_extra_patterns', i, p, re.message);
        extra.push(re);
      }
      matcher = new LineMatcher(null, extra);
    }
    const maxBytes = o.maxBytes !== undefined && o.maxBytes > 0 ? o.maxBytes : MULTILINE_MAX_BYTES;
    return new Multiline(matcher, maxBytes);
  }

  private constructor(matcher: LineMatcher | null, maxBytes: number) {
    this.#matcher = matcher;
    this.#maxBytes = maxBytes;
  }

  /** Lines are joined (a pattern or automatic detection); false = every kept line is a message. */
  get joins(): boolean {
    return this.#matcher !== null;
  }

  /** One line in; returns a message when this line completes one (at most one per call), else null. */
  push(line: Line, nowMs: number): Message | null {
    const text = trimRightSpace(line.text);
    if (this.#matcher === null) return text.length === 0 ? null : { text, end: line.end, lines: 1 };
    if (this.#matcher.startsEntry(text)) {
      const done = this.#take();
      this.#cutForLength = false;
      this.#since = nowMs;
      this.#append(text, line.end);
      return done;
    }
    if (this.#bytes === 0 && !this.#cutForLength) {
      return text.length === 0 ? null : { text, end: line.end, lines: 1 };
    }
    if (this.#lines === 0) this.#since = nowMs;
    this.#append(text, line.end);
    if (this.#bytes <= this.#maxBytes) return null;
    this.#cutForLength = true;
    return this.#take();
  }

  /** The pending message, if any (timeout or end of stream); clears it. */
  flush(): Message | null {
    return this.#take();
  }

  /** When the pending message began (ms, as passed to push), or null when nothing is pending. */
  get pendingSince(): number | null {
    return this.#lines === 0 ? null : this.#since;
  }

  #append(text: string, end: number): void {
    // As in DataKit, the separator goes in only after some text: empty lines
    // opening a message after a length cut leave no trace.
    if (this.#bytes === 0) {
      this.#text = text;
      this.#bytes = Buffer.byteLength(text, 'utf8');
    } else {
      this.#text = this.#text + '\n' + text;
      this.#bytes += 1 + Buffer.byteLength(text, 'utf8');
    }
    this.#lines++;
    this.#end = end;
  }

  #take(): Message | null {
    if (this.#lines === 0) return null;
    const msg = this.#bytes === 0 ? null : { text: this.#text, end: this.#end, lines: this.#lines };
    this.#text = '';
    this.#bytes = 0;
    this.#lines = 0;
    return msg;
  }
}
