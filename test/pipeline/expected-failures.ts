/**
 * Conformance cases expected to fail: cases held back by a function not
 * built yet, and cases plkit fails on purpose (group names ending in
 * "(by design)", each with its reason checked against DataKit's source).
 * The suite runs every one of them anyway: a listed case that passes
 * fails the suite with "now passes", so this list only shrinks.
 * Regenerate with `npx vite-node scripts/prune-expected-failures.ts`.
 */
export interface ExpectedFailureGroup {
  /** The missing (or not yet wired) function, or `<func> (by design)`. */
  func: string;
  reason: string;
  ids: string[];
}

export const EXPECTED_FAILURES: ExpectedFailureGroup[] = [
  {
    func: 'cache_get (by design)',
    reason:
      "DataKit's cache applies cache_set on a background goroutine, so the cache_get right after it raced and missed (DataKit's own test expects \"123\"); plkit's set is visible at once",
    ids: ['ptinput/funcs/fn_cache_test.go#TestCache#0', 'ptinput/funcs/fn_cache_test.go#TestCache#1'],
  },
  {
    func: 'geoip (by design)',
    reason:
      'recorded with no IP database attached, where DataKit skips geoip() silently; plkit fails the run without a database (fail closed), and with one a miss adds the empty fields DataKit adds',
    ids: ['ptinput/funcs/md/geoip.en.md#block0#0'],
  },
];
