/**
 * The mutable shape of `Config` while files and environment are merged into
 * it; only the loader sees it, callers get the frozen `Config`.
 */
import type { Config } from './types.js';

export type Draft<T> = T extends readonly (infer U)[]
  ? Draft<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Draft<T[K]> }
    : T;

export type ConfigDraft = Draft<Config>;

/** Recursively freezes plain objects and arrays. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
