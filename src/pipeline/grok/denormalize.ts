/**
 * Expand the references of one grok pattern into a single RE2 regex, as
 * DataKit does: `%{NAME:key}` becomes `(?P<key>…)`, a bare `%{NAME}` an
 * unnamed group, and the referenced pattern's own text is its already
 * expanded form. Expansion happens when a pattern is defined, so a later
 * redefinition of `NAME` does not change patterns defined before it
 * (DataKit's `add_pattern` behaves the same way).
 *
 * Capture types travel with the text: an explicit `:type` sets the key's
 * type (a later explicit one wins), and types declared inside a referenced
 * pattern apply unless the key already has one.
 */
import { GrokError } from './errors.js';
import { type GrokType, scanRefs } from './pattern-ref.js';

/** A pattern as stored in a library. */
export interface DefinedPattern {
  readonly name: string;
  /** The text as written (with `%{...}` references). */
  readonly source: string;
  /** Fully expanded RE2 text. */
  readonly re2: string;
  /** Declared capture types by key. */
  readonly types: ReadonlyMap<string, GrokType>;
}

export interface Expanded {
  re2: string;
  types: Map<string, GrokType>;
}

export type PatternLookup = (name: string) => DefinedPattern | undefined;

export function denormalize(source: string, lookup: PatternLookup): Expanded | GrokError {
  const refs = scanRefs(source);
  if (refs instanceof GrokError) return refs;
  const types = new Map<string, GrokType>();
  if (refs.length === 0) return { re2: source, types };
  const parts: string[] = [];
  let last = 0;
  for (const ref of refs) {
    if (ref.type !== null && ref.key !== null) types.set(ref.key, ref.type);
    const def = lookup(ref.name);
    if (def === undefined) {
      return new GrokError('unknown_pattern', `no pattern found for %{${ref.name}}`, {
        pattern: source,
        offset: ref.start,
        name: ref.name,
      });
    }
    for (const [k, t] of def.types) if (!types.has(k)) types.set(k, t);
    parts.push(source.slice(last, ref.start));
    parts.push(ref.key === null ? `(${def.re2})` : `(?P<${ref.key}>${def.re2})`);
    last = ref.end;
  }
  parts.push(source.slice(last));
  return { re2: parts.join(''), types };
}
