/**
 * The one error shape of the grok module. Grok failures are values (returned,
 * never thrown) so the script compiler can attach the script position and
 * report every bad pattern, not just the first; `code` is stable, `message`
 * is for people and follows DataKit's wording where DataKit has one.
 */
export type GrokErrorCode =
  /** `%{NAME}` names no pattern in the library chain. */
  | 'unknown_pattern'
  /** Pattern definitions reference each other in a loop. */
  | 'cycle'
  /** `%{...}` is malformed (bad name, alias or type). */
  | 'invalid_reference'
  /** The regex is not valid RE2 syntax. */
  | 'regex_syntax'
  /** Valid Perl/PCRE but rejected by RE2 (lookaround, backreference, `\C`, ...). */
  | 'regex_unsupported'
  /** The translated regex was refused by the JavaScript engine (e.g. too large). */
  | 'regex_engine'
  /** `addPattern` on a library that may not change (the shared default library). */
  | 'read_only';

export interface GrokErrorContext {
  /** The grok pattern or regex text the error is about. */
  pattern?: string;
  /** UTF-16 offset of the fault inside `pattern`, when known. */
  offset?: number;
  /** Pattern name being defined or referenced. */
  name?: string;
  /** The reference chain of a cycle, first name repeated at the end. */
  chain?: readonly string[];
}

export class GrokError extends Error {
  override name = 'GrokError';
  readonly code: GrokErrorCode;
  readonly pattern: string | undefined;
  readonly offset: number | undefined;
  readonly patternName: string | undefined;
  readonly chain: readonly string[] | undefined;

  constructor(code: GrokErrorCode, message: string, ctx: GrokErrorContext = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.pattern = ctx.pattern;
    this.offset = ctx.offset;
    this.patternName = ctx.name;
    this.chain = ctx.chain;
  }
}

export function isGrokError(x: unknown): x is GrokError {
  return x instanceof GrokError;
}
