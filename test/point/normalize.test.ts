import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../../src/point/index.js';
import { normalizePoint, normalizeStatus, Point, UInt } from '../../src/point/index.js';

function pt(name: string, tags: Record<string, string>, fields: Record<string, FieldValue>): Point {
  return new Point(name, new Map(Object.entries(tags)), new Map(Object.entries(fields)), 1n);
}

describe('normalizePoint', () => {
  it('gives an empty name the default measurement and warns', () => {
    const p = pt('', {}, { a: 1n });
    normalizePoint(p, 'metric');
    expect(p.name).toBe('__default');
    expect(p.warns?.length).toBe(1);
  });

  it('adds status=info to logging points without status, not when a tag has it', () => {
    const a = pt('x', {}, { a: 1n });
    normalizePoint(a, 'logging');
    expect(a.fields.get('status')).toBe('info');
    const b = pt('x', { status: 'ERROR' }, { a: 1n });
    normalizePoint(b, 'logging');
    expect(b.fields.has('status')).toBe(false);
    expect(b.tags.get('status')).toBe('ERROR');
  });

  it('replaces dots in keys except for metrics', () => {
    const a = pt('x', { 'a.b': '1' }, { 'c.d': 1n });
    normalizePoint(a, 'logging');
    expect([...a.tags.keys()]).toEqual(['a_b']);
    expect([...a.fields.keys()].sort()).toEqual(['c_d', 'status']);
    const m = pt('x', { 'a.b': '1' }, { 'c.d': 1n });
    normalizePoint(m, 'metric');
    expect([...m.tags.keys()]).toEqual(['a.b']);
  });

  it('drops metric string fields and keeps the tag on a tag/field clash', () => {
    const m = pt('x', { k: 'tag' }, { s: 'text', n: 1n, k: 2n });
    normalizePoint(m, 'metric');
    expect([...m.fields.keys()]).toEqual(['n']);
    expect(m.tags.get('k')).toBe('tag');
  });

  it('names objects default and keeps uint values', () => {
    const o = pt('host', {}, { big: new UInt(18446744073709551615n) });
    normalizePoint(o, 'object');
    expect(o.fields.get('name')).toBe('default');
    expect((o.fields.get('big') as UInt).v).toBe(18446744073709551615n);
  });

  it('truncates long keys and tag values by bytes and keeps the smallest 256 tags', () => {
    const tags: Record<string, string> = {};
    for (let i = 0; i < 300; i++) tags[`t${i}`] = `v${i}`;
    tags.long = 'v'.repeat(2000);
    const p = pt('x', tags, { ['k'.repeat(300)]: 1n });
    normalizePoint(p, 'logging');
    expect(p.tags.size).toBe(256);
    expect([...p.fields.keys()][0]?.length).toBe(256);
    expect(p.tags.get('long')?.length).toBe(1024);
  });
});

describe('normalizeStatus', () => {
  it.each([
    ['E', 'error'],
    ['Warn', 'warning'],
    ['Fatal', 'fatal'],
    ['crit', 'crit'],
    ['ok', 'OK'],
    ['s', 'OK'],
    ['', 'unknown'],
    ['TRACE', 'debug'],
    ['constructor', 'constructor'],
    ['__proto__', '__proto__'],
  ])('%s -> %s', (input, want) => {
    expect(normalizeStatus(input)).toBe(want);
  });
});
