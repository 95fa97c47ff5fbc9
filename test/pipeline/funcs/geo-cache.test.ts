/**
 * geoip() on the generated test database and cache_set()/cache_get() on
 * the per-script cache, from scripts: fields added, prefixes, misses,
 * argument errors, and the run error when the service is missing.
 */
import { describe, expect, it } from 'vitest';
import { compileScript } from '../../../src/pipeline/index.js';
import { GeoIpService } from '../../../src/pipeline/services/geoip.js';
import { ScriptCacheService } from '../../../src/pipeline/services/script-cache.js';
import { Point } from '../../../src/point/point.js';
import { testCityDb, testIspDb } from '../../support/geo-test-db.js';
import { compileError, run } from './script-harness.js';

const geo = { geoip: new GeoIpService(testCityDb(), testIspDb()) };

describe('geoip', () => {
  it('adds city, province, country and isp', () => {
    const r = run('geoip(ip)', [['ip', '81.2.69.142']], { services: geo });
    expect(r.error).toBeUndefined();
    expect(r.fields).toMatchObject({
      city: { s: 'London' },
      province: { s: 'England' },
      country: { s: 'GB' },
      isp: { s: 'Andrews & Arnold Ltd' },
    });
  });

  it('names the fields with a prefix, positional or named', () => {
    for (const src of ['geoip(ip, "geo_")', 'geoip(ip, prefix="geo_")', 'p = "geo_"\ngeoip(ip, p)']) {
      const r = run(src, [['ip', '61.238.1.2']], { services: geo });
      expect(r.error).toBeUndefined();
      expect(r.fields).toMatchObject({
        geo_city: { s: 'Central' },
        geo_country: { s: 'CN' },
        geo_province: { s: 'Hong Kong' },
      });
      expect(r.fields.city).toBeUndefined();
    }
  });

  it('keeps a tag a tag, reads a.b paths and local variables', () => {
    const r = run('geoip(`a.ip`)', [['a.ip', '81.2.69.1']], { services: geo, tags: [['city', 'old']] });
    expect(r.tags.city).toBe('London');
    const v = run('x = "175.16.199.1"\ngeoip(x)', [], { services: geo });
    expect(v.fields.city).toEqual({ s: 'Changchun' });
  });

  it('adds empty fields for an address the database does not hold, as DataKit', () => {
    const r = run('geoip(ip)', [['ip', '1.2.3.4']], { services: geo });
    expect(r.fields).toMatchObject({
      city: { s: '' },
      province: { s: '' },
      country: { s: '' },
      isp: { s: '' },
    });
  });

  it.each([['1.2.3.4-something'], ['unknown-city']])('adds nothing for %s', (ip) => {
    const r = run('geoip(ip)', [['ip', ip]], { services: geo });
    expect(Object.keys(r.fields)).toEqual(['ip']);
  });

  it('adds nothing for a missing key', () => {
    expect(Object.keys(run('geoip(nope)', [], { services: geo }).fields)).toEqual([]);
  });

  it('fails the run for a prefix that is not a string', () => {
    expect(
      run(
        'geoip(ip, p)',
        [
          ['ip', '1.2.3.4'],
          ['p', 1n],
        ],
        { services: geo },
      ).error,
    ).toMatch(/expect string/);
  });

  it('fails the run without an IP database', () => {
    const r = run('add_key(before, 1)\ngeoip(ip)\nadd_key(after, 1)', [['ip', '81.2.69.142']]);
    expect(r.error).toMatch(/geoip: no IP database is configured/);
    expect(r.fields.before).toEqual({ i: '1' });
    expect(r.fields.after).toBeUndefined();
  });

  it.each([
    ['geoip()', /missing required parameter/],
    ['geoip(ip, "p", 3)', /too many parameters/],
    ['geoip(1)', /param key expect/],
    ['geoip(ip, 1)', /expect StringLiteral or Identifier or AttrExpr/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('cache_set / cache_get', () => {
  it('answers what was set in the same run and later runs of the script', () => {
    const services = { cache: new ScriptCacheService() };
    const r = run('cache_set("a", "123")\nadd_key(abc, cache_get("a"))', [], { services });
    expect(r.fields.abc).toEqual({ s: '123' });
  });

  it('keeps values per script and across runs', () => {
    const services = { cache: new ScriptCacheService() };
    const setter = compileScript('cache_set("k", v)', { name: 's.p', services });
    const getter = compileScript('add_key(got, cache_get("k"))', { name: 'g.p', services });
    const both = compileScript(
      'if cache_get("k") == nil { cache_set("k", v) }\nadd_key(got, cache_get("k"))',
      {
        name: 'b.p',
        services,
      },
    );
    if (!setter.ok || !getter.ok || !both.ok) throw new Error('compile');
    const pt = (v: string) => new Point('p', new Map(), new Map([['v', v]]), 1n);
    setter.script.run(pt('x'));
    const g = pt('');
    getter.script.run(g);
    expect(g.fields.get('got')).toBeNull();
    const first = pt('first');
    both.script.run(first);
    const second = pt('second');
    both.script.run(second);
    expect([first.fields.get('got'), second.fields.get('got')]).toEqual(['first', 'first']);
  });

  it('keeps any value kind', () => {
    const services = { cache: new ScriptCacheService() };
    const r = run(
      'cache_set("n", 5)\ncache_set("m", {"a": 1})\nadd_key(n, cache_get("n"))\nadd_key(m, cache_get("m"))',
      [],
      {
        services,
      },
    );
    expect(r.fields.n).toEqual({ i: '5' });
    expect(r.fields.m).toEqual({ s: '{"a":1}' });
  });

  it('expires values after exp seconds', () => {
    let now = 0;
    const services = { cache: new ScriptCacheService({ now: () => now }) };
    const c = compileScript('if v == "set" { cache_set("k", "x", 5) }\nadd_key(got, cache_get("k"))', {
      name: 'e.p',
      services,
    });
    if (!c.ok) throw c.error;
    const runAt = (t: number, v: string) => {
      now = t;
      const pt = new Point('p', new Map(), new Map([['v', v]]), 1n);
      c.script.run(pt, { services });
      return pt.fields.get('got');
    };
    expect(runAt(0, 'set')).toBe('x');
    expect(runAt(4999, '')).toBe('x');
    expect(runAt(5000, '')).toBeNull();
  });

  it('stores nothing for a non-positive exp, and answers nil for a missing key', () => {
    const services = { cache: new ScriptCacheService() };
    const r = run(
      'cache_set("a", "1", 0)\ncache_set("b", "1", -5)\nadd_key(a, cache_get("a"))\nadd_key(b, cache_get("b"))',
      [],
      {
        services,
      },
    );
    expect(r.fields.a).toEqual({ n: null });
    expect(r.fields.b).toEqual({ n: null });
  });

  it('is nil as a value', () => {
    const services = { cache: new ScriptCacheService() };
    expect(run('a = cache_set("a", "1")\nadd_key(x, a)', [], { services }).fields.x).toEqual({ n: null });
  });

  it.each([
    ['cache_get(1)', /expect string/],
    ['cache_set(1, "v")', /expect string/],
    ['cache_set("a", "v", "5")', /expect int or nil/],
    ['cache_set("a", "v", nil)', /expect int or nil/],
  ])('fails the run for %s', (src, re) => {
    expect(run(src, [], { services: { cache: new ScriptCacheService() } }).error).toMatch(re);
  });

  it.each(['cache_get("a")', 'cache_set("a", "1")'])('fails %s without the cache service', (src) => {
    expect(run(src).error).toMatch(/cache service is not available/);
  });

  it.each([
    ['cache_get()', /missing required parameter/],
    ['cache_get("a", "b")', /too many parameters/],
    ['cache_set("a")', /missing required parameter/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});
