/**
 * The logging input's two offload roads on the same read: 256 KiB of nginx
 * lines (shared/bench/pipeline/heavy.in, each with its own id).
 * - message road: LineReader + Multiline (joining off) make a string per
 *   line, then `encodeLogEntries` writes the protobuf from the strings;
 * - byte road: `scanRawLines` finds and trims the lines in the read buffer,
 *   `encodeLogSpans` copies them from there (raw-lines.ts, log-wire.ts).
 * Prints one JSON line, in ns per line. In isolation the byte road costs
 * about a sixth of the message road (~235 vs ~1,400 ns on a slow day here;
 * it was half before its writer copied each point's head from the point
 * before, log-wire-spans.ts); in the agent it saves more, as the message
 * road's strings and items also lived long enough to be promoted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineReader } from '../../src/inputs/logging/line-reader.js';
import { Multiline } from '../../src/inputs/logging/multiline.js';
import { RawLines, scanRawLines } from '../../src/inputs/logging/raw-lines.js';
import {
  encodeLogEntries,
  encodeLogSpans,
  type LogEntry,
  LogWireShape,
} from '../../src/point/codec/log-wire.js';
import { bestRate, sharedDir } from '../support.js';

const text = readFileSync(join(sharedDir(), 'bench', 'pipeline', 'heavy.in'), 'utf8').replace(/\n$/, '');
const [head, tail] = text.split('id=8812');
const lines: string[] = [];
for (let size = 0, i = 0; size < 256 * 1024 - 400; i++) {
  const l = `${head}id=${10_000_000 + i}${tail}\n`;
  lines.push(l);
  size += Buffer.byteLength(l);
}
const chunk = Buffer.from(lines.join(''));
const n = lines.length;
const shape = new LogWireShape({
  name: 'nginx',
  tags: new Map([
    ['host', 'bench-host'],
    ['service', 'nginx'],
    ['status', 'info'],
  ]),
  constFields: new Map([['filepath', '/var/log/nginx/access.log']]),
  messageKey: 'message',
  intKeys: ['log_read_lines'],
});
const base = 1_717_200_000_000_000_000n;
const ml = Multiline.create({ match: '', auto: false, extraPatterns: [] }) as Multiline;

function messageRoad(): number {
  const reader = new LineReader({ encoding: 'utf-8', maxLineBytes: 32 * 1024, removeAnsi: false }, 0);
  const entries: LogEntry[] = [];
  for (const line of reader.push(chunk)) {
    const m = ml.push(line, 0);
    if (m !== null)
      entries.push({ message: m.text, ints: [entries.length + 1], timeNs: base, plusUs: entries.length });
  }
  const shapes = entries.map(() => shape);
  return encodeLogEntries('protobuf', shapes, entries).bytes.length;
}

const raw = new RawLines(Buffer.allocUnsafeSlow(2 << 20));
function byteRoad(): number {
  chunk.copy(raw.buf);
  if (!scanRawLines(raw, chunk.length, 0, 32 * 1024)) throw new Error('byte road declined the bench input');
  return encodeLogSpans('protobuf', shape, raw, raw.consumed, raw.starts, raw.ends, raw.count, 1, base).bytes
    .length;
}

if (messageRoad() !== byteRoad()) throw new Error('the roads wrote different bytes');
const nsPerLine = (rate: number) => Math.round((1e9 / rate) * 10) / 10;
const msg = nsPerLine(bestRate(messageRoad, n));
const bytes = nsPerLine(bestRate(byteRoad, n));
console.log(
  JSON.stringify({
    bench: 'log-wire',
    lines_per_read: n,
    message_road_ns_per_line: msg,
    byte_road_ns_per_line: bytes,
    byte_vs_message: Math.round((bytes / msg) * 1000) / 1000,
  }),
);
