import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../src/common/logger.js';
import { Metrics } from '../../../src/common/metrics.js';
import { FileDiscovery } from '../../../src/inputs/logging/file-discovery.js';
import { LoggingInput } from '../../../src/inputs/logging/logging-input.js';
import { PositionStore } from '../../../src/inputs/logging/positions.js';
import { decodeBody } from '../../../src/point/codec/index.js';
import { decodeProtobuf } from '../../../src/point/codec/pb-decode.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { loggingConfig, recordingFeed, until } from './support.js';

let dir: string;
const running: LoggingInput[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plkit-logging-'));
});
afterEach(async () => {
  for (const i of running.splice(0)) await i.stop(1000);
  rmSync(dir, { recursive: true, force: true });
});

function start(
  over: Parameters<typeof loggingConfig>[0],
  feed = recordingFeed(),
  dataKitHistory?: string,
  scanMs = 100,
) {
  const positions = new PositionStore({
    file: join(dir, 'positions.json'),
    flushMs: 10,
    logger: silentLogger(),
    ...(dataKitHistory !== undefined ? { dataKitHistory } : {}),
  });
  positions.load();
  const input = new LoggingInput({
    config: loggingConfig({ logfiles: [join(dir, '*.log')], ...over }),
    feed: feed.feed,
    positions,
    cwd: dir,
    metrics: new Metrics(),
    logger: silentLogger(),
    scanMs,
    pollMs: 20,
    flushMs: 10,
    batchSize: 100,
  });
  input.start();
  running.push(input);
  return { input, positions, ...feed };
}

const messages = (pts: { fields: Map<string, unknown> }[]) => pts.map((p) => p.fields.get('message'));

describe('logging input: files', () => {
  it('turns each line into a point shaped as DataKit makes it', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'first line\r\nsecond line   \n\nthird\n');
    const { uploaded } = start({ tags: { env: 'prod' } });
    await until(() => uploaded.length === 3, 5000, '3 points');
    expect(messages(uploaded)).toEqual(['first line', 'second line', 'third']);
    const p = uploaded[0]!;
    expect(p.name).toBe('app');
    expect(Object.fromEntries(p.tags)).toEqual({ status: 'info', service: 'app', env: 'prod', host: 'h1' });
    expect(p.fields.get('filepath')).toBe(f);
    expect(uploaded.map((x) => x.fields.get('log_read_lines'))).toEqual([1n, 2n, 3n]);
    expect(p.time > 0n && uploaded[1]!.time > p.time).toBe(true);
  });

  it('follows appends, and saves positions only past delivered lines', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'one\n');
    const { uploaded, positions } = start({});
    await until(() => uploaded.length === 1);
    appendFileSync(f, 'two\nthree');
    await until(() => uploaded.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(messages(uploaded)).toEqual(['one', 'two']); // "three" has no newline yet
    positions.flush();
    const saved = JSON.parse(readFileSync(join(dir, 'positions.json'), 'utf8'));
    expect(saved.files[0].offset).toBe(8);
    appendFileSync(f, '\n');
    await until(() => uploaded.length === 3);
    expect(messages(uploaded)[2]).toBe('three');
  });

  it('resumes after a restart without re-reading or skipping lines', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'a1\na2\n');
    const first = start({});
    await until(() => first.uploaded.length === 2);
    await first.input.stop(1000);
    running.splice(running.indexOf(first.input), 1);
    first.positions.close();
    appendFileSync(f, 'a3\n');
    const second = start({});
    await until(() => second.uploaded.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(messages(second.uploaded)).toEqual(['a3']);
  });

  it("takes over DataKit's logtail.history on the first run, and only then", async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'sent by datakit\nalso sent\nnot yet\n');
    const history = join(dir, 'logtail.history');
    const offset = 'sent by datakit\nalso sent\n'.length;
    writeFileSync(
      history,
      JSON.stringify({
        history: {
          [`${f}::${statSync(f).ino}`]: { source: 'app', offset },
          [`${join(dir, 'gone.log')}::inode`]: { source: 'app', offset: 5 },
          [`${join(dir, 'zero.log')}::42`]: { source: 'app', offset: 0 },
        },
      }),
    );
    const first = start({}, recordingFeed(), history);
    await until(() => first.uploaded.length === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(messages(first.uploaded)).toEqual(['not yet']);
    await first.input.stop(1000);
    first.positions.close();
    // DataKit's file is left alone; plkit's own positions rule from now on.
    expect(JSON.parse(readFileSync(history, 'utf8')).history[`${f}::${statSync(f).ino}`].offset).toBe(offset);
    writeFileSync(history, JSON.stringify({ history: { [`${f}::${statSync(f).ino}`]: { offset: 1 } } }));
    appendFileSync(f, 'later\n');
    const second = start({}, recordingFeed(), history);
    await until(() => second.uploaded.length === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(messages(second.uploaded)).toEqual(['later']);
  });

  it('a damaged logtail.history is reported and files start as on a first run', async () => {
    writeFileSync(join(dir, 'a.log'), 'small file, read whole\n');
    const history = join(dir, 'logtail.history');
    writeFileSync(history, '{"history": ');
    const { uploaded } = start({}, recordingFeed(), history);
    await until(() => uploaded.length === 1);
    expect(messages(uploaded)).toEqual(['small file, read whole']);
  });

  it('a new file in a watched directory is followed at once, not at the next periodic scan', async () => {
    writeFileSync(join(dir, 'a.log'), 'first\n');
    const { uploaded } = start({}, recordingFeed(), undefined, 60_000);
    await until(() => uploaded.length === 1);
    const t0 = Date.now();
    writeFileSync(join(dir, 'b.log'), 'from a new file\n');
    writeFileSync(join(dir, 'b.txt'), 'not matched\n');
    await until(() => uploaded.length === 2, 5000, 'the new file');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(messages(uploaded)).toEqual(['first', 'from a new file']);
  });

  it('watch-triggered scans are at most one a second, and never for a file left closed by max_open_files', async () => {
    writeFileSync(join(dir, 'a.log'), 'a\n');
    writeFileSync(join(dir, 'b.log'), 'b\n');
    const scans = vi.spyOn(FileDiscovery.prototype, 'scan');
    const { uploaded } = start({ maxOpenFiles: 1 }, recordingFeed(), undefined, 60_000);
    await until(() => uploaded.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    const before = scans.mock.calls.length;
    for (let i = 0; i < 10; i++) {
      appendFileSync(join(dir, 'b.log'), `more ${i}\n`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 1200));
    expect(scans.mock.calls.length).toBe(before);
    // A burst of new wanted files: a scan at once, then at most one more a second later.
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `n${i}.log`), 'x\n');
    await new Promise((r) => setTimeout(r, 700));
    expect(scans.mock.calls.length - before).toBe(1);
    scans.mockRestore();
  });

  it('retries a batch the feed refuses and loses nothing', async () => {
    const feed = recordingFeed();
    feed.state.failures = 2;
    writeFileSync(join(dir, 'a.log'), 'x1\nx2\n');
    const { uploaded } = start({}, feed);
    await until(() => uploaded.length === 2, 8000, 'delivery after retries');
    expect(messages(uploaded)).toEqual(['x1', 'x2']);
  });

  it('reads a rotated file to its end and the new file from its start', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'old1\n');
    const { uploaded } = start({});
    await until(() => uploaded.length === 1);
    appendFileSync(f, 'old2\n');
    renameSync(f, join(dir, 'a.1'));
    writeFileSync(f, 'new1\n');
    appendFileSync(join(dir, 'a.1'), 'old3\n'); // the writer had not reopened yet
    await until(() => uploaded.length === 4, 8000, 'rotation');
    expect(new Set(messages(uploaded))).toEqual(new Set(['old1', 'old2', 'old3', 'new1']));
  });

  it('starts again at 0 after a truncation in place', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'aaaaaaaa\nbbbbbbbb\n');
    const { uploaded } = start({});
    await until(() => uploaded.length === 2);
    truncateSync(f, 0);
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(f, 'c\n');
    await until(() => uploaded.length === 3);
    expect(messages(uploaded)[2]).toBe('c');
  });

  it('joins multiline messages by multiline_match', async () => {
    writeFileSync(join(dir, 'a.log'), '2024-01-01 boom\n  at a()\n  at b()\n2024-01-02 ok\n');
    const { uploaded } = start({ enableMultiline: true, multilineMatch: '^\\d{4}-\\d{2}-\\d{2}' });
    await until(() => uploaded.length === 2);
    expect(messages(uploaded)).toEqual(['2024-01-01 boom\n  at a()\n  at b()', '2024-01-02 ok']);
  });

  it('refuses a broken multiline pattern at construction, naming the conf', () => {
    expect(
      () =>
        new LoggingInput({
          config: loggingConfig({ enableMultiline: true, multilineMatch: '(' }),
          feed: recordingFeed().feed,
          positions: new PositionStore({ file: join(dir, 'p.json'), logger: silentLogger() }),
          cwd: dir,
          metrics: new Metrics(),
          logger: silentLogger(),
        }),
    ).toThrow(/conf\.d\/test\.conf: inputs\.logging\[0\]/);
  });

  it('skips ignored files and field_white_list trims the companions of message', async () => {
    writeFileSync(join(dir, 'a.log'), 'kept\n');
    writeFileSync(join(dir, 'b.log'), 'ignored\n');
    const { uploaded } = start({ ignore: ['b.*'], fieldWhiteList: ['filepath'] });
    await until(() => uploaded.length === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(messages(uploaded)).toEqual(['kept']);
    expect(Object.fromEntries(uploaded[0]!.tags)).toEqual({ host: 'h1' });
    expect([...uploaded[0]!.fields.keys()]).toEqual(['message', 'filepath']);
  });

  it('offloads straight as wire bytes that decode to the ordinary points', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'GET / 200\nPOST /x 500 "quoted" ü\n');
    const off = recordingFeed({ offload: 'protobuf' });
    const { encoded } = start({ tags: { env: 'prod' } }, off);
    await until(() => encoded.length > 0);
    const got = decodeProtobuf(encoded[0]!.bytes, { category: 'logging', now: 0n }).points;
    expect(got.map((p) => p.fields.get('message'))).toEqual(['GET / 200', 'POST /x 500 "quoted" ü']);
    const t = toTyped(got[0]!) as { tags: Record<string, string>; fields: Record<string, unknown> };
    expect(t.tags).toEqual({ env: 'prod', host: 'h1', service: 'app', status: 'info' });
    expect(got[0]!.fields.get('filepath')).toBe(f);
    expect(got[1]!.fields.get('log_read_lines')).toBe(2n);
  });

  it('the byte road offloads what the ordinary road makes, across reads, batches and a declined read', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2500; i++) {
      lines.push(
        i % 7 === 0
          ? ''
          : i % 11 === 0
            ? `  spaced ${i} \u3000`
            : `GET /p/${i} 200 "ua" ü ${'x'.repeat(i % 300)}`,
      );
    }
    const body = Buffer.concat([
      Buffer.from(`${lines.join('\n')}\n`),
      Buffer.from([0x62, 0x61, 0x64, 0xff, 0x0a]), // invalid UTF-8: that read takes the ordinary road
      Buffer.from('after\r\nlast\n'),
    ]);
    const run = async (offload?: 'lp' | 'protobuf') => {
      const sub = mkdtempSync(join(dir, 'run-'));
      const f = join(sub, 'a.log');
      writeFileSync(f, body);
      const feed = recordingFeed(offload === undefined ? {} : { offload });
      const got = start({ logfiles: [join(sub, '*.log')] }, feed);
      const count = () =>
        offload === undefined
          ? got.uploaded
          : got.encoded.flatMap(
              (e) =>
                decodeBody(e.bytes, offload === 'protobuf' ? 'application/protobuf' : undefined, {
                  category: 'logging',
                  precision: 'n',
                }).points,
            );
      const want = lines.filter((l) => l.trim() !== '').length + 3;
      await until(() => count().length >= want, 10_000, `${want} points`);
      const ino = statSync(f).ino;
      await until(() => got.positions.get(f, ino) === body.length, 5000, 'position at the end');
      return count().map((p) => [p.fields.get('message'), p.fields.get('log_read_lines')]);
    };
    const ordinary = await run();
    expect(ordinary.at(-3)).toEqual(['bad\ufffd', BigInt(ordinary.length - 2)]);
    expect(await run('protobuf')).toEqual(ordinary);
    expect(await run('lp')).toEqual(ordinary);
  });

  it('the byte road takes files of tiny lines too (the output outgrows the read buffer)', async () => {
    const f = join(dir, 'tiny.log');
    const n = 60_000;
    writeFileSync(f, Array.from({ length: n }, (_, i) => `${i % 10}\n`).join(''));
    const off = recordingFeed({ offload: 'protobuf' });
    const { encoded } = start({}, off);
    const points = () =>
      encoded.flatMap((e) => decodeProtobuf(e.bytes, { category: 'logging', now: 0n }).points);
    await until(() => points().length >= n, 20_000, `${n} points`);
    const got = points();
    expect(got.length).toBe(n);
    expect(got.every((p, i) => p.fields.get('message') === String(i % 10))).toBe(true);
    expect(got.every((p, i) => p.fields.get('log_read_lines') === BigInt(i + 1))).toBe(true);
  });
});

describe('logging input: the byte road keeps the file behaviours', () => {
  const offloaded = (feed: ReturnType<typeof recordingFeed>) =>
    feed.encoded.flatMap((e) =>
      decodeProtobuf(e.bytes, { category: 'logging', now: 0n }).points.map((p) => p.fields.get('message')),
    );

  it('follows appends; an unfinished line waits; positions only past delivered lines', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'one\n');
    const feed = recordingFeed({ offload: 'protobuf' });
    const { positions } = start({}, feed);
    await until(() => offloaded(feed).length === 1);
    appendFileSync(f, 'two\nthree');
    await until(() => offloaded(feed).length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(offloaded(feed)).toEqual(['one', 'two']);
    positions.flush();
    expect(JSON.parse(readFileSync(join(dir, 'positions.json'), 'utf8')).files[0].offset).toBe(8);
    appendFileSync(f, '\n');
    await until(() => offloaded(feed).length === 3);
    expect(offloaded(feed)[2]).toBe('three');
  });

  it('retries what the fleet refuses and loses nothing', async () => {
    const feed = recordingFeed({ offload: 'protobuf' });
    feed.state.failures = 2;
    writeFileSync(join(dir, 'a.log'), 'x1\nx2\n');
    start({}, feed);
    await until(() => offloaded(feed).length === 2, 8000, 'delivery after retries');
    expect(offloaded(feed)).toEqual(['x1', 'x2']);
  });

  it('reads a rotated file to its end and the new one from its start; starts again after a truncation', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'old1\n');
    const feed = recordingFeed({ offload: 'protobuf' });
    start({}, feed);
    await until(() => offloaded(feed).length === 1);
    appendFileSync(f, 'old2\n');
    renameSync(f, join(dir, 'a.1'));
    writeFileSync(f, 'new1\n');
    appendFileSync(join(dir, 'a.1'), 'old3\n');
    await until(() => offloaded(feed).length === 4, 8000, 'rotation');
    expect(new Set(offloaded(feed))).toEqual(new Set(['old1', 'old2', 'old3', 'new1']));
    truncateSync(f, 0);
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(f, 'c\n');
    await until(() => offloaded(feed).length === 5);
    expect(offloaded(feed)[4]).toBe('c');
  });

  it('resumes after a restart without re-reading or skipping lines', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'a1\na2\n');
    const feed1 = recordingFeed({ offload: 'protobuf' });
    const first = start({}, feed1);
    await until(() => offloaded(feed1).length === 2);
    await first.input.stop(1000);
    running.splice(running.indexOf(first.input), 1);
    first.positions.close();
    appendFileSync(f, 'a3\n');
    const feed2 = recordingFeed({ offload: 'protobuf' });
    start({}, feed2);
    await until(() => offloaded(feed2).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(offloaded(feed2)).toEqual(['a3']);
  });
});
