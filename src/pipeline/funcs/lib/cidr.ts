/**
 * `cidr(ip, prefix)`: whether an address lies in a prefix, with Go's
 * `net/netip` parsing: strict dotted-quad IPv4 (no leading zeros), IPv6 with
 * `::` and an embedded IPv4 tail, zones only on addresses (an address with
 * a zone is never contained), prefix bits without sign or leading zeros.
 * IPv4 and IPv6 (including ::ffff:a.b.c.d) never match each other.
 */

export interface NetAddr {
  bytes: Uint8Array; // 4 or 16
  zone: string;
}

/** Go's `parseIPv4Fields` over `s`; writes into `out` at `at`. */
function parseIPv4Into(s: string, out: Uint8Array, at: number): string | null {
  let val = 0;
  let pos = 0;
  let digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digLen === 1 && val === 0) return 'IPv4 field has octet with leading zero';
      val = val * 10 + (c - 0x30);
      digLen++;
      if (val > 255) return 'IPv4 field has value >255';
    } else if (c === 0x2e) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return 'IPv4 field must have at least one digit';
      if (pos === 3) return 'IPv4 address too long';
      out[at + pos] = val;
      pos++;
      val = 0;
      digLen = 0;
    } else return 'unexpected character';
  }
  if (pos < 3) return 'IPv4 address too short';
  out[at + 3] = val;
  return null;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function parseIPv6(input: string): NetAddr | string {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return 'zone must be a non-empty string';
  }
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { bytes: ip, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const h = hexVal(s.charCodeAt(off));
      if (h < 0) break;
      if (off > 3) return 'each group must have 4 or less digits';
      acc = acc * 16 + h;
    }
    if (off === 0) return 'each colon-separated field must have at least one digit';
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12)
        return 'embedded IPv4 address must replace the final 2 fields of the address';
      if (i + 4 > 16) return 'too many hex fields to fit an embedded IPv4 at the end of the address';
      const err = parseIPv4Into(s, ip, i);
      if (err !== null) return err;
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') return 'unexpected character, want colon';
    if (s.length === 1) return 'colon must be followed by more characters';
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return 'multiple :: in address';
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return 'trailing garbage after address';
  if (i < 16) {
    if (ellipsis < 0) return 'address string too short';
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) return 'the :: must expand to at least one field of zeros';
  return { bytes: ip, zone };
}

/** Go's `netip.ParseAddr`; a string is the reason it failed. */
export function parseAddr(s: string): NetAddr | string {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '.') {
      const out = new Uint8Array(4);
      const err = parseIPv4Into(s, out, 0);
      return err ?? { bytes: out, zone: '' };
    }
    if (c === ':') return parseIPv6(s);
    if (c === '%') return 'missing IPv6 address';
  }
  return 'unable to parse IP';
}

export interface NetPrefix {
  addr: NetAddr;
  bits: number;
}

/** Go's `netip.ParsePrefix`. */
export function parsePrefix(s: string): NetPrefix | string {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return "no '/'";
  const addr = parseAddr(s.slice(0, slash));
  if (typeof addr === 'string') return addr;
  if (addr.bytes.length === 16 && addr.zone !== '') return 'IPv6 zones cannot be present in a prefix';
  const bitsStr = s.slice(slash + 1);
  if (!/^(?:0|[1-9][0-9]*)$/.test(bitsStr)) return `bad bits after slash: ${JSON.stringify(bitsStr)}`;
  const bits = Number(bitsStr);
  if (bits > addr.bytes.length * 8) return 'prefix length out of range';
  return { addr, bits };
}

/** Go's `Prefix.Contains`. */
export function prefixContains(p: NetPrefix, a: NetAddr): boolean {
  if (a.zone !== '' || a.bytes.length !== p.addr.bytes.length) return false;
  let bits = p.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a.bytes[i]! & mask) !== (p.addr.bytes[i]! & mask)) return false;
  }
  return true;
}

/** `cidr(ip, prefix)`; false when either does not parse, as in DataKit. */
export function cidr(ip: string, prefix: string): boolean {
  const p = parsePrefix(prefix);
  if (typeof p === 'string') return false;
  const a = parseAddr(ip);
  if (typeof a === 'string') return false;
  return prefixContains(p, a);
}
