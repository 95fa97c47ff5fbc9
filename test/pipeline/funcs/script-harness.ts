/**
 * Runs a Platypus snippet on a small point for the function family tests:
 * the point's fields in the typed shape, the run error (if any), sub-points,
 * and a helper that returns a compile error's reason.
 */
import { compileScript } from '../../../src/pipeline/index.js';
import { Point } from '../../../src/point/point.js';
import { type TypedValue, toTyped } from '../../../src/point/typed-json.js';
import type { FieldValue } from '../../../src/point/value.js';

export interface Ran {
  pt: Point;
  fields: Record<string, TypedValue>;
  tags: Record<string, string>;
  error: string | undefined;
  dropped: boolean;
  subPoints: Point[];
}

export interface RunOpts {
  tags?: [string, string][];
  tz?: string;
  services?: unknown;
  time?: bigint;
}

export function run(src: string, fields: [string, FieldValue][] = [], opts: RunOpts = {}): Ran {
  const c = compileScript(src, { name: 't.p', services: opts.services });
  if (!c.ok) throw c.error;
  const pt = new Point('p', new Map(opts.tags ?? []), new Map(fields), opts.time ?? 5n);
  const res = c.script.run(pt, { tz: opts.tz ?? 'UTC', services: opts.services });
  const typed = toTyped(pt);
  return {
    pt,
    fields: typed.fields as Record<string, TypedValue>,
    tags: typed.tags as Record<string, string>,
    error: res.error?.reason,
    dropped: res.dropped,
    subPoints: res.subPoints,
  };
}

/** The reason of the compile error `src` gives, or null when it compiles. */
export function compileError(src: string): string | null {
  const c = compileScript(src, { name: 't.p' });
  return c.ok ? null : c.error.reason;
}

/** A fixed clock service (Unix nanoseconds). */
export function clockAt(ns: bigint): { clock: () => bigint } {
  return { clock: () => ns };
}
