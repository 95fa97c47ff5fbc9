import { describe, expect, it } from 'vitest';
import { parsePullAnswer, strictBase64 } from '../../../src/pipeline/scripts/remote-answer.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const answer = (rp: unknown) => JSON.stringify({ remote_pipelines: rp });

describe('parsePullAnswer', () => {
  it('reads scripts, defaults and relations, adding .p where DataWay left it out', () => {
    const r = parsePullAnswer(
      answer({
        update_time: 1700000000,
        pipelines: [
          { name: 'nginx.p', base64text: b64('add_key(a, 1)'), category: 'logging', asDefault: true },
          { name: 'cpu', base64text: b64('x = 1'), category: 'M', asDefault: false },
          { name: 'x.p', base64text: b64(''), category: 'llm' },
        ],
        relation_update_time: 1700000001,
        relation: [
          { category: 'logging', source: 'web', name: 'nginx' },
          { category: '/v1/write/metric', source: 'cpu', name: 'cpu.p' },
        ],
      }),
    );
    expect(r).toEqual({
      ok: true,
      answer: {
        updateTime: 1700000000,
        scripts: [
          { category: 'logging', name: 'nginx.p', text: 'add_key(a, 1)', asDefault: true },
          { category: 'metric', name: 'cpu.p', text: 'x = 1', asDefault: false },
        ],
        relationUpdateTime: 1700000001,
        relations: [
          { category: 'logging', source: 'web', name: 'nginx.p' },
          { category: 'metric', source: 'cpu', name: 'cpu.p' },
        ],
        warnings: ['remote_pipelines.pipelines[2].category: unknown category "llm", skipped'],
      },
    });
  });

  it('takes zero values for missing members, as Go decoding does', () => {
    expect(parsePullAnswer(answer({}))).toEqual({
      ok: true,
      answer: { updateTime: 0, scripts: [], relationUpdateTime: 0, relations: [], warnings: [] },
    });
    expect(
      parsePullAnswer(answer({ update_time: 5, pipelines: null, relation: null, relation_update_time: -1 })),
    ).toMatchObject({ ok: true, answer: { updateTime: 5, relationUpdateTime: -1 } });
  });

  it.each<[string, string, string]>([
    ['not JSON', '{"remote_pipelines":', 'not JSON'],
    ['no remote_pipelines', '{}', 'remote_pipelines: expected an object'],
    ['a list', '[]', 'answer: expected an object'],
    ['string time', answer({ update_time: '5' }), 'update_time: expected an integer'],
    ['fractional time', answer({ update_time: 1.5 }), 'update_time: expected an integer'],
    ['pipelines not a list', answer({ pipelines: {} }), 'pipelines: expected a list'],
    [
      'bad base64',
      answer({ pipelines: [{ name: 'a.p', base64text: 'a$==', category: 'logging' }] }),
      'not standard base64',
    ],
    [
      'unpadded base64',
      answer({ pipelines: [{ name: 'a.p', base64text: 'YQ', category: 'logging' }] }),
      'not standard base64',
    ],
    ['no name', answer({ pipelines: [{ base64text: '', category: 'logging' }] }), 'name: expected a string'],
    [
      'path in name',
      answer({ pipelines: [{ name: '../x.p', base64text: '', category: 'logging' }] }),
      'not a usable script file name',
    ],
    [
      'slash in name',
      answer({ pipelines: [{ name: 'a/b.p', base64text: '', category: 'logging' }] }),
      'not a usable',
    ],
    [
      'hidden name',
      answer({ pipelines: [{ name: '.p', base64text: '', category: 'logging' }] }),
      'not a usable',
    ],
    [
      'asDefault string',
      answer({ pipelines: [{ name: 'a.p', base64text: '', category: 'logging', asDefault: 'yes' }] }),
      'asDefault',
    ],
    ['relation not a list', answer({ relation: 'x' }), 'relation: expected a list'],
    [
      'relation source number',
      answer({ relation: [{ category: 'logging', source: 1, name: 'a.p' }] }),
      'source: expected a string',
    ],
    [
      'relation path name',
      answer({ relation: [{ category: 'logging', source: 's', name: 'x/../../y' }] }),
      'not a usable',
    ],
  ])('refuses %s', (_label, body, msg) => {
    const r = parsePullAnswer(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(msg);
  });
});

describe('strictBase64', () => {
  it.each<[string, string | null]>([
    ['', ''],
    ['YQ==', 'a'],
    ['YWI=', 'ab'],
    ['YWJj', 'abc'],
    ['YQ', null],
    ['YQ=', null],
    ['Y Q==', null],
    ['YQ==\n', null],
    ['-_8=', null],
  ])('%j', (s, want) => {
    const r = strictBase64(s);
    expect(r === null ? null : r.toString()).toBe(want);
  });
});
