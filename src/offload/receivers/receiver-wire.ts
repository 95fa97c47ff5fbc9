/**
 * What differs between the two kinds of offload receiver: the path a batch
 * is posted to, its encoding and Content-Type. Everything else (batching,
 * balancing, retries, spool) is the same, so the offloader holds one
 * `ReceiverWire` and never branches on the receiver kind.
 */
import type { OffloadReceiver } from '../../config/types.js';
import type { Point } from '../../point/point.js';

export type WireEncoding = 'lp' | 'protobuf';

export interface ReceiverWire {
  readonly kind: OffloadReceiver;
  readonly encoding: WireEncoding;
  /** Path of the write API on the receiver (DataKit uses only scheme and host of an address). */
  readonly path: string;
  /** Content-Type header, or null to send none (as DataKit's datakit-http sender does). */
  readonly contentType: string | null;
  encode(points: readonly Point[]): Uint8Array;
}
