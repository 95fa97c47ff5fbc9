/**
 * The protobuf wire encoding (`application/protobuf; proto=com.guance.Point`):
 * DataKit's `PBPoints` message, read and written by hand (see pb-decode.ts,
 * pb-encode.ts) because this is the offload and DataWay upload hot path.
 */
export { decodeProtobuf, INVALID_PROTOBUF, readPbPoints } from './pb-decode.js';
export { encodeProtobuf } from './pb-encode.js';
