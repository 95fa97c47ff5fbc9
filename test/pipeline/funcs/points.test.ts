/**
 * sample, create_point and json_all: sampling against a pinned clock,
 * sub-points with their category and intake rules, argument errors.
 */
import { describe, expect, it } from 'vitest';
import { compileScript } from '../../../src/pipeline/index.js';
import type { Script } from '../../../src/pipeline/lang/script.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { clockAt, compileError, run } from './script-harness.js';

/** A clock whose microsecond modulo 100 (DataKit's sample draw) is `draw`. */
function drawClock(draw: number) {
  return clockAt(1_795_689_945_364_600_000n + BigInt(draw) * 1000n);
}

describe('sample', () => {
  it.each([
    ['sample(0.5)', 40, true],
    ['sample(0.5)', 50, true],
    ['sample(0.5)', 51, false],
    ['sample(1)', 99, true],
    ['sample(0)', 0, true],
    ['sample(0)', 1, false],
    ['sample(2 * 0.1)', 20, true],
    ['sample(2 * 0.1)', 21, false],
    ['sample(-0.5)', 0, null],
    ['sample(2)', 0, null],
  ])('%s with draw %d', (expr, draw, want) => {
    const r = run(`add_key(x, ${expr})`, [], { services: drawClock(draw) });
    expect(r.error).toBeUndefined();
    expect(r.fields.x).toEqual(want === null ? { n: null } : { b: want });
  });

  it('fails the run when an arithmetic probability is not a float', () => {
    expect(run('sample(1 + 0)').error).toMatch(/to float/);
  });

  it.each([
    ['sample(p)', /expect NumberLiteral or ArithmeticExpr/],
    ['sample("0.5")', /expect NumberLiteral or ArithmeticExpr/],
    ['sample()', /missing required parameter/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('create_point', () => {
  it('makes a metric point by default, keeping only string tags and basic fields', () => {
    const r = run(
      'create_point("n1", {"a": "1", "b": 2}, {"f": 2.5, "i": 3, "s": "x", "l": [1], "m": {}, "z": nil, "t": true})',
      [],
      { time: 77n },
    );
    expect(r.error).toBeUndefined();
    expect(r.subPoints).toHaveLength(1);
    const sp = r.subPoints[0]!;
    expect(sp.category).toBe('metric');
    expect(toTyped(sp)).toEqual({
      name: 'n1',
      time_ns: '77',
      tags: { a: '1' },
      // metric drops string fields on intake
      fields: { f: { f: 2.5 }, i: { i: '3' }, t: { b: true } },
    });
  });

  it.each([
    ['L', 'logging', { status: { s: 'info' } }],
    ['logging', 'logging', { status: { s: 'info' } }],
    ['O', 'object', { name: { s: 'default' } }],
    ['CO', 'custom_object', { name: { s: 'default' } }],
    ['T', 'tracing', {}],
    ['R', 'rum', {}],
    ['N', 'network', {}],
    ['S', 'security', {}],
    ['DT', 'dialtesting', {}],
  ])('category %s is %s', (code, cat, extra) => {
    const r = run(`create_point("n", nil, {"s": "x"}, category="${code}")`);
    expect(r.subPoints[0]?.category).toBe(cat);
    expect(toTyped(r.subPoints[0]!).fields).toEqual({ s: { s: 'x' }, ...extra });
  });

  it('makes no point for an unknown category', () => {
    const r = run('create_point("n", {}, {}, category="keyevent")');
    expect(r.error).toBeUndefined();
    expect(r.subPoints).toHaveLength(0);
  });

  it('uses a positive ts and otherwise the input point time', () => {
    expect(run('create_point("n", {}, {}, 123)', [], { time: 9n }).subPoints[0]?.time).toBe(123n);
    expect(run('create_point("n", {}, {}, -1)', [], { time: 9n }).subPoints[0]?.time).toBe(9n);
  });

  it.each([
    ['create_point(1, {}, {})', /expected to be string/],
    ['create_point(nil, {}, {})', /expected to be string/],
    ['create_point("n", [1], {})', /expected to be map/],
    ['create_point("n", {}, "f")', /expected to be map/],
    ['create_point("n", {}, {}, "1")', /expected to be int64/],
    ['create_point("n", {}, {}, category=1)', /expected to be str/],
  ])('run error %s', (src, re) => {
    const r = run(src);
    expect(r.error).toMatch(re);
    expect(r.subPoints).toHaveLength(0);
  });

  it('stops quietly when an optional argument fails to evaluate', () => {
    const r = run('create_point("n", {}, {}, 1 / 0)');
    expect(r.error).toBeUndefined();
    expect(r.subPoints).toHaveLength(0);
  });

  it('runs the after_use script on the new point', () => {
    const child = compileScript('add_key(from_child, "yes")', { name: 'child.p' });
    if (!child.ok) throw child.error;
    const services = {
      resolveScript: (name: string): Script | null => (name === 'child.p' ? child.script : null),
    };
    const r = run('create_point("n", {}, {"a": 1}, category="L", after_use="child.p")', [], { services });
    expect(r.error).toBeUndefined();
    expect(toTyped(r.subPoints[0]!).fields).toEqual({
      a: { i: '1' },
      from_child: { s: 'yes' },
      status: { s: 'info' },
    });
  });

  it.each([
    ['create_point("n", {})', /missing required parameter/],
    ['create_point("n", {}, {}, after_use=x)', /param after_use expects StringLiteral/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('json_all', () => {
  it('is accepted and does nothing, as DataKit disabled it', () => {
    for (const src of [
      'json_all()',
      'json_all(_)',
      'json_all(input=_, include_keys=["a"])',
      'json_all(1, 2, 3, 4)',
    ]) {
      const r = run(src, [['message', '{"a": 1}']]);
      expect(r.error).toBeUndefined();
      expect(r.fields).toEqual({ message: { s: '{"a": 1}' } });
    }
  });
});
