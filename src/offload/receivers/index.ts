/** @module offload/receivers — the wire of each receiver kind. */
import type { OffloadReceiver } from '../../config/types.js';
import { datakitHttpWire } from './datakit-http.js';
import { ploffloadWire } from './ploffload.js';
import type { ReceiverWire } from './receiver-wire.js';

export type { ReceiverWire, WireEncoding } from './receiver-wire.js';
export { datakitHttpWire, ploffloadWire };

export function wireOf(kind: OffloadReceiver): ReceiverWire {
  return kind === 'ploffload' ? ploffloadWire : datakitHttpWire;
}
