/**
 * Script errors with positions. Compile and run-time errors share one class
 * so every edge (CLI, HTTP debug API, tests) reports them the same way:
 * `<source>:<line>:<col>: <reason>` plus the structured fields. Callers
 * switch on `code`, never on message text.
 */
import { type LineCol, lineInfo } from './position.js';

export type PlkScriptErrorCode =
  | 'PLK_ERR_SYNTAX'
  | 'PLK_ERR_COMPILE'
  | 'PLK_ERR_UNKNOWN_FUNC'
  | 'PLK_ERR_RUN'
  | 'PLK_ERR_STEP_LIMIT'
  | 'PLK_ERR_TIME_LIMIT';

export class PlkScriptError extends Error {
  override name = 'PlkScriptError';
  readonly code: PlkScriptErrorCode;
  /** Offset of the failing token or node in the source. */
  readonly pos: number;
  readonly end: number;
  readonly loc: LineCol;
  readonly sourceName: string;
  /** The bare reason, without position. */
  readonly reason: string;

  constructor(
    code: PlkScriptErrorCode,
    reason: string,
    source: string,
    sourceName: string,
    pos: number,
    end = pos,
  ) {
    const loc = lineInfo(source, pos);
    super(`${sourceName}:${loc.line}:${loc.column}: ${reason} (${loc.line}:${loc.column})`);
    this.code = code;
    this.reason = reason;
    this.pos = pos;
    this.end = end;
    this.loc = loc;
    this.sourceName = sourceName;
  }

  /** DataKit's one-line shape: `name:line:col: reason`. */
  get short(): string {
    return `${this.sourceName}:${this.loc.line}:${this.loc.column}: ${this.reason}`;
  }

  get isRunError(): boolean {
    return (
      this.code === 'PLK_ERR_RUN' || this.code === 'PLK_ERR_STEP_LIMIT' || this.code === 'PLK_ERR_TIME_LIMIT'
    );
  }
}

/**
 * A run-time fault raised by values or functions that do not know the
 * source: the compiler catches it at the node that failed and rethrows it
 * as a positioned `PlkScriptError`.
 */
export class RunFault extends Error {
  override name = 'RunFault';
  /** Offset override when the thrower knows a better node than the catcher. */
  readonly pos: number;
  readonly end: number;
  constructor(reason: string, pos = -1, end = -1) {
    super(reason);
    this.pos = pos;
    this.end = end;
  }
}
