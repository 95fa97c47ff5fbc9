/**
 * The dead-letter file: points a receiver refused for good (a single point
 * still "too large", or a 4xx that says the data itself is bad). One JSON
 * object per line, appended and fsynced before the batch counts as
 * settled:
 *
 *   {"time":"<ISO>","batch_id":"…","remote":"host:port","status":413,
 *    "reason":"…","point":{<typed point, as in the conformance vectors>}}
 *
 * A plain JSON-lines file rather than a disk queue: nothing drains it; an
 * operator reads, fixes and replays it (`plkit` reads the typed shape).
 * Past `maxBytes` further points are not written, only counted and logged.
 */
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Point } from '../point/point.js';
import { toTyped } from '../point/typed-json.js';

export interface DeadLetterInfo {
  batchId: string;
  remote: string;
  status: number;
  reason: string;
}

export class DeadLetterFile {
  readonly path: string;
  readonly #maxBytes: number;
  #fd = -1;
  #size = 0;

  constructor(path: string, maxBytes: number) {
    this.path = path;
    this.#maxBytes = maxBytes;
  }

  /** Append the points; returns how many were written (the rest did not fit). */
  write(points: readonly Point[], info: DeadLetterInfo): number {
    if (this.#fd === -1) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.#fd = openSync(this.path, 'a');
      this.#size = fstatSync(this.#fd).size;
    }
    const time = new Date().toISOString();
    let text = '';
    let written = 0;
    for (let i = 0; i < points.length; i++) {
      const line = `${JSON.stringify({
        time,
        batch_id: info.batchId,
        remote: info.remote,
        status: info.status,
        reason: info.reason,
        point: toTyped(points[i]!),
      })}\n`;
      if (this.#size + text.length + line.length > this.#maxBytes) break;
      text += line;
      written++;
    }
    if (text !== '') {
      const buf = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(this.#fd, buf, off, buf.length - off);
      fsyncSync(this.#fd);
      this.#size += buf.length;
    }
    return written;
  }

  close(): void {
    if (this.#fd !== -1) closeSync(this.#fd);
    this.#fd = -1;
  }
}
