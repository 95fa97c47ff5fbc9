/**
 * gjson() and xml() as script calls: target keys, value kinds, and the
 * inputs that leave the point unchanged.
 */
import { describe, expect, it } from 'vitest';
import { compileError, run } from './script-harness.js';

const JSON_DOC = '{"info": {"age": 17, "name": "zs", "tags": ["a", "b"], "vip": true}}';

describe('gjson', () => {
  it('extracts values with GJSON kinds', () => {
    const r = run(
      'gjson(_, "info", "i")\ngjson(i, "name")\ngjson(i, "age", "age")\ngjson(i, "tags")\ngjson(i, "vip", v)',
      [['message', JSON_DOC]],
    );
    expect(r.error).toMatch(/param data type expect string/);
    expect(r.fields).toMatchObject({
      i: { s: '{"age": 17, "name": "zs", "tags": ["a", "b"], "vip": true}' },
      name: { s: 'zs' },
      age: { f: 17 },
      tags: { s: '["a", "b"]' },
    });
  });

  it('takes the path and key from variables', () => {
    const r = run('p = "info.vip"\nk = "vip"\ngjson(_, p, k)', [['message', JSON_DOC]]);
    expect(r.fields.vip).toEqual({ b: true });
  });

  it('leaves the point alone when nothing matches or the key is missing', () => {
    const r = run('gjson(_, "info.nope")\ngjson(nokey, "a")', [['message', JSON_DOC]]);
    expect(r.error).toBeUndefined();
    expect(Object.keys(r.fields)).toEqual(['message']);
  });

  it('fails the run when the path is not a string', () => {
    expect(run('p = 1\ngjson(_, p)', [['message', '{}']]).error).toBe('param data type expect string');
  });

  it.each([
    ['gjson(_, 1)', /param json_path expect/],
    ['gjson(_, "a", 2)', /param key_name expect/],
    ['gjson(_)', /missing required parameter/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

const XML_DOC = `<OrderEvent actionCode = "5">
  <OrderNumber>ORD12345</OrderNumber>
  <Items><Item>a</Item><Item>b<x>c</x></Item></Items>
</OrderEvent>`;

describe('xml', () => {
  it.each([
    ['/OrderEvent/@actionCode', '5'],
    ['/OrderEvent/OrderNumber/text()', 'ORD12345'],
    ['//Item[2]', 'bc'],
    ['/OrderEvent/Items/Item', 'a'],
  ])('%s', (path, want) => {
    const r = run(`xml(_, '${path}', out)`, [['message', XML_DOC]]);
    expect(r.error).toBeUndefined();
    expect(r.fields.out).toEqual({ s: want });
  });

  it.each([
    ['not xml', '/a'],
    ['<a><b></a>', '/a'],
    ['<a x></a>', '/a'],
    [XML_DOC, '/Nope/text()'],
    [XML_DOC, 'invalid xpath expr'],
    [XML_DOC, 'count(//Item)'],
  ])('leaves the point alone for %j %s', (doc, path) => {
    const r = run(`xml(_, '${path}', out)`, [['message', doc]]);
    expect(r.error).toBeUndefined();
    expect(r.fields.out).toBeUndefined();
  });

  it.each([
    ['xml(_, p, out)', /param xpath expect StringLiteral/],
    ['xml(_, "/a", 1)', /param key expect/],
    ['xml(_, "/a")', /missing required parameter/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});
