/**
 * Line-protocol decoding: every value kind and escape rule, whitespace and
 * comments, timestamps, and each error reason with its line and offset.
 */
import { describe, expect, it } from 'vitest';
import type { Category } from '../../../src/point/category.js';
import type { DecodeOptions } from '../../../src/point/codec/errors.js';
import { decodeLineProtocol, summarizeLineErrors } from '../../../src/point/codec/line-protocol.js';
import type { FieldValue } from '../../../src/point/value.js';
import { UInt } from '../../../src/point/value.js';

const NOW = 1_717_200_000_000_000_000n;
const TS = 1_704_067_200_000_000_000n;

function decode(body: string, opts: Partial<DecodeOptions> = {}) {
  return decodeLineProtocol(body, { category: 'network' as Category, now: NOW, ...opts });
}

/** The single point of a one-line body, failing loudly on errors. */
function one(body: string, opts: Partial<DecodeOptions> = {}) {
  const r = decode(body, opts);
  expect(r.errors).toEqual([]);
  expect(r.points).toHaveLength(1);
  return r.points[0]!;
}

function field(body: string): FieldValue | undefined {
  return one(body).fields.get('f');
}

describe('values', () => {
  it.each([
    ['f=42i', 42n],
    ['f=-42i', -42n],
    ['f=0001i', 1n],
    ['f=-0i', 0n],
    ['f=123456789012345i', 123456789012345n],
    ['f=1234567890123456i', 1234567890123456n],
    ['f=9223372036854775807i', 9223372036854775807n],
    ['f=-9223372036854775808i', -9223372036854775808n],
    ['f=true', true],
    ['f=t', true],
    ['f=T', true],
    ['f=True', true],
    ['f=TRUE', true],
    ['f=false', false],
    ['f=f', false],
    ['f=F', false],
    ['f=False', false],
    ['f=FALSE', false],
    ['f=3', 3],
    ['f=3.14', 3.14],
    ['f=1e10', 1e10],
    ['f=1.5E-3', 0.0015],
    ['f=1E+2', 100],
    ['f=.5', 0.5],
    ['f=-.5', -0.5],
    ['f=1.', 1],
    ['f=00012.5', 12.5],
    ['f=123456789012345678', 123456789012345680],
    ['f=1e-400', 0],
    ['f=""', ''],
    ['f="hello world"', 'hello world'],
    ['f="a,b=c d"', 'a,b=c d'],
    ['f="say \\"hi\\""', 'say "hi"'],
    ['f="back\\\\slash"', 'back\\slash'],
    ['f="\\\\"', '\\'],
    ['f="a\\\\\\\\"', 'a\\\\'],
    ['f="keep \\n and \\t"', 'keep \\n and \\t'],
    ['f="line one\nline two\n\ttabbed"', 'line one\nline two\n\ttabbed'],
    ['f="日志 🚀 ok"', '日志 🚀 ok'],
    ['f="[not an array]"', '[not an array]'],
  ])('%s', (text, want) => {
    expect(field(`m ${text} 1`)).toEqual(want);
  });

  it('keeps the sign of -0.0 (Go ParseFloat does)', () => {
    expect(Object.is(field('m f=-0.0 1'), -0)).toBe(true);
  });

  it('reads uint64 up to its maximum', () => {
    expect(field('m f=18446744073709551615u 1')).toEqual(new UInt(18446744073709551615n));
    expect(field('m f=0u 1')).toEqual(new UInt(0n));
    expect(field('m f=12u 1')).toEqual(new UInt(12n));
  });

  it('reads base64 bytes, tolerating CR/LF inside like Go', () => {
    expect(field('m f="aGVsbG8="b 1')).toEqual(new Uint8Array(Buffer.from('hello')));
    expect(field('m f="aGVs\nbG8="b 1')).toEqual(new Uint8Array(Buffer.from('hello')));
    expect(field('m f=""b 1')).toEqual(new Uint8Array(0));
  });

  it.each([
    ['f=[1i,2i,3i]', [1n, 2n, 3n]],
    ['f=[1u,2u]', [new UInt(1n), new UInt(2n)]],
    ['f=[1.5,2]', [1.5, 2]],
    ['f=[true,F]', [true, false]],
    ['f=["a,b","c]",""]', ['a,b', 'c]', '']],
    ['f=["aGk="b]', [new Uint8Array([104, 105])]],
    ['f=[]', []],
  ])('array %s', (text, want) => {
    expect(field(`m ${text} 1`)).toEqual(want);
  });

  it('keeps the last of repeated field keys', () => {
    expect(one('m f=1i,f=2i 1').fields.get('f')).toBe(2n);
  });
});

describe('names, tags and escapes', () => {
  it.each([
    ['my\\ meas\\,x', 'my meas,x'],
    ['a\\=b', 'a=b'],
    ['a\\"b', 'a"b'],
    ['a\\\\b', 'a\\\\b'],
    ['a\\\\,b', 'a\\,b'], // the comma is escaped by the backslash right before it
    ['a=b"c', 'a=b"c'],
    ['城市', '城市'],
  ])('measurement %s', (raw, want) => {
    expect(one(`${raw} f=1i 1`).name).toBe(want);
  });

  it.each([
    ['tag\\ key=val\\,ue\\=x', 'tag key', 'val,ue=x'],
    ['t2=a\\\\b', 't2', 'a\\\\b'],
    ['t==x', 't', '=x'],
    ['t=a"b', 't', 'a"b'],
    ['k\\=k=v', 'k=k', 'v'],
  ])('tag %s', (raw, key, value) => {
    const pt = one(`m,${raw} f=1i 1`);
    expect([...pt.tags]).toEqual([[key, value]]);
  });

  it.each([
    ['a\\ b', 'a b'],
    ['a\\,b', 'a,b'],
    ['a\\=b', 'a=b'],
    ['a\\"b', 'a"b'],
    ['a"b', 'a"b'],
    ['a\\\\b', 'a\\b'],
    ['a\\\\\\\\b', 'a\\b'], // DataKit drops every backslash that precedes another
    ['a\\xb', 'a\\xb'],
    ['`bt`', '`bt`'],
  ])('field key %s', (raw, want) => {
    expect([...one(`m ${raw}=1i 1`).fields.keys()]).toEqual([want]);
  });

  it('keeps tag order as written and rejects nothing for unsorted tags', () => {
    expect([...one('m,z=1,a=2 f=1i 1').tags.keys()]).toEqual(['z', 'a']);
  });
});

describe('layout', () => {
  it('skips comments, blank and whitespace-only lines; accepts a trailing newline', () => {
    const r = decode('# comment\n\n   \n\t# indented comment\nc1 a=1i 1\n\n# another\nc2 a=2i 2\n');
    expect(r.errors).toEqual([]);
    expect(r.points.map((p) => p.name)).toEqual(['c1', 'c2']);
  });

  it('allows leading blanks and several blanks between sections', () => {
    const pt = one(' \t m,t=v   \tf=1i  \t 1704067200000000000   ');
    expect(pt.name).toBe('m');
    expect(pt.time).toBe(TS);
  });

  it('accepts bytes and strings alike', () => {
    const text = 'uni,城市=上海 消息="日志 🚀 ok" 1704067200000000000\nm f=1i 2';
    const a = decode(text);
    const b = decodeLineProtocol(new Uint8Array(Buffer.from(text)), { category: 'network', now: NOW });
    expect(b).toEqual(a);
  });

  it('applies the intake checks of the category', () => {
    const pt = one('dl,a.b=1 c.d=1i 1', { category: 'logging' });
    expect([...pt.tags.keys()]).toEqual(['a_b']);
    expect(pt.fields.get('status')).toBe('info');
  });
});

describe('timestamps', () => {
  it.each([
    ['1704067200', '', TS],
    ['1704067200000', '', TS],
    ['1704067200000000', '', TS],
    ['1704067200000000000', '', TS],
    // Beyond int64 the product wraps, as Go's multiplication in DataKit does.
    ['9999999999', '', BigInt.asIntN(64, 9999999999n * 1_000_000_000n)],
    ['10000000000', '', 10000000000n * 1_000_000n],
    ['1704067200000000000', 'n', TS],
    ['1704067200000000', 'u', TS],
    ['1704067200000', 'ms', TS],
    ['1704067200', 's', TS],
    ['28401120', 'm', TS],
    ['473352', 'h', TS],
    ['1704067200000000000', 'ns', TS],
    ['1704067200000000', 'us', TS],
    ['-5', 'n', -5n],
  ])('%s with precision %j', (ts, precision, want) => {
    expect(one(`m f=1i ${ts}`, { precision }).time).toBe(want);
  });

  it('gives points without a timestamp, or with 0, the receive time', () => {
    expect(one('m f=1i').time).toBe(NOW);
    expect(one('m f=1i ').time).toBe(NOW);
    expect(one('m f=1i 0').time).toBe(NOW);
  });

  it('defaults the receive time to the current time', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const r = decodeLineProtocol('m f=1i', { category: 'network' });
    expect(r.points[0]!.time >= before).toBe(true);
  });

  it('reuses nothing wrong across lines with equal leading digits', () => {
    const r = decode('m f=1i 1704067200000000001\nm f=1i 1704067200000000002\nm f=1i 1704067201000000002');
    expect(r.points.map((p) => p.time)).toEqual([
      1704067200000000001n,
      1704067200000000002n,
      1704067201000000002n,
    ]);
  });
});

describe('errors', () => {
  it.each([
    ['m', 'missing fields: the line ends after the measurement'],
    ['m ', 'missing fields'],
    ['m\nn f=1i', 'missing fields: the line ends after the measurement'],
    [',t=1 f=1', 'missing measurement before ","'],
    ['m,=v f=1', 'missing tag key after ","'],
    ['m, f=1', 'missing tag key after ","'],
    ['m,t f=1', 'missing "=" after tag key "t"'],
    ['m,t,u=1 f=1', 'missing "=" after tag key "t"'],
    ['m,t', 'missing "=" and value for tag key "t"'],
    ['m,t= f=1', 'missing value for tag "t", got " "'],
    ['m,t=,u=1 f=1', 'missing value for tag "t", got ","'],
    ['m,t=v', 'missing fields: the line ends after the tags'],
    ['m,t=a=b f=1', 'unescaped "=" in the value of tag "t"'],
    ['m,t=a,t=b f=1', 'duplicate tag key "t"'],
    ['m =1', 'missing field key before "="'],
    ['m f=1,', 'missing field key after ","'],
    ['m f=1,,g=2', 'missing field key after ","'],
    ['m f=1, g=2', 'missing field key after ","'],
    ['m f', 'missing "=" after field key "f"'],
    ['m f g=1', 'missing "=" after field key "f"'],
    ['m f,g=1', 'missing "=" after field key "f"'],
    ['m f=', 'missing value for field "f", got end of body'],
    ['m f=\n', 'missing value for field "f", got end of line'],
    ['m f=,g=1', 'missing value for field "f", got ","'],
    ['m f= 1', 'missing value for field "f", got " "'],
    ['m f=1x', 'invalid number "1x"'],
    ['m f=1.2.3', 'invalid number "1.2.3"'],
    ['m f=1e', 'exponent without digits'],
    ['m f=1e+', 'exponent without digits'],
    ['m f=1.5i', 'an integer has no point or exponent'],
    ['m f=1e3u', 'an integer has no point or exponent'],
    ['m f=1i2', 'invalid number "1i2"'],
    ['m f=-', 'invalid number "-"'],
    ['m f=.', 'invalid number "."'],
    ['m f=-i', 'invalid number "-i"'],
    ['m f=9223372036854775808i', 'integer "9223372036854775808i" overflows int64'],
    ['m f=-9223372036854775809i', 'overflows int64'],
    ['m f=18446744073709551616u', 'overflows uint64'],
    ['m f=-1u', 'cannot be negative'],
    ['m f=1e999', 'float "1e999" is out of range'],
    ['m f=-1e999', 'is out of range'],
    ['m f=NaN', 'invalid field value "NaN"'],
    ['m f=+1', 'invalid field value "+1"'],
    ['m f=inf', 'invalid field value "inf"'],
    ['m f=tru', 'invalid boolean "tru"'],
    ['m f=truE', 'invalid boolean "truE"'],
    ['m f=tx', 'invalid boolean "tx"'],
    ['m f="abc', 'unterminated string'],
    ['m f="abc\\"', 'unterminated string'],
    ['m f="a"x', 'unexpected "x" after string value'],
    ['m f="a""', 'unbalanced quotes after string value'],
    ['m f="YQ=="bx', 'unexpected "x" after bytes value'],
    ['m f="@@@@"b', 'invalid base64 in bytes value'],
    ['m f="YQ"b', 'invalid base64 in bytes value'],
    ['m f=[1i,2.5]', 'array elements must all be of one kind'],
    ['m f=["a",1i]', 'array elements must all be of one kind'],
    ['m f=[1i,', 'unterminated array'],
    ['m f=[1i', 'unterminated array'],
    ['m f=["a"', 'unterminated array'],
    ['m f=[true', 'unterminated array'],
    ['m f=[1i,]', 'missing array element, got "]"'],
    ['m f=[,1i]', 'missing array element, got ","'],
    ['m f=[[1i]]', 'nested arrays are not supported'],
    ['m f=[1i]x', 'unexpected "x" after array'],
    ['m f=[1i, 2i]', 'missing array element, got " "'],
    ['m f=[1i 2i]', 'unexpected " " after array element'],
    ['m f=[true ]', 'unexpected " " after boolean'],
    ['m f=[1x]', 'invalid number "1x"'],
    ['m f=[NaN]', 'invalid field value "NaN"'],
    ['m f=1i 12a', 'invalid timestamp "12a"'],
    ['m f=1i -', 'invalid timestamp "-"'],
    ['m f=1i 1.5', 'invalid timestamp "1.5"'],
    ['m f=1i 1\t', 'invalid timestamp "1\\t"'],
    ['m f=1i 1 2', 'unexpected "2" after the timestamp'],
    ['m f=1i 99999999999999999999', 'timestamp "99999999999999999999" overflows int64'],
    ['m f=1i 9223372036854775808', 'overflows int64'],
    ['m f=1i 1\r\nn f=2i 2', 'the line ends with "\\r": CRLF line endings are not supported'],
    ['m f="x"\r\n', 'the line ends with "\\r": CRLF line endings are not supported'],
    ['m f=1i\r', 'the line ends with "\\r": CRLF line endings are not supported'],
  ])('%j: %s', (body, reason) => {
    const r = decode(body);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0]!.code).toBe('datakit.invalidLinePoint');
    expect(r.errors[0]!.message).toContain(reason);
    expect(r.errors[0]!.line).toBe(1);
    expect(r.errors[0]!.offset).toBe(0);
  });

  it('reports an empty body', () => {
    expect(decode('')).toEqual({
      points: [],
      errors: [{ code: 'datakit.invalidLinePoint', message: 'empty body', offset: 0 }],
    });
    expect(decodeLineProtocol(new Uint8Array(0), { category: 'logging' }).errors[0]!.message).toBe(
      'empty body',
    );
  });

  it('gives each bad line its line number and byte offset, keeping the good lines', () => {
    const r = decode('good f=1i 1\nthis is not lp\n\n  bad f=x 2\ngood2 f=2i 2');
    expect(r.points.map((p) => p.name)).toEqual(['good', 'good2']);
    expect(r.errors.map((e) => [e.line, e.offset])).toEqual([
      [2, 12],
      [4, 28],
    ]);
    expect(r.errors[0]!.message).toBe('line 2 (offset 12): missing "=" after field key "is" (at offset 19)');
    expect(r.errors[1]!.message).toBe('line 4 (offset 28): invalid field value "x" (at offset 36)');
  });

  it('counts offsets in UTF-8 bytes and lines physically across multi-line strings', () => {
    const r = decode('ü f="a\nb" 1\nbad');
    expect(r.points).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 3, offset: 13 });
  });

  it('resumes after a bad line where DataKit would, so an open quote swallows the rest', () => {
    const r = decode('m f="abc\nm g=1i\nm h=2i');
    expect(r.points).toEqual([]);
    expect(r.errors).toHaveLength(1);
  });

  it('rejects series keys over 65535 bytes', () => {
    const r = decode(`${'m'.repeat(70000)} f=1i 1`);
    expect(r.errors[0]!.message).toContain('series key too long');
  });

  it('keeps error messages short whatever the token length', () => {
    const r = decode(`m,${'k'.repeat(5000)}= f=1i`);
    expect(r.errors[0]!.message.length).toBeLessThan(200);
  });
});

describe('summarizeLineErrors', () => {
  it('is empty without errors', () => {
    expect(summarizeLineErrors(decode('m f=1i'))).toBe('');
  });

  it('is the message alone for an empty body', () => {
    expect(summarizeLineErrors(decode(''))).toBe('empty body');
  });

  it('counts failed lines against all lines', () => {
    expect(summarizeLineErrors(decode('good a=1i 1\nthis is not lp\ngood2 a=2i 1'))).toBe(
      '1 of 3 lines failed: line 2 (offset 12): missing "=" after field key "is" (at offset 19)',
    );
  });

  it('lists at most maxListed errors', () => {
    const s = summarizeLineErrors(decode('a\nb\nc\nm f=1i'), 2);
    expect(s.startsWith('3 of 4 lines failed: line 1 (offset 0)')).toBe(true);
    expect(s).toContain('line 2 (offset 2)');
    expect(s).not.toContain('line 3');
    expect(s.endsWith('; and 1 more')).toBe(true);
  });
});
