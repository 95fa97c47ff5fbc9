/**
 * Choosing a codec: a request body by its `Content-Type` (SPEC §2), an
 * outgoing batch by the wire encoding asked for.
 *
 * DataKit compares the Content-Type strings exactly; plkit matches the
 * media type case-insensitively and ignores parameters, so
 * `application/protobuf` and `application/x-protobuf` also read as
 * protobuf. Any type *containing* `application/json` is JSON (DataKit's
 * rule), and everything unrecognised is line protocol.
 */
import type { Point } from '../point.js';
import type { DecodeOptions, DecodeResult } from './errors.js';
import { decodeJson, encodeJson } from './json.js';
import { decodeLineProtocol, encodeLineProtocol } from './line-protocol.js';
import { decodePbjson, encodePbjson } from './pbjson.js';
import { decodeProtobuf, encodeProtobuf } from './protobuf.js';

export type WireEncoding = 'lp' | 'json' | 'pbjson' | 'protobuf';

/** The Content-Type DataKit sends and expects for each encoding. */
export const CONTENT_TYPES: Readonly<Record<WireEncoding, string>> = {
  lp: 'application/line-protocol',
  json: 'application/json',
  pbjson: 'application/pbjson; proto=com.guance.Point',
  protobuf: 'application/protobuf; proto=com.guance.Point',
};

/** The encoding a request body with this Content-Type is read as. */
export function encodingOfContentType(contentType: string | undefined): WireEncoding {
  if (contentType === undefined || contentType === '') return 'lp';
  const ct = contentType.toLowerCase();
  if (ct.includes('application/json')) return 'json';
  const semi = ct.indexOf(';');
  const media = (semi === -1 ? ct : ct.slice(0, semi)).trim();
  switch (media) {
    case 'application/pbjson':
      return 'pbjson';
    case 'application/protobuf':
    case 'application/x-protobuf':
      return 'protobuf';
    default:
      return 'lp';
  }
}

/** Decode a (decompressed) request body by its Content-Type. Never throws on bad input. */
export function decodeBody(
  body: Uint8Array,
  contentType: string | undefined,
  opts: DecodeOptions,
): DecodeResult {
  switch (encodingOfContentType(contentType)) {
    case 'json':
      return decodeJson(body, opts);
    case 'pbjson':
      return decodePbjson(body, opts);
    case 'protobuf':
      return decodeProtobuf(body, opts);
    default:
      return decodeLineProtocol(body, opts);
  }
}

/** Encode points: text encodings as a string, protobuf as bytes. */
export function encodePoints(points: readonly Point[], encoding: 'protobuf'): Uint8Array;
export function encodePoints(points: readonly Point[], encoding: 'lp' | 'json' | 'pbjson'): string;
export function encodePoints(points: readonly Point[], encoding: WireEncoding): string | Uint8Array;
export function encodePoints(points: readonly Point[], encoding: WireEncoding): string | Uint8Array {
  switch (encoding) {
    case 'protobuf':
      return encodeProtobuf(points);
    case 'json':
      return encodeJson(points);
    case 'pbjson':
      return encodePbjson(points);
    default:
      return encodeLineProtocol(points);
  }
}
