/**
 * URL checks shared by `dataway.urls`, offload addresses and socket
 * listeners: what DataKit accepts, reduced to what it actually uses
 * (scheme and host), with the reason when a URL is unusable.
 */
import type { DatawayEndpointConfig } from './types.js';

export type UrlCheck<T> = { ok: true; value: T; note?: string } | { ok: false; reason: string };

/** A DataWay URL: `http(s)://host[:port][?token=…]`. DataKit keeps the whole query for every API. */
export function parseDatawayUrl(raw: string): UrlCheck<DatawayEndpointConfig> {
  const u = parseHttpUrl(raw);
  if (!u.ok) return u;
  const url = u.value;
  const token = url.searchParams.get('token') ?? '';
  const path = url.pathname === '/' ? '' : url.pathname;
  const notes: string[] = [];
  if (token === '') notes.push('no token= parameter: DataWay will reject the uploads');
  if (path !== '') notes.push(`path ${JSON.stringify(path)} is ignored (DataKit uses only scheme and host)`);
  const value: DatawayEndpointConfig = {
    url: raw,
    base: `${url.protocol}//${url.host}`,
    path,
    token,
    query: url.search.startsWith('?') ? url.search.slice(1) : url.search,
  };
  return notes.length > 0 ? { ok: true, value, note: notes.join('; ') } : { ok: true, value };
}

/** An offload address: only `scheme://host[:port]` is used. */
export function parseOffloadAddress(raw: string): UrlCheck<string> {
  const u = parseHttpUrl(raw);
  if (!u.ok) return u;
  const url = u.value;
  const origin = `${url.protocol}//${url.host}`;
  const extra = (url.pathname === '/' ? '' : url.pathname) + url.search;
  if (extra !== '')
    return {
      ok: true,
      value: origin,
      note: `${JSON.stringify(extra)} is ignored (only scheme and host are used)`,
    };
  return { ok: true, value: origin };
}

function parseHttpUrl(raw: string): UrlCheck<URL> {
  const s = raw.trim();
  if (s === '') return { ok: false, reason: 'empty URL' };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return {
      ok: false,
      reason: `not a valid URL: ${JSON.stringify(raw)} (expected e.g. "http://10.0.0.2:9529")`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      reason: `scheme must be http or https, got ${JSON.stringify(url.protocol.slice(0, -1))}`,
    };
  }
  if (url.hostname === '') return { ok: false, reason: `no host in ${JSON.stringify(raw)}` };
  return { ok: true, value: url };
}

export interface SocketUrl {
  scheme: 'tcp' | 'tcp4' | 'tcp6' | 'udp' | 'udp4' | 'udp6';
  host: string;
  port: number;
}

/** A logging socket listener: `tcp://host:port` or `udp://host:port` (DataKit also takes tcp4/tcp6/udp4/udp6). */
export function parseSocketUrl(raw: string): SocketUrl | string {
  const m = /^(tcp|tcp4|tcp6|udp|udp4|udp6):\/\/(.+)$/.exec(raw.trim());
  if (m === null) return `expected "tcp://host:port" or "udp://host:port", got ${JSON.stringify(raw)}`;
  const hp = splitHostPort(m[2]!);
  if (hp === null) return `expected host:port after ${m[1]}://, got ${JSON.stringify(m[2])}`;
  return { scheme: m[1] as SocketUrl['scheme'], host: hp.host, port: hp.port };
}

export function checkSocketUrl(raw: string): string | null {
  const u = parseSocketUrl(raw);
  return typeof u === 'string' ? u : null;
}

/** `host:port` / `[v6]:port` / `:port`; null when malformed or the port is out of range. */
export function splitHostPort(s: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9A-Fa-f:.%a-zA-Z]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(s);
  if (m === null) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  return { host: m[1] ?? m[2] ?? '', port };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}
