/**
 * Loads DataKit's pipeline conformance cases for one function, so each
 * helper's tests can replay the cases whose script shape is simple enough
 * to map onto a direct call. Read from ../shared at test time, never copied.
 */
import { readFileSync } from 'node:fs';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../../support/shared.js';

export interface TypedField {
  s?: string;
  i?: string;
  f?: number | string;
  b?: boolean;
  n?: null;
}

export interface PipelineCase {
  id: string;
  func: string;
  pl: string;
  in: string;
  requires: string[];
  expect: Array<{ compile_error?: string; fields?: Record<string, TypedField>; run_error?: string }>;
}

let all: PipelineCase[] | null = null;

export function casesFor(func: string): PipelineCase[] {
  if (SHARED_DIR === null) return [];
  if (all === null) {
    const text = readFileSync(sharedPath('conformance', 'pipeline', 'cases.jsonl'), 'utf8');
    all = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as PipelineCase);
  }
  return all.filter((c) => c.func === func);
}

/** The fields of the single output point, or null for a compile error. */
export function outFields(c: PipelineCase): Record<string, TypedField> | null {
  const p = c.expect[0];
  if (!p || p.compile_error !== undefined) return null;
  return p.fields ?? {};
}

/** A PL string literal's value (the cases only use \\ and \" escapes). */
export function plString(lit: string): string {
  return lit.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** A suite title that says why it was skipped when ../shared is missing. */
export function vectorSuite(func: string): string {
  return SHARED_DIR === null
    ? `${func} conformance vectors (${SHARED_MISSING_REASON})`
    : `${func} conformance vectors`;
}
