/**
 * b64enc, b64dec, hash, decode, format_int, parse_int and
 * conv_traceid_w3c_to_dd as script calls: key vs value arguments, missing
 * keys, wrong types, compile-time argument checks and run errors.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { TypedValue } from '../../../src/point/typed-json.js';
import type { FieldValue } from '../../../src/point/value.js';
import { compileError, run } from './script-harness.js';

type Row = [src: string, fields: [string, FieldValue][], want: Record<string, TypedValue>];

function table(rows: Row[]): void {
  for (const [src, fields, want] of rows) {
    it(JSON.stringify(src), () => {
      const r = run(src, fields);
      expect(r.error).toBeUndefined();
      expect(r.fields).toEqual(want);
    });
  }
}

describe('b64enc / b64dec', () => {
  table([
    ['b64enc(s)', [['s', 'hello, world']], { s: { s: 'aGVsbG8sIHdvcmxk' } }],
    ['b64enc(`s`)', [['s', '你好']], { s: { s: '5L2g5aW9' } }],
    ['b64dec(s)', [['s', 'aGVsbG8sIHdvcmxk']], { s: { s: 'hello, world' } }],
    ['b64enc(s)', [['s', 12n]], { s: { i: '12' } }],
    ['b64enc(missing)', [], {}],
    ['s = "abc"\nb64enc(s)', [], { s: { s: 'YWJj' } }],
  ]);

  it('keeps a tag a tag', () => {
    const r = run('b64enc(t)', [], { tags: [['t', 'abc']] });
    expect(r.tags).toEqual({ t: 'YWJj' });
  });

  it('fails the run on bad base64, leaving the field', () => {
    const r = run('b64dec(s)', [['s', 'abc']]);
    expect(r.error).toMatch(/illegal base64/);
    expect(r.fields.s).toEqual({ s: 'abc' });
  });

  it.each([
    ['b64enc("s")', /expect Identifier/],
    ['b64dec(a.b)', /expect Identifier/],
    ['b64enc()', /missing required parameter/],
    ['b64enc(a, b)', /too many parameters/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('hash', () => {
  table([
    ['add_key(x, hash("abc", "md5"))', [], { x: { s: '900150983cd24fb0d6963f7d28e17f72' } }],
    [
      'add_key(x, hash(text="abc", method="sha1"))',
      [],
      { x: { s: 'a9993e364706816aba3e25717850c26c9cd0d89d' } },
    ],
    ['add_key(x, hash("abc", "crc"))', [], { x: { s: '' } }],
  ]);

  it('rejects literal arguments of the wrong kind at compile time', () => {
    expect(compileError('hash(1, "md5")')).toBe('unexpected data type');
    expect(compileError('hash("a", method=[1])')).toBe('unexpected data type');
    expect(compileError('hash("a")')).toMatch(/missing required parameter `method`/);
  });

  it('fails the run on a value of the wrong kind', () => {
    expect(run('x = 1\nadd_key(y, hash(x, "md5"))').error).toBe('unexpected data type');
  });
});

describe('decode', () => {
  const gbk = new Uint8Array(iconv.encode('你好', 'gbk'));
  const utf16 = new Uint8Array(iconv.encode('hi', 'utf16-le'));
  table([
    ['decode(s, "gbk")', [['s', gbk]], { s: { s: '你好' } }],
    ['decode(s, "\'gbk\'")', [['s', gbk]], { s: { s: '你好' } }],
    ['decode(s, "utf-16le")', [['s', utf16]], { s: { s: 'hi' } }],
    ['e = "gb18030"\ndecode(s, e)', [['s', gbk]], { s: { s: '你好' } }],
    // DataKit's table only knows the quoted spelling of utf-8
    ['decode(s, "utf-8")', [['s', 'x']], { s: { s: 'x' } }],
    ['decode(s, "latin1")', [['s', 'x']], { s: { s: 'x' } }],
    ['decode(missing, "gbk")', [], {}],
    ['decode(s, enc)', [['s', 'x']], { s: { s: 'x' } }],
  ]);

  it('checks the encoding argument kind', () => {
    expect(compileError('decode(s, 1)')).toMatch(/param encoding expect/);
    expect(compileError('decode(s)')).toMatch(/missing required parameter/);
  });
});

describe('format_int / parse_int', () => {
  table([
    ['add_key(x, format_int(255, 16))', [], { x: { s: 'ff' } }],
    ['add_key(x, format_int(-8, 2))', [], { x: { s: '-1000' } }],
    ['add_key(x, format_int("255", 16))', [], { x: { s: '' } }],
    ['add_key(x, format_int(255, 1.5))', [], { x: { s: '' } }],
    ['add_key(x, parse_int("ff", 16))', [], { x: { i: '255' } }],
    ['add_key(x, parse_int("0x1f", 0))', [], { x: { i: '31' } }],
    ['add_key(x, parse_int("zz", 10))', [], { x: { i: '0' } }],
    ['add_key(x, parse_int(12, 10))', [], { x: { i: '0' } }],
    ['add_key(x, parse_int(val="99999999999999999999", base=10))', [], { x: { i: '9223372036854775807' } }],
  ]);

  it('fails the run for a base outside 2..36', () => {
    expect(run('add_key(x, format_int(1, 40))').error).toMatch(/base/);
  });
});

describe('conv_traceid_w3c_to_dd', () => {
  table([
    [
      'conv_traceid_w3c_to_dd(t)',
      [['t', '18962fdd9eea517f2ae0771ea69d6e16']],
      { t: { s: '3089600317904219670' } },
    ],
    ['conv_traceid_w3c_to_dd(t)', [['t', '43820ddf56d9a654']], { t: { s: '4864465800399529556' } }],
    [
      'conv_traceid_w3c_to_dd(t)',
      [['t', '10f7cdb2b45447bcb43820ddf56d9a654']],
      { t: { s: '10f7cdb2b45447bcb43820ddf56d9a654' } },
    ],
    ['conv_traceid_w3c_to_dd(t)', [['t', 'zz820ddf56d9a654']], { t: { s: 'zz820ddf56d9a654' } }],
    ['conv_traceid_w3c_to_dd(t)', [['t', 7n]], { t: { i: '7' } }],
  ]);
});
