/**
 * One open log file being followed: reads what was appended since the last
 * read, cuts it into lines and messages, and notices when the file under
 * its path was truncated (copytruncate) or replaced (rename + create).
 *
 * The tailer keeps two offsets. `readOffset` is how far it has read;
 * `ackedOffset` is how far the lines are delivered downstream, and is the
 * only one saved as the file's position. A replaced file keeps being read
 * through its open descriptor until its end, so lines written just before
 * a rotation are not lost, then it is closed.
 *
 * With `mode = "docker"` or `"cri"` each physical line is a container
 * runtime's wrapper: it is unwrapped (`container-line.ts`) before multiline
 * joining, as DataKit does. A line that does not unwrap is dropped and
 * reported; partial lines are joined, with no separator, up to the first
 * complete one, and the joined line ends where its last physical line
 * does. ANSI codes are removed from the unwrapped text (in docker mode they
 * only exist once the JSON is decoded). Raw empty lines are skipped before
 * unwrapping (DataKit does not count them as failures); unwrapped empty
 * text goes on to the multiline step, which drops it unless a message is
 * open (then, as in DataKit, it is an empty continuation).
 */
import * as fs from 'node:fs';
import type { LoggingMode } from '../../config/types.js';
import { stripAnsi } from './ansi.js';
import { parseContainerLine } from './container-line.js';
import { LineReader, type LineReaderOptions, resolveEncoding } from './line-reader.js';
import type { Multiline } from './multiline.js';
import { type RawLines, scanRawLines } from './raw-lines.js';
import type { Line, Message } from './types.js';

/** Biggest single read; a busy file is read in several turns so other files get theirs. */
export const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Partial container lines joined past this many characters go on as a line
 * of their own, so a runtime that never completes a line cannot grow the
 * join without bound (DataKit has no bound; its points cap a field at 32 MiB).
 */
export const MAX_JOINED_CHARS = 32 * 1024 * 1024;

export interface FileTailerOptions {
  path: string;
  fd: number;
  ino: number;
  startOffset: number;
  reader: LineReaderOptions;
  multiline: Multiline;
  /** How long a pending multiline message waits at the end of the file for more lines before it is sent. */
  idleFlushMs: number;
  /** '' (plain text, the default), 'docker' (json-file) or 'cri'. */
  mode?: LoggingMode;
  /** Called once per container line that does not unwrap (it is dropped). */
  parseFailed?: () => void;
}

/** What one read turn produced. */
export interface ReadTurn {
  messages: Message[];
  /** Bytes read (0 = at the end of the file). */
  bytes: number;
  /** The byte road took this read: its lines are in `read`'s RawLines, and `messages` is empty. */
  raw: boolean;
}

export type FileChange = 'none' | 'truncated' | 'replaced' | 'removed';

export class FileTailer {
  readonly path: string;
  readonly ino: number;
  /** Bumped when the file is truncated: acknowledgements of lines read before belong to the old content. */
  epoch = 0;
  #fd: number;
  #reader: LineReader;
  readonly #readerOpts: LineReaderOptions;
  readonly #multiline: Multiline;
  readonly #idleFlushMs: number;
  /** null: plain text. */
  readonly #container: 'docker' | 'cri' | null;
  /** Container modes strip ANSI codes here, after unwrapping, not in the reader. */
  readonly #stripAnsi: boolean;
  readonly #parseFailed: (() => void) | null;
  /** Reads may take the byte road (raw-lines.ts): plain UTF-8 text, no ANSI removal, no joining. */
  readonly #rawOk: boolean;
  /** Text of partial container lines waiting for their complete one. */
  #joined = '';
  /** Stream offset just after the last partial line in `#joined` (meaningful while it is not empty). */
  #joinedEnd = 0;
  #ackedOffset: number;
  #lastDataMs: number;
  /** The path now names another file (or none): read to the end, then close. */
  #detached = false;
  #closed = false;

  constructor(o: FileTailerOptions, nowMs: number) {
    this.path = o.path;
    this.ino = o.ino;
    this.#fd = o.fd;
    const mode = o.mode ?? '';
    this.#container = mode === '' ? null : mode;
    this.#stripAnsi = this.#container !== null && o.reader.removeAnsi;
    this.#readerOpts = this.#stripAnsi ? { ...o.reader, removeAnsi: false } : o.reader;
    this.#reader = new LineReader(this.#readerOpts, o.startOffset);
    this.#parseFailed = o.parseFailed ?? null;
    this.#multiline = o.multiline;
    this.#rawOk =
      this.#container === null &&
      !this.#readerOpts.removeAnsi &&
      resolveEncoding(this.#readerOpts.encoding) === 'utf8' &&
      !o.multiline.joins;
    this.#idleFlushMs = o.idleFlushMs;
    this.#ackedOffset = o.startOffset;
    this.#lastDataMs = nowMs;
  }

  get readOffset(): number {
    return this.#reader.offset;
  }

  get ackedOffset(): number {
    return this.#ackedOffset;
  }

  get detached(): boolean {
    return this.#detached;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get lastDataMs(): number {
    return this.#lastDataMs;
  }

  /**
   * Read up to one chunk at the read offset. Read errors are thrown with the
   * path in the message. With `raw`, the read goes into its buffer, and
   * complete lines come as its byte spans (`ReadTurn.raw`) when the file
   * and the read allow it (raw-lines.ts); otherwise, and always without
   * `raw`, as messages.
   */
  async read(nowMs: number, raw: RawLines | null = null): Promise<ReadTurn> {
    const buf = raw?.buf ?? Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const len = raw === null ? READ_CHUNK_BYTES : Math.min(buf.length, raw.readBytes, READ_CHUNK_BYTES);
    const pos = this.#reader.offset;
    let n: number;
    try {
      n = await readAt(this.#fd, buf, len, pos);
    } catch (e) {
      throw new Error(`${this.path}: read at offset ${pos} failed: ${(e as Error).message}`);
    }
    const messages: Message[] = [];
    if (n === 0) {
      this.#flushIdle(nowMs, messages);
      return { messages, bytes: 0, raw: false };
    }
    this.#lastDataMs = nowMs;
    if (raw !== null && this.#rawOk && this.#reader.pendingBytes === 0) {
      if (scanRawLines(raw, n, pos, this.#readerOpts.maxLineBytes)) {
        this.#reader.skipTo(pos + raw.consumed);
        return { messages, bytes: n, raw: true };
      }
    }
    const lines = this.#reader.push(n === buf.length ? buf : buf.subarray(0, n));
    if (this.#container === null) {
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        // A bare "\n" is no line at all for DataKit, not even inside a multiline message.
        if (line.bare) continue;
        const m = this.#multiline.push(line, nowMs);
        if (m !== null) messages.push(m);
      }
    } else {
      for (let i = 0; i < lines.length; i++) this.#unwrap(this.#container, lines[i]!, nowMs, messages);
    }
    return { messages, bytes: n, raw: false };
  }

  /**
   * One container line: unwrapped, joined with the partial lines before it,
   * freed of ANSI codes when asked, then on to multiline. The reader's Line
   * is reused for the text it carries on.
   */
  #unwrap(mode: 'docker' | 'cri', line: Line, nowMs: number, out: Message[]): void {
    if (line.text.length === 0) return;
    const c = parseContainerLine(mode, line.text);
    if (c === null) {
      // The partial text gathered so far stays: the next complete line still ends it.
      this.#parseFailed?.();
      return;
    }
    let text = c.text;
    if (this.#joined.length > 0) {
      text = this.#joined + text;
      this.#joined = '';
    }
    if (!c.complete && text.length <= MAX_JOINED_CHARS) {
      this.#joined = text;
      this.#joinedEnd = line.end;
      return;
    }
    line.text = this.#stripAnsi ? stripAnsi(text) : text;
    const m = this.#multiline.push(line, nowMs);
    if (m !== null) out.push(m);
  }

  /**
   * At the end of the data, a pending multiline message goes out once the
   * file has been quiet for `idleFlushMs` (DataKit: at once). An
   * unterminated last line stays held until its newline comes, as in
   * DataKit: the writer may be in the middle of it.
   */
  #flushIdle(nowMs: number, out: Message[]): void {
    if (nowMs - this.#lastDataMs < this.#idleFlushMs) return;
    const rest = this.#multiline.flush();
    if (rest !== null) out.push(rest);
  }

  /**
   * Everything still held (the file is being closed): the unterminated
   * line, partial container lines still waiting for their end, and the
   * pending message. (DataKit loses the first two.)
   */
  drain(nowMs: number): Message[] {
    const out: Message[] = [];
    const partial = this.#reader.flushPartial();
    if (partial !== null) {
      if (this.#container === null) {
        const m = this.#multiline.push(partial, nowMs);
        if (m !== null) out.push(m);
      } else this.#unwrap(this.#container, partial, nowMs, out);
    }
    if (this.#joined.length > 0) {
      const text = this.#stripAnsi ? stripAnsi(this.#joined) : this.#joined;
      const m = this.#multiline.push({ text, end: this.#joinedEnd, truncated: false }, nowMs);
      if (m !== null) out.push(m);
      this.#joined = '';
    }
    const rest = this.#multiline.flush();
    if (rest !== null) out.push(rest);
    return out;
  }

  /**
   * Compare the open file with what its path names now: smaller than the
   * read offset means truncated in place (start again at 0); another inode
   * or no file means rotated away or deleted.
   */
  checkChange(): FileChange {
    if (this.#detached) return 'none';
    let size: number;
    try {
      size = fs.fstatSync(this.#fd).size;
    } catch {
      return 'none';
    }
    if (size < this.#reader.offset) {
      this.#reader = new LineReader(this.#readerOpts, 0);
      this.#multiline.flush();
      this.#joined = '';
      this.#ackedOffset = 0;
      this.epoch++;
      return 'truncated';
    }
    try {
      const st = fs.statSync(this.path);
      if (st.ino === this.ino) return 'none';
      this.#detached = true;
      return 'replaced';
    } catch {
      this.#detached = true;
      return 'removed';
    }
  }

  /** Lines up to `end` (of epoch `epoch`) are delivered; returns true when the acked offset moved. */
  ack(epoch: number, end: number): boolean {
    if (epoch !== this.epoch || end <= this.#ackedOffset) return false;
    this.#ackedOffset = end;
    return true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      fs.closeSync(this.#fd);
    } catch {
      // already gone: nothing to release
    }
  }
}

function readAt(fd: number, buf: Buffer, len: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, 0, len, pos, (err, n) => (err === null ? resolve(n) : reject(err)));
  });
}
