/**
 * Multiline joining as DataKit does it: trimming, entry starts (manual,
 * automatic, the `^\S` fallback), lines with no open entry, the byte cap,
 * blank lines, and the error values for patterns that do not compile.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MULTILINE_MAX_BYTES,
  MULTILINE_MAX_LIFE_MS,
  Multiline,
  MultilineError,
  type MultilineOptions,
} from '../../../src/inputs/logging/multiline.js';
import { LineMatcher } from '../../../src/inputs/logging/multiline-matcher.js';
import {
  DIGIT_PATTERNS,
  LETTER_PATTERNS,
  SYMBOL_PATTERNS,
} from '../../../src/inputs/logging/multiline-patterns.js';
import { trimRightSpace } from '../../../src/inputs/logging/trim-right-space.js';
import type { Line, Message } from '../../../src/inputs/logging/types.js';

const OFF: MultilineOptions = { match: '', auto: false, extraPatterns: [] };
const DATE = '^\\d{4}-\\d{2}-\\d{2}';

function make(o: Partial<MultilineOptions>): Multiline {
  const m = Multiline.create({ ...OFF, ...o });
  if (m instanceof MultilineError) throw m;
  return m;
}

/** Pushes lines (ends 1, 2, 3, ... so `end` names the line), then flushes; returns every message. */
function run(m: Multiline, texts: readonly string[], flush = true): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < texts.length; i++) {
    const msg = m.push({ text: texts[i]!, end: i + 1, truncated: false }, i * 10);
    if (msg !== null) out.push(msg);
  }
  const last = flush ? m.flush() : null;
  if (last !== null) out.push(last);
  return out;
}

const msg = (text: string, end: number, lines = 1): Message => ({ text, end, lines });

describe('trimRightSpace (DataKit’s TrimRightSpace)', () => {
  it.each([
    ['abc \t\r', 'abc'],
    ['  abc  ', '  abc'],
    ['   ', ''],
    ['', ''],
    ['a\v\f', 'a'],
    // ends in non-ASCII: a Unicode trim of both ends
    ['  中文 ', '中文'],
    ['\u3000x中\u3000', 'x中'],
    ['\tat 函数', 'at 函数'],
    ['\tat 函数()', '\tat 函数()'],
    ['a\u00a0', 'a'],
    ['\u0085a\u2028', 'a'],
    // ends in ASCII: only trailing ASCII whitespace goes
    ['\u00a0a', '\u00a0a'],
    ['a\u00a0 ', 'a'],
    // not Go spaces
    ['x\u200b', 'x\u200b'],
    ['\ufeffa中', '\ufeffa中'],
  ])('%j → %j', (input, want) => {
    expect(trimRightSpace(input)).toBe(want);
  });
});

describe('joining off', () => {
  it('every line is a message; lines are trimmed; blank ones dropped', () => {
    expect(run(make({}), ['a  ', '', '  ', '  b\r', 'c'])).toEqual([msg('a', 1), msg('  b', 4), msg('c', 5)]);
  });

  it('nothing is ever pending', () => {
    const m = make({});
    m.push({ text: 'a', end: 1, truncated: false }, 0);
    expect(m.pendingSince).toBeNull();
    expect(m.flush()).toBeNull();
  });
});

describe('manual pattern (multiline_match)', () => {
  it('a pattern means manual mode even with auto off', () => {
    expect(run(make({ match: DATE }), ['x', ' y'])).toEqual([msg('x\n y', 2, 2)]);
  });

  it.each<[string, string[], Message[]]>([
    [
      'a match closes the previous entry; the rest are continuations',
      ['2024-01-01 a', '  at x', 'more', '2024-01-02 b', 'tail'],
      [msg('2024-01-01 a\n  at x\nmore', 3, 3), msg('2024-01-02 b\ntail', 5, 2)],
    ],
    [
      'before the first match, ^\\S starts entries',
      ['header', '  cont', 'next', '2024-01-01 a', 'after'],
      [msg('header\n  cont', 2, 2), msg('next', 3), msg('2024-01-01 a\nafter', 5, 2)],
    ],
    [
      'an indented first line has no entry to join: a message by itself',
      ['  lead', '2024-01-01 a'],
      [msg('  lead', 1), msg('2024-01-01 a', 2)],
    ],
    [
      'blank lines inside an entry stay as empty continuations, trimmed',
      ['2024-01-01 a', '', '  ', 'b  '],
      [msg('2024-01-01 a\n\n\nb', 4, 4)],
    ],
    ['blank lines with no open entry are dropped', ['', '   ', '2024-01-01 a'], [msg('2024-01-01 a', 3)]],
    [
      'leading whitespace kept, trailing trimmed',
      ['2024-01-01 a \r', '\tat b\t'],
      [msg('2024-01-01 a\n\tat b', 2, 2)],
    ],
  ])('%s', (_, lines, want) => {
    expect(run(make({ match: DATE }), lines)).toEqual(want);
  });

  it('after a flush, a continuation has no entry: a message by itself', () => {
    const m = make({ match: DATE });
    expect(run(m, ['2024-01-01 a', ' b'])).toEqual([msg('2024-01-01 a\n b', 2, 2)]);
    expect(run(m, [' orphan', 'x'], false)).toEqual([msg(' orphan', 1), msg('x', 2)]);
  });

  it('the pattern searches the whole line unless anchored (Go Match)', () => {
    expect(run(make({ match: 'ERROR' }), ['x ERROR y', 'cont', 'ERROR z'])).toEqual([
      msg('x ERROR y\ncont', 2, 2),
      msg('ERROR z', 3),
    ]);
  });

  it('Go syntax: (?i) and \\s', () => {
    expect(run(make({ match: '(?i)^start\\s' }), ['START a', 'x', 'Start b'])).toEqual([
      msg('START a\nx', 2, 2),
      msg('Start b', 3),
    ]);
  });
});

describe('byte cap', () => {
  it('a continuation past the cap hands the entry out; later continuations open a new one', () => {
    const m = make({ match: DATE, maxBytes: 12 });
    expect(run(m, ['2024-01-01', 'x', 'yy', 'zz', 'w'])).toEqual([
      msg('2024-01-01\nx\nyy', 3, 3),
      msg('zz\nw', 5, 2),
    ]);
  });

  it('counts UTF-8 bytes', () => {
    // "2024-01-01\n中" is 14 bytes; "2024-01-01\nab" is 13.
    expect(run(make({ match: DATE, maxBytes: 13 }), ['2024-01-01', 'ab', '2024-01-02', '中'])).toEqual([
      msg('2024-01-01\nab', 2, 2),
      msg('2024-01-02\n中', 4, 2),
    ]);
  });

  it('one long entry-start line is never cut', () => {
    const long = `2024-01-01 ${'x'.repeat(100)}`;
    expect(run(make({ match: DATE, maxBytes: 10 }), [long, '2024-01-02'])).toEqual([
      msg(long, 1),
      msg('2024-01-02', 2),
    ]);
  });

  it('after a cut, empty lines opening the next part leave no separator (as in DataKit)', () => {
    expect(run(make({ match: DATE, maxBytes: 10 }), ['2024-01-01', 'x', '', 'q', 'r'])).toEqual([
      msg('2024-01-01\nx', 2, 2),
      msg('q\nr', 5, 3),
    ]);
  });

  it('after a cut, a flush does not end the cut: the next continuation still joins', () => {
    const m = make({ match: DATE, maxBytes: 10 });
    expect(run(m, ['2024-01-01', 'x', 'y'])).toEqual([msg('2024-01-01\nx', 2, 2), msg('y', 3)]);
    expect(run(m, ['z', 'w'], false)).toEqual([]);
    expect(m.flush()).toEqual(msg('z\nw', 2, 2));
  });

  it('an entry of only empty lines is not a message', () => {
    const m = make({ match: DATE, maxBytes: 10 });
    expect(run(m, ['2024-01-01', 'x', '', ''], false)).toEqual([msg('2024-01-01\nx', 2, 2)]);
    expect(m.pendingSince).not.toBeNull();
    expect(m.flush()).toBeNull();
    expect(m.pendingSince).toBeNull();
  });

  it('the default cap is DataKit’s 80% of 1 MiB', () => {
    expect(MULTILINE_MAX_BYTES).toBe(Math.trunc(1024 * 1024 * 0.8));
    expect(MULTILINE_MAX_LIFE_MS).toBe(5000);
    const m = make({ match: DATE });
    const part = 'y'.repeat(1000);
    const lines = ['2024-01-01'];
    for (let i = 0; i < 900; i++) lines.push(part);
    const out = run(m, lines);
    expect(out.length).toBe(2);
    expect(Buffer.byteLength(out[0]!.text)).toBeGreaterThan(MULTILINE_MAX_BYTES);
    expect(Buffer.byteLength(out[0]!.text)).toBeLessThanOrEqual(MULTILINE_MAX_BYTES + 1001);
  });
});

describe('pendingSince', () => {
  it('is the time the pending message began', () => {
    const m = make({ match: DATE, maxBytes: 14 });
    expect(m.pendingSince).toBeNull();
    m.push({ text: 'orphan', end: 1, truncated: false }, 1); // ^\S fallback: opens an entry
    expect(m.pendingSince).toBe(1);
    m.push({ text: '2024-01-01', end: 2, truncated: false }, 5);
    expect(m.pendingSince).toBe(5);
    m.push({ text: ' a', end: 3, truncated: false }, 7);
    expect(m.pendingSince).toBe(5);
    m.push({ text: ' bcd', end: 4, truncated: false }, 9); // past the cap: handed out
    expect(m.pendingSince).toBeNull();
    m.push({ text: ' e', end: 5, truncated: false }, 11);
    expect(m.pendingSince).toBe(11);
    expect(m.flush()).toEqual(msg(' e', 5));
    expect(m.pendingSince).toBeNull();
  });
});

describe('automatic detection', () => {
  it('DataKit’s own matcher cases', () => {
    const m = new LineMatcher(null, [/^[\t\n\f\r ]*APPSTART\b/u]);
    const cases: [string, boolean][] = [
      ['2024-07-08 10:00:00 INFO started', true],
      ['1719820800 INFO unix epoch seconds', true],
      ['INFO [main] com.example.App - started', true],
      ['INFO | app.module:func:10 - started', true],
      ['level=info msg="started"', true],
      ['START RequestId: 5c936f1c-8f4d-4c68-9b02-1a3a0d3d8d89 Version: $LATEST', true],
      ['[2020-12-03 11:36:20] INFO started', true],
      ['[2020-12-03] INFO started', true],
      ['[beat-logstash-some-name-832-2015.11.28] index not found', true],
      ['{"msg":"hello"}', true],
      ['APPSTART custom format', true],
      ['\tAPPSTART custom format', true],
      ['  {"msg":"hello"}', false],
      ['\tstack line', false],
      ['_ Jan 02 15:04:05 2006 continuation-looking line', false],
      ['[2020-12-03-not-a-date] continuation-looking line', false],
      ['[signal SIGSEGV: segmentation violation code=0x1]', false],
    ];
    for (const [line, want] of cases) expect([line, m.startsEntry(line)]).toEqual([line, want]);
  });

  it.each<[string, boolean]>([
    ['E0123 12:34:56.789012 1 file.go:123] msg', true],
    ['Jan  2 15:04:05 host app[1]: x', true],
    ['java.lang.IllegalStateException: boom', true],
    ['Caused by: java.io.IOException', false],
    ['    at com.example.Foo(Foo.java:1)', false],
    ['<34>1 2021-07-08T05:08:19Z host app', true],
    ['31350:M 23 Jan 2020 11:45:04.030 * Ready', true],
    ['127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200', true],
    ['fe80::1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200', true],
    ['::1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200', true],
    ['日志 2024-01-01', false], // non-ASCII first byte: symbol group
    ['', false],
  ])('after a known start, %j → %s', (line, want) => {
    const m = new LineMatcher(null, []);
    expect(m.startsEntry('2024-01-01 00:00:00 first')).toBe(true);
    expect(m.startsEntry(line)).toBe(want);
  });

  it('until some pattern matched, ^\\S starts entries', () => {
    const m = new LineMatcher(/^ERROR:/u, []);
    expect(m.startsEntry('plain first line before any pattern match')).toBe(true);
    expect(m.startsEntry('  continuation')).toBe(false);
    expect(m.startsEntry('ERROR: matched line')).toBe(true);
    expect(m.startsEntry('plain line after a pattern has matched')).toBe(false);
  });

  it('manual mode uses only its pattern', () => {
    const m = new LineMatcher(/^MANUAL\b/u, []);
    expect(m.startsEntry('MANUAL first line')).toBe(true);
    expect(m.startsEntry('2024-07-08 10:00:00 INFO default-looking line')).toBe(false);
    expect(m.startsEntry('\tstack line')).toBe(false);
  });

  it('joins a Java stack trace', () => {
    const lines = [
      '2024-07-08 10:00:00.123 ERROR failed',
      'java.lang.IllegalStateException: boom',
      '\tat com.example.A.run(A.java:1)',
      'Caused by: java.io.IOException: io',
      '\t... 3 more',
      '2024-07-08 10:00:01.000 INFO next',
    ];
    // The exception root line is a start of its own in DataKit's tables.
    expect(run(make({ auto: true }), lines)).toEqual([
      msg(lines[0]!, 1),
      msg(lines.slice(1, 5).join('\n'), 5, 4),
      msg(lines[5]!, 6),
    ]);
  });

  it('extra patterns are tried after the built-in group', () => {
    const m = make({ auto: true, extraPatterns: ['^>>> '] });
    expect(run(m, ['>>> one', 'x', '>>> two', '  y'])).toEqual([
      msg('>>> one\nx', 2, 2),
      msg('>>> two\n  y', 4, 2),
    ]);
  });

  it('every built-in pattern compiles, and the groups have DataKit’s sizes', () => {
    expect([DIGIT_PATTERNS.length, LETTER_PATTERNS.length, SYMBOL_PATTERNS.length]).toEqual([21, 23, 19]);
    expect(() => new LineMatcher(null, [])).not.toThrow();
  });
});

describe('error values', () => {
  it.each([
    ['(?!x)', 'multiline_match'],
    ['[a-', 'multiline_match'],
    ['a{1001}', 'multiline_match'],
    ['(?<=x)y', 'multiline_match'],
  ])('multiline_match %j', (match, option) => {
    const e = Multiline.create({ ...OFF, match });
    expect(e).toBeInstanceOf(MultilineError);
    const err = e as MultilineError;
    expect([err.option, err.index, err.pattern]).toEqual([option, null, match]);
    expect(err.reason).not.toBe('');
    expect(err.message).toContain(JSON.stringify(match));
  });

  it('auto_multiline_extra_patterns names the entry', () => {
    const e = Multiline.create({ ...OFF, auto: true, extraPatterns: ['^ok', '(?!x)'] }) as MultilineError;
    expect(e).toBeInstanceOf(MultilineError);
    expect([e.option, e.index, e.pattern]).toEqual(['auto_multiline_extra_patterns', 1, '(?!x)']);
    expect(e.message).toContain('auto_multiline_extra_patterns[1]');
  });

  it('extra patterns are not compiled when they are not used (as in DataKit)', () => {
    expect(Multiline.create({ match: DATE, auto: true, extraPatterns: ['(?!x)'] })).toBeInstanceOf(Multiline);
    expect(Multiline.create({ ...OFF, extraPatterns: ['(?!x)'] })).toBeInstanceOf(Multiline);
  });
});

/** Lines that are never blank after the trim, some starting entries. */
const solidLine = fc
  .tuple(
    fc.constantFrom('2024-01-01 ', 'S', ' ', '\t', 'x', '中', '{'),
    fc.string({ unit: fc.constantFrom('a', ' ', '中', '\r'), maxLength: 10 }),
    fc.constantFrom('b', 'é'),
    fc.constantFrom('', ' ', '\t\r'),
  )
  .map(([head, body, last, tail]) => head + body + last + tail);

function checkMessages(out: Message[], lines: readonly Line[]): void {
  const kept = lines.map((l) => trimRightSpace(l.text));
  expect(out.map((m) => m.text).join('\n')).toBe(kept.join('\n'));
  expect(out.reduce((n, m) => n + m.lines, 0)).toBe(lines.length);
  for (let i = 1; i < out.length; i++) expect(out[i]!.end).toBeGreaterThan(out[i - 1]!.end);
  if (lines.length > 0) expect(out.at(-1)!.end).toBe(lines.at(-1)!.end);
}

describe('properties', () => {
  const modes: [string, Partial<MultilineOptions>][] = [
    ['manual', { match: '^S|^\\d' }],
    ['auto', { auto: true }],
    ['auto + extras', { auto: true, extraPatterns: ['^\\s*S'] }],
    ['off', {}],
  ];
  for (const [name, o] of modes) {
    it(`${name}: the messages' lines are the input lines, in order, ends increasing`, () => {
      fc.assert(
        fc.property(
          fc.array(solidLine, { maxLength: 30 }),
          fc.integer({ min: 1, max: 80 }),
          fc.array(fc.integer({ min: 0, max: 29 }), { maxLength: 3 }),
          (texts, maxBytes, flushAt) => {
            const m = make({ ...o, maxBytes });
            const out: Message[] = [];
            const lines: Line[] = [];
            for (let i = 0; i < texts.length; i++) {
              const line = { text: texts[i]!, end: 3 * i + 2, truncated: false };
              lines.push(line);
              const r = m.push(line, i);
              if (r !== null) out.push(r);
              if (flushAt.includes(i)) {
                const f = m.flush();
                if (f !== null) out.push(f);
              }
            }
            const f = m.flush();
            if (f !== null) out.push(f);
            checkMessages(out, lines);
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('off: blank lines are the only ones dropped, and later ends still pass them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(solidLine, fc.constantFrom('', ' ', '\t\r')), { maxLength: 30 }),
        (texts) => {
          const out = run(make({}), texts);
          const kept = texts.map((t, i) => [trimRightSpace(t), i + 1] as const).filter(([t]) => t !== '');
          expect(out).toEqual(kept.map(([t, end]) => msg(t, end)));
        },
      ),
    );
  });
});
