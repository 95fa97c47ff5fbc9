/**
 * Compiler + values: scripts run on a point, table of expected fields,
 * run-time faults with positions, scoping, the sandbox budgets.
 */
import { describe, expect, it } from 'vitest';
import { compileScript } from '../../../src/pipeline/index.js';
import { Point } from '../../../src/point/point.js';
import { type TypedValue, toTyped } from '../../../src/point/typed-json.js';
import type { FieldValue } from '../../../src/point/value.js';

function run(src: string, fields: [string, FieldValue][] = [], limits?: { maxSteps?: number }) {
  const c = compileScript(src, { name: 't.p' });
  if (!c.ok) throw c.error;
  const pt = new Point('p', new Map(), new Map(fields), 5n);
  const res = c.script.run(pt, { tz: 'UTC', limits });
  return { pt, res, typed: toTyped(pt).fields as Record<string, TypedValue> };
}

describe('runtime values', () => {
  const table: [string, Record<string, TypedValue>][] = [
    ['add_key(x, 7 / 2)', { x: { i: '3' } }],
    ['add_key(x, -7 / 2)', { x: { i: '-3' } }],
    ['add_key(x, -7 % 3)', { x: { i: '-1' } }],
    ['add_key(x, 7 / 2.0)', { x: { f: 3.5 } }],
    ['add_key(x, 9223372036854775807 + 1)', { x: { i: '-9223372036854775808' } }],
    ['add_key(x, "a" + "b")', { x: { s: 'ab' } }],
    ['add_key(x, true + true)', { x: { i: '2' } }],
    ['add_key(x, 1 == 1.0)', { x: { b: true } }],
    ['add_key(x, "1" == 1)', { x: { b: false } }],
    ['add_key(x, [1, {"a": nil}] == [1, {"a": nil}])', { x: { b: true } }],
    ['add_key(x, nil == nil)', { x: { b: true } }],
    ['add_key(x, "b" in "abc")', { x: { b: true } }],
    ['add_key(x, 2 in [1, 2.0])', { x: { b: false } }],
    ['add_key(x, {"b": 2, "a": [1.5, "<"]})', { x: { s: '{"a":[1.5,"\\u003c"],"b":2}' } }],
    ['add_key(x, "héllo"[1:3])', { x: { s: 'él' } }],
    ['a = 1\nif true { a = 2; b = 3 }\nadd_key(x, a)\nadd_key(y, b)', { x: { i: '2' }, y: { n: null } }],
    ['for i = 0; i < 3; i += 1 { s = i }\nadd_key(x, s)\nadd_key(y, i)', { x: { n: null }, y: { n: null } }],
    ['n = 0\nfor c in "ab中" { n += 1 }\nadd_key(x, n)', { x: { i: '3' } }],
    ['m = {"a": {"b": [1, 2]}}\nm["a"]["b"][-1] *= 10\nadd_key(x, m)', { x: { s: '{"a":{"b":[1,20]}}' } }],
  ];
  for (const [src, want] of table) {
    it(JSON.stringify(src), () => {
      const { typed, res } = run(src);
      expect(res.error).toBeUndefined();
      expect(typed).toEqual(want);
    });
  }

  it('reads point keys and shadows them with locals', () => {
    const { typed } = run('a = status\nstatus = "x"\nadd_key(b, status)\nadd_key(c, a)', [
      ['status', 'info'],
    ]);
    expect(typed).toEqual({ status: { s: 'info' }, b: { s: 'x' }, c: { s: 'info' } });
  });

  it('turns an int time key into the point time and removes it', () => {
    const { pt } = run('add_key(time, 42)');
    expect(pt.time).toBe(42n);
    expect(pt.fields.has('time')).toBe(false);
  });

  it('maps the logging status after a successful run', () => {
    const { typed } = run('add_key(status, "W")');
    expect(typed.status).toEqual({ s: 'warning' });
    expect(run('setopt(status_mapping=false)\nadd_key(status, "W")').typed.status).toEqual({ s: 'W' });
  });
});

describe('run-time faults', () => {
  const table: [string, string][] = [
    ['a = 1\nb = a / 0', 't.p:2:7: integer division by zero'],
    ['x = "a" - 1', 't.p:1:9: unsupported operand type(s) for -: str and int'],
    ['x = nil + 1', 't.p:1:9: unsupported lhs data type: nil'],
    ['x = [1] < 2', 't.p:1:9: not compareable'],
    [
      'x = 1 && true',
      't.p:1:7: not compareable'.replace(
        'not compareable',
        'unsupported operand type(s) for &&: int and bool',
      ),
    ],
    ['d = nil\nadd_key(k, d["a"])', 't.p:2:12: unindexable type: nil'],
    ['s = "abc"[::0]', 't.p:1:13: step must be non-zero'],
    ['for x in 3 {}', 't.p:1:10: unsupported type: int, not iter value'],
    ['add_key(a, 1)\nx = -"s"', 't.p:2:5: unsupported operand type for unary op -: str'],
  ];
  for (const [src, want] of table) {
    it(JSON.stringify(src), () => {
      const { res } = run(src);
      expect(res.error?.short).toBe(want);
      expect(res.error?.isRunError).toBe(true);
    });
  }

  it('keeps what the script did before the fault', () => {
    const { typed, res } = run('add_key(a, 1)\nx = 1 / 0\nadd_key(b, 2)');
    expect(res.error).toBeDefined();
    expect(typed).toEqual({ a: { i: '1' } });
  });

  it('stops endless loops with a positioned step-limit error', () => {
    const { res } = run('x = 0\nfor ;; { x += 1 }', [], { maxSteps: 5000 });
    expect(res.error?.code).toBe('PLK_ERR_STEP_LIMIT');
    expect(res.error?.loc).toEqual({ line: 2, column: 1 });
  });
});

describe('compile errors', () => {
  const table: [string, string][] = [
    ['nope(1)', 't.p:1:1: unsupported func: `nope`'],
    ['add_key(a, 1, 2)', 't.p:1:1: too many parameters'],
    ['cast(a)', 't.p:1:1: missing required parameter `type`'],
    ['cast(a, "intx")', 't.p:1:9: unsupported data type: intx'],
    ['setopt(true)', 't.p:1:1: must be a named parameter'],
    ['json(_, a[0], b, true, true)', 't.p:1:24: does not support deleting elements in the list'],
    ['add_key(a, x=1)', 't.p:1:12: argument x does not exist'],
    ['add_key(key=a, 1)', 't.p:1:16: positional arguments cannot follow keyword arguments'],
    ['delete(m, k)', 't.p:1:11: param key expect StringLiteral, got Identifier'],
  ];
  for (const [src, want] of table) {
    it(JSON.stringify(src), () => {
      const c = compileScript(src, { name: 't.p' });
      expect(c.ok).toBe(false);
      if (!c.ok) expect(c.error.short).toBe(want);
    });
  }
});
