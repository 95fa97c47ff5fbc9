import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type PipelineCommandOptions,
  pipelineCommand,
  readableTime,
} from '../../src/cli/pipeline-command.js';
import { buildProgram } from '../../src/cli/program.js';

let root: string;
const put = (rel: string, text: string) => {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'plkit-cli-pl-'));
  put('pipeline/nginx.p', 'add_key(by, "default nginx")\nuse("lib.p")');
  put('pipeline/lib.p', 'add_key(lib, "default lib")');
  put('pipeline_remote/logging/nginx.p', 'add_key(by, "remote nginx")');
  put('pipeline/metric/cpu.p', 'add_key(by, "metric cpu")');
  put('pipeline/broken.p', 'add_key(by,');
  put('scripts/file.p', 'add_key(by, "file")\nadd_key(len, strlen(_))');
  put('scripts/fault.p', 'x = "a" + 1');
  put('input.log', 'from a file');
  put('input.lp', 'cpu,host=a usage=1 1700000000000000000\ncpu,host=b usage=2 1700000000000000001');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(o: Partial<PipelineCommandOptions>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await pipelineCommand(
    { script: '', workdir: root, time: '1700000000000000000', ...o } as PipelineCommandOptions,
    {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
    },
  );
  return { code, out: out.join(''), err: err.join('') };
}

const jsonLines = (s: string) =>
  s
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('plkit pipeline', () => {
  it('runs a script file on -T text, keeping the --json contract', async () => {
    const r = await run({ script: join(root, 'scripts/file.p'), text: 'hello', json: true });
    expect(r.code).toBe(0);
    expect(jsonLines(r.out)).toEqual([
      {
        name: 'default',
        time_ns: '1700000000000000000',
        dropped: false,
        tags: {},
        fields: { message: { s: 'hello' }, status: { s: 'info' }, by: { s: 'file' }, len: { i: '5' } },
      },
    ]);
  });

  it('reads --input and --file (the same option) and refuses both or neither with -T', async () => {
    const r = await run({ script: join(root, 'scripts/file.p'), input: join(root, 'input.log'), json: true });
    expect(jsonLines(r.out)[0].fields.message).toEqual({ s: 'from a file' });
    expect((await run({ script: join(root, 'scripts/file.p') })).err).toContain('no input');
    const both = await run({
      script: join(root, 'scripts/file.p'),
      text: 'x',
      input: join(root, 'input.log'),
    });
    expect(both.code).toBe(1);
    expect(both.err).toContain('not both');
  });

  it('resolves a bare name through the namespaces (shadowing, --ns, category, use())', async () => {
    const shadowed = await run({ script: 'nginx', text: 'm', json: true });
    expect(jsonLines(shadowed.out)[0].fields.by).toEqual({ s: 'remote nginx' });
    const dflt = await run({ script: 'nginx.p', ns: 'default', text: 'm', json: true });
    expect(jsonLines(dflt.out)[0].fields).toMatchObject({
      by: { s: 'default nginx' },
      lib: { s: 'default lib' },
    });
    const metric = await run({
      script: 'cpu',
      category: 'metric',
      format: 'lp',
      input: join(root, 'input.lp'),
      json: true,
    });
    expect(jsonLines(metric.out).map((p) => p.fields.by)).toEqual([{ s: 'metric cpu' }, { s: 'metric cpu' }]);
  });

  it('says what is missing, and reports a stored script that does not compile', async () => {
    const missing = await run({ script: 'nope', text: 'm' });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.p (category logging) not found in any namespace');
    const wrongNs = await run({ script: 'nginx', ns: 'confd', text: 'm' });
    expect(wrongNs.err).toContain('not found in namespace confd');
    const badNs = await run({ script: 'nginx', ns: 'cloud', text: 'm' });
    expect(badNs.err).toContain('unknown namespace');
    const broken = await run({ script: 'broken', text: 'm', json: true });
    expect(broken.code).toBe(2);
    expect(jsonLines(broken.out)[0]).toEqual({ compile_error: expect.stringMatching(/^broken\.p:1:/) });
    const brokenHuman = await run({ script: 'broken', text: 'm' });
    expect(brokenHuman.err).toMatch(/^compile error: broken\.p:1:\d+: .*\n {2}add_key\(by,\n {2} *\^/);
  });

  it('prints readable dates with --date', async () => {
    const human = await run({
      script: join(root, 'scripts/file.p'),
      text: 'm',
      date: true,
      tz: 'Asia/Shanghai',
    });
    expect(human.out).toContain('time    1700000000000000000 (2023-11-15 06:13:20 +08:00)');
    const json = await run({
      script: join(root, 'scripts/file.p'),
      text: 'm',
      date: true,
      tz: 'UTC',
      json: true,
    });
    expect(jsonLines(json.out)[0].date).toBe('2023-11-14 22:13:20 +00:00');
    const plain = await run({ script: join(root, 'scripts/file.p'), text: 'm' });
    expect(plain.out).toContain('time    1700000000000000000\n');
  });

  it('benchmarks: a fixed count or a second, in words or JSON', async () => {
    const n = await run({ script: join(root, 'scripts/file.p'), text: 'm', benchmark: 500, json: true });
    expect(jsonLines(n.out)[0]).toEqual({ ns_per_op: expect.any(Number), iters: 500 });
    const words = await run({ script: join(root, 'scripts/file.p'), text: 'm', benchmark: 300 });
    expect(words.out).toMatch(/^benchmark: 300 runs, [\d.]+(ns|µs|ms) per run \([\d.]+ ns\/op\)\n$/);
  });

  it('reports a run-time fault and exits 1', async () => {
    const r = await run({ script: join(root, 'scripts/fault.p'), text: 'm', json: true });
    expect(r.code).toBe(1);
    expect(jsonLines(r.out)[0].run_error).toMatch(/^fault\.p:1:/);
  });

  it('refuses an unknown category or time zone', async () => {
    expect((await run({ script: 'nginx', text: 'm', category: 'nope' })).err).toContain('unknown category');
    expect((await run({ script: 'nginx', text: 'm', tz: 'Mars/Base' })).err).toContain('unknown time zone');
  });
});

describe('readableTime', () => {
  it.each<[bigint, string, string]>([
    [0n, 'UTC', '1970-01-01 00:00:00 +00:00'],
    [1_700_000_000_123_000_000n, 'Asia/Kolkata', '2023-11-15 03:43:20.123000000 +05:30'],
    [-1n, 'UTC', '1969-12-31 23:59:59.999999999 +00:00'],
  ])('%s in %s', (ns, tz, want) => {
    expect(readableTime(ns, tz)).toBe(want);
  });
});

describe('plkit pipeline flags (commander wiring)', () => {
  let out: string[];
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function cli(args: string[]) {
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'plkit', 'pipeline', ...args]);
    return { code: process.exitCode, out: out.join('') };
  }

  it('takes -P/-T/--ns/--workdir/--date/--json', async () => {
    const r = await cli([
      '-P',
      'nginx',
      '-T',
      'hi',
      '--ns',
      'default',
      '--workdir',
      root,
      '--json',
      '--date',
      '--tz',
      'UTC',
      '--time',
      '0',
    ]);
    expect(r.code ?? 0).toBe(0);
    expect(JSON.parse(r.out.trim())).toMatchObject({
      fields: { by: { s: 'default nginx' } },
      date: '1970-01-01 00:00:00 +00:00',
    });
  });

  it('takes --file and --benchmark with and without a count', async () => {
    const a = await cli([
      '-P',
      join(root, 'scripts/file.p'),
      '--file',
      join(root, 'input.log'),
      '--benchmark',
      '200',
      '--json',
    ]);
    expect(JSON.parse(a.out.trim())).toMatchObject({ iters: 200 });
    const b = await cli([
      '-P',
      join(root, 'scripts/file.p'),
      '--file',
      join(root, 'input.log'),
      '--benchmark',
    ]);
    expect(b.out).toMatch(/^benchmark: \d+ runs, /);
  }, 20_000);
});
