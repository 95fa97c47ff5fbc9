/**
 * Web log functions: url_decode, url_parse, user_agent and cidr. Each
 * reads a key (a local variable of that name first, then the point), as
 * DataKit's functions do, and either writes results back to the point
 * (url_decode, user_agent) or returns them (url_parse, cidr).
 */
import type { Expr } from '../lang/ast.js';
import { RunFault } from '../lang/errors.js';
import type { CallSite, FuncDef } from '../lang/func-api.js';
import type { RunState } from '../lang/run-state.js';
import { conv2String, type Value } from '../lang/values.js';
import { expectKinds } from './arg-nodes.js';
import { BoundedCache } from './lib/bounded-cache.js';
import { cidr as cidrContains } from './lib/cidr.js';
import { urlParse as parseUrl, urlDecode as urlUnescape } from './lib/url.js';
import { parseUserAgent, type UserAgentInfo } from './lib/user-agent.js';
import { defineFunc } from './registry.js';

export const urlDecode = defineFunc({
  name: 'url_decode',
  params: [{ name: 'key' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      const out = urlUnescape(conv2String(v));
      if (out instanceof Error) throw new RunFault(out.message);
      r.setKey(key, out);
      return null;
    };
  },
});

export const urlParse = defineFunc({
  name: 'url_parse',
  params: [{ name: 'key' }],
  compile(call) {
    expectKinds(call, 0, ['Identifier', 'AttrExpr'], 'param key');
    const read = call.lookupKey(0);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      const u = conv2String(v);
      const out = parseUrl(u);
      if (out instanceof Error) throw new RunFault(`failed to parse url ${u}: ${out.message}`);
      return out;
    };
  },
});

/**
 * Parsed headers kept per user_agent call site. A service's traffic comes
 * from a few hundred distinct clients at a time, so most lines repeat a
 * header seen moments ago; a hit skips the section parse entirely.
 * Headers longer than UA_CACHE_MAX_LEN (junk, attacks) are parsed uncached
 * so the memo stays small (at most 2 × UA_CACHE_SIZE entries).
 */
const UA_CACHE_SIZE = 512;
const UA_CACHE_MAX_LEN = 512;

export const userAgent = defineFunc({
  name: 'user_agent',
  params: [{ name: 'key' }],
  compile(call) {
    const read = call.lookupKey(0); // also checks the key argument's kind
    const cache = new BoundedCache<string, UserAgentInfo>(UA_CACHE_SIZE);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      const header = conv2String(v);
      let ua = header.length > UA_CACHE_MAX_LEN ? undefined : cache.get(header);
      if (ua === undefined) {
        ua = parseUserAgent(header);
        if (header.length <= UA_CACHE_MAX_LEN) cache.set(header, ua);
      }
      r.setKey('isMobile', ua.isMobile);
      r.setKey('isBot', ua.isBot);
      r.setKey('os', ua.os);
      r.setKey('browser', ua.browser);
      r.setKey('browserVer', ua.browserVer);
      r.setKey('engine', ua.engine);
      r.setKey('engineVer', ua.engineVer);
      r.setKey('ua', ua.ua);
      return null;
    };
  },
});

type StrArg = (r: RunState) => string | null;

/** A cidr() argument: a string literal, or a key whose value must be a string. */
function cidrArg(call: CallSite, i: number): StrArg {
  const a: Expr = call.arg(i)!;
  if (a.type === 'StringLiteral') {
    const s = a.value;
    return () => s;
  }
  if (a.type !== 'Identifier' && a.type !== 'AttrExpr' && a.type !== 'IndexExpr' && a.type !== 'CallExpr') {
    expectKinds(call, i, ['StringLiteral', 'Identifier', 'AttrExpr'], 'param');
  }
  // a call is accepted by DataKit's checker but never names a key: always false
  if (a.type === 'CallExpr') return () => null;
  const read = call.lookupKey(i);
  return (r) => {
    const v: Value | undefined = read(r);
    return typeof v === 'string' ? v : null;
  };
}

export const cidr = defineFunc({
  name: 'cidr',
  params: [{ name: 'ip' }, { name: 'prefix' }],
  compile(call) {
    const ip = cidrArg(call, 0);
    const prefix = cidrArg(call, 1);
    return (r) => {
      const a = ip(r);
      if (a === null) return false;
      const p = prefix(r);
      if (p === null) return false;
      return cidrContains(a, p);
    };
  },
});

export const WEB_FUNCS: readonly FuncDef[] = [urlDecode, urlParse, userAgent, cidr];
