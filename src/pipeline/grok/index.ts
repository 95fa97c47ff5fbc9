/**
 * @module pipeline/grok — DataKit-compatible grok: the default pattern
 * library, pattern files and script-scoped patterns (`GrokLibrary`), and
 * patterns compiled from RE2 syntax to one JavaScript RegExp each
 * (`CompiledGrok`). The `grok()`/`add_pattern()` script functions build on
 * this.
 */
export type { GrokCapture } from './compile.js';
export { CompiledGrok, compileGrok } from './compile.js';
export { defaultGrokLibrary } from './default-library.js';
export { DEFAULT_PATTERNS_TEXT } from './default-patterns.js';
export type { DefinedPattern, PatternLookup } from './denormalize.js';
export type { GrokErrorCode, GrokErrorContext } from './errors.js';
export { GrokError, isGrokError } from './errors.js';
export { goTrimSpace } from './go-trim.js';
export type { LibraryOptions } from './library.js';
export { GrokLibrary } from './library.js';
export type { GrokType, PatternRef } from './pattern-ref.js';
export { scanRefs } from './pattern-ref.js';
export type { PatternEntry } from './pattern-text.js';
export { parsePatternText, readPatternDir } from './pattern-text.js';
export type { Re2Translation } from './re2-to-js.js';
export { translateRe2 } from './re2-to-js.js';
export {
  DEFAULT_BACKTRACKS_BEFORE_FALLBACK,
  enableRegexpFallback,
  regexpFallback,
} from './regexp-fallback.js';
export type { GrokValue } from './typed-value.js';
export { castGrokValue } from './typed-value.js';
