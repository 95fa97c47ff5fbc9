/**
 * The http_request address policy: always-blocked ranges (also when
 * spelled as IPv4-mapped, compatible or NAT64 IPv6), DataKit's allow-lists
 * and internal-net switch, and URL checks.
 */
import { describe, expect, it } from 'vitest';
import {
  blockedReason,
  embeddedIPv4,
  isPrivateAddress,
  mappedIPv4,
  NetPolicy,
  parseCidr,
} from '../../../src/pipeline/services/net-policy.js';

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['169.254.170.2', 'link-local'],
    ['fe80::1', 'link-local'],
    ['FE80::abcd', 'link-local'],
    ['100.100.100.200', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
  ])('%s is %s', (addr, why) => {
    expect(blockedReason(addr)).toBe(why);
  });

  it.each([
    '8.8.8.8',
    '10.1.2.3',
    '192.168.1.1',
    '2001:db8::1',
    '100.100.100.201',
    'fd00:ec2::253',
    '::ffff:8.8.8.8',
  ])('%s is not always blocked', (addr) => {
    expect(blockedReason(addr)).toBeNull();
  });
});

describe('address helpers', () => {
  it.each([
    ['::ffff:1.2.3.4', '1.2.3.4', '1.2.3.4'],
    ['::ffff:0102:0304', '1.2.3.4', '1.2.3.4'],
    ['::1.2.3.4', '1.2.3.4', null],
    ['64:ff9b::102:304', '1.2.3.4', null],
    ['2001:db8::1', null, null],
    ['1.2.3.4', null, null],
    ['::', null, null],
    ['::1', null, null],
  ])('%s embeds %s, maps %s', (addr, embedded, mapped) => {
    expect(embeddedIPv4(addr)).toBe(embedded);
    expect(mappedIPv4(addr)).toBe(mapped);
  });

  it.each([
    ['10.0.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.0.10', true],
    ['fd12::1', true],
    ['::ffff:10.0.0.1', true],
    ['8.8.8.8', false],
  ])('private %s = %s', (addr, want) => {
    expect(isPrivateAddress(addr)).toBe(want);
  });

  it.each([
    ['10.0.0.0/8', { addr: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['127.0.0.1', { addr: '127.0.0.1', prefix: 32, family: 'ipv4' }],
    [' fd00::/8 ', { addr: 'fd00::', prefix: 8, family: 'ipv6' }],
    ['10.0.0.0/33', null],
    ['10.0.0.0/x', null],
    ['host.example/8', null],
    ['fe80::1%eth0/64', null],
  ])('parseCidr(%j)', (s, want) => {
    expect(parseCidr(s)).toEqual(want);
  });
});

describe('NetPolicy', () => {
  const open = NetPolicy.create().policy;

  it.each([
    ['file:///etc/passwd', /scheme file/],
    ['ftp://example.com/', /scheme ftp/],
    ['not a url', /not a valid URL/],
    ['http://user:pw@example.com/', /credentials/],
  ])('refuses the URL %s', (url, re) => {
    const v = open.checkUrl(url);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(re);
  });

  it('accepts http and https URLs and says whether the host is an address', () => {
    const a = open.checkUrl('https://Example.COM./x?y=1');
    expect(a).toMatchObject({ ok: true, host: 'example.com', literal: false });
    const b = open.checkUrl('http://[::1]:8080/');
    expect(b).toMatchObject({ ok: true, host: '::1', literal: true });
  });

  it('without allow-lists reaches public and private addresses, never loopback or metadata', () => {
    expect(open.checkAddresses('example.com', false, ['93.184.216.34']).ok).toBe(true);
    expect(open.checkAddresses('db.lan', false, ['10.0.0.5']).ok).toBe(true);
    expect(open.checkAddresses('localhost', false, ['127.0.0.1']).ok).toBe(false);
    expect(open.checkAddresses('metadata.google.internal', false, ['169.254.169.254']).ok).toBe(false);
    // every resolved address must pass: a rebinding answer that mixes in a blocked one is refused
    expect(open.checkAddresses('rebind.example', false, ['93.184.216.34', '169.254.169.254']).ok).toBe(false);
    expect(open.checkAddresses('empty.example', false, []).ok).toBe(false);
  });

  it('refuses private ranges with disableInternalNet', () => {
    const p = NetPolicy.create({ disableInternalNet: true }).policy;
    expect(p.checkAddresses('db.lan', false, ['10.0.0.5']).ok).toBe(false);
    expect(p.checkAddresses('example.com', false, ['93.184.216.34']).ok).toBe(true);
  });

  it('with allow-lists reaches only listed hosts and CIDRs', () => {
    const p = NetPolicy.create({
      hostAllowList: ['API.example.com'],
      cidrAllowList: ['203.0.113.0/24'],
    }).policy;
    expect(p.checkAddresses('api.example.com', false, ['93.184.216.34']).ok).toBe(true);
    expect(p.checkAddresses('other.example.com', false, ['93.184.216.34']).ok).toBe(false);
    expect(p.checkAddresses('other.example.com', false, ['203.0.113.9']).ok).toBe(true);
  });

  it('lets an allowed name through only to addresses that are not always blocked', () => {
    const p = NetPolicy.create({ hostAllowList: ['localhost', 'evil.example'] }).policy;
    expect(p.checkAddresses('localhost', false, ['127.0.0.1']).ok).toBe(false);
    expect(p.checkAddresses('evil.example', false, ['169.254.169.254']).ok).toBe(false);
  });

  it('reaches loopback only when its address is allowed explicitly', () => {
    const byCidr = NetPolicy.create({ cidrAllowList: ['127.0.0.1/32'] }).policy;
    expect(byCidr.checkAddresses('127.0.0.1', true, ['127.0.0.1']).ok).toBe(true);
    expect(byCidr.checkAddresses('localhost', false, ['127.0.0.1']).ok).toBe(true);
    expect(byCidr.checkAddresses('localhost', false, ['127.0.0.2']).ok).toBe(false);
    const byLiteral = NetPolicy.create({ hostAllowList: ['127.0.0.1'] }).policy;
    expect(byLiteral.checkAddresses('127.0.0.1', true, ['127.0.0.1']).ok).toBe(true);
    expect(byLiteral.checkAddresses('localhost', false, ['127.0.0.1']).ok).toBe(false);
  });

  it('reports CIDR entries it cannot parse and ignores them', () => {
    const { policy, errors } = NetPolicy.create({ cidrAllowList: ['nonsense', '10.0.0.0/8'] });
    expect(errors).toEqual(['http_request CIDR allow-list: "nonsense" is not a CIDR, ignored']);
    expect(policy.checkAddresses('x', false, ['10.1.1.1']).ok).toBe(true);
    expect(policy.checkAddresses('x', false, ['11.1.1.1']).ok).toBe(false);
  });
});
