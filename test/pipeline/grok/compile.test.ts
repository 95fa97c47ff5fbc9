import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CompiledGrok,
  defaultGrokLibrary,
  GrokError,
  type GrokLibrary,
  type GrokValue,
} from '../../../src/pipeline/grok/index.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../support/shared.js';

function compile(lib: GrokLibrary, pattern: string): CompiledGrok {
  const g = lib.compile(pattern);
  if (g instanceof GrokError) throw g;
  return g;
}

/** Captures as a plain object (keys in application order). */
function captures(g: CompiledGrok, input: string, trim = true): Record<string, GrokValue> | null {
  const m = g.match(input, trim);
  return m === null ? null : Object.fromEntries(m.map((c) => [c.key, c.value]));
}

describe('default patterns on sample lines', () => {
  // Expected values were checked against Go's regexp on the same expanded
  // RE2 text, with DataKit's capture rules applied.
  it.each<[string, string, Record<string, GrokValue> | null]>([
    ['%{IPORHOST:h}', 'host-01.example.com:8080', { h: 'host-01.example.com' }],
    ['%{IPORHOST:h}', '2001:db8::ff00:42:8329 rest', { h: '2001:db8::ff00:42:8329' }],
    ['%{IPORHOST:h}', '192.168.0.256', { h: '192.168.0.25' }],
    ['^%{IPV4:ip}$', '10.0.0.1', { ip: '10.0.0.1' }],
    ['^%{IPV4:ip}$', '10.0.0.256', null],
    ['^%{IPV6:ip}$', 'fe80::1%eth0', { ip: 'fe80::1%eth0' }],
    ['%{HTTPDATE:ts}', '[10/Oct/2023:13:55:36 -0700]', { ts: '10/Oct/2023:13:55:36 -0700' }],
    [
      '%{TIMESTAMP_ISO8601:ts}',
      'at 2023-10-10T13:55:36.123+08:00 ok',
      { ts: '2023-10-10T13:55:36.123+08:00' },
    ],
    ['%{TIMESTAMP_ISO8601:ts}', '2023-10-10 13:55:36,123 INFO', { ts: '2023-10-10 13:55:36,123' }],
    [
      '%{SYSLOGBASE}',
      'Oct 10 13:55:36 web-1 sshd[1234]: Accepted',
      {
        timestamp: 'Oct 10 13:55:36',
        facility: '',
        priority: '',
        logsource: 'web-1',
        program: 'sshd',
        pid: '1234',
      },
    ],
    [
      '%{SYSLOGBASE}',
      'Mar  1 01:02:03 <4.6> 10.1.1.1 kernel: oops',
      {
        timestamp: 'Mar  1 01:02:03',
        facility: '4',
        priority: '6',
        logsource: '10.1.1.1',
        program: 'kernel',
        pid: '',
      },
    ],
    ['%{NUMBER:n:float} %{INT:i:int}', 'x -12.5 +42 y', { n: -12.5, i: 42n }],
    ['%{NUMBER:n}', '.5', { n: '.5' }],
    ['%{INT:i:int}', 'abc 0x1F', { i: 0n }],
    ['%{DATA:d}:%{GREEDYDATA:g}', 'key: value: more ', { d: 'key', g: 'value: more' }],
    ['%{QS:q}', 'say "he said \\"hi\\"" and \'single\'', { q: '"he said \\"hi\\""' }],
    ['%{QS:q}', "only 'single \\' quoted'", { q: "'single \\' quoted'" }],
    [
      '%{URIPATHPARAM:u}',
      'GET /api/v2/orders?id=8812&page=3 HTTP/1.1',
      { u: '/api/v2/orders?id=8812&page=3' },
    ],
    [
      '%{URI:u}',
      'see https://user:pw@example.com:8443/a/b?c=d#frag now',
      { u: 'https://user:pw@example.com:8443/a/b?c=d#frag', port: '8443' },
    ],
    ['%{MAC:m}', 'mac 00:1A:2b:3C:4d:5E end', { m: '00:1A:2b:3C:4d:5E' }],
    [
      '%{UUID:id}',
      'req 123e4567-e89b-12d3-a456-426614174000',
      { id: '123e4567-e89b-12d3-a456-426614174000' },
    ],
    ['%{LOGLEVEL:l}', '[WARNING] disk', { l: 'WARNING' }],
    ['%{PATH:p}', 'open /var/log/nginx/access.log failed', { p: '/var/log/nginx/access.log' }],
    ['%{PATH:p}', 'C:\\Windows\\System32\\drivers', { p: 'C:\\Windows\\System32\\drivers' }],
    ['%{EMAILADDRESS:e}', 'mail bob.smith+tag@mail.example.org ok', { e: 'bob.smith+tag@mail.example.org' }],
    ['%{MONTH:m} %{MONTHDAY:d}', 'on März 07', { m: 'März', d: '07' }],
    [
      '%{COMMONAPACHELOG}',
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
      {
        clientip: '127.0.0.1',
        ident: '-',
        auth: 'frank',
        timestamp: '10/Oct/2000:13:55:36 -0700',
        verb: 'GET',
        request: '/apache_pb.gif',
        httpversion: '1.0',
        rawrequest: '',
        response: '200',
        bytes: '2326',
      },
    ],
    [
      '%{COMBINEDAPACHELOG}',
      '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 304 - "http://x/" "curl/8.0"',
      {
        clientip: '127.0.0.1',
        ident: '-',
        auth: '-',
        timestamp: '10/Oct/2000:13:55:36 -0700',
        verb: 'GET',
        request: '/',
        httpversion: '1.1',
        rawrequest: '',
        response: '304',
        bytes: '',
        referrer: '"http://x/"',
        agent: '"curl/8.0"',
      },
    ],
    [
      '%{HTTPD_ERRORLOG}',
      '[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration',
      {
        timestamp: '',
        loglevel: '',
        clientip: '127.0.0.1',
        errormsg: 'client denied by server configuration',
        module: '',
        pid: '',
        tid: '',
        proxy_errorcode: '',
        proxy_errormessage: '',
        client: '',
        clientport: '',
        errorcode: '',
        message: '',
      },
    ],
    [
      '%{HTTPD_ERRORLOG}',
      '[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico',
      {
        timestamp: 'Fri Sep 09 10:42:29.902022 2011',
        loglevel: 'error',
        clientip: '',
        errormsg: '',
        module: 'core',
        pid: '35708',
        tid: '4328636416',
        proxy_errorcode: '',
        proxy_errormessage: '',
        client: '',
        clientport: '',
        errorcode: '[client 72.15.99.187] File does not exist',
        message: '/usr/local/apache2/htdocs/favicon.ico',
      },
    ],
    [
      '%{COMMONENVOYACCESSLOG}',
      '[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80"',
      {
        timestamp: '2016-04-15T20:17:00.310Z',
        method: 'POST',
        uri_path: '/api/v1/locations',
        uri_param: '',
        protocol: 'HTTP/2',
        status_code: '204',
        response_flags: '-',
        bytes_received: '154',
        bytes_sent: '0',
        duration: '226',
        upstream_service_time: '100',
        tcp_service_time: '',
        forwarded_for: '10.0.35.28',
        user_agent: 'nsq2http',
        request_id: 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2',
        authority: 'locations',
        upstream_service: 'tcp://10.0.2.1:80',
      },
    ],
    ['%{DATESTAMP_RFC2822:d}', 'Wed, 11 Oct 2000 14:32:52 +0800', { d: 'Wed, 11 Oct 2000 14:32:52 +0800' }],
    ['%{HOSTPORT:hp}', 'connect db-1.internal:5432', { hp: 'db-1.internal:5432' }],
    [
      '%{WORD:w} %{NOTSPACE:ns} %{SPACE}%{POSINT:p}',
      'hello w0rld!   42',
      { w: 'hello', ns: 'w0rld!', p: '42' },
    ],
    ['(?:%{INT:v}|%{WORD:v})', 'abc', { v: 'abc' }],
    ['(?:%{INT:v}|%{WORD:v})', '123', { v: '' }],
    ['%{WORD:http.method} %{NOTSPACE:url-path}', 'GET /x', { http_method: 'GET', url_path: '/x' }],
    ['(?P<raw>\\d+)-%{WORD:w}', 'id 42-abc', { raw: '42', w: 'abc' }],
  ])('%s on %j', (pattern, input, want) => {
    const g = compile(defaultGrokLibrary(), pattern);
    const got = captures(g, input);
    expect(got).toEqual(want);
    if (want !== null) expect(Object.keys(got!)).toEqual(Object.keys(want));
  });
});

describe('captures follow DataKit', () => {
  const lib = defaultGrokLibrary();

  it('searches anywhere in the input (unanchored)', () => {
    expect(captures(compile(lib, '%{INT:n}'), 'abc 42 def')).toEqual({ n: '42' });
  });

  it('returns null and nothing else when the pattern does not match', () => {
    const g = compile(lib, '%{IPV4:ip} %{INT:n}');
    expect(g.match('no numbers here')).toBeNull();
    expect(g.values('no numbers here')).toBeNull();
    expect(g.test('1.2.3.4 5')).toBe(true);
  });

  it('gives "" (or the type zero value) for a group that did not take part', () => {
    const g = compile(lib, '%{WORD:a}(?: %{INT:b:int})?(?: %{WORD:c})?');
    expect(captures(g, 'x')).toEqual({ a: 'x', b: 0n, c: '' });
  });

  it('sets a duplicated key once, from its last group, even when that one did not match', () => {
    const g = compile(lib, '(?:%{INT:v}|%{WORD:v}) %{WORD:w}');
    expect(g.keys).toEqual(['v', 'w']);
    expect(captures(g, 'abc z')).toEqual({ v: 'abc', w: 'z' });
    expect(captures(g, '123 z')).toEqual({ v: '', w: 'z' });
  });

  it('takes the inner group when a key nests inside itself', () => {
    const lib2 = lib.child();
    lib2.addPattern('pair', '%{WORD:k}=%{WORD:v}');
    const g = compile(lib2, '%{pair:k}');
    expect(captures(g, 'a=b')).toEqual({ k: 'a', v: 'b' });
  });

  it('captures named groups written in the regex itself', () => {
    expect(captures(compile(lib, '(?P<a>\\w+)-(?<b>\\d+)'), 'x-1')).toEqual({ a: 'x', b: '1' });
  });

  it('does not capture bare references or unnamed groups', () => {
    const g = compile(lib, '%{WORD} (\\d+) %{WORD:w}');
    expect(g.keys).toEqual(['w']);
    expect(captures(g, 'a 1 b')).toEqual({ w: 'b' });
  });

  it('turns . and - in keys into _', () => {
    const g = compile(lib, '%{WORD:http.method} %{WORD:a-b.c}');
    expect(g.keys).toEqual(['http_method', 'a_b_c']);
  });

  it('leaves non-references as literal text, like DataKit', () => {
    expect(captures(compile(lib, '%{DATA:}'), 'x %{DATA:} y')).toEqual({});
    expect(compile(lib, '%{WORD:@ts}').test('%{WORD:@ts}')).toBe(true);
  });

  it('trims with Go TrimSpace when trim_space is on, and not otherwise', () => {
    const lib2 = lib.child();
    lib2.addPattern('d', '[\\s\\S]*');
    const g = compile(lib2, '%{d:item}');
    expect(captures(g, ' not_space ')).toEqual({ item: 'not_space' });
    expect(captures(g, ' not_space ', false)).toEqual({ item: ' not_space ' });
    // Go trims NEL (U+0085) but not BOM (U+FEFF); JS trim() does the opposite.
    expect(captures(g, '\u0085a\u3000')).toEqual({ item: 'a' });
    expect(captures(g, '\ufeffa')).toEqual({ item: '\ufeffa' });
    expect(captures(g, '\r\ta\n')).toEqual({ item: 'a' });
  });

  it('converts typed captures and falls back to the zero value', () => {
    const g = compile(lib, '%{NOTSPACE:i:int} %{NOTSPACE:f:float} %{NOTSPACE:b:bool} %{NOTSPACE:s:string}');
    expect(captures(g, '12 1.5 true x')).toEqual({ i: 12n, f: 1.5, b: true, s: 'x' });
    expect(captures(g, '12x nope maybe 7')).toEqual({ i: 0n, f: 0, b: false, s: '7' });
    expect(captures(g, '0x1F 1e3 T y')).toEqual({ i: 31n, f: 1000, b: true, s: 'y' });
    expect(g.types).toEqual(['int', 'float', 'bool', 'str']);
  });

  it('exposes raw values aligned with keys', () => {
    const g = compile(lib, '%{WORD:a} %{INT:n:int}');
    expect(g.values('x 5')).toEqual(['x', '5']);
    expect(g.run('x 5')).toEqual(['x', 5n]);
  });

  it('handles input with astral characters (code points, not UTF-16 units)', () => {
    const g = compile(lib, '^%{DATA:a} (?P<one>.) %{GREEDYDATA:rest}$');
    expect(captures(g, 'hi 😀 there')).toEqual({ a: 'hi', one: '😀', rest: 'there' });
  });
});

describe('DataKit grok vectors (fn_grok_test, add_pattern docs)', () => {
  function timeLib(typed: boolean): GrokLibrary {
    const lib = defaultGrokLibrary().child();
    lib.addPattern('_second', '(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)');
    lib.addPattern('_minute', '(?:[0-5][0-9])');
    lib.addPattern('_hour', '(?:2[0123]|[01]?[0-9])');
    lib.addPattern(
      'time',
      typed
        ? '([^0-9]?)%{_hour:hour:string}:%{_minute:minute:int}(?::%{_second:second:float})([^0-9]?)'
        : '([^0-9]?)%{_hour:hour}:%{_minute:minute}(?::%{_second:second})([^0-9]?)',
    );
    return lib;
  }

  it.each<[string, boolean, string, string, Record<string, GrokValue> | null]>([
    ['TestGrok#0', false, '%{time}', '12:13:14.123', { hour: '12', minute: '13', second: '14.123' }],
    ['TestGrok#1', false, '%{time}', '12 :13:14.123', null],
    ['TestGrok#2', false, '12 :13:14.123', '12 :13:14.123', {}],
    ['TestGrok#3', false, '12 :13:14.123', '12:13:14.123', null],
    ['TestGrok#5', false, '%{time}', '12:13:14', { hour: '12', minute: '13', second: '14' }],
    [
      'TestGrok#11',
      true,
      '%{WORD:date} %{time}',
      '2021/1/11 2:13:14.123',
      { date: '11', hour: '2', minute: 13n, second: 14.123 },
    ],
    [
      'grok doc',
      true,
      '%{DATE_US:date} %{time}',
      '12/01/2021 21:13:14.123',
      { date: '12/01/2021', hour: '21', minute: 13n, second: 14.123 },
    ],
  ])('%s', (_id, typed, pattern, input, want) => {
    expect(captures(compile(timeLib(typed), pattern), input)).toEqual(want);
  });

  it('TestGrok#8-10: types from a referenced pattern, :str, failed int is 0', () => {
    const lib = defaultGrokLibrary().child();
    lib.addPattern('time', '%{NUMBER:time:float}');
    const p = '%{time}\n%{WORD:word:string}\n\t%{WORD:code:int}\n%{WORD:w1}';
    const g = compile(lib, p);
    expect(captures(g, '1.1\ns\n\t123cvf\naa222')).toEqual({ time: 1.1, word: 's', code: 0n, w1: 'aa222' });
    expect(captures(g, '1.1\ns\n\t123\naa222')).toEqual({ time: 1.1, word: 's', code: 123n, w1: 'aa222' });
    const g2 = compile(lib, p.replace(':string', ':str'));
    expect(captures(g2, '1.1\ns\n\t123\naa222')).toMatchObject({ word: 's', code: 123n });
  });

  it('TestAddPattern#1/#2: a reference inside a class expands textually; the last definition wins', () => {
    const lib = defaultGrokLibrary().child();
    lib.addPattern('num', '\\d');
    lib.addPattern('http_version', '\\d');
    lib.addPattern('http_version', '[%{num}\\.]+');
    expect(lib.lookup('http_version')?.re2).toBe('[(\\d)\\.]+');
    const g = compile(lib, 'HTTP/%{http_version:v}"');
    expect(captures(g, '"POST / HTTP/1.1" 200')).toEqual({ v: '1.1' });
  });

  it('TestAddPattern#9: a redefinition affects only later compiles', () => {
    const lib = defaultGrokLibrary().child();
    lib.addPattern('numb2', '%{NUMBER}');
    const before = compile(lib, 'HTTP/%{numb2:v}');
    lib.addPattern('numb2', '\\d');
    const after = compile(lib, 'HTTP/%{numb2:v}');
    expect(captures(before, 'HTTP/1.1')).toEqual({ v: '1.1' });
    expect(captures(after, 'HTTP/1.1')).toEqual({ v: '1' });
  });

  it.each<[string, string, Record<string, GrokValue> | null]>([
    ['11,abc,end1', '%{aa:aa},%{bb:bb},%{cc:cc}', { aa: '11', bb: 'abc', cc: 'end1' }],
    ['22,abc,end1', '%{aa:aa},%{bb:bb},%{INT:cc}', null],
  ])('add_pattern doc on %j', (input, pattern, want) => {
    const lib = defaultGrokLibrary().child();
    lib.addPattern('aa', '\\d{2}');
    const block = lib.child();
    block.addPattern('bb', '[a-z]{3}');
    const inner = block.child();
    inner.addPattern('cc', 'end1');
    expect(captures(compile(inner, pattern), input)).toEqual(want);
  });

  it('add_pattern doc on "33,abc,end3": a block-scoped redefinition shadows the outer one', () => {
    const lib = defaultGrokLibrary().child();
    lib.addPattern('aa', '\\d{2}');
    const block = lib.child();
    block.addPattern('bb', '[a-z]{3}');
    const inner = block.child();
    inner.addPattern('bb', '[\\d]{5}');
    inner.addPattern('cc', 'end3');
    expect(captures(compile(inner, '%{aa:aa},%{bb:bb},%{cc:cc}'), '33,abc,end3')).toBeNull();
    expect(captures(compile(block, '%{aa:aa},%{bb:bb}'), '33,abc')).toEqual({ aa: '33', bb: 'abc' });
  });
});

describe.skipIf(SHARED_DIR === null)('bench vector: nginx combined log', () => {
  it('matches shared/bench/pipeline/nginx.in like DataKit', () => {
    if (SHARED_DIR === null) throw new Error(SHARED_MISSING_REASON);
    const script = readFileSync(sharedPath('bench', 'pipeline', 'nginx.p'), 'utf8');
    const pattern = JSON.parse(/grok\(_, (".*")\)/.exec(script)![1]!) as string;
    const line = readFileSync(sharedPath('bench', 'pipeline', 'nginx.in'), 'utf8').split('\n')[0]!;
    const want = JSON.parse(
      readFileSync(sharedPath('bench', 'pipeline', 'nginx.expect.jsonl'), 'utf8').split('\n')[0]!,
    );
    const got = captures(compile(defaultGrokLibrary(), pattern), line)!;
    for (const k of [
      'client_ip',
      'http_ident',
      'http_auth',
      'http_method',
      'http_url',
      'http_version',
      'referrer',
      'agent',
    ]) {
      expect(got[k]).toBe(want.fields[k].s);
    }
    expect(got.time).toBe('10/Oct/2023:13:55:36 -0700');
  });
});
