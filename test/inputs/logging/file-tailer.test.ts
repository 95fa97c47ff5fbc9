/**
 * FileTailer on real temp files: plain text as before, and `mode = "docker"`
 * / `"cri"` unwrapping — partial lines joined up to the complete one (the
 * message ends where its last physical line does), malformed lines dropped
 * and reported, ANSI codes removed after unwrapping, and positions that
 * restart exactly.
 */
import { appendFileSync, fstatSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/common/logger.js';
import { Metrics } from '../../../src/common/metrics.js';
import type { LoggingMode } from '../../../src/config/types.js';
import { FileTailer } from '../../../src/inputs/logging/file-tailer.js';
import { LoggingInput } from '../../../src/inputs/logging/logging-input.js';
import { Multiline, type MultilineOptions } from '../../../src/inputs/logging/multiline.js';
import { PositionStore } from '../../../src/inputs/logging/positions.js';
import { RawLines } from '../../../src/inputs/logging/raw-lines.js';
import type { Message } from '../../../src/inputs/logging/types.js';
import { loggingConfig, recordingFeed, until } from './support.js';

let dir: string;
const open: FileTailer[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plkit-tailer-'));
});
afterEach(() => {
  for (const t of open.splice(0)) t.close();
  rmSync(dir, { recursive: true, force: true });
});

const OFF: MultilineOptions = { match: '', auto: false, extraPatterns: [] };

interface TailOpts {
  mode?: LoggingMode;
  removeAnsi?: boolean;
  multiline?: MultilineOptions;
  start?: number;
  maxLineBytes?: number;
}

/** A tailer on `path` plus a count of the parse failures it reports. */
function tail(path: string, o: TailOpts = {}) {
  const fd = openSync(path, 'r');
  const ml = Multiline.create(o.multiline ?? OFF);
  if (!(ml instanceof Multiline)) throw ml;
  const fails = { n: 0 };
  const t = new FileTailer(
    {
      path,
      fd,
      ino: fstatSync(fd).ino,
      startOffset: o.start ?? 0,
      reader: { encoding: '', maxLineBytes: o.maxLineBytes ?? 128 * 1024, removeAnsi: o.removeAnsi ?? false },
      multiline: ml,
      idleFlushMs: 0,
      mode: o.mode ?? '',
      parseFailed: () => {
        fails.n++;
      },
    },
    0,
  );
  open.push(t);
  return { t, fails };
}

/** Reads to the end of the file (the idle flush sends a pending multiline message). */
async function readAll(t: FileTailer): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const turn = await t.read(0);
    out.push(...turn.messages);
    if (turn.bytes === 0) return out;
  }
}

const msg = (text: string, end: number, lines = 1): Message => ({ text, end, lines });

/** File content from physical lines, each followed by "\n"; also the offset after each line. */
function fileOf(lines: readonly string[]): { text: string; ends: number[] } {
  const ends: number[] = [];
  let n = 0;
  for (const l of lines) {
    n += Buffer.byteLength(l, 'utf8') + 1;
    ends.push(n);
  }
  return { text: lines.map((l) => `${l}\n`).join(''), ends };
}

function write(name: string, lines: readonly string[]) {
  const path = join(dir, name);
  const f = fileOf(lines);
  writeFileSync(path, f.text);
  return { path, ends: f.ends };
}

const docker = (log: string, stream = 'stdout') =>
  JSON.stringify({ log, stream, time: '2023-11-14T22:13:20.123456789Z' });
const cri = (tag: string, content: string, stream = 'stdout') =>
  `2023-11-14T22:13:20.123456789Z ${stream} ${tag} ${content}`;

describe('FileTailer: plain mode', () => {
  it('every non-empty line is a message, trimmed on the right; container wrappers stay as text', async () => {
    const lines = ['first', '', '  second \t', docker('x\n'), '\u001b[31mred\u001b[0m'];
    const { path, ends } = write('plain.log', lines);
    const { t, fails } = tail(path);
    expect(await readAll(t)).toEqual([
      msg('first', ends[0]!),
      msg('  second', ends[2]!),
      msg(docker('x\n'), ends[3]!),
      msg('\u001b[31mred\u001b[0m', ends[4]!),
    ]);
    expect(fails.n).toBe(0);
  });

  it('removes ANSI codes in the reader when asked', async () => {
    const { path, ends } = write('ansi.log', ['\u001b[31mred\u001b[0m text']);
    expect(await readAll(tail(path, { removeAnsi: true }).t)).toEqual([msg('red text', ends[0]!)]);
  });

  it('multiline: a bare newline adds nothing to an open message, a line trimming to nothing adds an empty line', async () => {
    // DataKit skips zero-length lines before joining; "\r" and blanks are trimmed to empty continuations.
    const lines = [
      '2024-01-01 10:00:00 boom',
      '  at a',
      '',
      '\r',
      '   ',
      '  at b',
      '',
      '2024-01-01 10:00:01 next',
    ];
    const { path, ends } = write('ml.log', lines);
    const multiline: MultilineOptions = { match: '^\\d{4}-\\d{2}-\\d{2}', auto: false, extraPatterns: [] };
    expect(await readAll(tail(path, { multiline }).t)).toEqual([
      msg('2024-01-01 10:00:00 boom\n  at a\n\n\n  at b', ends[5]!, 5),
      msg('2024-01-01 10:00:01 next', ends[7]!),
    ]);
  });

  it('a line longer than the limit comes out in pieces, nothing dropped', async () => {
    const { path } = write('long.log', ['abcdefghij', 'k']);
    expect(await readAll(tail(path, { maxLineBytes: 4 }).t)).toEqual([
      msg('abcd', 4),
      msg('efgh', 8),
      msg('ij', 11),
      msg('k', 13),
    ]);
  });
});

describe('FileTailer: mode = "docker"', () => {
  it('unwraps json-file lines and joins partial ones up to the complete one', async () => {
    const lines = [
      docker('one\n'),
      docker('hel'),
      docker('lo '),
      docker('world\n', 'stderr'),
      docker('three\r\n'),
    ];
    const { path, ends } = write('docker.log', lines);
    const { t, fails } = tail(path, { mode: 'docker' });
    expect(await readAll(t)).toEqual([
      msg('one', ends[0]!),
      msg('hello world', ends[3]!),
      msg('three', ends[4]!),
    ]);
    expect(fails.n).toBe(0);
  });

  it('a malformed line is dropped and reported; the partial text before it still joins', async () => {
    const lines = [
      docker('a'),
      '{"log":"broken',
      docker('b\n'),
      'not json at all',
      JSON.stringify({ log: 'x\n', stream: 'console' }),
      docker('c\n'),
    ];
    const { path, ends } = write('bad.log', lines);
    const { t, fails } = tail(path, { mode: 'docker' });
    expect(await readAll(t)).toEqual([msg('ab', ends[2]!), msg('c', ends[5]!)]);
    expect(fails.n).toBe(3);
  });

  it('raw empty lines are skipped without being counted; empty log text sends nothing', async () => {
    const lines = ['', docker('\n'), docker(''), docker('x\n')];
    const { path, ends } = write('empty.log', lines);
    const { t, fails } = tail(path, { mode: 'docker' });
    expect(await readAll(t)).toEqual([msg('x', ends[3]!)]);
    expect(fails.n).toBe(0);
  });

  it.each([
    [true, 'red alert'],
    [false, '\u001b[31mred\u001b[0m alert'],
  ])('ANSI codes inside the JSON (removeAnsi %s)', async (removeAnsi, want) => {
    const lines = [docker('\u001b[31mred'), docker('\u001b[0m alert\n')];
    const raw = fileOf(lines).text;
    expect(raw).toContain('\\u001b[31m'); // escaped in the file: only the unwrapped text has the code
    const { path, ends } = write('ansi.log', lines);
    expect(await readAll(tail(path, { mode: 'docker', removeAnsi }).t)).toEqual([msg(want, ends[1]!)]);
  });

  it('multiline joins unwrapped lines; a message ends where its last physical line does', async () => {
    const lines = [
      docker('2024-01-02 10:00:00 ERROR boom\n'),
      docker('\tat a.b('),
      docker('C.java:1)\n'),
      docker('\n'), // an empty continuation inside an open message, as in DataKit
      docker('\tat d.e\n'),
      docker('2024-01-02 10:00:01 INFO ok\n'),
    ];
    const { path, ends } = write('ml.log', lines);
    const { t } = tail(path, {
      mode: 'docker',
      multiline: { match: '^\\d{4}-', auto: false, extraPatterns: [] },
    });
    expect(await readAll(t)).toEqual([
      msg('2024-01-02 10:00:00 ERROR boom\n\tat a.b(C.java:1)\n\n\tat d.e', ends[4]!, 4),
      msg('2024-01-02 10:00:01 INFO ok', ends[5]!),
    ]);
  });

  it('a partial line waits for its end across reads; the position never falls inside the join', async () => {
    const { path, ends } = write('wait.log', [docker('one\n'), docker('par')]);
    const { t } = tail(path, { mode: 'docker' });
    expect(await readAll(t)).toEqual([msg('one', ends[0]!)]);
    const more = fileOf([docker('tial\n')]);
    appendFileSync(path, more.text);
    const whole = ends[1]! + more.ends[0]!;
    expect(await readAll(t)).toEqual([msg('partial', whole)]);
    // Started again from the first message's end, the join is rebuilt from its first piece.
    expect(await readAll(tail(path, { mode: 'docker', start: ends[0]! }).t)).toEqual([msg('partial', whole)]);
  });

  it('drain sends partial lines still waiting, and an unterminated last line', async () => {
    const { path, ends } = write('drain.log', [docker('a'), docker('b')]);
    const { t } = tail(path, { mode: 'docker' });
    expect(await readAll(t)).toEqual([]);
    expect(t.drain(0)).toEqual([msg('ab', ends[1]!)]);
    appendFileSync(path, `${docker('tail\n')}\n`);
    const size = statSync(path).size;
    const u = tail(path, { mode: 'docker', start: ends[1]! }).t;
    expect(await readAll(u)).toEqual([msg('tail', size)]);
    writeFileSync(path, docker('no newline yet\n')); // the file's own "\n" has not come
    const v = tail(path, { mode: 'docker' }).t;
    expect(await readAll(v)).toEqual([]);
    expect(v.drain(0)).toEqual([msg('no newline yet', statSync(path).size)]);
  });

  it('a truncated file drops the partial text gathered from its old content', async () => {
    const { path } = write('trunc.log', [docker('old '), docker('stale ')]);
    const { t } = tail(path, { mode: 'docker' });
    expect(await readAll(t)).toEqual([]);
    writeFileSync(path, '');
    expect(t.checkChange()).toBe('truncated');
    const f = fileOf([docker('new\n')]);
    writeFileSync(path, f.text);
    expect(await readAll(t)).toEqual([msg('new', f.ends[0]!)]);
  });
});

describe('FileTailer: mode = "cri"', () => {
  it('P lines are joined up to the F line; content is everything after the tag', async () => {
    const lines = [
      cri('F', 'whole line'),
      cri('P', 'part one '),
      cri('P', 'part  two '),
      cri('F', 'end', 'stderr'),
      cri('F:x', 'tag with a colon'),
      cri('P:x', 'partial '),
      cri('F', 'too'),
    ];
    const { path, ends } = write('cri.log', lines);
    const { t, fails } = tail(path, { mode: 'cri' });
    expect(await readAll(t)).toEqual([
      msg('whole line', ends[0]!),
      msg('part one part  two end', ends[3]!),
      msg('tag with a colon', ends[4]!),
      msg('partial too', ends[6]!),
    ]);
    expect(fails.n).toBe(0);
  });

  it('malformed lines are dropped and reported; a line with no tag has empty text', async () => {
    const lines = [
      'garbage',
      '2023-11-14T22:13:20Z stdin F x',
      '2023-11-14T22:13:20Z stdout',
      '2023-11-14T22:13:20Z stdout F',
      cri('F', 'ok'),
    ];
    const { path, ends } = write('cri-bad.log', lines);
    const { t, fails } = tail(path, { mode: 'cri' });
    expect(await readAll(t)).toEqual([msg('ok', ends[4]!)]);
    expect(fails.n).toBe(3);
  });

  it('ANSI codes are removed from the content when asked', async () => {
    const { path, ends } = write('cri-ansi.log', [cri('P', '\u001b[1;32mgre'), cri('F', 'en\u001b[0m')]);
    expect(await readAll(tail(path, { mode: 'cri', removeAnsi: true }).t)).toEqual([msg('green', ends[1]!)]);
  });
});

describe('logging input: container modes', () => {
  const inputs: LoggingInput[] = [];
  afterEach(async () => {
    for (const i of inputs.splice(0)) await i.stop(1000);
  });

  it.each([
    ['docker', 'docker-json', [docker('a\n'), '{oops', docker('b\n')]],
    ['cri', 'cri-log', [cri('F', 'a'), 'oops', cri('F', 'b')]],
  ] as const)('mode %s: messages unwrapped; failures counted as %s', async (mode, label, lines) => {
    const { path } = write('c.log', lines);
    const rec = recordingFeed();
    const metrics = new Metrics();
    const positions = new PositionStore({ file: join(dir, 'pos.json'), flushMs: 10, logger: silentLogger() });
    positions.load();
    const input = new LoggingInput({
      config: loggingConfig({ logfiles: [path], mode }),
      feed: rec.feed,
      positions,
      cwd: dir,
      metrics,
      logger: silentLogger(),
      scanMs: 100,
      pollMs: 20,
      flushMs: 10,
    });
    inputs.push(input);
    input.start();
    await until(() => rec.uploaded.length >= 2, 5000, 'two points');
    expect(rec.uploaded.map((p) => p.fields.get('message'))).toEqual(['a', 'b']);
    const text = await metrics.text();
    expect(text).toContain(
      `datakit_tailer_parse_fail_total{source="app",filepath="${path}",mode="${label}"} 1`,
    );
  });
});

describe('FileTailer: the byte road', () => {
  /** Reads to the end asking for the byte road: its lines and the messages of reads it declined, in order. */
  async function readRaw(t: FileTailer): Promise<{ msgs: Message[]; rawReads: number }> {
    const r = new RawLines(Buffer.alloc(64));
    const msgs: Message[] = [];
    let rawReads = 0;
    for (;;) {
      const turn = await t.read(0, r);
      if (turn.raw) {
        rawReads++;
        for (let i = 0; i < r.count; i++) {
          msgs.push(msg(r.buf.toString('utf8', r.starts[i]!, r.ends[i]!), r.streamEnds[i]!));
        }
      } else msgs.push(...turn.messages);
      if (turn.bytes === 0) return { msgs, rawReads };
    }
  }

  const content = ['GET / 200  ', '', '\tat 函数 \u3000', ' \r', 'POST /x "q" \\ ü', 'last'];

  it('gives the lines the ordinary road gives, and reads an unfinished line again until it ends', async () => {
    const { path } = write('a.log', content);
    appendFileSync(path, 'unterminated');
    const want = await readAll(tail(path).t);
    const { t } = tail(path);
    const got = await readRaw(t);
    expect(got.rawReads).toBeGreaterThan(0);
    expect(got.msgs).toEqual(want);
    // The last read found only the unfinished line: the ordinary reader holds it, as always.
    expect(t.readOffset).toBe(statSync(path).size);
    appendFileSync(path, ' now\nnext\n');
    expect((await readRaw(t)).msgs.map((m) => m.text)).toEqual(['unterminated now', 'next']);
    expect(t.readOffset).toBe(statSync(path).size);
  });

  it('hands a read it cannot take to the ordinary road (invalid UTF-8, long lines)', async () => {
    const path = join(dir, 'b.log');
    writeFileSync(path, Buffer.concat([Buffer.from('ok\nbad '), Buffer.from([0xff]), Buffer.from('\n')]));
    const got = await readRaw(tail(path).t);
    expect(got.rawReads).toBe(0);
    expect(got.msgs.map((m) => m.text)).toEqual(['ok', 'bad \ufffd']);
    const long = write('c.log', ['0123456789abcdef', 'x']);
    const pieces = await readRaw(tail(long.path, { maxLineBytes: 8 }).t);
    expect(pieces.msgs.map((m) => m.text)).toEqual(['01234567', '89abcdef', 'x']);
  });

  it('never takes the road with joining, ANSI removal, another encoding or a container mode', async () => {
    const { path } = write('d.log', ['2024-01-01 start', '  continued']);
    const cases: TailOpts[] = [
      { multiline: { match: '^\\d{4}', auto: false, extraPatterns: [] } },
      { removeAnsi: true },
      { mode: 'cri' },
    ];
    for (const o of cases) expect((await readRaw(tail(path, o).t)).rawReads).toBe(0);
  });

  it('drain after byte-road reads sends the unterminated last line', async () => {
    const { path } = write('e.log', ['one']);
    appendFileSync(path, 'two');
    const { t } = tail(path);
    expect((await readRaw(t)).msgs.map((m) => m.text)).toEqual(['one']);
    expect(t.drain(0)).toEqual([msg('two', 7)]);
  });
});
