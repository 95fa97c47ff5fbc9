/**
 * @module point/codec/line-protocol — DataKit's line protocol: decoding
 * request bodies into points (with precise per-line errors) and encoding
 * points into DataKit's exact bytes.
 */
export type { DecodeError, DecodeOptions, DecodeResult } from './errors.js';
export {
  decodeLineProtocol,
  INVALID_LINE_POINT,
  summarizeLineErrors,
} from './lp-decode.js';
export { encodeLinePoint, encodeLineProtocol, encodeLineProtocolBytes } from './lp-encode.js';
