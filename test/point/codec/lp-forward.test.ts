/**
 * The line-protocol forwarder: every boundary of its fast subset (just
 * inside → forwarded, just outside → null), the options, the layout of its
 * output, and the rule that matters most: whenever it returns bytes, they
 * decode (as LP and as protobuf) to exactly the points the ordinary
 * decoder makes of the body, plus the added tags, without a warning.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../src/point/codec/dispatch.js';
import { type ForwardOptions, forwardLineProtocol } from '../../../src/point/codec/lp-forward.js';
import type { Point } from '../../../src/point/point.js';
import { type TypedPoint, toTyped } from '../../../src/point/typed-json.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../support/shared.js';

const NOW = 1_717_200_000_000_000_000n;
/** Receive time given when decoding the output: any point read without its own time would show it. */
const OTHER_NOW = 42n;

type Encoding = ForwardOptions['encoding'];
const ENCODINGS: readonly Encoding[] = ['lp', 'protobuf'];

interface Opts {
  precision?: string;
  nowNs?: bigint;
  addTags?: [string, string][];
  accept?: (m: string) => boolean;
}

function options(encoding: Encoding, o: Opts = {}): ForwardOptions {
  return {
    encoding,
    precision: o.precision ?? 'n',
    nowNs: o.nowNs ?? NOW,
    addTags: o.addTags ?? [],
    accept: o.accept ?? (() => true),
  };
}

function bytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? new Uint8Array(Buffer.from(body, 'utf8')) : body;
}

function typed(points: readonly Point[]): TypedPoint[] {
  for (const p of points) expect(p.warns).toBeNull();
  return points.map((p) => toTyped(p));
}

/** What the ordinary path makes of the body: decode, then the added tags where missing. */
function reference(body: Uint8Array, o: Opts): TypedPoint[] {
  const r = decodeBody(body, undefined, { category: 'logging', precision: o.precision ?? 'n', now: NOW });
  expect(r.errors).toEqual([]);
  for (const p of r.points) for (const [k, v] of o.addTags ?? []) if (!p.tags.has(k)) p.tags.set(k, v);
  return typed(r.points);
}

function decodeOutput(out: Uint8Array, encoding: Encoding): TypedPoint[] {
  const r =
    encoding === 'lp'
      ? decodeBody(out, undefined, { category: 'logging', precision: 'n', now: OTHER_NOW })
      : decodeBody(out, 'application/protobuf', { category: 'logging', now: OTHER_NOW });
  expect(r.errors).toEqual([]);
  return typed(r.points);
}

/** Forwarded in both encodings, equivalent to the ordinary path, point by point. */
function expectForwarded(body: string | Uint8Array, o: Opts = {}): void {
  const b = bytes(body);
  const want = reference(b, o);
  for (const enc of ENCODINGS) {
    const r = forwardLineProtocol(b, options(enc, o));
    expect(r, `${enc} forwarded`).not.toBeNull();
    if (r === null) return;
    expect(Buffer.isBuffer(r.bytes)).toBe(true);
    expect(r.count).toBe(want.length);
    expect(r.ends.length).toBe(r.count);
    expect(decodeOutput(r.bytes, enc)).toEqual(want);
    let from = 0;
    for (let i = 0; i < r.count; i++) {
      const slice = r.bytes.subarray(from, r.ends[i]);
      if (enc === 'lp') expect(slice[slice.length - 1]).toBe(10);
      else expect(slice[0]).toBe(0x0a);
      expect(decodeOutput(slice, enc)).toEqual([want[i]]);
      from = r.ends[i]!;
    }
    expect(from).toBe(r.bytes.length);
  }
}

function expectDeclined(body: string | Uint8Array, o: Opts = {}): void {
  for (const enc of ENCODINGS) expect(forwardLineProtocol(bytes(body), options(enc, o)), enc).toBeNull();
}

const line = (fields: string, ts = ' 1704067200000000000') => `m,host=a ${fields}${ts}`;

describe('values inside the subset', () => {
  it.each([
    'f=1i',
    'f=0i',
    'f=-0i',
    'f=-1i',
    'f=123456789012345i',
    'f=1234567890123456i',
    'f=9223372036854775807i',
    'f=-9223372036854775808i',
    'f=-9223372036854775807i',
    'f=4294967295i',
    'f=4294967296i',
    'f=-4294967296i',
    'f=-4294967297i',
    'f=0u',
    'f=1u',
    'f=4294967296u',
    'f=9223372036854775808u',
    'f=18446744073709551615u',
    'f=1',
    'f=0',
    'f=-0',
    'f=-0.0',
    'f=0.5',
    'f=.5',
    'f=-.5',
    'f=1.',
    'f=3.14',
    'f=1e5',
    'f=1E5',
    'f=1e+5',
    'f=1.5e-3',
    'f=1e308',
    'f=1.7976931348623157e308',
    'f=-1.7976931348623157e308',
    'f=4.9e-324',
    'f=1e-400',
    'f=0e999',
    'f=0.1',
    'f=0.30000000000000004',
    'f=1.2345678901234567',
    'f=9007199254740993',
    'f=123456789012345678901234567890',
    'f=1e22',
    'f=1e23',
    'f=123456789e-22',
    'f=t',
    'f=T',
    'f=true',
    'f=True',
    'f=TRUE',
    'f=f',
    'f=F',
    'f=false',
    'f=False',
    'f=FALSE',
    'f=""',
    'f="plain"',
    'f="a,b=c d"',
    'f="say \\"hi\\""',
    'f="back\\\\slash"',
    'f="\\\\"',
    'f="\\\\\\""',
    'f="keep \\n and \\t and \\x"',
    'f="ends with \\\\"',
    'f="line one\nline two"',
    'f="\n"',
    'f="cr \r inside"',
    'f="日志 🚀 ok"',
    'f="[not an array]"',
    'f="a\tb"',
    'f=1i,g="s",h=2.5,k=true,u=3u',
    'message="GET /x?a=1 HTTP/1.1 \\"-\\" \\"Mozilla/5.0 (X11; Linux x86_64)\\"",status="info"',
    'status="error"',
  ])('%s', (fields) => {
    expectForwarded(line(fields));
    expectForwarded(line(fields, ''));
  });

  it('keeps the sign of -0.0 in both encodings', () => {
    for (const enc of ENCODINGS) {
      const r = forwardLineProtocol(bytes('m f=-0.0 1'), options(enc))!;
      const f = decodeBody(r.bytes, enc === 'lp' ? undefined : 'application/protobuf', {
        category: 'logging',
        precision: 'n',
      }).points[0]!.fields.get('f');
      expect(Object.is(f, -0)).toBe(true);
    }
  });

  it('forwards string values of every length around the word size', () => {
    for (let n = 0; n < 20; n++) {
      expectForwarded(`m f="${'x'.repeat(n)}"`);
      expectForwarded(`m f="${'x'.repeat(n)}\\"${'y'.repeat(n)}"`);
    }
  });

  it('forwards up to 4096 escapes in a line and declines more (outside the subset)', () => {
    expectForwarded(`m f="${'\\"'.repeat(4096)}"`);
    expectForwarded(`m f="${'\\"'.repeat(2048)}",g="${'\\\\'.repeat(2048)}"`);
    expectDeclined(`m f="${'\\"'.repeat(4097)}"`);
  });

  it('declines a string value over 32 MiB (intake would truncate it)', () => {
    const body = (len: number) => {
      const b = Buffer.alloc(len + 6, 0x61);
      b.write('m f="', 0);
      b[b.length - 1] = 0x22;
      return b;
    };
    const limit = 32 * 1024 * 1024;
    for (const enc of ENCODINGS) {
      expect(forwardLineProtocol(body(limit + 1), options(enc))).toBeNull();
      expect(forwardLineProtocol(body(limit), options(enc))?.count).toBe(1);
    }
  });

  it('forwards long strings (native copies) with and without escapes', () => {
    const long = 'abcdefghij'.repeat(100);
    expectForwarded(`m f="${long}"`);
    expectForwarded(`m f="${long}\\"${long}\\\\${long}"`);
  });
});

describe('values outside the subset', () => {
  it.each([
    'f=01i',
    'f=-01i',
    'f=00i',
    'f=9223372036854775808i',
    'f=-9223372036854775809i',
    'f=99999999999999999999i',
    'f=01u',
    'f=-1u',
    'f=-0u',
    'f=18446744073709551616u',
    'f=99999999999999999999u',
    'f=00.5',
    'f=01',
    'f=01e3',
    'f=1e309',
    'f=-1e309',
    'f=1e1000',
    'f=1e0001',
    'f=1e',
    'f=1e+',
    'f=.',
    'f=-',
    'f=-.',
    'f=+1',
    'f=1.5i',
    'f=1e3u',
    'f=1x',
    'f=1.2.3',
    'f=NaN',
    'f=inf',
    'f=tru',
    'f=truE',
    'f=yes',
    'f=[1i]',
    'f=[]',
    'f="aGk="b',
    'f=""b',
    'f="a"x',
    'f="a""',
    'f="unterminated',
    'f="a\\"',
    'f=',
    'f=,g=1i',
  ])('%s', (fields) => {
    expectDeclined(line(fields));
    expectDeclined(line(fields, ''));
  });
});

describe('names, tags and keys', () => {
  it.each([
    ['measurement of 1024 bytes', `${'m'.repeat(1024)} f=1i`],
    ['UTF-8 measurement', '城市 f=1i'],
    ['UTF-8 tag key and value', 'm,城市=上海 f=1i'],
    ['UTF-8 field key', 'm 消息="x"'],
    ['a dot in a tag value', 'm,v=1.2.3 f=1i'],
    ['a # inside the measurement', 'm#1 f=1i'],
    ['tag key of 256 bytes', `m,${'k'.repeat(256)}=v f=1i`],
    ['tag value of 1024 bytes', `m,k=${'v'.repeat(1024)} f=1i`],
    ['field key of 256 bytes', `m ${'k'.repeat(256)}=1i`],
    ['64 tags', `m,${Array.from({ length: 64 }, (_, i) => `t${i}=v`).join(',')} f=1i`],
    ['64 fields', `m ${Array.from({ length: 64 }, (_, i) => `f${i}=${i}i`).join(',')}`],
    ['unsorted tags', 'm,z=1,a=2 f=1i'],
    ['DEL and other bytes from 0x7f', 'm\x7f,k\x7f=v\x7f f\x7f=1i'],
    [
      'many keys (hash table path)',
      `m,${Array.from({ length: 40 }, (_, i) => `t${i}=v`).join(',')} ${Array.from({ length: 40 }, (_, i) => `f${i}=1i`).join(',')}`,
    ],
  ])('%s', (_name, body) => {
    expectForwarded(body);
  });

  it.each([
    ['measurement of 1025 bytes', `${'m'.repeat(1025)} f=1i`],
    ['escaped comma in the measurement', 'm\\,x f=1i'],
    ['quote in the measurement', 'm"x f=1i'],
    ['= in the measurement', 'm=x f=1i'],
    ['tab in the measurement', 'm\tx f=1i'],
    ['NUL in the measurement', 'm\0x f=1i'],
    ['comment line', '# m f=1i'],
    ['leading space', ' m f=1i'],
    ['leading tab', '\tm f=1i'],
    ['missing measurement', ',t=1 f=1i'],
    ['measurement only', 'm'],
    ['measurement and space only', 'm '],
    ['tag key of 257 bytes', `m,${'k'.repeat(257)}=v f=1i`],
    ['tag value of 1025 bytes', `m,k=${'v'.repeat(1025)} f=1i`],
    ['field key of 257 bytes', `m ${'k'.repeat(257)}=1i`],
    ['65 tags', `m,${Array.from({ length: 65 }, (_, i) => `t${i}=v`).join(',')} f=1i`],
    ['65 fields', `m ${Array.from({ length: 65 }, (_, i) => `f${i}=${i}i`).join(',')}`],
    ['a dot in a tag key', 'm,a.b=v f=1i'],
    ['a dot in a field key', 'm a.b=1i'],
    ['= in a tag value', 'm,t=a=b f=1i'],
    ['= first in a tag value', 'm,t==b f=1i'],
    ['quote in a tag value', 'm,t=a"b f=1i'],
    ['quote in a tag key', 'm,t"=a f=1i'],
    ['quote in a field key', 'm f"=1i'],
    ['backslash in a tag key', 'm,t\\ x=a f=1i'],
    ['backslash in a tag value', 'm,t=a\\ b f=1i'],
    ['backslash in a field key', 'm f\\ x=1i'],
    ['empty tag key', 'm,=v f=1i'],
    ['empty tag value', 'm,t= f=1i'],
    ['empty field key', 'm =1i'],
    ['tag without =', 'm,t f=1i'],
    ['tags but no fields', 'm,t=v'],
    ['tab in a tag value', 'm,t=a\tb f=1i'],
    ['newline in a tag value', 'm,t=a\nb f=1i'],
    ['repeated tag key', 'm,t=a,t=b f=1i'],
    [
      'repeated key among many (hash table path)',
      `m,${Array.from({ length: 40 }, (_, i) => `t${i}=v`).join(',')} ${Array.from({ length: 40 }, (_, i) => `f${i}=1i`).join(',')},t39=1i`,
    ],
    ['repeated field among many', `m ${Array.from({ length: 30 }, (_, i) => `f${i}=1i`).join(',')},f0=2i`],
    ['repeated field key', 'm f=1i,f=2i'],
    ['tag and field with one key', 'm,f=a f=1i'],
    ['trailing comma after fields', 'm f=1i,'],
    ['two commas between fields', 'm f=1i,,g=2i'],
  ])('%s', (_name, body) => {
    expectDeclined(body);
  });

  it('declines a series key over 65535 bytes and forwards one of exactly 65535', () => {
    const tags = Array.from({ length: 51 }, (_, i) => `${String(i).padStart(256, 'k')}=${'v'.repeat(1024)}`);
    const prefix = `m,${tags.join(',')}`;
    const room = 65535 - 4 - prefix.length; // bytes left for the field key
    expect(room).toBeGreaterThan(0);
    expect(room).toBeLessThan(256);
    const over = `${prefix} ${'f'.repeat(room + 1)}=1i`;
    expect(decodeBody(bytes(over), undefined, { category: 'logging' }).errors[0]!.message).toContain(
      'series key too long',
    );
    expectDeclined(over);
    expectForwarded(`${prefix} ${'f'.repeat(room)}=1i`);
    expectForwarded(`${prefix} a=1i,${'f'.repeat(room)}=1i`);
    expectDeclined(`${prefix} a=1i,${'f'.repeat(room + 1)}=1i`);
  });
});

describe('layout', () => {
  it('writes a line whose measurement and tags repeat the previous line as the ordinary path, call after call', () => {
    // The second line's head is copied from the first's; a new call must not copy from the last call's
    // output, even where its first line reads the same at the same offset.
    const add = { addTags: [['region', 'eu-1']] as [string, string][] };
    expectForwarded('m,t=a f=1i 1\nm,t=a f="two" 2\nm,t=b f=3i 3\nm,t=b g=4i 4', add);
    expectForwarded('m,t=a f=1i', add);
    expectForwarded('m,t=a f="a longer body than the last one"', add);
    expectForwarded('m,t=a f=1i\nm,t=a f=2i', { addTags: [] });
  });

  it.each([
    ['a trailing newline', 'm f=1i 1\n'],
    ['no trailing newline', 'm f=1i 1'],
    ['empty lines anywhere', '\n\nm f=1i 1\n\n\nn g=2i 2\n\n'],
    ['a string with newlines spanning lines', 'm f="a\nb\n" 1\nn g="\n" 2\n'],
    ['a UTF-8 BOM at the start', '\ufeffm f=1i 1\n'],
    ['several lines', 'a f=1i 1\nb,t=v g="x" 2\nc h=true 3'],
  ])('forwards %s', (_name, body) => {
    expectForwarded(body);
  });

  it.each([
    ['an empty body', ''],
    ['only newlines', '\n\n\n'],
    ['a whitespace-only line', 'm f=1i\n   \nn f=2i'],
    ['CRLF line endings', 'm f=1i 1\r\nn f=2i 2\r\n'],
    ['a CR at the end of the last line', 'm f=1i\r'],
    ['a CR after a string value', 'm f="x"\r\n'],
    ['two spaces before the fields', 'm  f=1i'],
    ['two spaces before the timestamp', 'm f=1i  1'],
    ['a trailing space', 'm f=1i \n'],
    ['a trailing space after the timestamp', 'm f=1i 1 \n'],
    ['a tab before the timestamp', 'm f=1i\t1'],
    ['invalid UTF-8', Buffer.from([0x6d, 0x20, 0x66, 0x3d, 0x22, 0xff, 0x22])],
    ['invalid UTF-8 in a later line', Buffer.concat([Buffer.from('m f=1i\n'), Buffer.from([0x6d, 0xc3])])],
    ['an encoded surrogate', Buffer.from([0x6d, 0xed, 0xa0, 0x80, 0x20, 0x66, 0x3d, 0x31, 0x69])],
    ['one bad line among good ones', 'm f=1i\nthis is not lp\nn f=2i'],
  ])('declines %s', (_name, body) => {
    expectDeclined(typeof body === 'string' ? body : new Uint8Array(body));
  });

  it('writes LP lines as they came, with added tags after the line tags and ns times', () => {
    const body = 'm,a=1 f=1i 1704067200\nm f="x y",g=2 1704067200123\nm,host=h f=1i\nm f=1i 0';
    const r = forwardLineProtocol(bytes(body), options('lp', { precision: '', addTags: [['host', 'me']] }))!;
    const want = [
      'm,a=1,host=me f=1i 1704067200000000000\n',
      'm,host=me f="x y",g=2 1704067200123000000\n',
      `m,host=h f=1i ${NOW}\n`,
      `m,host=me f=1i ${NOW}\n`,
    ];
    expect(r.bytes.toString('utf8')).toBe(want.join(''));
    let end = 0;
    expect([...r.ends]).toEqual(want.map((l) => (end += l.length)));
  });

  it('copies unchanged lines verbatim', () => {
    const body = 'm,host=h f="x" 1704067200000000000\n\nm,host=h g=1i 1704067200000000001';
    const r = forwardLineProtocol(bytes(body), options('lp', { addTags: [['host', 'me']] }))!;
    expect(r.bytes.toString('utf8')).toBe(`${body.replace('\n\n', '\n')}\n`);
  });

  it('writes protobuf entries that together form one PBPoints body', () => {
    const r = forwardLineProtocol(bytes('a f=1i 1\nb g="x" 2'), options('protobuf'))!;
    expect(r.count).toBe(2);
    expect(r.bytes[0]).toBe(0x0a);
    expect(r.bytes[r.ends[0]!]).toBe(0x0a);
    const two = decodeBody(r.bytes, 'application/protobuf', { category: 'logging' });
    expect(two.points.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('accepts a plain Uint8Array and a view into a larger buffer', () => {
    const big = Buffer.from('garbage\nm f=1i 1\nmore garbage');
    const view = new Uint8Array(big.buffer, big.byteOffset + 8, 9);
    expect(Buffer.from(view).toString()).toBe('m f=1i 1\n');
    expectForwarded(view);
    expectForwarded(new Uint8Array(Buffer.from('m f=1i 1')));
  });

  it('returns bytes that later calls do not overwrite', () => {
    for (const enc of ENCODINGS) {
      const a = forwardLineProtocol(bytes('a f=1i 1'), options(enc))!;
      const copy = Buffer.from(a.bytes);
      forwardLineProtocol(bytes(`b f="${'z'.repeat(100_000)}" 2`), options(enc));
      expect(a.bytes.equals(copy)).toBe(true);
    }
  });

  it('forwards large bodies (output growth, ordinary decoding in pieces)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const host = i % 3 === 0 ? '' : `,host=h${i % 7}`;
      const msg = `GET /item/${i} \\"quoted\\" ${'x'.repeat(i % 97)}`;
      lines.push(`nginx${host},service=shop message="${msg}",status="info",n=${i}i ${1704067200 + i}`);
    }
    expectForwarded(lines.join('\n'), { precision: '', addTags: [['host', 'added-host']] });
  });

  it("forwards large bodies whose string values span the ordinary decoder's 32 KiB pieces", () => {
    const lines: string[] = [];
    for (let i = 0; i < 2500; i++)
      lines.push(`m,k=v${i % 5} f="${'line\n'.repeat(i % 13)}end ${i}",n=${i} ${i + 1}`);
    const body = lines.join('\n');
    expect(body.length).toBeGreaterThan(3 * 32 * 1024);
    expectForwarded(body, {
      precision: 's',
      addTags: [
        ['k', 'x'],
        ['z', 'y'],
      ],
    });
  });
});

describe('timestamps', () => {
  const TS = 1_704_067_200_000_000_000n;
  it.each([
    ['1704067200', '', TS],
    ['1704067200000', '', TS],
    ['1704067200000000', '', TS],
    ['1704067200000000000', '', TS],
    ['9223372036', '', 9_223_372_036_000_000_000n],
    ['10000000000', '', 10_000_000_000_000_000n],
    ['9223372036854', '', 9_223_372_036_854_000_000n],
    ['10000000000000', '', 10_000_000_000_000_000n],
    ['9223372036854775', '', 9_223_372_036_854_775_000n],
    ['10000000000000000', '', 10_000_000_000_000_000n],
    ['9223372036854775807', '', 9_223_372_036_854_775_807n],
    ['1', '', 1_000_000_000n],
    ['1', 'n', 1n],
    ['1', 'ns', 1n],
    ['1', 'u', 1_000n],
    ['1', 'us', 1_000n],
    ['1', 'ms', 1_000_000n],
    ['1', 's', 1_000_000_000n],
    ['1704067200000000000', 'n', TS],
    ['1704067200000000', 'u', TS],
    ['1704067200000', 'ms', TS],
    ['1704067200', 's', TS],
    ['9223372036854775807', 'n', 9223372036854775807n],
    ['9223372036854775', 'u', 9223372036854775000n],
    ['9223372036854', 'ms', 9223372036854000000n],
    ['9223372036', 's', 9223372036000000000n],
    ['9223372036', '', 9223372036000000000n],
    ['4294967295', 'n', 4294967295n],
    ['4294967296', 'n', 4294967296n],
  ])('%s with precision %j', (ts, precision, want) => {
    expectForwarded(`m f=1i ${ts}`, { precision });
    const r = forwardLineProtocol(bytes(`m f=1i ${ts}`), options('protobuf', { precision }))!;
    expect(decodeBody(r.bytes, 'application/protobuf', { category: 'logging' }).points[0]!.time).toBe(want);
  });

  it('gives lines without a timestamp, or with 0, the receive time', () => {
    expectForwarded('m f=1i\nm f=2i 0\nm f=3i');
    for (const enc of ENCODINGS) {
      const r = forwardLineProtocol(bytes('m f=1i\nm f=2i 0'), options(enc, { nowNs: 123n }))!;
      const pts = decodeOutput(r.bytes, enc);
      expect(pts.map((p) => p.time_ns)).toEqual(['123', '123']);
    }
  });

  it.each([
    ['9223372036854775808', 'n'],
    ['99999999999999999999', 'n'],
    ['9223372036854776', 'u'],
    ['9223372036855', 'ms'],
    ['9223372037', 's'],
    ['9999999999', ''],
    ['9223372037', ''],
    ['9999999999999', ''],
    ['9223372036855', ''],
    ['9999999999999999', ''],
    ['9223372036854776', ''],
    ['9223372036854775808', ''],
    ['00', 'n'],
    ['01', 'n'],
    ['-1', 'n'],
    ['-', 'n'],
    ['1.5', 'n'],
    ['12a', 'n'],
    ['1 2', 'n'],
    ['1', 'm'],
    ['1', 'h'],
    ['1', 'x'],
    ['1', 'N'],
  ])('declines %s with precision %j', (ts, precision) => {
    expectDeclined(`m f=1i ${ts}`, { precision });
  });

  it('declines unknown precisions even without timestamps', () => {
    expectDeclined('m f=1i', { precision: 'm' });
    expectDeclined('m f=1i', { precision: 'bogus' });
  });
});

describe('options', () => {
  it.each([
    ['a tag the lines lack', [['host', 'h1']]],
    [
      'several tags in order',
      [
        ['host', 'h1'],
        ['zone', 'z'],
      ],
    ],
    [
      'values that need escaping in LP',
      [
        ['host', 'a,b=c d'],
        ['k=1', 'x y'],
      ],
    ],
    ['UTF-8', [['城市', '上海']]],
    ['a tag some lines have', [['t', 'added']]],
  ] as [string, [string, string][]][])('adds %s', (_name, addTags) => {
    expectForwarded('m f=1i 1\nm,t=own f=2i 2\nn,host=mine,t=x g="s" 3', { addTags });
  });

  it('keeps a line tag over an added tag of the same key', () => {
    const r = forwardLineProtocol(
      bytes('m,host=mine f=1i 1'),
      options('protobuf', { addTags: [['host', 'x']] }),
    )!;
    expect(decodeOutput(r.bytes, 'protobuf')[0]!.tags).toEqual({ host: 'mine' });
  });

  it.each([
    ['an added tag named like a field', [['f', 'x']], 'm f=1i'],
    ['an added tag named status', [['status', 'x']], 'm f=1i'],
    ['an empty added key', [['', 'x']], 'm f=1i'],
    ['an empty added value', [['k', '']], 'm f=1i'],
    ['a dot in an added key', [['a.b', 'x']], 'm f=1i'],
    ['a backslash in an added value', [['k', 'a\\']], 'm f=1i'],
    ['a quote in an added key', [['k"', 'x']], 'm f=1i'],
    ['a newline in an added value', [['k', 'a\nb']], 'm f=1i'],
    ['an added key of 257 bytes', [['k'.repeat(257), 'x']], 'm f=1i'],
    ['an added value of 1025 bytes', [['k', 'v'.repeat(1025)]], 'm f=1i'],
    ['a lone surrogate', [['k', '\ud800']], 'm f=1i'],
    [
      'a repeated added key',
      [
        ['k', 'a'],
        ['k', 'b'],
      ],
      'm f=1i',
    ],
    ['too many added tags', Array.from({ length: 193 }, (_, i) => [`k${i}`, 'v']), 'm f=1i'],
  ] as [string, [string, string][], string][])('declines %s', (_name, addTags, body) => {
    expectDeclined(body, { addTags });
  });

  it('forwards with the largest allowed added tags', () => {
    expectForwarded('m f=1i', { addTags: [['k'.repeat(256), 'v'.repeat(1024)]] });
    expectForwarded(`m,${Array.from({ length: 64 }, (_, i) => `t${i}=v`).join(',')} f=1i`, {
      addTags: Array.from({ length: 192 }, (_, i) => [`k${i}`, 'v'] as [string, string]),
    });
  });

  it('re-prepares the added tags when their content changes', () => {
    const tags: [string, string][] = [['host', 'a']];
    const first = forwardLineProtocol(bytes('m f=1i 1'), options('lp', { addTags: tags }))!;
    tags[0] = ['host', 'b'];
    const second = forwardLineProtocol(bytes('m f=1i 1'), options('lp', { addTags: tags }))!;
    expect(first.bytes.toString()).toBe('m,host=a f=1i 1\n');
    expect(second.bytes.toString()).toBe('m,host=b f=1i 1\n');
  });

  it.each([0n, -1n, 2n ** 63n])('declines a receive time of %s', (nowNs) => {
    expectDeclined('m f=1i 1', { nowNs });
  });

  it('declines an unknown encoding', () => {
    const o = { ...options('lp'), encoding: 'json' } as unknown as ForwardOptions;
    expect(forwardLineProtocol(bytes('m f=1i'), o)).toBeNull();
  });

  it('asks accept() once per run of equal measurements, with the decoded name', () => {
    const seen: string[] = [];
    const accept = (m: string) => {
      seen.push(m);
      return true;
    };
    expectForwarded('城市 f=1i\n城市 f=2i\nm f=1i\n城市 f=3i\nmm f=1i', { accept });
    expect(seen.slice(0, 4)).toEqual(['城市', 'm', '城市', 'mm']);
  });

  it('declines the body when accept() says no to one measurement', () => {
    const accept = (m: string) => m !== 'remote';
    expectDeclined('local f=1i\nlocal f=2i\nremote f=3i\nlocal f=4i', { accept });
    expectForwarded('local f=1i\nlocal f=2i', { accept });
  });

  it('declines a nested call from accept() and still finishes the outer one', () => {
    let inner: unknown = 'not called';
    const accept = () => {
      inner = forwardLineProtocol(bytes('x f=1i'), options('lp'));
      return true;
    };
    const r = forwardLineProtocol(bytes('m f=1i 1'), options('protobuf', { accept }));
    expect(inner).toBeNull();
    expect(r?.count).toBe(1);
    expectForwarded('m f=1i 1');
  });

  it('recovers after accept() throws', () => {
    const accept = () => {
      throw new Error('boom');
    };
    expect(() => forwardLineProtocol(bytes('m f=1i'), options('lp', { accept }))).toThrow('boom');
    expectForwarded('m f=1i 1');
  });
});

/** Bodies the ordinary decoder rejects (from lp-decode.test.ts): never forwarded. */
const ERROR_BODIES = [
  'm',
  'm ',
  'm\nn f=1i',
  ',t=1 f=1',
  'm,=v f=1',
  'm, f=1',
  'm,t f=1',
  'm,t,u=1 f=1',
  'm,t',
  'm,t= f=1',
  'm,t=,u=1 f=1',
  'm,t=v',
  'm,t=a=b f=1',
  'm,t=a,t=b f=1',
  'm =1',
  'm f=1,',
  'm f=1,,g=2',
  'm f=1, g=2',
  'm f',
  'm f g=1',
  'm f,g=1',
  'm f=',
  'm f=\n',
  'm f=,g=1',
  'm f= 1',
  'm f=1x',
  'm f=1.2.3',
  'm f=1e',
  'm f=1e+',
  'm f=1.5i',
  'm f=1e3u',
  'm f=1i2',
  'm f=-',
  'm f=.',
  'm f=-i',
  'm f=9223372036854775808i',
  'm f=-9223372036854775809i',
  'm f=18446744073709551616u',
  'm f=-1u',
  'm f=1e999',
  'm f=-1e999',
  'm f=NaN',
  'm f=+1',
  'm f=inf',
  'm f=tru',
  'm f=truE',
  'm f=tx',
  'm f="abc',
  'm f="abc\\"',
  'm f="a"x',
  'm f="a""',
  'm f="YQ=="bx',
  'm f="@@@@"b',
  'm f="YQ"b',
  'm f=[1i,2.5]',
  'm f=["a",1i]',
  'm f=[1i,',
  'm f=[1i',
  'm f=["a"',
  'm f=[true',
  'm f=[1i,]',
  'm f=[,1i]',
  'm f=[[1i]]',
  'm f=[1i]x',
  'm f=[1i, 2i]',
  'm f=[1i 2i]',
  'm f=[true ]',
  'm f=[1x]',
  'm f=[NaN]',
  'm f=1i 12a',
  'm f=1i -',
  'm f=1i 1.5',
  'm f=1i 1\t',
  'm f=1i 1 2',
  'm f=1i 99999999999999999999',
  'm f=1i 9223372036854775808',
  'm f=1i 1\r\nn f=2i 2',
  'm f="x"\r\n',
  'm f=1i\r',
  'good f=1i 1\nthis is not lp\n\n  bad f=x 2\ngood2 f=2i 2',
  'm f="abc\nm g=1i\nm h=2i',
  `${'m'.repeat(70000)} f=1i 1`,
  '',
];

describe('bodies the ordinary decoder rejects', () => {
  it.each(ERROR_BODIES.map((b) => [JSON.stringify(b).slice(0, 60), b]))('%s', (_name, body) => {
    const r = decodeBody(bytes(body), undefined, { category: 'logging', precision: 'n', now: NOW });
    expect(r.errors.length).toBeGreaterThan(0);
    expectDeclined(body);
    expectDeclined(body, { precision: '' });
  });
});

describe.skipIf(SHARED_DIR === null)(
  `shared inputs ${SHARED_DIR === null ? SHARED_MISSING_REASON : ''}`,
  () => {
    interface DecodeVector {
      id: string;
      content_type: string;
      precision: string;
      now_ns: string;
      body_file: string;
    }

    it('forwards the nginx bench body with an added host tag', () => {
      const body = readFileSync(sharedPath('bench', 'codec', 'nginx1000.lp'));
      expectForwarded(new Uint8Array(body), { precision: '', addTags: [['host', 'bench']] });
      expectForwarded(new Uint8Array(body), { precision: '', addTags: [['zone', 'z1']] });
    });

    it('declines or forwards exactly every line-protocol conformance body', () => {
      const vectors = readFileSync(sharedPath('conformance', 'codec', 'decode.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as DecodeVector)
        .filter((v) => !v.content_type.includes('json') && !v.content_type.includes('protobuf'));
      expect(vectors.length).toBeGreaterThan(20);
      let forwarded = 0;
      for (const v of vectors) {
        const body = new Uint8Array(readFileSync(sharedPath('conformance', 'codec', v.body_file)));
        const precision = v.precision;
        const o: Opts = { precision };
        const ordinary = decodeBody(body, undefined, { category: 'logging', precision, now: NOW });
        const clean = ordinary.errors.length === 0 && ordinary.points.every((p) => p.warns === null);
        for (const enc of ENCODINGS) {
          const r = forwardLineProtocol(body, options(enc, o));
          if (r === null) continue;
          expect(clean, v.id).toBe(true);
          expect(decodeOutput(r.bytes, enc), v.id).toEqual(typed(ordinary.points));
          forwarded++;
        }
      }
      expect(forwarded).toBeGreaterThan(0);
    });
  },
);
