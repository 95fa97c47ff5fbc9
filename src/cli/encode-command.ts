/**
 * `plkit encode`: read typed-shape JSON lines and write the points encoded
 * in one wire encoding to stdout.
 */
import { readFileSync } from 'node:fs';
import { encodePoints, type WireEncoding } from '../point/codec/index.js';
import type { Point } from '../point/point.js';
import { fromTyped } from '../point/typed-json.js';
import type { CliIo } from './io.js';

const ENCODINGS: readonly WireEncoding[] = ['lp', 'json', 'pbjson', 'protobuf'];

export function encodeCommand(file: string, opts: { encoding: string }, io: CliIo): number {
  if (!(ENCODINGS as readonly string[]).includes(opts.encoding)) {
    io.stderr(
      `plkit encode: --encoding must be one of ${ENCODINGS.join(', ')}, got ${JSON.stringify(opts.encoding)}\n`,
    );
    return 1;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr(`plkit encode: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const points: Point[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      points.push(fromTyped(JSON.parse(line)));
    } catch (e) {
      io.stderr(`plkit encode: ${file}:${i + 1}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const out = encodePoints(points, opts.encoding as WireEncoding);
  const bytes = typeof out === 'string' ? Buffer.from(out, 'utf8') : out;
  if (io.stdoutBytes) io.stdoutBytes(bytes);
  else io.stdout(Buffer.from(bytes).toString('utf8'));
  return 0;
}
