/**
 * `%{NAME}`, `%{NAME:key}` and `%{NAME:key:type}` references, read the way
 * DataKit's grok reads them:
 * - a reference is `%{` + `[\w.-]+` (up to three `:`-separated parts) + `}`;
 *   anything else (`%{DATA:}`, `%{X:@ts}`) is not a reference and stays in
 *   the regex as literal text;
 * - a reference that looks like one but is malformed (`%{-X}`,
 *   `%{X:k:integer}`) is an error;
 * - in the key, `.` and `-` become `_` (`http.method` → `http_method`);
 * - types are `int`, `float`, `str`/`string` (same thing) and `bool`.
 */
import { GrokError } from './errors.js';

export type GrokType = 'int' | 'float' | 'str' | 'bool';

export interface PatternRef {
  /** Offset of `%{` in the pattern. */
  start: number;
  /** Offset just past `}`. */
  end: number;
  /** Name of the referenced pattern. */
  name: string;
  /** Capture key, or null for a bare `%{NAME}` (matched but not captured). */
  key: string | null;
  type: GrokType | null;
}

const REF = /%\{([\w.-]+(?::[\w.-]+(?::[\w.-]+)?)?)\}/g;
const VALID = /^\w+(?:[-.]\w+)*(?::[-.\w]+(?::(?:string|str|float|int|bool))?)?$/;
const NON_WORD = /\W/g;

/** All references in `pattern`, in order, or the first malformed one as an error. */
export function scanRefs(pattern: string): PatternRef[] | GrokError {
  const out: PatternRef[] = [];
  if (!pattern.includes('%{')) return out;
  REF.lastIndex = 0;
  for (let m = REF.exec(pattern); m !== null; m = REF.exec(pattern)) {
    const body = m[1]!;
    if (!VALID.test(body)) {
      return new GrokError('invalid_reference', `invalid pattern \`%{${body}}\``, {
        pattern,
        offset: m.index,
      });
    }
    const parts = body.split(':');
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      name: parts[0]!,
      key: parts.length > 1 ? parts[1]!.replace(NON_WORD, '_') : null,
      type: parts.length > 2 ? normalizeType(parts[2]!) : null,
    });
  }
  return out;
}

function normalizeType(t: string): GrokType {
  return t === 'string' ? 'str' : (t as GrokType);
}
