/**
 * `plkit decode`: decode a `/v1/write/<category>` body the way the HTTP API
 * would and print each point in the typed conformance shape, one JSON line
 * each, followed by one line per decode error.
 */
import { readFileSync } from 'node:fs';
import { categoryFromUrl } from '../point/category.js';
import { decodeBody, decompressBody } from '../point/codec/index.js';
import { toTyped } from '../point/typed-json.js';
import type { CliIo } from './io.js';

export interface DecodeCommandOptions {
  category: string;
  contentType?: string;
  contentEncoding?: string;
  precision?: string;
  now?: string;
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

export function decodeCommand(file: string, opts: DecodeCommandOptions, io: CliIo): number {
  const category = categoryFromUrl(opts.category);
  if (category === undefined) {
    io.stdout(
      `${JSON.stringify({ decode_error: `unknown category ${JSON.stringify(opts.category)}`, error_code: 'datakit.invalidCategory' })}\n`,
    );
    return 1;
  }
  let raw: Uint8Array;
  try {
    raw = readFileSync(file);
  } catch (e) {
    io.stderr(`plkit decode: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  let now: bigint;
  try {
    now = opts.now !== undefined ? BigInt(opts.now) : BigInt(Date.now()) * 1_000_000n;
  } catch {
    io.stderr(`plkit decode: --now: expected integer nanoseconds, got ${JSON.stringify(opts.now)}\n`);
    return 1;
  }
  let body: Uint8Array;
  try {
    body = decompressBody(raw, opts.contentEncoding, opts.maxBodyBytes ?? DEFAULT_MAX_BODY);
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'datakit.invalidBody';
    io.stdout(`${JSON.stringify({ decode_error: (e as Error).message, error_code: code })}\n`);
    return 1;
  }
  const res = decodeBody(body, opts.contentType ?? '', { category, precision: opts.precision ?? '', now });
  for (const pt of res.points) io.stdout(`${JSON.stringify(toTyped(pt))}\n`);
  for (const err of res.errors)
    io.stdout(`${JSON.stringify({ decode_error: err.message, error_code: err.code })}\n`);
  return res.points.length > 0 ? 0 : 1;
}
