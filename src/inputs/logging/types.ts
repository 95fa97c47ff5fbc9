/**
 * The shapes shared by the logging input's parts: the readers (files,
 * sockets) turn bytes into messages, the shipper turns messages into
 * points (or offload wire bytes) and tells the readers when a message is
 * safe downstream, so a file position is saved only past delivered lines.
 */

/** One line cut from a byte stream, already decoded to text. */
export interface Line {
  /** The line without its terminator ("\n", "\r\n"); ANSI codes removed when asked. */
  text: string;
  /** Stream offset (bytes) just after this line's terminator. */
  end: number;
  /**
   * This is a piece of a line longer than the reader's limit, cut there
   * (`end` is just past its last byte) and continued by the next Line; the
   * last piece, ending at the terminator, is not flagged.
   */
  truncated: boolean;
  /**
   * The line had no bytes at all before its "\n" (not even a "\r").
   * DataKit skips such lines before multiline joining, while a line that
   * only trims to nothing ("\r", blanks) is an empty continuation.
   */
  bare?: true;
}

/** One message: a single line, or several joined by the multiline rules. */
export interface Message {
  text: string;
  /** Stream offset just after the last line of the message. */
  end: number;
  /** How many lines were joined (1 for a plain line). */
  lines: number;
}

/**
 * Container log formats (`mode`): the message is the log text inside the
 * runtime's wrapper, and the wrapper's stream (stdout/stderr) and time
 * are kept.
 */
export interface ContainerLine {
  text: string;
  stream: string;
  /** Unix ns from the wrapper, or null when it had none. */
  timeNs: bigint | null;
  /** Docker and CRI split long lines; false = this is a partial line that the next one continues. */
  complete: boolean;
}
