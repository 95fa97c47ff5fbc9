/**
 * The `ploffload` receiver: the ploffload input of DataKit (or plkit).
 * DataKit's sender posts an uncompressed `PBPoints` protobuf body to
 * `/v1/write/ploffload/logging` with DataKit's protobuf Content-Type.
 */
import { CONTENT_TYPES, encodeProtobuf } from '../../point/codec/index.js';
import type { ReceiverWire } from './receiver-wire.js';

export const ploffloadWire: ReceiverWire = {
  kind: 'ploffload',
  encoding: 'protobuf',
  path: '/v1/write/ploffload/logging',
  contentType: CONTENT_TYPES.protobuf,
  encode: encodeProtobuf,
};
