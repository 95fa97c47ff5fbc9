import { describe, expect, it } from 'vitest';
import { Routing } from '../../../src/pipeline/scripts/routing.js';
import { chooseScriptName, featureString, type InputScript } from '../../../src/pipeline/scripts/select.js';
import type { Category } from '../../../src/point/category.js';
import { Point } from '../../../src/point/point.js';
import type { FieldValue } from '../../../src/point/value.js';

function pt(name: string, tags: Record<string, string> = {}, fields: Record<string, FieldValue> = {}): Point {
  return new Point(name, new Map(Object.entries(tags)), new Map(Object.entries(fields)), 0n);
}

describe('featureString', () => {
  it.each<[Category, Point, string]>([
    ['logging', pt('nginx'), 'nginx'],
    ['metric', pt('cpu'), 'cpu'],
    ['object', pt('HOST'), 'HOST'],
    ['network', pt('ebpf'), 'ebpf'],
    ['keyevent', pt('ev'), 'ev'],
    ['custom_object', pt('co'), 'co'],
    ['tracing', pt('ddtrace', { service: 'svc-a' }), 'svc-a'],
    ['tracing', pt('ddtrace', {}, { service: 'svc-f' }), 'svc-f'],
    ['tracing', pt('ddtrace'), ''],
    ['tracing', pt('ddtrace', {}, { service: 3n }), ''],
    ['profiling', pt('prof', { service: 'p' }), 'p'],
    ['security', pt('scheck', { category: 'system' }), 'system'],
    ['security', pt('scheck'), ''],
    ['rum', pt('action', { app_id: 'app1' }), 'app1_action'],
    ['rum', pt('action'), ''],
  ])('%s %#', (category, point, want) => {
    expect(featureString(category, point)).toBe(want);
  });
});

describe('chooseScriptName', () => {
  const routing = Routing.of(
    [
      { category: 'logging', source: 'web', name: 'rel-web.p' },
      { category: 'tracing', source: 'svc', name: 'rel-svc.p' },
    ],
    { metric: 'pulled-metric.p' },
    { metric: 'conf-metric.p', logging: 'conf-logging.p' },
  );
  it.each<[string, Category, Point, InputScript | undefined, string | null]>([
    ['input for its source', 'logging', pt('web'), { scriptName: 'in.p', source: 'web' }, 'input:in.p'],
    ['input beats relation', 'logging', pt('web'), { scriptName: 'in.p', source: 'web' }, 'input:in.p'],
    [
      'input for another source',
      'logging',
      pt('api'),
      { scriptName: 'in.p', source: 'web' },
      'default:conf-logging.p',
    ],
    ['input for the whole batch', 'logging', pt('api'), { scriptName: 'in.p' }, 'input:in.p'],
    ['"-" means none', 'logging', pt('web'), { scriptName: '-', source: 'web' }, null],
    ['"" means no choice', 'logging', pt('web'), { scriptName: '', source: 'web' }, 'relation:rel-web.p'],
    ['relation', 'logging', pt('web'), undefined, 'relation:rel-web.p'],
    [
      'relation on the feature string',
      'tracing',
      pt('x', { service: 'svc' }),
      undefined,
      'relation:rel-svc.p',
    ],
    ['pulled default beats configured', 'metric', pt('cpu'), undefined, 'default:pulled-metric.p'],
    ['configured default', 'logging', pt('api'), undefined, 'default:conf-logging.p'],
    ['feature string', 'object', pt('HOST'), undefined, 'feature:HOST.p'],
    ['rum feature', 'rum', pt('view', { app_id: 'a1' }), undefined, 'feature:a1_view.p'],
    ['no feature string, no script', 'tracing', pt('x'), undefined, null],
    [
      'no feature string, source input does not apply',
      'tracing',
      pt('x'),
      { scriptName: 'in.p', source: '' },
      null,
    ],
  ])('%s', (_label, category, point, input, want) => {
    const c = chooseScriptName(category, point, input, routing);
    expect(c === null ? null : `${c.rule}:${c.name}`).toBe(want);
  });

  it('keeps configured defaults when the pulled routing is replaced', () => {
    const r = routing.withRemote([], {});
    expect(r.defaultFor('metric')).toBe('conf-metric.p');
    expect(r.relation('logging', 'web')).toBeUndefined();
    expect(r.withConfigDefaults({}).defaultFor('metric')).toBeUndefined();
    expect(routing.relations()).toHaveLength(2);
    expect(routing.remoteDefaults()).toEqual({ metric: 'pulled-metric.p' });
  });
});
