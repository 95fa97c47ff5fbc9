/**
 * Encoding functions: b64enc, b64dec, hash, decode, format_int, parse_int
 * and conv_traceid_w3c_to_dd. The algorithms live in `lib/`; this file
 * gives them DataKit's script shape — which arguments are keys (read from
 * and written back to the point) and which are values, what happens when
 * a key is missing or holds the wrong type, and what the call returns.
 */
import iconv from 'iconv-lite';
import { RunFault } from '../lang/errors.js';
import type { FuncDef } from '../lang/func-api.js';
import { conv2String } from '../lang/values.js';
import { expectKinds } from './arg-nodes.js';
import { b64dec as b64decode, b64enc as b64encode } from './lib/b64.js';
import { formatInt as formatIntBase } from './lib/format-int.js';
import { hash as hashText } from './lib/hash.js';
import { parseIntBase } from './lib/parse-int.js';
import { convTraceIdW3cToDd } from './lib/traceid.js';
import { defineFunc } from './registry.js';
import { typedArg } from './typed-args.js';

const IDENT_ONLY = ['Identifier'] as const;

export const b64enc = defineFunc({
  name: 'b64enc',
  params: [{ name: 'key' }],
  compile(call) {
    expectKinds(call, 0, IDENT_ONLY, 'param key');
    const key = call.key(0);
    const read = call.lookupKey(0);
    return (r) => {
      const v = read(r);
      if (typeof v === 'string') r.setKey(key, b64encode(v));
      return null;
    };
  },
});

export const b64dec = defineFunc({
  name: 'b64dec',
  params: [{ name: 'key' }],
  compile(call) {
    expectKinds(call, 0, IDENT_ONLY, 'param key');
    const key = call.key(0);
    const read = call.lookupKey(0);
    return (r) => {
      const v = read(r);
      if (typeof v !== 'string') return null;
      const out = b64decode(v);
      if (out instanceof Error) throw new RunFault(out.message);
      r.setKey(key, out);
      return null;
    };
  },
});

export const hash = defineFunc({
  name: 'hash',
  params: [{ name: 'text' }, { name: 'method' }],
  compile(call) {
    const text = typedArg(call, 0, 'str');
    const method = typedArg(call, 1, 'str');
    return (r) => hashText(text(r) as string, method(r) as string);
  },
});

/**
 * DataKit's decoder table, with its quirk kept: plain `utf-8` is not in it
 * (only the quoted spelling `'utf-8'`), so `decode(k, "utf-8")` does nothing.
 */
const DECODERS: Readonly<Record<string, string>> = {
  "'utf-8'": 'utf8',
  'utf-16le': 'utf16le',
  "'utf-16le'": 'utf16le',
  'utf-16be': 'utf16be',
  "'utf-16be'": 'utf16be',
  gbk: 'gbk',
  "'gbk'": 'gbk',
  gb18030: 'gb18030',
  "'gb18030'": 'gb18030',
};

export const decode = defineFunc({
  name: 'decode',
  params: [{ name: 'text' }, { name: 'encoding' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    expectKinds(call, 1, ['AttrExpr', 'Identifier', 'StringLiteral'], 'param encoding');
    const encNode = call.arg(1)!;
    const fixedEnc = encNode.type === 'StringLiteral' ? encNode.value : null;
    const readEnc = fixedEnc === null ? call.lookupKey(1) : null;
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      let enc = fixedEnc;
      if (readEnc !== null) {
        const e = readEnc(r);
        if (e === undefined) return null;
        enc = conv2String(e);
      }
      const codec = Object.hasOwn(DECODERS, enc!) ? DECODERS[enc!] : undefined;
      if (codec === undefined) return null;
      // Go strings are bytes: a bytes field keeps its raw bytes, text is its UTF-8.
      const raw = r.pt.fields.get(key);
      const bytes = raw instanceof Uint8Array ? raw : Buffer.from(conv2String(v), 'utf8');
      r.setKey(key, iconv.decode(Buffer.from(bytes), codec, { stripBOM: false }));
      return null;
    };
  },
});

export const formatIntFunc = defineFunc({
  name: 'format_int',
  params: [{ name: 'val' }, { name: 'base' }],
  compile(call) {
    const val = call.value(0);
    const base = call.value(1);
    return (r) => {
      const v = val(r);
      if (typeof v !== 'bigint') return '';
      const b = base(r);
      if (typeof b !== 'bigint') return '';
      const out = formatIntBase(v, b);
      if (out instanceof Error) throw new RunFault(out.message);
      return out;
    };
  },
});

export const parseIntFunc = defineFunc({
  name: 'parse_int',
  params: [{ name: 'val' }, { name: 'base' }],
  compile(call) {
    const val = call.value(0);
    const base = call.value(1);
    return (r) => {
      const v = val(r);
      if (typeof v !== 'string') return 0n;
      const b = base(r);
      if (typeof b !== 'bigint') return 0n;
      return parseIntBase(v, b);
    };
  },
});

export const convTraceidW3cToDd = defineFunc({
  name: 'conv_traceid_w3c_to_dd',
  params: [{ name: 'key' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    return (r) => {
      const v = read(r);
      if (typeof v !== 'string') return null;
      const out = convTraceIdW3cToDd(v);
      if (typeof out === 'string') r.setKey(key, out);
      return null;
    };
  },
});

export const ENCODING_FUNCS: readonly FuncDef[] = [
  b64enc,
  b64dec,
  hash,
  decode,
  formatIntFunc,
  parseIntFunc,
  convTraceidW3cToDd,
];
