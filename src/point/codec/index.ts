/**
 * @module point/codec — the wire encodings of points (line protocol, JSON,
 * PBJSON, protobuf), Content-Type dispatch, and request-body
 * (de)compression. Pure functions, no I/O.
 */
export type { CompressionEncoding } from './compression.js';
export {
  BODY_TOO_LARGE,
  CORRUPT_BODY,
  compressBody,
  decompressBody,
  UNKNOWN_ENCODING,
} from './compression.js';
export type { WireEncoding } from './dispatch.js';
export { CONTENT_TYPES, decodeBody, encodePoints, encodingOfContentType } from './dispatch.js';
export type { DecodeError, DecodeOptions, DecodeResult } from './errors.js';
export { CodecError } from './errors.js';
export { decodeJson, encodeJson } from './json.js';
export { INVALID_JSON } from './json-body.js';
export {
  decodeLineProtocol,
  encodeLinePoint,
  encodeLineProtocol,
  encodeLineProtocolBytes,
  INVALID_LINE_POINT,
  summarizeLineErrors,
} from './line-protocol.js';
export type { ForwardedPoints, ForwardOptions } from './lp-forward.js';
export { forwardLineProtocol } from './lp-forward.js';
export { decodePbjson, encodePbjson } from './pbjson.js';
export { decodeProtobuf, encodeProtobuf, INVALID_PROTOBUF } from './protobuf.js';
