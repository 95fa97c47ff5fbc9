/**
 * The `datakit-http` receiver: any DataKit (or plkit) write API. DataKit's
 * sender posts uncompressed line protocol to `/v1/write/logging` with no
 * query string and no Content-Type (so the receiver reads line protocol),
 * keys sorted, `\n`-joined, no trailing newline, ns timestamps — which is
 * exactly what the codec's line-protocol encoder writes.
 */
import { encodeLineProtocolBytes } from '../../point/codec/index.js';
import type { ReceiverWire } from './receiver-wire.js';

export const datakitHttpWire: ReceiverWire = {
  kind: 'datakit-http',
  encoding: 'lp',
  path: '/v1/write/logging',
  contentType: null,
  encode: encodeLineProtocolBytes,
};
