import { describe, expect, it } from 'vitest';
import { b64dec, b64enc } from '../../../../src/pipeline/funcs/lib/b64.js';
import { cidr, parseAddr, parsePrefix } from '../../../../src/pipeline/funcs/lib/cidr.js';
import { hash } from '../../../../src/pipeline/funcs/lib/hash.js';
import { convTraceIdW3cToDd } from '../../../../src/pipeline/funcs/lib/traceid.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, vectorSuite } from './vectors.js';

describe('convTraceIdW3cToDd', () => {
  it.each([
    ['18962fdd9eea517f2ae0771ea69d6e16', '3089600317904219670'],
    ['43820ddf56d9a654', '4864465800399529556'],
    ['FFFFFFFFFFFFFFFF', '18446744073709551615'],
    ['0000000000000000', '0'],
  ])('%s', (id, want) => {
    expect(convTraceIdW3cToDd(id)).toBe(want);
  });

  it.each([
    ['10f7cdb2b45447bcb43820ddf56d9a654'],
    [''],
    ['xyz'],
    ['g3820ddf56d9a654'],
    ['0000000000000000000000000000000g'],
  ])('rejects %j', (id) => {
    expect(convTraceIdW3cToDd(id)).toBeInstanceOf(Error);
  });
});

describe('hash', () => {
  it.each([
    ['md5', '900150983cd24fb0d6963f7d28e17f72'],
    ['sha1', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['sha256', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'sha512',
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
    ['xx', ''],
    ['MD5', ''],
    ['', ''],
  ])('hash("abc", %j)', (method, want) => {
    expect(hash('abc', method)).toBe(want);
  });

  it('hashes the UTF-8 bytes', () => {
    expect(hash('你好', 'md5')).toBe('7eca689f0d3389d9dea66ae112e5cfd7');
  });
});

describe('cidr (net/netip)', () => {
  it.each([
    ['192.0.2.233', '192.0.2.1/24', true],
    ['192.0.2.233', '192.0.1.1/24', false],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['10.1.2.3', '10.1.2.3/32', true],
    ['10.1.2.4', '10.1.2.3/31', false],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['::ffff:192.0.2.1', '192.0.2.0/24', false], // 4-in-6 is IPv6
    ['192.0.2.1', '::ffff:192.0.2.0/120', false],
    ['fe80::1%eth0', 'fe80::/10', false], // zoned addresses are never contained
    ['192.0.2.1', '192.0.2.0/33', false],
    ['192.0.2.1', '192.0.2.0/024', false],
    ['192.0.2.1', '192.0.2.0/+8', false],
    ['192.0.2.1', '192.0.2.0', false],
    ['192.0.2.01', '192.0.2.0/24', false],
    ['not an ip', '192.0.2.0/24', false],
  ])('cidr(%j, %j)', (ip, prefix, want) => {
    expect(cidr(ip, prefix)).toBe(want);
  });

  it.each([
    ['1.2.3.4', [1, 2, 3, 4]],
    ['::', new Array(16).fill(0)],
    ['::1', [...new Array(15).fill(0), 1]],
    ['1::', [0, 1, ...new Array(14).fill(0)]],
    ['::ffff:1.2.3.4', [...new Array(10).fill(0), 255, 255, 1, 2, 3, 4]],
    ['2001:DB8:0:0:0:0:0:1', [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]],
  ])('parseAddr(%j)', (s, bytes) => {
    const a = parseAddr(s);
    expect(typeof a).toBe('object');
    expect([...(a as { bytes: Uint8Array }).bytes]).toEqual(bytes);
  });

  it.each([
    ['', 'unable to parse IP'],
    ['1.2.3', 'IPv4 address too short'],
    ['1.2.3.4.5', 'IPv4 address too long'],
    ['1.2.3.256', 'IPv4 field has value >255'],
    ['1..2.3', 'IPv4 field must have at least one digit'],
    ['%eth0', 'missing IPv6 address'],
    ['::1%', 'zone must be a non-empty string'],
    ['1:2:3:4:5:6:7:8:9', 'trailing garbage'],
    ['1::2::3', 'multiple :: in address'],
    ['12345::', 'each group must have 4 or less digits'],
    ['1:2:3:4:5:6:7', 'address string too short'],
    ['1:2:3:4:5:6:7::8', 'the :: must expand to at least one field of zeros'],
    ['1:2:3:4:5:6:1.2.3.4:5', 'unexpected character'], // the IPv4 tail must end the address
    ['1:2:1.2.3.4', 'embedded IPv4 address must replace the final 2 fields'],
    [':1', 'each colon-separated field must have at least one digit'],
    ['1:', 'colon must be followed by more characters'],
  ])('parseAddr rejects %j', (s, msg) => {
    expect(parseAddr(s)).toContain(msg);
  });

  it('rejects zoned prefixes', () => {
    expect(parsePrefix('fe80::1%eth0/64')).toContain('zones cannot be present');
    expect(parsePrefix('1.2.3.4')).toBe("no '/'");
  });
});

describe('b64enc / b64dec (base64.StdEncoding)', () => {
  it.each([
    ['13838130517', 'MTM4MzgxMzA1MTc='],
    ['hello, world', 'aGVsbG8sIHdvcmxk'],
    ['你好', '5L2g5aW9'],
    ['', ''],
    ['a', 'YQ=='],
  ])('%j <-> %j', (plain, enc) => {
    expect(b64enc(plain)).toBe(enc);
    expect(b64dec(enc)).toBe(plain);
  });

  it('skips newlines like Go', () => {
    expect(b64dec('aGVs\r\nbG8=\n')).toBe('hel' + 'lo');
  });

  it.each([['YQ'], ['Y==='], ['===='], ['YQ==YQ=='], ['YQ=A'], ['a-b_'], ['YQ== '], ['Y']])(
    'rejects %j',
    (s) => {
      expect(b64dec(s)).toBeInstanceOf(Error);
    },
  );
});

describe.skipIf(SHARED_DIR === null)(vectorSuite('conv_traceid_w3c_to_dd / hash / cidr / b64'), () => {
  it('conv_traceid_w3c_to_dd: all 7', () => {
    const cases = casesFor('conv_traceid_w3c_to_dd');
    expect(cases.length).toBe(7);
    for (const c of cases) {
      const got = convTraceIdW3cToDd(c.in);
      expect(outFields(c)!.trace_id!.s).toBe(got instanceof Error ? c.in : got);
    }
  });

  it('hash: the 6 that compile', () => {
    const cases = casesFor('hash').filter((c) => outFields(c) !== null);
    expect(cases.length).toBe(6);
    for (const c of cases) {
      const m = /hash\("([^"]*)",\s*"([^"]*)"\)/.exec(c.pl)!;
      const target = /pt_kvs_set\("(\w+)"/.exec(c.pl)![1]!;
      expect(outFields(c)![target]!.s).toBe(hash(m[1]!, m[2]!));
    }
  });

  it('cidr: all 3', () => {
    const cases = casesFor('cidr');
    expect(cases.length).toBe(3);
    for (const c of cases) {
      const ip = /ip = "([^"]*)"/.exec(c.pl)![1]!;
      const prefix = /cidr\(ip, "([^"]*)"\)/.exec(c.pl)![1]!;
      expect(outFields(c)!.ip_prefix !== undefined).toBe(cidr(ip, prefix));
    }
  });

  it('b64enc / b64dec: all 8', () => {
    const cases = [...casesFor('b64enc'), ...casesFor('b64dec')];
    expect(cases.length).toBe(8);
    for (const c of cases) {
      const fn = /\b(b64enc|b64dec)\(/.exec(c.pl)![1] === 'b64enc' ? b64enc : b64dec;
      const input = (JSON.parse(c.in) as { str: string }).str;
      expect(outFields(c)!.str!.s).toBe(fn(input));
    }
  });
});
