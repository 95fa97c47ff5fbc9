/**
 * Shared result and error shapes of the wire codecs (line protocol, JSON,
 * protobuf). Decoders never throw on bad input: each problem becomes a
 * `DecodeError` value with enough context (line, byte offset) for the HTTP
 * layer to build DataKit's error answer.
 */
import type { Category } from '../category.js';
import type { IntakeLimits } from '../normalize.js';
import type { Point } from '../point.js';

export interface DecodeError {
  /** DataKit error code, e.g. `datakit.invalidLinePoint`. */
  code: string;
  message: string;
  /** 1-based line number, when the encoding has lines. */
  line?: number;
  /** Byte offset into the body where the bad unit starts. */
  offset?: number;
}

export interface DecodeResult {
  points: Point[];
  errors: DecodeError[];
}

export interface DecodeOptions {
  category: Category;
  /** `n`, `u`, `ms`, `s`, `m`, `h`, or `''`/absent to guess from the magnitude. */
  precision?: string;
  /** Receive time (ns) given to points without a timestamp; defaults to now. */
  now?: bigint;
  limits?: IntakeLimits;
}

/**
 * A failure outside point decoding proper (request-body decompression, an
 * unsupported encoding): thrown by the helpers that cannot return a
 * `DecodeResult`. `code` is stable (`PLK_ERR_BODY_TOO_LARGE`,
 * `PLK_ERR_UNKNOWN_ENCODING`, `PLK_ERR_CORRUPT_BODY`); callers switch on it.
 */
export class CodecError extends Error {
  readonly code: string;

  constructor(code: string, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CodecError';
    this.code = code;
  }
}
