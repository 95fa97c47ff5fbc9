/**
 * Outside state functions may use, passed explicitly to `compileScript`
 * (and optionally per run). Everything is optional: a function whose
 * service is missing behaves as DataKit does without it.
 */
import type { Script } from '../lang/script.js';

export interface PipelineServices {
  /** Resolves `use("name.p")` within the caller's namespace and category. */
  resolveScript?: (name: string, category: string) => Script | null;
  /** Grok pattern library shared by scripts (see `src/pipeline/grok/`). */
  grok?: unknown;
  /** Further services added by later work (caches, refer tables, geoip, …). */
  [name: string]: unknown;
}

export function servicesOf(x: unknown): PipelineServices {
  return (x !== null && typeof x === 'object' ? x : {}) as PipelineServices;
}
