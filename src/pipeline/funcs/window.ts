/**
 * `point_window(before, after, stream_tags=["filepath", "host"])` and
 * `window_hit()`: keep the points around an interesting one even when the
 * script drops them (services/point-window.ts has the rules and how the
 * pipeline stage settles a run).
 *
 * DataKit's argument rules: `before` and `after` must evaluate to ints
 * and `stream_tags` to a list (else the run fails); a list element that
 * is not a string, or a stream tag the point (or a variable) does not
 * hold as a string, quietly leaves the point out of any window.
 */
import { RunFault } from '../lang/errors.js';
import type { Eval, FuncDef } from '../lang/func-api.js';
import type { RunState } from '../lang/run-state.js';
import { streamKey } from '../services/point-window.js';
import { defineFunc } from './registry.js';
import { requireService } from './services.js';

const DEFAULT_STREAM_TAGS = ['filepath', 'host'];

function intArg(ev: Eval, r: RunState, pos: number): bigint {
  const v = ev(r);
  if (typeof v !== 'bigint') throw new RunFault('param data type expect int', pos);
  return v;
}

export const pointWindow = defineFunc({
  name: 'point_window',
  params: [{ name: 'before' }, { name: 'after' }, { name: 'stream_tags', optional: true }],
  compile(call) {
    const before = call.value(0);
    const after = call.value(1);
    const pos = [call.pos(0), call.pos(1), call.pos(2)] as const;
    const script = call.scriptData;
    // a literal list (or none) is resolved now, so stream tags may also be local variables
    const lit = call.has(2) ? call.literal(2) : DEFAULT_STREAM_TAGS;
    const fixed =
      Array.isArray(lit) && lit.length > 0 && lit.every((x) => typeof x === 'string')
        ? { names: lit as string[], reads: (lit as string[]).map((n) => call.readName(n)) }
        : Array.isArray(lit) && lit.length === 0
          ? { names: DEFAULT_STREAM_TAGS, reads: DEFAULT_STREAM_TAGS.map((n) => call.readName(n)) }
          : null;
    const tagsExpr = fixed === null ? call.value(2) : null;
    return (r) => {
      const windows = requireService(r.services, 'pointWindows', 'point_window');
      const b = intArg(before, r, pos[0]);
      const a = intArg(after, r, pos[1]);
      let names: readonly string[];
      const values: string[] = [];
      if (fixed !== null) {
        names = fixed.names;
        for (let i = 0; i < fixed.reads.length; i++) {
          const v = fixed.reads[i]!(r);
          if (typeof v !== 'string') return null;
          values.push(v);
        }
      } else {
        const list = tagsExpr!(r);
        if (!Array.isArray(list)) throw new RunFault('param data type expect array', pos[2]);
        if (list.some((x) => typeof x !== 'string')) return null;
        names = list.length > 0 ? (list as string[]) : DEFAULT_STREAM_TAGS;
        for (let i = 0; i < names.length; i++) {
          const v = r.readPoint(names[i]!);
          if (typeof v !== 'string') return null;
          values.push(v);
        }
      }
      windows.register(r.pt, script, clampInt(b), clampInt(a), streamKey(names, values));
      return null;
    };
  },
});

export const windowHit = defineFunc({
  name: 'window_hit',
  params: [],
  compile() {
    return (r) => {
      requireService(r.services, 'pointWindows', 'window_hit').hit(r.pt);
      return null;
    };
  },
});

function clampInt(v: bigint): number {
  if (v > 2_147_483_647n) return 2_147_483_647;
  if (v < -2_147_483_648n) return -2_147_483_648;
  return Number(v);
}

export const WINDOW_FUNCS: readonly FuncDef[] = [pointWindow, windowHit];
