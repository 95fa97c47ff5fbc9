/**
 * point_window / window_hit end to end: DataKit's own TestPtWindow cases
 * (scripts run point by point, each run settled as the pipeline stage
 * does), with plkit's oldest-first order of held points, plus streams,
 * run errors and the bounds.
 */
import { describe, expect, it } from 'vitest';
import { compileScript } from '../../../src/pipeline/index.js';
import { PointWindow, PointWindowService, WindowPool } from '../../../src/pipeline/services/point-window.js';
import { Point } from '../../../src/point/point.js';

function runStream(
  pl: string,
  inputs: string[],
  tags: (i: number) => [string, string][] = () => [
    ['host', 'a'],
    ['filepath', 'b'],
  ],
): string[] {
  const windows = new PointWindowService();
  const services = { pointWindows: windows };
  const c = compileScript(pl, { name: 'w.p', services });
  if (!c.ok) throw c.error;
  const out: string[] = [];
  inputs.forEach((msg, i) => {
    const pt = new Point('test', new Map(tags(i)), new Map([['message', msg]]), 1n);
    const res = c.script.run(pt, { services });
    const outcome = res.error !== undefined ? 'failed' : res.dropped ? 'dropped' : 'kept';
    for (const p of windows.settle(pt, outcome)) out.push(p.fields.get('message') as string);
  });
  return out;
}

const seven = ['1', '2', '3', '4', '5', '6', '7'];

describe('point_window (DataKit TestPtWindow)', () => {
  it.each([
    [
      'point_window(3,3)\ndrop()\nif _ == "4" { window_hit() }',
      ['1', '2', '3', '4', '5', '6'],
      ['1', '2', '3', '4', '5', '6'],
    ],
    [
      'point_window(3,3)\nif _ == "4" { window_hit() }\nif _ != "6" { drop() }',
      seven,
      ['1', '2', '3', '4', '5'],
    ],
    [
      'point_window(3,3, ["host", "filepath"])\nif _ == "4" { window_hit() }\nif _ != "3" { drop() }',
      seven,
      ['1', '2', '4', '5', '6'],
    ],
    [
      'point_window(3,3)\nif _ == "4" { window_hit() }\nif _ != "6" { drop() }\nif _ == "7" { window_hit() }',
      seven,
      ['1', '2', '3', '4', '5', '7'],
    ],
    // DataKit emits the ring in slot order (3, 1, 2); plkit oldest first
    [
      'point_window(3,3)\ndrop()\nif _ == "4" { window_hit() }',
      ['0', '1', '2', '3', '4', '5', '6'],
      ['1', '2', '3', '4', '5', '6'],
    ],
  ])('%s', (pl, inputs, want) => {
    expect(runStream(pl, inputs)).toEqual(want);
  });
});

describe('point_window streams and rules', () => {
  it('keeps one window per stream', () => {
    const pl = 'point_window(2,1)\ndrop()\nif _ == "hit" { window_hit() }';
    const hosts = ['a', 'b', 'a', 'b', 'a'];
    const got = runStream(pl, ['a1', 'b1', 'a2', 'b2', 'hit'], (i) => [
      ['host', hosts[i]!],
      ['filepath', 'f'],
    ]);
    expect(got).toEqual(['a1', 'a2', 'hit']);
  });

  it('leaves out points without the stream tags, or with a non-string one', () => {
    const pl = 'point_window(2,2)\ndrop()\nwindow_hit()';
    expect(runStream(pl, ['x'], () => [['host', 'a']])).toEqual([]);
    expect(runStream('point_window(2,2, ["n"])\ndrop()\nwindow_hit()', ['x'])).toEqual([]);
    expect(runStream('n = 1\npoint_window(2,2, ["n"])\ndrop()\nwindow_hit()', ['x'])).toEqual([]);
    expect(runStream('n = "v"\npoint_window(2,2, ["n"])\ndrop()\nwindow_hit()', ['x'])).toEqual(['x']);
  });

  it('takes stream tags from a list value, and defaults an empty one', () => {
    const pl = 'tags = ["host"]\npoint_window(1,1, tags)\ndrop()\nwindow_hit()';
    expect(runStream(pl, ['x'], () => [['host', 'a']])).toEqual(['x']);
    expect(runStream('point_window(1,1, [])\ndrop()\nwindow_hit()', ['x'])).toEqual(['x']);
    expect(runStream('point_window(1,1, [1])\ndrop()\nwindow_hit()', ['x'])).toEqual([]);
  });

  it('ignores window_hit without point_window, and a failed run', () => {
    expect(runStream('drop()\nwindow_hit()', ['x'])).toEqual([]);
    expect(runStream('point_window(2,2)\ndrop()\nwindow_hit()\nx = nil\nx["a"]', ['x'])).toEqual([]);
  });

  it.each([
    ['point_window("3", 3)', /expect int/],
    ['point_window(3, 3.5)', /expect int/],
    ['point_window(3, 3, "host")', /expect array/],
  ])('fails the run for %s', (pl, re) => {
    const services = { pointWindows: new PointWindowService() };
    const c = compileScript(pl, { name: 'w.p', services });
    if (!c.ok) throw c.error;
    const res = c.script.run(new Point('t', new Map([['host', 'a']]), new Map(), 1n), { services });
    expect(res.error?.reason).toMatch(re);
  });

  it('fails the run without the service', () => {
    for (const pl of ['point_window(1, 1)', 'window_hit()']) {
      const c = compileScript(pl, { name: 'w.p' });
      if (!c.ok) throw c.error;
      const res = c.script.run(new Point('t', new Map(), new Map(), 1n));
      expect(res.error?.reason).toMatch(/point window service is not available/);
    }
  });
});

describe('PointWindow', () => {
  it('holds only dropped points and lets kept ones take a slot', () => {
    const w = new PointWindow(2, 1);
    const p = (n: string) => new Point(n, new Map(), new Map(), 0n);
    w.move(p('a'));
    w.move(null);
    w.move(p('b'));
    w.hit();
    expect(w.move(null).map((x) => x.name)).toEqual(['b']);
  });

  it('with before = 0 releases only the hit and following points', () => {
    const w = new PointWindow(0, 2);
    const p = (n: string) => new Point(n, new Map(), new Map(), 0n);
    expect(w.move(p('a'))).toEqual([]);
    w.hit();
    expect(w.move(p('b')).map((x) => x.name)).toEqual(['b']);
    expect(w.move(p('c')).map((x) => x.name)).toEqual(['c']);
    expect(w.move(p('d'))).toEqual([]);
  });

  it('forgets the least recently used stream beyond the bound', () => {
    const pool = new WindowPool(2);
    const a = pool.window('a', 1, 1);
    pool.window('b', 1, 1);
    pool.window('a', 1, 1);
    pool.window('c', 1, 1);
    expect(pool.size).toBe(2);
    expect(pool.window('a', 5, 5)).toBe(a);
    expect(pool.window('b', 5, 5).before).toBe(5);
  });

  it('caps the ring size', () => {
    const svc = new PointWindowService({ maxBefore: 4 });
    const pt = new Point('t', new Map(), new Map(), 0n);
    const script = {};
    svc.register(pt, script, 1_000_000, 1, 'k');
    expect(svc.pool(script).window('k', 0, 0).before).toBe(4);
  });
});
