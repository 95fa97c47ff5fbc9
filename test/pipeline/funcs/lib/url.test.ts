import { describe, expect, it } from 'vitest';
import {
  parseGoUrl,
  parseQuery,
  portOf,
  urlDecode,
  urlParse,
} from '../../../../src/pipeline/funcs/lib/url.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, vectorSuite } from './vectors.js';

describe('urlParse (Go net/url)', () => {
  it.each([
    ['https://www.baidu.com', { scheme: 'https', host: 'www.baidu.com', port: '', path: '', params: {} }],
    [
      'http://127.0.0.1:9529/v1/metrics?arg1=v1&arg2=v2&arg2=v3',
      {
        scheme: 'http',
        host: '127.0.0.1:9529',
        port: '9529',
        path: '/v1/metrics',
        params: { arg1: 'v1', arg2: 'v2,v3' },
      },
    ],
    ['/var/log/datakit/log', { scheme: '', host: '', port: '', path: '/var/log/datakit/log', params: {} }],
    [
      'HTTP://u:p%40@h.example:8080/a%20b/%E6%B5%8B?q=1+2&e=&x=%zz&s;t=1#frag',
      {
        scheme: 'http',
        host: 'h.example:8080',
        port: '8080',
        path: '/a b/测',
        params: { q: '1 2', e: '' },
      },
    ],
    ['http://[fe80::1%25en0]:80/', { host: '[fe80::1%en0]:80', port: '80', path: '/' }],
    ['mailto:someone@example.com', { scheme: 'mailto', host: '', path: '' }],
    ['localhost:8080', { scheme: 'localhost', host: '', port: '', path: '' }],
    ['//cdn.example/x', { scheme: '', host: 'cdn.example', path: '/x' }],
    ['///x', { host: '', path: '///x' }],
    ['*', { path: '*' }],
    ['http://h/?', { path: '/', params: {} }],
  ])('%s', (raw, want) => {
    expect(urlParse(raw)).toMatchObject(want);
  });

  it('prefixes every key when asked', () => {
    expect(Object.keys(urlParse('http://a/b', 'u_') as object).sort()).toEqual([
      'u_host',
      'u_params',
      'u_path',
      'u_port',
      'u_scheme',
    ]);
  });

  it('keeps a __proto__ query key as data', () => {
    const m = urlParse('http://a/?__proto__=x') as { params: Record<string, unknown> };
    expect(Object.getPrototypeOf(m.params)).toBe(Object.prototype);
    expect(Object.keys(m.params)).toEqual(['__proto__']);
  });

  it.each([
    [':x', 'missing protocol scheme'],
    ['cache_object:foo/bar', 'first path segment in URL cannot contain colon'],
    ['http://a b/', 'invalid character " " in host name'],
    ['http://h:x/', 'invalid port ":x" after host'],
    ['http://[::1/', "missing ']' in host"],
    ['http://h/%zz', 'invalid URL escape "%zz"'],
    ['http://h/a#%', 'invalid URL escape "%"'],
    ['http://%41/', 'invalid URL escape "%41"'],
    ['http://u s@h/', 'net/url: invalid userinfo'],
    ['http://h/\u0001', 'invalid control character'],
  ])('rejects %j', (raw, msg) => {
    const r = urlParse(raw);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toContain(msg);
  });

  it('parses fragments and opaque parts like Go', () => {
    expect(parseGoUrl('http://h/p?q#a%20b')).toMatchObject({ fragment: 'a b', rawQuery: 'q' });
    expect(parseGoUrl('urn:isbn:123')).toMatchObject({ scheme: 'urn', opaque: 'isbn:123' });
  });

  it.each([
    ['h:80', '80'],
    ['h', ''],
    ['[::1]:443', '443'],
    ['[::1]', ''],
    ['h:', ''],
    ['h:8x', ''],
  ])('portOf(%j)', (host, port) => {
    expect(portOf(host)).toBe(port);
  });

  it('skips query pairs Go drops', () => {
    expect([...parseQuery('a=1&&b&c=%&d;e=2&a=3')]).toEqual([
      ['a', ['1', '3']],
      ['b', ['']],
    ]);
  });
});

describe('urlDecode (Go url.QueryUnescape)', () => {
  it.each([
    ['http%3a%2f%2fwww.baidu.com%2fs%3fwd%3d%e6%b5%8b%e8%af%95', 'http://www.baidu.com/s?wd=测试'],
    ['a+b%20c', 'a b c'],
    ['%2B', '+'],
    ['', ''],
    ['%ff', '\ufffd'],
  ])('%j', (s, want) => {
    expect(urlDecode(s)).toBe(want);
  });

  it.each([['%'], ['%zz'], ['abc%4'], ['%%41']])('rejects %j', (s) => {
    expect(urlDecode(s)).toBeInstanceOf(Error);
  });
});

describe.skipIf(SHARED_DIR === null)(vectorSuite('url_parse'), () => {
  const cases = casesFor('url_parse');
  const applicable = cases.filter((c) => outFields(c) !== null);

  it('covers every vector that compiles', () => {
    expect(cases.length).toBe(10);
    expect(applicable.length).toBe(9);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const fields = outFields(c)!;
    const input = (JSON.parse(c.in) as Record<string, string>).url!;
    const m = urlParse(input) as Record<string, unknown>;
    const adds = [...c.pl.matchAll(/add_key\((\w+),\s*m\["(\w+)"\](?:\["(\w+)"\])?\)/g)];
    expect(adds.length).toBeGreaterThan(0);
    for (const [, field, k1, k2] of adds) {
      const v = k2 === undefined ? m[k1!] : (m[k1!] as Record<string, unknown>)[k2];
      expect(fields[field!]?.s).toBe(v);
    }
  });
});

describe.skipIf(SHARED_DIR === null)(vectorSuite('url_decode'), () => {
  const cases = casesFor('url_decode');
  // one-line scripts are compile errors; the rest decode the field `url`
  const applicable = cases.filter((c) => outFields(c) !== null && /url_decode\((\w+)\)/.test(c.pl));

  it('covers every vector that decodes a field', () => {
    expect(cases.length).toBe(15);
    expect(applicable.length).toBe(6);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const key = /url_decode\((\w+)\)/.exec(c.pl)![1]!;
    const input = (JSON.parse(c.in) as Record<string, string>)[key];
    const fields = outFields(c)!;
    if (input === undefined) {
      // the argument names no field: nothing is decoded
      const decoded = urlDecode((JSON.parse(c.in) as { url: string }).url);
      expect(Object.values(fields).some((f) => f.s === decoded)).toBe(false);
      return;
    }
    expect(fields[key]!.s).toBe(urlDecode(input));
  });
});
