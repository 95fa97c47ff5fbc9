/**
 * Where `http_request` may connect: the allow-lists DataKit configures
 * (`http_request_host_whitelist`, `http_request_cidr_whitelist`,
 * `http_request_disable_internal_net`) plus addresses plkit never reaches
 * unless an operator allows that address explicitly: loopback, link-local
 * (169.254/16 holds the AWS, GCP, Azure, Oracle and Tencent metadata
 * services), unspecified, multicast and broadcast, and the metadata
 * addresses outside link-local (Alibaba Cloud 100.100.100.200, AWS IPv6
 * fd00:ec2::254).
 *
 * Decisions are made on the *resolved* addresses, never on the name alone,
 * so a name that is rebound to a metadata address is still refused; the
 * caller then connects to the very address that was checked.
 *
 * Rules, for each resolved address of the URL's host:
 * 1. explicit = it is inside an allowed CIDR, or the URL names it
 *    literally and that literal is on the host allow-list;
 * 2. with any allow-list configured, the host name must be listed or the
 *    address explicit;
 * 3. an address that is not explicit must not be in the always-blocked
 *    ranges, nor (with `disableInternalNet`) in the private ranges.
 */
import { BlockList, isIP } from 'node:net';

export interface NetPolicyOptions {
  /** Host names (or address literals) requests may go to. */
  hostAllowList?: readonly string[];
  /** CIDRs requests may go to; an address inside one is reachable even when it is loopback or link-local. */
  cidrAllowList?: readonly string[];
  /** Also refuse private ranges (10/8, 172.16/12, 192.168/16, fc00::/7), as DataKit's option does. */
  disableInternalNet?: boolean;
}

export type UrlVerdict =
  | { ok: true; url: URL; host: string; literal: boolean }
  | { ok: false; reason: string };

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

const ALWAYS_BLOCKED_V4: readonly [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['100.100.100.200', 32, 'cloud metadata'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'],
];
const ALWAYS_BLOCKED_V6: readonly [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fe80::', 10, 'link-local'],
  ['fd00:ec2::254', 128, 'cloud metadata'],
  ['ff00::', 8, 'multicast'],
];
const PRIVATE_V4: readonly [string, number][] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
];
const PRIVATE_V6: readonly [string, number][] = [['fc00::', 7]];

/** One blocked range and the reason reported for it. */
interface Range {
  list: BlockList;
  reason: string;
}

function ranges(v4: readonly [string, number, string][], v6: readonly [string, number, string][]): Range[] {
  const out: Range[] = [];
  for (const [a, p, reason] of v4) {
    const list = new BlockList();
    list.addSubnet(a, p, 'ipv4');
    out.push({ list, reason });
  }
  for (const [a, p, reason] of v6) {
    const list = new BlockList();
    list.addSubnet(a, p, 'ipv6');
    out.push({ list, reason });
  }
  return out;
}

const BLOCKED = ranges(ALWAYS_BLOCKED_V4, ALWAYS_BLOCKED_V6);
const PRIVATE = (() => {
  const list = new BlockList();
  for (const [a, p] of PRIVATE_V4) list.addSubnet(a, p, 'ipv4');
  for (const [a, p] of PRIVATE_V6) list.addSubnet(a, p, 'ipv6');
  return list;
})();

/**
 * The IPv4 address an IPv6 address carries and routes to (IPv4-mapped
 * `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`),
 * or null. Checking the embedded address too stops `::ffff:169.254.169.254`
 * style spellings of a blocked address.
 */
export function embeddedIPv4(addr: string): string | null {
  if (isIP(addr) !== 6) return null;
  const words = expandIPv6(addr);
  if (words === null) return null;
  const low = `${words[6]! >> 8}.${words[6]! & 255}.${words[7]! >> 8}.${words[7]! & 255}`;
  const zeros5 = words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0;
  if (zeros5 && (words[5] === 0xffff || words[5] === 0)) {
    // `::` and `::1` are IPv6's own unspecified and loopback addresses
    if (words[5] === 0 && words[6] === 0 && words[7]! <= 1) return null;
    return low;
  }
  if (
    words[0] === 0x64 &&
    words[1] === 0xff9b &&
    words[2] === 0 &&
    words[3] === 0 &&
    words[4] === 0 &&
    words[5] === 0
  )
    return low;
  return null;
}

/** The IPv4 address of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), which Go treats as IPv4; else null. */
export function mappedIPv4(addr: string): string | null {
  if (isIP(addr) !== 6) return null;
  const w = expandIPv6(addr);
  if (w === null || w[0] !== 0 || w[1] !== 0 || w[2] !== 0 || w[3] !== 0 || w[4] !== 0 || w[5] !== 0xffff)
    return null;
  return `${w[6]! >> 8}.${w[6]! & 255}.${w[7]! >> 8}.${w[7]! & 255}`;
}

/** The eight 16-bit words of an IPv6 address (dotted IPv4 tail allowed), or null. */
function expandIPv6(addr: string): number[] | null {
  let s = addr;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > lastColon) {
    // a dotted IPv4 tail becomes its two hex words
    const b = s
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    if (b.length !== 4) return null;
    s = `${s.slice(0, lastColon + 1)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const rest = halves.length === 2 && halves[1] !== '' ? halves[1]!.split(':') : [];
  const words: number[] = [];
  for (const h of head) words.push(Number.parseInt(h, 16));
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 0) return null;
    for (let i = 0; i < fill; i++) words.push(0);
  }
  for (const h of rest) words.push(Number.parseInt(h, 16));
  if (words.length !== 8 || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) return null;
  return words;
}

function familyOf(addr: string): 'ipv4' | 'ipv6' {
  return isIP(addr) === 4 ? 'ipv4' : 'ipv6';
}

/** The reason `addr` is in the always-blocked ranges, or null. */
export function blockedReason(addr: string): string | null {
  const fam = familyOf(addr);
  for (const r of BLOCKED) if (r.list.check(addr, fam)) return r.reason;
  const v4 = embeddedIPv4(addr);
  if (v4 !== null) for (const r of BLOCKED) if (r.list.check(v4, 'ipv4')) return r.reason;
  return null;
}

export function isPrivateAddress(addr: string): boolean {
  if (PRIVATE.check(addr, familyOf(addr))) return true;
  const v4 = embeddedIPv4(addr);
  return v4 !== null && PRIVATE.check(v4, 'ipv4');
}

/** `10.0.0.0/8`, `fd00::/8` or a bare address (a /32 or /128). */
export function parseCidr(s: string): { addr: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s.trim() : s.slice(0, slash).trim();
  const fam = isIP(addr);
  if (fam === 0 || addr.includes('%')) return null;
  const max = fam === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > max) return null;
  }
  return { addr, prefix, family: fam === 4 ? 'ipv4' : 'ipv6' };
}

export class NetPolicy {
  readonly #hosts: ReadonlySet<string>;
  readonly #allowed: BlockList;
  readonly #hasCidrs: boolean;
  readonly #disableInternal: boolean;

  private constructor(hosts: Set<string>, allowed: BlockList, hasCidrs: boolean, disableInternal: boolean) {
    this.#hosts = hosts;
    this.#allowed = allowed;
    this.#hasCidrs = hasCidrs;
    this.#disableInternal = disableInternal;
  }

  /** The policy, and the allow-list entries that are not CIDRs (reported, then ignored). */
  static create(opts: NetPolicyOptions = {}): { policy: NetPolicy; errors: string[] } {
    const errors: string[] = [];
    const hosts = new Set<string>();
    for (const h of opts.hostAllowList ?? []) {
      const name = normalizeHost(h);
      if (name !== '') hosts.add(name);
    }
    const allowed = new BlockList();
    let hasCidrs = false;
    for (const c of opts.cidrAllowList ?? []) {
      const p = parseCidr(c);
      if (p === null) {
        errors.push(`http_request CIDR allow-list: ${JSON.stringify(c)} is not a CIDR, ignored`);
        continue;
      }
      allowed.addSubnet(p.addr, p.prefix, p.family);
      hasCidrs = true;
    }
    return { policy: new NetPolicy(hosts, allowed, hasCidrs, opts.disableInternalNet === true), errors };
  }

  /** Scheme and syntax of a URL: only http and https with a host. */
  checkUrl(raw: string): UrlVerdict {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'not a valid URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { ok: false, reason: `scheme ${url.protocol.slice(0, -1)} is not allowed` };
    if (url.username !== '' || url.password !== '')
      return { ok: false, reason: 'credentials in the URL are not allowed' };
    const host = normalizeHost(url.hostname);
    if (host === '') return { ok: false, reason: 'no host' };
    return { ok: true, url, host, literal: isIP(host) !== 0 };
  }

  /** Whether `host` (resolved to `addresses`) may be reached; every address must pass. */
  checkAddresses(host: string, literal: boolean, addresses: readonly string[]): AddressVerdict {
    if (addresses.length === 0) return { ok: false, reason: `${host}: no address` };
    const hostListed = this.#hosts.has(normalizeHost(host));
    const anyAllowList = this.#hosts.size > 0 || this.#hasCidrs;
    for (const a of addresses) {
      const explicit = this.#inAllowedCidr(a) || (literal && hostListed);
      if (anyAllowList && !hostListed && !explicit)
        return { ok: false, reason: `${host} (${a}) is not on the http_request allow-lists` };
      if (explicit) continue;
      const why = blockedReason(a);
      if (why !== null) return { ok: false, reason: `${host} resolves to ${a}, a ${why} address` };
      if (this.#disableInternal && isPrivateAddress(a))
        return { ok: false, reason: `${host} resolves to ${a}, an internal address` };
    }
    return { ok: true };
  }

  #inAllowedCidr(a: string): boolean {
    if (!this.#hasCidrs) return false;
    if (this.#allowed.check(a, familyOf(a))) return true;
    const v4 = embeddedIPv4(a);
    return v4 !== null && this.#allowed.check(v4, 'ipv4');
  }
}

/** Lower-cased host without IPv6 brackets or a trailing dot. */
export function normalizeHost(h: string): string {
  let s = h.trim().toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}
