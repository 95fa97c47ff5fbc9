/**
 * The GJSON path evaluator behind gjson(): path parsing, lenient scanning,
 * raw slices for objects/arrays, counts and `#.key` projections.
 */
import { describe, expect, it } from 'vitest';
import { type GjsonResult, gjsonGet, parsePath } from '../../../src/pipeline/funcs/gjson-path.js';

const DOC = `{
  "name": {"first": "Tom", "last": "Anderson"},
  "age":37,
  "children": ["Sara","Alex","Jack"],
  "fav.movie": "Deer \\"Hunter\\"",
  "friends": [
    {"first": "Dale", "age": 44, "nets": ["ig", "fb", "tw"]},
    {"first": "Roger", "age": 68, "nets": ["fb", "tw"]}
  ],
  "ok": true, "no": false, "none": null, "neg": -1.5e2
}`;

function get(json: string, path: string): GjsonResult | null {
  const p = parsePath(path);
  return p === null ? null : gjsonGet(json, p);
}

describe('gjsonGet', () => {
  const table: [string, GjsonResult | null][] = [
    ['age', { type: 'number', value: 37 }],
    ['neg', { type: 'number', value: -150 }],
    ['name', { type: 'json', raw: '{"first": "Tom", "last": "Anderson"}' }],
    ['name.last', { type: 'string', value: 'Anderson' }],
    ['children', { type: 'json', raw: '["Sara","Alex","Jack"]' }],
    ['children.1', { type: 'string', value: 'Alex' }],
    ['children.3', null],
    ['children.#', { type: 'number', value: 3 }],
    ['fav\\.movie', { type: 'string', value: 'Deer "Hunter"' }],
    ['friends.1.nets.0', { type: 'string', value: 'fb' }],
    ['friends.#.first', { type: 'json', raw: '["Dale","Roger"]' }],
    ['friends.#.nets.1', { type: 'json', raw: '["fb","tw"]' }],
    ['ch*.2', { type: 'string', value: 'Jack' }],
    ['a?e', { type: 'number', value: 37 }],
    ['ok', { type: 'bool', value: true }],
    ['no', { type: 'bool', value: false }],
    ['none', { type: 'null' }],
    ['missing', null],
    ['age.x', null],
    ['name.0', null],
    ['friends.#(age>50).first', null],
    ['@reverse', null],
    ['', null],
  ];
  for (const [path, want] of table) {
    it(JSON.stringify(path), () => {
      expect(get(DOC, path)).toEqual(want);
    });
  }

  it('skips text that is not JSON between members, like GJSON', () => {
    const text = '{\n#   "name": {"first": "Tom"},\n#   "age":37\n}';
    expect(get(text, 'name.first')).toEqual({ type: 'string', value: 'Tom' });
    expect(get(text, 'age')).toEqual({ type: 'number', value: 37 });
  });

  it('indexes a top-level array', () => {
    expect(get('[{"a": [1, 2]}, 3]', '0.a.1')).toEqual({ type: 'number', value: 2 });
    expect(get('[{"a": [1, 2]}, 3]', '1')).toEqual({ type: 'number', value: 3 });
  });

  it('finds nothing in empty or scalar input', () => {
    expect(get('', 'a')).toBeNull();
    expect(get('42', 'a')).toBeNull();
    expect(get('{"a": 1', 'b')).toBeNull();
  });
});
