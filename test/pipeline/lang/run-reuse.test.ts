/**
 * The run-time shortcuts of the engine must not change what a run does:
 * the spare RunState a Script reuses between runs, the key helpers that
 * skip redundant map work, and finishPoint's fast status check.
 */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../src/pipeline/funcs/index.js';
import { compileScript, type Registry } from '../../../src/pipeline/index.js';
import { finishPoint, RunState } from '../../../src/pipeline/lang/index.js';
import { Point } from '../../../src/point/point.js';
import { normalizeStatus } from '../../../src/point/status.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { type FieldValue, UInt } from '../../../src/point/value.js';

function compile(src: string, registry?: Registry) {
  const c = compileScript(src, { name: 't.p', registry });
  if (!c.ok) throw c.error;
  return c.script;
}

function point(fields: [string, FieldValue][] = [], tags: [string, string][] = []): Point {
  return new Point('p', new Map(tags), new Map(fields), 5n);
}

describe('Script.run reusing its state', () => {
  it('starts every run clean: variables, flags, parsed JSON', () => {
    const s = compile(
      'if seen == nil { seen = 1; add_key(first, true) }\njson(_, a)\nif a == "drop" { drop() }\nexit()',
    );
    const one = point([['message', '{"a":"drop"}']]);
    const r1 = s.run(one, { tz: 'UTC' });
    expect(r1.dropped).toBe(true);
    const two = point([['message', '{"a":"keep"}']]);
    const r2 = s.run(two, { tz: 'UTC' });
    expect(r2.dropped).toBe(false);
    expect(toTyped(two).fields).toEqual({
      message: { s: '{"a":"keep"}' },
      first: { b: true },
      a: { s: 'keep' },
    });
    // the first result is not touched by the second run
    expect(r1.dropped).toBe(true);
  });

  it('resets the status-mapping switch between runs', () => {
    const s = compile('if off == true { setopt(status_mapping=false) }\nadd_key(status, "W")');
    const a = point([['off', true]]);
    s.run(a);
    expect(a.fields.get('status')).toBe('W');
    const b = point();
    s.run(b);
    expect(b.fields.get('status')).toBe('warning');
  });

  it('hands each run its own sub-points and a shared frozen empty list otherwise', () => {
    const s = compile('if mk == true { create_point("n", {"a": "1"}, {"v": 1}) }');
    const r1 = s.run(point([['mk', true]]));
    const r2 = s.run(point([['mk', true]]));
    const r3 = s.run(point());
    expect(r1.subPoints).toHaveLength(1);
    expect(r2.subPoints).toHaveLength(1);
    expect(r1.subPoints[0]).not.toBe(r2.subPoints[0]);
    expect(r1.subPoints).not.toBe(r2.subPoints);
    expect(r3.subPoints).toEqual([]);
    expect(Object.isFrozen(r3.subPoints)).toBe(true);
  });

  it('keeps the limits of each run (no carry-over from a previous run)', () => {
    const s = compile('for i = 0; i < 100; i += 1 { }');
    expect(s.run(point(), { limits: { maxSteps: 10 } }).error?.code).toBe('PLK_ERR_STEP_LIMIT');
    expect(s.run(point()).error).toBeUndefined();
    expect(s.run(point(), { limits: { maxSteps: 50 } }).error?.code).toBe('PLK_ERR_STEP_LIMIT');
  });

  it('returns the run error and still reuses the state afterwards', () => {
    const s = compile('add_key(a, 1)\nx = [1][5:"b"]\nadd_key(b, 2)');
    const p1 = point();
    const r1 = s.run(p1);
    expect(r1.error?.code).toBe('PLK_ERR_RUN');
    expect(p1.fields.get('a')).toBe(1n);
    expect(p1.fields.has('b')).toBe(false);
    const p2 = point();
    expect(s.run(p2).error?.code).toBe('PLK_ERR_RUN');
    expect(p2.fields.get('a')).toBe(1n);
  });

  it('runs a nested run of the same script on a state of its own', () => {
    // a function that runs the script being run, as use() of itself would
    let script: ReturnType<typeof compile> | null = null;
    let depth = 0;
    const registry = defaultRegistry().with({
      name: 'again',
      params: [],
      compile: () => (r) => {
        if (depth > 0) return null;
        depth++;
        const inner = point([['message', 'inner']]);
        script!.run(inner, { tz: r.tz });
        depth--;
        return inner.fields.get('v') === 'inner' ? 'ok' : 'bad';
      },
    });
    script = compile('v = _\nres = again()\nadd_key(v, v)\nadd_key(res, res)', registry);
    const outer = point([['message', 'outer']]);
    expect(script.run(outer).error).toBeUndefined();
    expect(outer.fields.get('v')).toBe('outer');
    expect(outer.fields.get('res')).toBe('ok');
  });

  it('does not keep the last point reachable from the spare state', () => {
    const s = compile('add_key(a, 1)');
    const p = point();
    s.run(p);
    const spare = (s as unknown as { spare: RunState | null }).spare;
    expect(spare).not.toBeNull();
    expect(spare!.pt).not.toBe(p);
    expect(spare!.pt.fields.size).toBe(0);
  });
});

describe('RunState key helpers', () => {
  function state(fields: [string, FieldValue][] = [], tags: [string, string][] = []) {
    const pt = point(fields, tags);
    return { pt, r: new RunState(pt, 0, 'UTC', undefined, { maxSteps: 10, maxMillis: 10 }, '', 't.p') };
  }

  it('setKey keeps a tag a tag and turns lists/maps into JSON fields', () => {
    const { pt, r } = state([], [['t', 'x']]);
    r.setKey('t', 12n);
    r.setKey('f', [1n, 'a']);
    r.setKey('n', null);
    expect(pt.tags.get('t')).toBe('12');
    expect(pt.fields.get('f')).toBe('[1,"a"]');
    expect(pt.fields.get('n')).toBeNull();
    r.setKey('t', null);
    expect(pt.tags.get('t')).toBe('');
  });

  it('setTag and setField move a key between the maps', () => {
    const { pt, r } = state([['k', 3n]]);
    r.setTag('k', 3n);
    expect([pt.tags.get('k'), pt.fields.has('k')]).toEqual(['3', false]);
    r.setField('k', 'v');
    expect([pt.tags.has('k'), pt.fields.get('k')]).toEqual([false, 'v']);
  });

  it('renameKey moves tags and fields and replaces the target', () => {
    const { pt, r } = state(
      [
        ['f', 1n],
        ['g', 2n],
      ],
      [['t', 'x']],
    );
    r.renameKey('t', 'g');
    expect([pt.tags.get('g'), pt.fields.has('g'), pt.tags.has('t')]).toEqual(['x', false, false]);
    r.renameKey('f', 'g');
    expect([pt.fields.get('g'), pt.tags.has('g'), pt.fields.has('f')]).toEqual([1n, false, false]);
    r.renameKey('missing', 'g');
    expect(pt.fields.get('g')).toBe(1n);
    r.renameKey('g', 'g');
    expect(pt.fields.get('g')).toBe(1n);
  });

  it('renameKey carries a nil field', () => {
    const { pt, r } = state([['f', null]]);
    r.renameKey('f', 'h');
    expect([pt.fields.has('f'), pt.fields.get('h')]).toEqual([false, null]);
  });

  it('deleteKey removes the tag first, else the field', () => {
    const { pt, r } = state([['k', 1n]], [['k', 'x']]);
    r.deleteKey('k');
    expect([pt.tags.has('k'), pt.fields.has('k')]).toEqual([false, true]);
    r.deleteKey('k');
    expect(pt.fields.has('k')).toBe(false);
  });

  it('readPoint converts uint, bytes and arrays', () => {
    const { r } = state([
      ['u', new UInt(2n ** 64n - 1n)],
      ['b', new TextEncoder().encode('hé')],
      ['a', [1n, 'x']],
      ['s', 's'],
    ]);
    expect(r.readPoint('u')).toBe(-1n);
    expect(r.readPoint('b')).toBe('hé');
    expect(r.readPoint('a')).toEqual([1n, 'x']);
    expect(r.readPoint('s')).toBe('s');
    expect(r.readPoint('none')).toBeUndefined();
    expect(r.hasKey('s')).toBe(true);
    expect(r.hasKey('none')).toBe(false);
  });

  const upper = (s: string) => s.toUpperCase();
  const cases: [
    string,
    [string, FieldValue][],
    [string, string][],
    FieldValue | undefined,
    string | undefined,
  ][] = [
    // name, fields, tags, field after, tag after
    ['tag changed', [], [['k', 'ab']], undefined, 'AB'],
    ['tag unchanged', [], [['k', 'AB']], undefined, 'AB'],
    ['string field changed', [['k', 'ab']], [], 'AB', undefined],
    ['string field unchanged', [['k', 'AB']], [], 'AB', undefined],
    ['int field becomes its text', [['k', 12n]], [], '12', undefined],
    [
      'bytes field becomes a string even when equal',
      [['k', new TextEncoder().encode('AB')]],
      [],
      'AB',
      undefined,
    ],
    ['nil field stays nil', [['k', null]], [], null, undefined],
    ['missing key stays missing', [], [], undefined, undefined],
  ];
  it.each(cases)('mapString: %s', (_name, fields, tags, field, tag) => {
    const { pt, r } = state(fields, tags);
    r.mapString('k', upper);
    expect(pt.fields.get('k')).toEqual(field);
    expect(pt.tags.get('k')).toEqual(tag);
  });
});

describe('finishPoint', () => {
  const statuses = [
    'info',
    'INFO',
    'warning',
    'Warn',
    'w',
    'error',
    'OK',
    'ok',
    'o',
    'unknown',
    '',
    'debug',
    'trace',
    'notice',
    'critical',
    'alert',
    'emerg',
    'f',
    'custom',
    'Custom',
  ];
  it.each(statuses)('maps status %j as normalizeStatus does (tag and field)', (s) => {
    const asField = point([['status', s]]);
    finishPoint(asField, true);
    expect(asField.fields.get('status')).toBe(normalizeStatus(s));
    const asTag = point([], [['status', s]]);
    finishPoint(asTag, true);
    expect(asTag.tags.get('status')).toBe(normalizeStatus(s));
  });

  it('maps a non-string status field to info and leaves status alone when mapping is off', () => {
    const p = point([['status', 3n]]);
    finishPoint(p, true);
    expect(p.fields.get('status')).toBe('info');
    const q = point([['status', 'W']]);
    finishPoint(q, false);
    expect(q.fields.get('status')).toBe('W');
  });

  it('maps status only for logging points', () => {
    const p = new Point('m', new Map(), new Map([['status', 'W']]), 5n, 'metric');
    finishPoint(p, true);
    expect(p.fields.get('status')).toBe('W');
  });

  it('takes a non-zero int time field as the point time and drops a time tag', () => {
    const p = point([['time', 7n]]);
    finishPoint(p, true);
    expect([p.time, p.fields.has('time')]).toEqual([7n, false]);
    const z = point([['time', 0n]]);
    finishPoint(z, true);
    expect([z.time, z.fields.has('time')]).toEqual([5n, false]);
    const s = point([['time', 'x']]);
    finishPoint(s, true);
    expect([s.time, s.fields.has('time')]).toEqual([5n, false]);
    const t = point([], [['time', '9']]);
    finishPoint(t, true);
    expect([t.time, t.tags.has('time')]).toEqual([5n, false]);
  });
});

describe('runs of call statements', () => {
  it('positions a fault at the call that raised it', () => {
    const s = compile('add_key(a, 1)\nadd_key(b, 2)\n  url_decode(u)\nadd_key(c, 3)');
    const p = point([['u', '%zz']]);
    const res = s.run(p);
    expect(res.error?.short).toMatch(/^t\.p:3:3: /);
    expect([p.fields.get('a'), p.fields.get('b'), p.fields.has('c')]).toEqual([1n, 2n, false]);
  });

  it('stops at exit() in the middle of a run and in a nested block', () => {
    const s = compile('add_key(a, 1)\nexit()\nadd_key(b, 2)');
    const p = point();
    s.run(p);
    expect([p.fields.get('a'), p.fields.has('b')]).toEqual([1n, false]);
    const t = compile(
      'add_key(a, 1)\nif true { add_key(x, 1)\nexit()\nadd_key(y, 1) }\nadd_key(b, 2)\nadd_key(c, 3)',
    );
    const q = point();
    t.run(q);
    expect([q.fields.get('x'), q.fields.has('y'), q.fields.has('b')]).toEqual([1n, false, false]);
  });

  it('keeps statement order around assignments and blocks', () => {
    const s = compile(
      'add_key(a, v)\nv = 1\nadd_key(b, v)\nadd_key(c, v)\nif v == 1 { add_key(d, v)\nadd_key(e, v) }',
    );
    const p = point();
    expect(s.run(p).error).toBeUndefined();
    expect(toTyped(p).fields).toEqual({
      a: { n: null },
      b: { i: '1' },
      c: { i: '1' },
      d: { i: '1' },
      e: { i: '1' },
    });
  });
});
