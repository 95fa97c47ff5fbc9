// Sets process-wide V8 flags: kept in its own file (vitest forks one
// process per file) so no other test runs with them.
import { describe, expect, it } from 'vitest';
import {
  type CompiledGrok,
  defaultGrokLibrary,
  enableRegexpFallback,
  GrokError,
  regexpFallback,
} from '../../../src/pipeline/grok/index.js';

function compile(pattern: string): CompiledGrok {
  const g = defaultGrokLibrary().compile(pattern);
  if (g instanceof GrokError) throw g;
  return g;
}

const CSV = '%{DATA:a},%{DATA:b},%{DATA:c},%{DATA:d},%{DATA:e},%{DATA:f};%{GREEDYDATA:rest}';

describe('V8 linear fallback', () => {
  it('knows which patterns V8 could run linearly', () => {
    expect(compile(CSV).linearFallback).toBe(true);
    expect(compile('%{WORD:a} %{NOTSPACE:b} %{NUMBER:n:float}').linearFallback).toBe(true);
    // HOSTNAME repeats a class up to 62 times; V8 refuses more than 16
    expect(compile('%{IPORHOST:h}').linearFallback).toBe(false);
    // (?m) needs lookarounds
    expect(compile('(?m)^%{WORD:w}$').linearFallback).toBe(false);
  });

  it('keeps results identical once enabled', () => {
    const g = compile(CSV);
    const inputs = ['a,b,c,d,e,f;rest', 'x,,y,z,,w;r;s', 'ü,é,1,2,3,4;5', '😀,b,c,d,e,f;g', 'no match here'];
    const before = inputs.map((s) => g.match(s));
    enableRegexpFallback(1000);
    expect(regexpFallback.enabled).toBe(true);
    expect(inputs.map((s) => g.match(s))).toEqual(before);
  });

  it('turns a catastrophic non-match into a quick one', () => {
    enableRegexpFallback(1000);
    const g = compile(CSV);
    // Without the fallback this takes minutes (6 lazy DATA over 60 fields).
    const line = Array.from({ length: 60 }, (_, i) => `f${i}`).join(',');
    const t0 = performance.now();
    expect(g.match(line)).toBeNull();
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
