/**
 * One configured receiver address and what the balancer knows about it:
 * healthy or ejected (after a failure, until an active health check
 * passes), throttled until a time (429/503 Retry-After: busy, not broken),
 * and the batches in flight to it.
 */
import { PlkError } from '../common/plk-error.js';

export type TargetState = 'healthy' | 'ejected';

export class Target {
  readonly index: number;
  /** The address as configured. */
  readonly address: string;
  /** `scheme://host[:port]`: DataKit uses only scheme and host of an address. */
  readonly base: string;
  /** `host[:port]`, the `remote` metric label (as DataKit's). */
  readonly host: string;
  readonly hostname: string;
  readonly port: number;
  readonly writeUrl: string;
  readonly pingUrl: string;
  state: TargetState = 'healthy';
  inFlight = 0;
  /** Date.now() before which the receiver asked not to be sent to. */
  throttledUntil = 0;
  /** Ejections since the last successful delivery; drives the back-off. */
  ejections = 0;

  constructor(index: number, address: string, writePath: string) {
    let u: URL;
    try {
      u = new URL(address.includes('://') ? address : `http://${address}`);
    } catch (e) {
      throw new PlkError('PLK_ERR_OFFLOAD_CONFIG', `offload address ${JSON.stringify(address)}: not a URL`, {
        cause: e,
        permanent: true,
      });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new PlkError(
        'PLK_ERR_OFFLOAD_CONFIG',
        `offload address ${JSON.stringify(address)}: scheme must be http or https`,
        { permanent: true },
      );
    }
    this.index = index;
    this.address = address;
    this.base = `${u.protocol}//${u.host}`;
    this.host = u.host;
    this.hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    this.port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    this.writeUrl = this.base + writePath;
    this.pingUrl = `${this.base}/v1/ping`;
  }

  /** Can take a batch now (healthy and not throttled). */
  available(now: number): boolean {
    return this.state === 'healthy' && this.throttledUntil <= now;
  }

  toString(): string {
    return this.base;
  }
}
