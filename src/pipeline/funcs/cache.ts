/**
 * `cache_set(key, value, exp=100)` and `cache_get(key)`: a per-script
 * cache (services/script-cache.ts). `exp` is in seconds; a non-positive
 * one stores nothing (DataKit refuses it quietly). `cache_get` answers nil
 * for a missing or expired key. Both fail the run when the cache service
 * is missing.
 *
 * Unlike DataKit, whose cache applies a set on a background goroutine,
 * a value is visible to the very next `cache_get`.
 */
import { RunFault } from '../lang/errors.js';
import type { FuncDef } from '../lang/func-api.js';
import { defineFunc } from './registry.js';
import { requireService } from './services.js';

const EXPECT_STRING = 'param data type expect string';

export const cacheGet = defineFunc({
  name: 'cache_get',
  params: [{ name: 'key' }],
  compile(call) {
    const key = call.value(0);
    const keyPos = call.pos(0);
    const script = call.scriptData;
    return (r) => {
      const cache = requireService(r.services, 'cache', 'cache_get').forScript(script);
      const k = key(r);
      if (typeof k !== 'string') throw new RunFault(EXPECT_STRING, keyPos);
      const v = cache.get(k);
      return v === undefined ? null : v;
    };
  },
});

export const cacheSet = defineFunc({
  name: 'cache_set',
  params: [{ name: 'key' }, { name: 'value' }, { name: 'exp', optional: true }],
  compile(call) {
    const key = call.value(0);
    const value = call.value(1);
    const exp = call.has(2) ? call.value(2) : null;
    const keyPos = call.pos(0);
    const expPos = call.pos(2);
    const script = call.scriptData;
    return (r) => {
      const cache = requireService(r.services, 'cache', 'cache_set').forScript(script);
      const k = key(r);
      if (typeof k !== 'string') throw new RunFault(EXPECT_STRING, keyPos);
      const v = value(r);
      let seconds = 100n;
      if (exp !== null) {
        const e = exp(r);
        if (typeof e !== 'bigint') throw new RunFault('param data type expect int or nil', expPos);
        seconds = e;
      }
      if (seconds > 0n) cache.set(k, v, Number(seconds) * 1000);
      return null;
    };
  },
});

export const CACHE_FUNCS: readonly FuncDef[] = [cacheGet, cacheSet];
