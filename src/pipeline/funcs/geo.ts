/**
 * `geoip(ip, prefix="")`: adds city, province, country and isp of the IP
 * held by key `ip` (fields named with `prefix` in front). A missing key,
 * or a value that is not an IP address, adds nothing (DataKit's rules);
 * a run without an IP database fails at the call (see services.ts).
 */
import { RunFault } from '../lang/errors.js';
import type { Eval, FuncDef } from '../lang/func-api.js';
import { conv2String } from '../lang/values.js';
import { expectKinds } from './arg-nodes.js';
import { defineFunc } from './registry.js';
import { requireService } from './services.js';

const KEY_KINDS = ['Identifier', 'StringLiteral', 'AttrExpr', 'IndexExpr'];
const PREFIX_KINDS = ['Identifier', 'StringLiteral', 'AttrExpr'];

export const geoip = defineFunc({
  name: 'geoip',
  params: [{ name: 'ip' }, { name: 'prefix', optional: true }],
  compile(call) {
    expectKinds(call, 0, KEY_KINDS, 'param key');
    const read = call.lookupKey(0);
    let prefix: Eval | null = null;
    if (call.has(1)) {
      const a = call.arg(1)!;
      if (!PREFIX_KINDS.includes(a.type))
        call.fail(`expect StringLiteral or Identifier or AttrExpr, got ${a.type}`, 1);
      prefix = call.value(1);
    }
    const prefixPos = call.pos(1);
    return (r) => {
      const db = requireService(r.services, 'geoip', 'geoip');
      let pre = '';
      if (prefix !== null) {
        const p = prefix(r);
        if (typeof p !== 'string') throw new RunFault('param data type expect string', prefixPos);
        pre = p;
      }
      const v = read(r);
      if (v === undefined) return null;
      const rec = db.lookup(conv2String(v));
      if (rec === null) return null;
      r.setKey(`${pre}city`, rec.city);
      r.setKey(`${pre}province`, rec.province);
      r.setKey(`${pre}country`, rec.country);
      r.setKey(`${pre}isp`, rec.isp);
      return null;
    };
  },
});

export const GEO_FUNCS: readonly FuncDef[] = [geoip];
