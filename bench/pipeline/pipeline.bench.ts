/**
 * Pipeline engine cost per run on the scripts of shared/bench/pipeline/
 * (nginx, json, keys, syslog, heavy), one core, against DataKit's Go engine
 * (shared/bench/baseline.json) and a hand-written floor doing the same
 * extraction with bare RegExp.exec / JSON.parse / Map operations.
 *
 * Each script's output is first checked against DataKit's `.expect.jsonl`;
 * a script whose output differs is reported with `"ok": false` and its
 * timing is still printed (it measures the wrong work, so do not quote it).
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileScript } from '../../src/pipeline/index.js';
import { normalizePoint } from '../../src/point/normalize.js';
import { Point } from '../../src/point/point.js';
import { toTyped } from '../../src/point/typed-json.js';
import { sharedDir } from '../support.js';

const dir = join(sharedDir(), 'bench', 'pipeline');
const baseline = JSON.parse(readFileSync(join(sharedDir(), 'bench', 'baseline.json'), 'utf8'))
  .datakit_ns_per_op as Record<string, number>;
const TIME = 1704067200000000000n;
const ITERS = Number(process.env.PLKIT_BENCH_ITERS ?? 20000);

function inputPoint(name: string, text: string): Point {
  const p = new Point(name, new Map(), new Map([['message', text]]), TIME, 'logging');
  normalizePoint(p, 'logging');
  return p;
}

/** Sorted-key JSON so key order does not matter in the comparison. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Best-of-3 ns per call of `run` over fresh inputs made by `make` (made outside the timed loop). */
function nsPerOp<T>(make: () => T, run: (x: T) => void, iters = ITERS): number {
  const warm = Math.min(iters, 3000);
  for (let i = 0; i < warm; i++) run(make());
  let best = Number.POSITIVE_INFINITY;
  const chunk = 1000;
  const inputs: T[] = new Array(chunk);
  for (let round = 0; round < 3; round++) {
    let total = 0n;
    for (let done = 0; done < iters; done += chunk) {
      for (let i = 0; i < chunk; i++) inputs[i] = make();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < chunk; i++) run(inputs[i]!);
      total += process.hrtime.bigint() - t0;
    }
    best = Math.min(best, Number(total) / Math.ceil(iters / chunk) / chunk);
  }
  return Math.round(best);
}

// Floors: the same extraction written by hand.
const NGINX_RE =
  /^(\S+) (\S+) (\S+) \[([^\]]+)\] "(.*?) (.*) HTTP\/(\d+(?:\.\d+)?)" (\d+) (\d+) "(.*?)" "(.*?)"/;
const SYSLOG_RE = /^(\w{3} +\d{1,2} \d\d:\d\d:\d\d) (\S+) ([\w./-]+)(?:\[(\d+)\])?: (.*)$/;
const floors: Record<string, (text: string) => () => void> = {
  nginx: (text) => () => {
    const m = NGINX_RE.exec(text)!;
    const f = new Map<string, unknown>();
    for (let i = 1; i < m.length; i++) f.set(`k${i}`, m[i]);
    f.set('status_code', BigInt(Number.parseInt(m[8]!, 10)));
    f.set('bytes', BigInt(Number.parseInt(m[9]!, 10)));
    f.set('time', Date.parse(m[4]!.replace(':', ' ')));
  },
  json: (text) => () => {
    const o = JSON.parse(text);
    const f = new Map<string, unknown>();
    f.set('service', o.service);
    f.set('status', o.level);
    f.set('ts', o.ts);
    f.set('trace_id', o.trace_id);
    f.set('span_id', o.span_id);
    f.set('http_method', o.http.method);
    f.set('http_route', o.http.route);
    f.set('http_status', o.http.status);
    f.set('duration_ms', o.duration_ms);
    f.set('user_id', o.user.id);
    f.set('message_text', o.msg);
  },
  keys: (text) => () => {
    const f = new Map<string, unknown>([
      ['message', text],
      ['status', 'info'],
    ]);
    const t = new Map<string, string>();
    f.set('env', 'prod');
    f.set('region', 'eu-west-1');
    t.set('env', f.get('env') as string);
    f.delete('env');
    f.set('log_message', f.get('message'));
    f.delete('message');
    t.set('env', t.get('env')!.toLowerCase());
    f.set('pipeline_version', 3n);
    f.delete('pipeline_version');
  },
  syslog: (text) => () => {
    const m = SYSLOG_RE.exec(text)!;
    const f = new Map<string, unknown>([
      ['ts', m[1]],
      ['host_name', m[2]],
      ['msg', m[5]],
    ]);
    f.set('pid', BigInt(Number.parseInt(m[4]!, 10)));
  },
  heavy: (text) => floors.nginx!(text),
};

const out: Record<string, unknown> = { bench: 'pipeline', unit: 'ns/op', iters: ITERS };
for (const name of ['nginx', 'json', 'keys', 'syslog', 'heavy']) {
  const src = readFileSync(join(dir, `${name}.p`), 'utf8');
  const text = readFileSync(join(dir, `${name}.in`), 'utf8').replace(/\n$/, '');
  const expect = readFileSync(join(dir, `${name}.expect.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const c = compileScript(src, { name: `${name}.p`, category: 'logging' });
  if (!c.ok) {
    out[name] = { ok: false, compile_error: c.error.message };
    continue;
  }
  // The input point is named as in DataKit's run (heavy.p ran on points named nginx).
  const base = inputPoint(String(expect[0]?.name ?? name), text);
  const check = base.clone();
  const res = c.script.run(check, { tz: 'UTC' });
  const got = [{ ...toTyped(check), dropped: res.dropped }];
  const ok = canon(got) === canon(expect);
  const plkit = nsPerOp(
    () => base.clone(),
    (p) => c.script.run(p, { tz: 'UTC' }),
  );
  const floorFn = floors[name]!(text);
  const floor = nsPerOp(
    () => null,
    () => floorFn(),
  );
  const dk = baseline[name]!;
  out[name] = {
    ok,
    plkit_ns: plkit,
    floor_ns: floor,
    datakit_ns: dk,
    speedup_vs_datakit: Math.round((dk / plkit) * 10) / 10,
    vs_floor: Math.round((plkit / floor) * 10) / 10,
  };
  if (!ok)
    (out[name] as Record<string, unknown>).diff = {
      got: canon(got).slice(0, 400),
      want: canon(expect).slice(0, 400),
    };
}
console.log(JSON.stringify(out));
