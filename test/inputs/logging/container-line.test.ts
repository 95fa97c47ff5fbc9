/**
 * Container log wrappers (`mode = "docker"` / `"cri"`): what DataKit
 * accepts, what it refuses (null), partial lines, and times to the
 * nanosecond.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContainerLine, parseRfc3339Nano } from '../../../src/inputs/logging/container-line.js';

const T = 1_700_000_000_123_456_789n; // 2023-11-14T22:13:20.123456789Z

describe('docker json-file', () => {
  it.each([
    [
      'complete line',
      '{"log":"hello\\n","stream":"stdout","time":"2023-11-14T22:13:20.123456789Z"}',
      { text: 'hello', stream: 'stdout', timeNs: T, complete: true },
    ],
    [
      'partial line (no trailing newline)',
      '{"log":"hel","stream":"stderr","time":"2023-11-14T22:13:20.123456789Z"}',
      { text: 'hel', stream: 'stderr', timeNs: T, complete: false },
    ],
    [
      'only the last newline is the terminator',
      '{"log":"a\\r\\n\\n","stream":"stdout","time":"2023-11-14T22:13:20Z"}',
      { text: 'a\r\n', stream: 'stdout', timeNs: 1_700_000_000_000_000_000n, complete: true },
    ],
    [
      'escapes decoded (ANSI arrives escaped)',
      '{"log":"\\u001b[31mred\\u001b[0m\\n","stream":"stdout","time":"2023-11-14T22:13:20Z"}',
      {
        text: '\u001b[31mred\u001b[0m',
        stream: 'stdout',
        timeNs: 1_700_000_000_000_000_000n,
        complete: true,
      },
    ],
    [
      'empty log is a complete empty line',
      '{"log":"","stream":"stdout","time":"2023-11-14T22:13:20Z"}',
      { text: '', stream: 'stdout', timeNs: 1_700_000_000_000_000_000n, complete: true },
    ],
    [
      'missing log and time',
      '{"stream":"stdout"}',
      { text: '', stream: 'stdout', timeNs: null, complete: true },
    ],
    [
      'unparsable time is kept as null (DataKit ignores it)',
      '{"log":"x\\n","stream":"stdout","time":"yesterday"}',
      { text: 'x', stream: 'stdout', timeNs: null, complete: true },
    ],
    [
      'other members ignored, order free',
      '{"time":"2023-11-14T22:13:20.123456789Z","attrs":{"k":"v"},"stream":"stderr","log":"x\\n"}',
      { text: 'x', stream: 'stderr', timeNs: T, complete: true },
    ],
  ])('%s', (_, input, want) => {
    expect(parseContainerLine('docker', input)).toEqual(want);
  });

  it.each([
    ['not JSON', 'plain text'],
    ['truncated JSON', '{"log":"x\\n","stream":"stdout"'],
    ['array', '["x"]'],
    ['null', 'null'],
    ['string', '"x"'],
    ['stream missing', '{"log":"x\\n"}'],
    ['stream not stdout/stderr', '{"log":"x\\n","stream":"stdin"}'],
    ['log not a string', '{"log":1,"stream":"stdout"}'],
    ['time not a string', '{"log":"x\\n","stream":"stdout","time":5}'],
  ])('refused: %s', (_, input) => {
    expect(parseContainerLine('docker', input)).toBeNull();
  });
});

describe('CRI', () => {
  it.each([
    [
      'full line',
      '2023-11-14T22:13:20.123456789Z stdout F hello world',
      { text: 'hello world', stream: 'stdout', timeNs: T, complete: true },
    ],
    [
      'partial line',
      '2023-11-14T22:13:20.123456789Z stderr P hel',
      { text: 'hel', stream: 'stderr', timeNs: T, complete: false },
    ],
    [
      'tag with more fields after a colon',
      '2023-11-14T22:13:20.123456789Z stdout P:x:y part',
      { text: 'part', stream: 'stdout', timeNs: T, complete: false },
    ],
    [
      'any tag but P is a full line',
      '2023-11-14T22:13:20.123456789Z stdout X text',
      { text: 'text', stream: 'stdout', timeNs: T, complete: true },
    ],
    [
      'PP is not P',
      '2023-11-14T22:13:20.123456789Z stdout PP text',
      { text: 'text', stream: 'stdout', timeNs: T, complete: true },
    ],
    [
      'no tag field: empty text',
      '2023-11-14T22:13:20.123456789Z stdout F',
      { text: '', stream: 'stdout', timeNs: T, complete: true },
    ],
    [
      'content keeps its spaces and colons',
      '2023-11-14T22:13:20.123456789Z stdout F  a: b ',
      { text: ' a: b ', stream: 'stdout', timeNs: T, complete: true },
    ],
    [
      'zone offset',
      '2023-11-15T06:13:20.123456789+08:00 stdout F x',
      { text: 'x', stream: 'stdout', timeNs: T, complete: true },
    ],
    [
      'unparsable time is kept as null',
      'not-a-time stdout F x',
      { text: 'x', stream: 'stdout', timeNs: null, complete: true },
    ],
  ])('%s', (_, input, want) => {
    expect(parseContainerLine('cri', input)).toEqual(want);
  });

  it.each([
    ['no space at all', 'garbage'],
    ['no stream', '2023-11-14T22:13:20Z stdout'],
    ['bad stream', '2023-11-14T22:13:20Z stdin F x'],
    ['empty line', ''],
  ])('refused: %s', (_, input) => {
    expect(parseContainerLine('cri', input)).toBeNull();
  });
});

describe('RFC3339Nano times', () => {
  it.each([
    ['1970-01-01T00:00:00Z', 0n],
    ['1970-01-01T00:00:00.000000001Z', 1n],
    ['1969-12-31T23:59:59.999999999Z', -1n],
    ['2023-11-14T22:13:20.1Z', 1_700_000_000_100_000_000n],
    ['2023-11-14T22:13:20.123456789123Z', T], // past 9 digits: cut, as Go does
    ['2023-11-14T14:13:20.123456789-08:00', T],
    ['2024-02-29T00:00:00Z', 1_709_164_800_000_000_000n],
    ['9999-12-31T23:59:59.999999999Z', 253_402_300_799_999_999_999n],
  ])('%s', (s, want) => {
    expect(parseRfc3339Nano(s)).toBe(want);
  });

  it.each([
    '2023-11-14 22:13:20Z',
    '2023-11-14T22:13:20',
    '2023-11-14T22:13:20.Z',
    '2023-13-01T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2023-11-14T24:00:00Z',
    '2023-11-14T22:60:00Z',
    '2023-11-14T22:13:60Z',
    '2023-11-14T22:13:20+0800',
    '2023-11-14T22:13:20+08:00x',
    '2023-11-14T22:13:20z',
    '2023-1a-14T22:13:20Z',
  ])('refused: %s', (s) => {
    expect(parseRfc3339Nano(s)).toBeNull();
  });

  it('agrees with Date to the millisecond and keeps the nanoseconds', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2200-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 999_999 }),
        (d, subMs) => {
          const iso = d.toISOString().replace('Z', `${String(subMs).padStart(6, '0')}Z`);
          expect(parseRfc3339Nano(iso)).toBe(BigInt(d.getTime()) * 1_000_000n + BigInt(subMs));
        },
      ),
    );
  });
});
