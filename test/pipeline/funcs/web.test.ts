/**
 * url_decode, url_parse, user_agent and cidr as script calls.
 */
import { describe, expect, it } from 'vitest';
import { compileError, run } from './script-harness.js';

describe('url_decode', () => {
  it.each([
    ['http%3a%2f%2fa.com%2fs%3fwd%3d%e6%b5%8b', 'http://a.com/s?wd=测'],
    ['a+b', 'a b'],
  ])('%s', (input, want) => {
    const r = run('url_decode(u)', [['u', input]]);
    expect(r.fields.u).toEqual({ s: want });
  });

  it('writes a local variable back to the point', () => {
    expect(run('u = "%41"\nurl_decode(u)').fields.u).toEqual({ s: 'A' });
  });

  it('ignores a missing key', () => {
    expect(run('url_decode(u)').fields).toEqual({});
  });

  it('fails the run on a bad escape', () => {
    const r = run('url_decode(u)', [['u', '%zz']]);
    expect(r.error).toBeDefined();
    expect(r.fields.u).toEqual({ s: '%zz' });
  });
});

describe('url_parse', () => {
  it('returns scheme, host, port, path and joined params', () => {
    const r = run(
      'm = url_parse(u)\nadd_key(s, m["scheme"])\nadd_key(h, m["host"])\nadd_key(p, m["port"])\nadd_key(pa, m["path"])\nadd_key(q, m["params"]["a"])',
      [['u', 'https://x.io:8443/v1/m?a=1&a=2&b=3']],
    );
    expect(r.error).toBeUndefined();
    expect(r.fields).toMatchObject({
      s: { s: 'https' },
      h: { s: 'x.io:8443' },
      p: { s: '8443' },
      pa: { s: '/v1/m' },
      q: { s: '1,2' },
    });
  });

  it('returns nil for a missing key', () => {
    expect(run('m = url_parse(u)\nadd_key(x, m)').fields.x).toEqual({ n: null });
  });

  it('fails the run on an unparsable url', () => {
    expect(run('url_parse(u)', [['u', 'http://[::1']]).error).toMatch(/failed to parse url/);
  });

  it.each([
    ['url_parse("u")', /expect Identifier or AttrExpr/],
    ['url_parse(u, 2)', /too many parameters/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('user_agent', () => {
  it('adds the eight keys', () => {
    const r = run('user_agent(ua)', [
      [
        'ua',
        'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36',
      ],
    ]);
    expect(r.fields).toMatchObject({
      browser: { s: 'Chrome' },
      browserVer: { s: '36.0.1985.125' },
      engine: { s: 'AppleWebKit' },
      engineVer: { s: '537.36' },
      os: { s: 'Windows 7' },
      ua: { s: 'Windows' },
      isMobile: { b: false },
      isBot: { b: false },
    });
  });

  it('does nothing for a missing key', () => {
    expect(run('user_agent(ua)').fields).toEqual({});
  });

  it('takes exactly one argument', () => {
    expect(compileError('user_agent(ua, p)')).toMatch(/too many parameters/);
  });
});

describe('cidr', () => {
  it.each([
    ['cidr("192.0.2.233", "192.0.2.1/24")', true],
    ['cidr("192.0.2.233", "192.0.1.1/24")', false],
    ['ip = "10.1.2.3"\np = "10.0.0.0/8"\nadd_key(x, cidr(ip, p))', true],
    ['cidr("2001:db8::1", "2001:db8::/32")', true],
    ['cidr("nonsense", "10.0.0.0/8")', false],
    ['cidr(n, "10.0.0.0/8")', false],
    ['cidr(ip, "10.0.0.0/8")', false],
    ['cidr(len("a"), "10.0.0.0/8")', false],
  ])('%s', (expr, want) => {
    const src = expr.includes('add_key') ? expr : `add_key(x, ${expr})`;
    const r = run(src, [['n', 10n]]);
    expect(r.error).toBeUndefined();
    expect(r.fields.x).toEqual({ b: want });
  });

  it('rejects other argument kinds', () => {
    expect(compileError('cidr(1, "10.0.0.0/8")')).toMatch(/expect/);
    expect(compileError('cidr("1.1.1.1")')).toMatch(/missing required parameter/);
  });
});
