/**
 * The TimeContext a run's time functions use: the run's local zone
 * (`RunState.tz`, DataKit's TZ) and the clock. The clock is the optional
 * service `clock: () => bigint` (Unix nanoseconds), so tests and replays can
 * pin "now"; without it the system clock is used.
 */
import type { RunState } from '../lang/run-state.js';
import { servicesOf } from './services.js';
import { makeTimeContext, systemNowNs, type TimeContext } from './time/index.js';

export type Clock = () => bigint;

/** The clock service of a run, or the system clock. */
export function clockOf(r: RunState): Clock {
  const c = servicesOf(r.services).clock;
  return typeof c === 'function' ? (c as Clock) : systemNowNs;
}

// Runs of one pipeline share zone and clock, so the last context is reused.
let lastZone = '';
let lastClock: Clock | null = null;
let lastCtx: TimeContext | null = null;

export function timeContextOf(r: RunState): TimeContext {
  const clock = clockOf(r);
  if (lastCtx !== null && lastZone === r.tz && lastClock === clock) return lastCtx;
  lastZone = r.tz;
  lastClock = clock;
  lastCtx = makeTimeContext(r.tz, clock);
  return lastCtx;
}
