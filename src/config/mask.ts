/**
 * A printable copy of a `Config` with secrets masked (DataWay and API
 * tokens, offload token, URL passwords), for `plkit check`, logs and bug
 * reports. Masks keep a few characters (`tkn_ab…yz`) so two tokens can
 * still be told apart.
 */
import type { ConfigDraft } from './draft.js';
import type { Config } from './types.js';

/** `tkn_0123456789abcdef` → `tkn_01…ef`; short secrets become `****`. */
export function maskToken(token: string): string {
  if (token === '') return '';
  const prefix = /^[a-z]{2,5}_/.exec(token)?.[0] ?? '';
  const body = token.slice(prefix.length);
  if (body.length < 8) return `${prefix}****`;
  return `${prefix}${body.slice(0, 2)}…${body.slice(-2)}`;
}

/** Masks the `token=` query parameter and any password in a URL string (left as text, not re-encoded). */
export function maskUrl(url: string): string {
  let s = url.replace(/([?&]token=)([^&#]*)/g, (_m, k: string, v: string) => k + maskToken(safeDecode(v)));
  s = s.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:?#]*:)([^/@?#]*)@/i, '$1****@');
  return s;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function maskedConfig(config: Config): Config {
  const c = structuredClone(config) as ConfigDraft;
  const dw = c.dataway;
  dw.urls = dw.urls.map(maskUrl);
  for (const ep of dw.endpoints) {
    ep.url = maskUrl(ep.url);
    ep.token = maskToken(ep.token);
    ep.query = maskUrl(`?${ep.query}`).slice(1);
  }
  dw.httpProxy = maskUrl(dw.httpProxy);
  c.httpApi.tokens = c.httpApi.tokens.map(maskToken);
  const p = c.pipeline;
  p.referTableUrl = maskUrl(p.referTableUrl);
  p.offload.token = maskToken(p.offload.token);
  p.offload.addresses = p.offload.addresses.map(maskUrl);
  return c as Config;
}
