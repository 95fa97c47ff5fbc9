/**
 * V8's linear-time fallback for regexes that backtrack too much.
 *
 * RE2 is linear; V8's backtracking engine is not, and a grok such as
 * `%{DATA},%{DATA},…;` can take seconds to minutes on one non-matching
 * line. V8 can re-run a match that exceeds N backtracks on its
 * experimental linear engine. That engine only accepts regexes without the
 * `u`/`i` flags, without lookarounds and with counted repeats replicated at
 * most 16 times, so `compile.ts` keeps a flag-less twin of eligible
 * patterns and uses it for input without surrogates once this is enabled.
 *
 * The V8 flags are process-wide and read at match time; call this once at
 * startup. Measured on Node 20 (V8 11.3): no measurable cost on normal
 * matches; a 6×`%{DATA}` grok on a 30-field line without its terminator
 * went from 1.3 s to 0.8 ms at 1000 backtracks.
 */
import v8 from 'node:v8';

const FLAG = '--enable-experimental-regexp-engine-on-excessive-backtracks';

export const regexpFallback = {
  enabled: process.execArgv.some((a) => a === FLAG),
};

export const DEFAULT_BACKTRACKS_BEFORE_FALLBACK = 1000;

export function enableRegexpFallback(backtracksBeforeFallback = DEFAULT_BACKTRACKS_BEFORE_FALLBACK): void {
  v8.setFlagsFromString(FLAG);
  v8.setFlagsFromString(
    `--regexp-backtracks-before-fallback=${Math.max(1, Math.floor(backtracksBeforeFallback))}`,
  );
  regexpFallback.enabled = true;
}
