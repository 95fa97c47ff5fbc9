/**
 * DataKit's default pattern library as a read-only `GrokLibrary`, built on
 * first use and shared: it never changes, so every script library can sit
 * on top of the same instance (and share its compile cache).
 */
import { DEFAULT_PATTERNS_TEXT } from './default-patterns.js';
import { GrokLibrary } from './library.js';
import { parsePatternText } from './pattern-text.js';

let shared: GrokLibrary | null = null;

export function defaultGrokLibrary(): GrokLibrary {
  if (shared === null) {
    shared = GrokLibrary.fromEntries(parsePatternText(DEFAULT_PATTERNS_TEXT), { readOnly: true });
  }
  return shared;
}
