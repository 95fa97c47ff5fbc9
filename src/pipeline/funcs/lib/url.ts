/**
 * `url_parse` and `url_decode`, following Go's `net/url` (`url.Parse`,
 * `URL.Port`, `URL.Query`, `url.QueryUnescape`) rather than WHATWG URL:
 * relative references parse, the host keeps its port, the path is
 * unescaped, and errors are the same cases Go reports.
 */
import { goUnescape, UrlEscapeError } from './url-unescape.js';
import { type LibMap, setKey } from './value.js';

export class UrlParseError extends Error {
  override name = 'UrlParseError';
}

export interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
}

function fail(raw: string, why: string): UrlParseError {
  return new UrlParseError(`parse ${JSON.stringify(raw)}: ${why}`);
}

function hasCtlByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** [scheme, rest]; an Error when the URL starts with ':'. */
function splitScheme(raw: string): [string, string] | string {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) return 'missing protocol scheme';
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function parseHost(host: string): string | Error {
  if (host.startsWith('[')) {
    // IP literal, possibly with an RFC 6874 zone introduced by %25
    const i = host.lastIndexOf(']');
    if (i < 0) return new Error("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort))
      return new Error(`invalid port ${JSON.stringify(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      const h1 = goUnescape(host.slice(0, zone), 'host');
      if (h1 instanceof Error) return h1;
      const h2 = goUnescape(host.slice(zone, i), 'zone');
      if (h2 instanceof Error) return h2;
      const h3 = goUnescape(host.slice(i), 'host');
      if (h3 instanceof Error) return h3;
      return h1 + h2 + h3;
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort))
        return new Error(`invalid port ${JSON.stringify(colonPort)} after host`);
    }
  }
  return goUnescape(host, 'host');
}

const USERINFO_OK = new Set(Array.from("-._:~!$&'()*+,;=%@", (c) => c.charCodeAt(0)));

function validUserinfo(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) continue;
    if (!USERINFO_OK.has(c)) return false;
  }
  return true;
}

/** The host of an authority; userinfo is checked (Go rejects bad escapes there) and dropped. */
function parseAuthority(authority: string): string | Error {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (host instanceof Error || at < 0) return host;
  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) return new Error('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  const parts = colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
  for (const part of parts) {
    const u = goUnescape(part, 'userPassword');
    if (u instanceof Error) return u;
  }
  return host;
}

/** Go's `url.Parse`. */
export function parseGoUrl(raw: string): GoUrl | UrlParseError {
  const hash = raw.indexOf('#');
  const noFrag = hash < 0 ? raw : raw.slice(0, hash);
  const u: GoUrl = { scheme: '', opaque: '', host: '', path: '', rawQuery: '', fragment: '' };
  if (hasCtlByte(noFrag)) return fail(noFrag, 'net/url: invalid control character in URL');
  if (noFrag === '*') {
    u.path = '*';
  } else {
    const sc = splitScheme(noFrag);
    if (typeof sc === 'string') return fail(noFrag, sc);
    u.scheme = sc[0].toLowerCase();
    let rest = sc[1];
    if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
    else {
      const q = rest.indexOf('?');
      if (q >= 0) {
        u.rawQuery = rest.slice(q + 1);
        rest = rest.slice(0, q);
      }
    }
    if (!rest.startsWith('/')) {
      if (u.scheme !== '') {
        u.opaque = rest;
        return withFragment(u, raw, hash);
      }
      const slash = rest.indexOf('/');
      const segment = slash < 0 ? rest : rest.slice(0, slash);
      if (segment.includes(':')) return fail(noFrag, 'first path segment in URL cannot contain colon');
    }
    if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
      const slash = rest.indexOf('/', 2);
      const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
      rest = slash < 0 ? '' : rest.slice(slash);
      const host = parseAuthority(authority);
      if (host instanceof Error) return fail(noFrag, host.message);
      u.host = host;
    }
    const path = goUnescape(rest, 'path');
    if (path instanceof Error) return fail(noFrag, path.message);
    u.path = path;
  }
  return withFragment(u, raw, hash);
}

function withFragment(u: GoUrl, raw: string, hash: number): GoUrl | UrlParseError {
  if (hash < 0) return u;
  const frag = goUnescape(raw.slice(hash + 1), 'fragment');
  if (frag instanceof Error) return fail(raw, frag.message);
  u.fragment = frag;
  return u;
}

/** Go's `URL.Port()`: digits after the last colon, if they form a valid port. */
export function portOf(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) return host.slice(colon + 1);
  return '';
}

/**
 * Go's query splitting: the decoded pairs in order, into two parallel
 * lists (no object per pair); pairs that fail to decode or hold ';' are
 * skipped.
 */
function splitQuery(query: string, keys: string[], values: string[]): void {
  let from = 0;
  while (from < query.length) {
    let amp = query.indexOf('&', from);
    if (amp < 0) amp = query.length;
    const pair = query.slice(from, amp);
    from = amp + 1;
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const k = goUnescape(eq < 0 ? pair : pair.slice(0, eq), 'queryComponent');
    if (k instanceof Error) continue;
    const v = goUnescape(eq < 0 ? '' : pair.slice(eq + 1), 'queryComponent');
    if (v instanceof Error) continue;
    keys.push(k);
    values.push(v);
  }
}

/** Go's `URL.Query()`: pairs that fail to decode (or contain ';') are skipped. */
export function parseQuery(query: string): Map<string, string[]> {
  const keys: string[] = [];
  const values: string[] = [];
  splitQuery(query, keys, values);
  const m = new Map<string, string[]>();
  for (let i = 0; i < keys.length; i++) {
    const list = m.get(keys[i]!);
    if (list) list.push(values[i]!);
    else m.set(keys[i]!, [values[i]!]);
  }
  return m;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Each query key's values joined with ",", keys in first-seen order. */
function queryParams(query: string): LibMap {
  const params: LibMap = {};
  if (query === '') return params;
  const keys: string[] = [];
  const values: string[] = [];
  splitQuery(query, keys, values);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (hasOwn.call(params, k)) params[k] = `${params[k] as string},${values[i]!}`;
    else setKey(params, k, values[i]!);
  }
  return params;
}

/**
 * `url_parse(url, prefix)`: a map with scheme, host (with port), port, path
 * and params (each query key's values joined with ","), keys prefixed.
 */
export function urlParse(raw: string, prefix = ''): LibMap | UrlParseError {
  const u = parseGoUrl(raw);
  if (u instanceof Error) return u;
  const params = queryParams(u.rawQuery);
  if (prefix === '') {
    // a literal keeps one object shape for every call (the usual, unprefixed case)
    return { scheme: u.scheme, host: u.host, port: portOf(u.host), path: u.path, params };
  }
  const out: LibMap = {};
  setKey(out, `${prefix}scheme`, u.scheme);
  setKey(out, `${prefix}host`, u.host);
  setKey(out, `${prefix}port`, portOf(u.host));
  setKey(out, `${prefix}path`, u.path);
  setKey(out, `${prefix}params`, params);
  return out;
}

/** `url_decode`: Go's `url.QueryUnescape` (`+` is a space; a bad `%` escape is an error). */
export function urlDecode(s: string): string | UrlEscapeError {
  return goUnescape(s, 'queryComponent');
}

export { UrlEscapeError };
