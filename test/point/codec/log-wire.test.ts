import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeLogEntries,
  encodeLogSpans,
  entryTimeNs,
  type LogEntry,
  type LogShape,
  LogWireShape,
} from '../../../src/point/codec/log-wire.js';
import { encodeLineProtocol } from '../../../src/point/codec/lp-encode.js';
import { encodeProtobuf } from '../../../src/point/codec/pb-encode.js';
import { Point } from '../../../src/point/point.js';

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (Buffer.compare(a, b) === 0) return -1;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** One read's entries as the byte road numbers them: counter and time step by one per message. */
function runEntries(shape: LogShape, messages: string[], counter: number, base: bigint): LogEntry[] {
  return messages.map((m, i) => ({
    message: m,
    ints: shape.intKeys.length === 1 ? [counter + i] : [],
    timeNs: base,
    plusUs: i,
  }));
}

/** The points the ordinary road would build for the same entries. */
function points(shape: LogShape, entries: LogEntry[]): Point[] {
  return entries.map((e) => {
    const fields = new Map<string, string | bigint>(shape.constFields);
    fields.set(shape.messageKey, e.message);
    for (let i = 0; i < shape.intKeys.length; i++) fields.set(shape.intKeys[i]!, BigInt(e.ints[i]!));
    return new Point(shape.name, new Map(shape.tags), fields, entryTimeNs(e));
  });
}

const fileShape: LogShape = {
  name: 'nginx',
  tags: new Map([
    ['service', 'web'],
    ['host', 'h1'],
    ['status', 'info'],
  ]),
  constFields: new Map([['filepath', '/var/log/nginx/access.log']]),
  messageKey: 'message',
  intKeys: ['log_read_lines'],
};

const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);
const text = fc.string({ unit: 'grapheme', maxLength: 300 });
const shapeArb: fc.Arbitrary<LogShape> = fc
  .record({
    name: key,
    tags: fc.dictionary(
      key,
      fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\n\\]/.test(s)),
      {
        maxKeys: 5,
      },
    ),
    consts: fc.dictionary(key, text, { maxKeys: 3 }),
    ints: fc.uniqueArray(key, { maxLength: 2 }),
  })
  .map(({ name, tags, consts, ints }) => {
    const constFields = new Map(Object.entries(consts));
    const tagMap = new Map(Object.entries(tags));
    const intKeys = ints.filter((k) => k !== 'message' && !constFields.has(k) && !tagMap.has(k));
    constFields.delete('message');
    for (const k of tagMap.keys()) constFields.delete(k);
    tagMap.delete('message');
    return { name, tags: tagMap, constFields, messageKey: 'message', intKeys };
  });

describe('log-wire: log messages to offload wire bytes', () => {
  it('writes what the ordinary encoders write (file points)', () => {
    const entries: LogEntry[] = [
      { message: 'GET / 200', ints: [1], timeNs: 1_700_000_000_123_456_789n, plusUs: 0 },
      { message: 'quote " and \\ and ü 中文 😀', ints: [2], timeNs: 1_700_000_000_123_456_789n, plusUs: 1 },
      // The step carries past the base's last nine digits, and past 32 bits.
      { message: 'carry', ints: [3], timeNs: 1_700_000_000_999_999_999n, plusUs: 2 ** 31 - 1 },
      { message: 'x'.repeat(5000), ints: [300], timeNs: 1n, plusUs: 0 },
      { message: 'small base', ints: [4], timeNs: 7n, plusUs: 5 },
      { message: '', ints: [2 ** 40], timeNs: 0n, plusUs: 0 },
    ];
    const s = new LogWireShape(fileShape);
    const shapes = entries.map(() => s);
    const pts = points(fileShape, entries);
    expect(encodeLogEntries('protobuf', shapes, entries).bytes).toEqual(Buffer.from(encodeProtobuf(pts)));
    expect(encodeLogEntries('lp', shapes, entries).bytes.toString()).toBe(`${encodeLineProtocol(pts)}\n`);
  });

  it('ends mark each point so any run of them is a valid body', () => {
    const entries: LogEntry[] = [
      { message: 'a', ints: [1], timeNs: 5n, plusUs: 0 },
      { message: 'bb', ints: [2], timeNs: 6n, plusUs: 0 },
    ];
    const s = new LogWireShape(fileShape);
    const out = encodeLogEntries('protobuf', [s, s], entries);
    expect(out.count).toBe(2);
    expect(out.bytes.subarray(out.ends[0]!, out.ends[1]!)).toEqual(
      Buffer.from(encodeProtobuf(points(fileShape, [entries[1]!]))),
    );
  });

  it('matches the ordinary encoders for any shape and messages', () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.array(
          fc.record({
            message: text,
            i: fc.array(fc.integer({ min: 0, max: 2 ** 50 }), { minLength: 2, maxLength: 2 }),
            t: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n - 2n ** 41n }),
            // Entries of one read share a base: exercise the shared-base path too.
            sameBase: fc.boolean(),
            plusUs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 31 - 1 })),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (shape, raw) => {
          const entries: LogEntry[] = raw.map((r) => ({
            message: r.message,
            ints: r.i.slice(0, shape.intKeys.length),
            timeNs: r.sameBase ? raw[0]!.t : r.t,
            plusUs: r.plusUs,
          }));
          const s = new LogWireShape(shape);
          const shapes = entries.map(() => s);
          const pts = points(shape, entries);
          expect(encodeLogEntries('protobuf', shapes, entries).bytes).toEqual(
            Buffer.from(encodeProtobuf(pts)),
          );
          expect(encodeLogEntries('lp', shapes, entries).bytes.toString()).toBe(
            `${encodeLineProtocol(pts)}\n`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes byte spans of an arena as it writes the same messages as strings, growing the arena when short', () => {
    fc.assert(
      fc.property(
        shapeArb.filter((sh) => sh.intKeys.length <= 1),
        fc.array(text, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.bigInt({ min: 0n, max: 2n ** 62n }),
        fc.integer({ min: 0, max: 64 }),
        (shape, messages, counter, base, gap) => {
          // The messages back to back in the arena, `gap` junk bytes between them; the arena starts small.
          const chunks: Buffer[] = [];
          const starts = new Uint32Array(messages.length);
          const ends = new Uint32Array(messages.length);
          let at = 0;
          messages.forEach((m, i) => {
            chunks.push(Buffer.alloc(gap, 0x22));
            at += gap;
            const b = Buffer.from(m, 'utf8');
            chunks.push(b);
            starts[i] = at;
            at += b.length;
            ends[i] = at;
          });
          const src = Buffer.concat(chunks);
          const entries = runEntries(shape, messages, counter, base);
          const s = new LogWireShape(shape);
          for (const enc of ['protobuf', 'lp'] as const) {
            const arena = { buf: Buffer.concat([src, Buffer.alloc(3)]) };
            const out = encodeLogSpans(
              enc,
              s,
              arena,
              src.length,
              starts,
              ends,
              messages.length,
              counter,
              base,
            );
            const want = encodeLogEntries(
              enc,
              entries.map(() => s),
              entries,
            );
            expect(out.bytes).toEqual(Buffer.from(want.bytes));
            expect([...out.ends]).toEqual([...want.ends]);
            // The source bytes survive the arena growing.
            expect(arena.buf.subarray(0, src.length)).toEqual(src);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes long runs of spans as the general writer does, across every varint size change', () => {
    // The run writer copies each point from the one before and writes the values that differ;
    // a varint changing size (counter past 127 or 16383, a message past 127 or 16383 bytes, the
    // time's low half wrapping) makes it write that point whole. Keys are drawn so the counter and
    // constant fields land before and after the message.
    const lenArb = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 20 }) },
      { weight: 6, arbitrary: fc.integer({ min: 100, max: 140 }) },
      { weight: 1, arbitrary: fc.integer({ min: 16_370, max: 16_400 }) },
    );
    fc.assert(
      fc.property(
        shapeArb.filter((sh) => sh.intKeys.length <= 1),
        fc.array(lenArb, { minLength: 1, maxLength: 40 }),
        fc.oneof(
          fc.constantFrom(0, 100, 16_350, 2 ** 21 - 30, 2 ** 28 - 30, 2 ** 31 - 70),
          fc.integer({ min: 0, max: 2 ** 31 - 70 }),
        ),
        fc.oneof(
          fc.constantFrom(0n, 1n, 2n ** 32n - 20_000n, 1_700_000_000_000_000_000n - 9_000n),
          fc.bigInt({ min: 0n, max: 2n ** 62n }),
        ),
        (shape, lens, counter, base) => {
          const messages = lens.map((n, i) => String.fromCharCode(97 + (i % 26)).repeat(n));
          const src = Buffer.from(messages.join(''));
          const starts = new Uint32Array(messages.length);
          const ends = new Uint32Array(messages.length);
          let at = 0;
          lens.forEach((n, i) => {
            starts[i] = at;
            at += n;
            ends[i] = at;
          });
          const entries = runEntries(shape, messages, counter, base);
          const s = new LogWireShape(shape);
          const arena = { buf: Buffer.concat([src, Buffer.alloc(3)]) };
          const out = encodeLogSpans(
            'protobuf',
            s,
            arena,
            src.length,
            starts,
            ends,
            lens.length,
            counter,
            base,
          );
          // The ordinary encoder is the reference (encodeLogEntries uses the run writer too).
          const want = Buffer.from(encodeProtobuf(points(shape, entries)));
          // Compared natively: deep equality of ~1 MB buffers is slow. The offset makes a failure readable.
          expect(firstDifference(out.bytes, want)).toBe(-1);
          expect([...out.ends]).toEqual(pointEnds(points(shape, entries)));
          expect(
            firstDifference(
              encodeLogEntries(
                'protobuf',
                entries.map(() => s),
                entries,
              ).bytes,
              want,
            ),
          ).toBe(-1);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('writes message-road entries in runs where it can, the same bytes as the ordinary encoder', () => {
    // Blocks of entries as reads of files give them (counter and time step by one), broken where
    // the counter jumps or leaves [0, 2^31), the time base changes, a µs is skipped or the shape
    // changes; messages of every UTF-8 width, lone surrogates included.
    const msgArb = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.integer({ min: 120, max: 140 }).map((n) => 'é'.repeat(n >> 1)),
      fc.constantFrom('', 'a', '\ud800', 'x\udfffy', '🚀🚀'),
    );
    // Each block may carry on from the one before in some ways and not others, so a run is broken by
    // one thing at a time: the shape, the counter, the time base, or the µs.
    const blockArb = fc.record({
      shape: fc.nat(2),
      sameShape: fc.boolean(),
      messages: fc.array(msgArb, { minLength: 1, maxLength: 12 }),
      counter: fc.option(
        fc.oneof(
          fc.constantFrom(0, 120, 16_380, 2 ** 31 - 5, 2 ** 31, -3),
          fc.integer({ min: -10, max: 2 ** 40 }),
        ),
      ),
      base: fc.option(fc.oneof(fc.constantFrom(0n, 999n), fc.bigInt({ min: 0n, max: 2n ** 62n }))),
      plusFrom: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 20 }))),
    });
    fc.assert(
      fc.property(
        fc.tuple(shapeArb, shapeArb, shapeArb),
        fc.array(blockArb, { minLength: 1, maxLength: 6 }),
        (shapeDefs, blocks) => {
          const wires = shapeDefs.map((d) => new LogWireShape(d));
          const shapes: LogWireShape[] = [];
          const entries: LogEntry[] = [];
          const pts: Point[] = [];
          // null: carry on from the previous block.
          let shape = 0;
          let counter = 0;
          let base = 0n;
          let plus = 0;
          for (const b of blocks) {
            if (!b.sameShape) shape = b.shape;
            if (b.counter !== null) counter = b.counter;
            if (b.base !== null) base = b.base;
            if (b.plusFrom !== null) plus = b.plusFrom;
            const def = shapeDefs[shape]!;
            for (const m of b.messages) {
              const e: LogEntry = {
                message: m,
                ints: def.intKeys.map((_, k) => counter + k),
                timeNs: base,
                plusUs: plus,
              };
              counter++;
              plus++;
              shapes.push(wires[shape]!);
              entries.push(e);
              pts.push(points(def, [e])[0]!);
            }
          }
          const out = encodeLogEntries('protobuf', shapes, entries);
          const want = Buffer.from(encodeProtobuf(pts));
          expect(firstDifference(out.bytes, want)).toBe(-1);
          expect([...out.ends]).toEqual(pointEnds(pts));
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** Where each point ends in the ordinary encoder's body. */
function pointEnds(pts: Point[]): number[] {
  const ends: number[] = [];
  let at = 0;
  for (const p of pts) {
    at += encodeProtobuf([p]).length;
    ends.push(at);
  }
  return ends;
}
