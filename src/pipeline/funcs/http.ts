/**
 * `http_request(method, url, headers={}, body=nil, prefix="")`: sends a
 * request and answers `{"status_code": int, "body": str}` (keys with
 * `prefix` in front), or nil when the request is refused by the
 * operator's policy or fails (DataKit's answer for both). A list or map
 * body is sent as JSON, numbers and bools as their text; header values
 * that are not strings are left out.
 *
 * The function is off unless the operator enabled it: without the
 * `httpRequest` service the run fails with an error saying how to enable
 * it (services/http-request.ts has the policy and the limits).
 */
import { RunFault } from '../lang/errors.js';
import type { Eval, FuncDef } from '../lang/func-api.js';
import { formatFloatF, isMap, mapSet, newMap, toGoJson, type Value } from '../lang/values.js';
import { defineFunc } from './registry.js';
import { requireService } from './services.js';

const PREFIX_KINDS = ['Identifier', 'StringLiteral', 'AttrExpr'];
const EXPECT_STRING = 'param data type expect string';

/** The request body DataKit builds from a script value (null: no body). */
export function requestBody(v: Value): string | null {
  switch (typeof v) {
    case 'string':
      return v;
    case 'bigint':
      return v.toString();
    case 'number':
      return formatFloatF(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return null;
      try {
        return toGoJson(v);
      } catch {
        return null;
      }
  }
}

function isHttpUrl(s: string): boolean {
  try {
    const p = new URL(s).protocol;
    return p === 'http:' || p === 'https:';
  } catch {
    return false;
  }
}

export const httpRequest = defineFunc({
  name: 'http_request',
  params: [
    { name: 'method' },
    { name: 'url' },
    { name: 'headers', optional: true },
    { name: 'body', optional: true },
    { name: 'prefix', optional: true },
  ],
  compile(call) {
    const method = call.value(0);
    const url = call.value(1);
    const headers = call.has(2) ? call.value(2) : null;
    const body = call.has(3) ? call.value(3) : null;
    let prefix: Eval | null = null;
    if (call.has(4)) {
      const a = call.arg(4)!;
      if (!PREFIX_KINDS.includes(a.type))
        call.fail(`expect StringLiteral or Identifier or AttrExpr, got ${a.type}`, 4);
      prefix = call.value(4);
    }
    const pos = [0, 1, 2, 3, 4].map((i) => call.pos(i));
    return (r) => {
      const svc = requireService(r.services, 'httpRequest', 'http_request');
      const m = method(r);
      if (typeof m !== 'string') throw new RunFault(EXPECT_STRING, pos[0]);
      const u = url(r);
      if (typeof u !== 'string') throw new RunFault(EXPECT_STRING, pos[1]);
      let pre = '';
      if (prefix !== null) {
        const p = prefix(r);
        if (typeof p !== 'string') throw new RunFault(EXPECT_STRING, pos[4]);
        pre = p;
      }
      if (!isHttpUrl(u)) return null;
      const hdrs: Record<string, string> = {};
      if (headers !== null) {
        const h = headers(r);
        if (!isMap(h)) throw new RunFault('param data type expect map', pos[2]);
        for (const k in h) if (Object.hasOwn(h, k) && typeof h[k] === 'string') hdrs[k] = h[k];
      }
      const payload = body === null ? null : requestBody(body(r));
      const res = svc.request({ method: m, url: u, headers: hdrs, body: payload });
      if (!res.ok) return null;
      const out = newMap();
      mapSet(out, `${pre}status_code`, BigInt(res.status));
      mapSet(out, `${pre}body`, res.body);
      return out;
    };
  },
});

export const HTTP_FUNCS: readonly FuncDef[] = [httpRequest];
