/**
 * default_time(key, timezone="") and default_time_with_fmt(key, fmt, tz=""):
 * turn a date text into the int ns DataKit then uses as the point time.
 * The parsing is `time/` (DataKit's fixed layouts, then dateparse-style
 * guessing); what happens on failure is DataKit's: default_time writes the
 * point time and a `pl_msg`, default_time_with_fmt changes nothing.
 */

import type { FieldValue } from '../../point/value.js';
import type { FuncDef } from '../lang/func-api.js';
import { defineFunc } from './registry.js';
import { guessTime, parseWithLayout, readsClock, type TimeResult, timeInputText } from './time/index.js';
import { timeContextOf } from './time-context.js';

export const defaultTime = defineFunc({
  name: 'default_time',
  params: [{ name: 'key' }, { name: 'timezone', optional: true }],
  compile(call) {
    const key = call.key(0);
    const read = call.readKey(0);
    const tz = call.has(1) ? call.value(1) : () => '';
    // The last text this call read and its result: consecutive lines of a
    // busy log mostly carry the same second, and the guess is a pure
    // function of the text and the two zones unless it reads the clock.
    let lastText: string | null = null;
    let lastZone = '';
    let lastLocal = '';
    let lastRes: TimeResult | null = null;
    return (r) => {
      const text = timeInputText(read(r) as FieldValue | undefined);
      if (text === null) return null;
      const z = tz(r);
      const zone = typeof z === 'string' ? z : '';
      let res: TimeResult;
      if (lastRes !== null && text === lastText && zone === lastZone && r.tz === lastLocal) res = lastRes;
      else {
        res = guessTime(text, zone, timeContextOf(r));
        if (readsClock(text)) lastRes = null;
        else {
          lastText = text;
          lastZone = zone;
          lastLocal = r.tz;
          lastRes = res;
        }
      }
      if (res.ok) {
        r.setKey(key, res.ns);
      } else {
        r.setKey(key, r.pt.time);
        r.setKey('pl_msg', `time convert failed: ${res.error}`);
      }
      return null;
    };
  },
});

export const defaultTimeWithFmt = defineFunc({
  name: 'default_time_with_fmt',
  params: [{ name: 'key' }, { name: 'fmt' }, { name: 'tz', optional: true }],
  compile(call) {
    const key = call.key(0);
    const read = call.readKey(0);
    const fmt = call.value(1);
    const tz = call.has(2) ? call.value(2) : () => '';
    return (r) => {
      const text = timeInputText(read(r) as FieldValue | undefined);
      const layout = fmt(r);
      if (text === null || typeof layout !== 'string') return null;
      const zone = tz(r);
      const res = parseWithLayout(text, layout, typeof zone === 'string' ? zone : '', timeContextOf(r));
      if (res.ok) r.setKey(key, res.ns);
      return null;
    };
  },
});

export const DEFAULT_TIME_FUNCS: readonly FuncDef[] = [defaultTime, defaultTimeWithFmt];
