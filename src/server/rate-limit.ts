/**
 * Per-client token buckets for `[http_api] request_rate_limit` (requests per
 * second; DataKit limits each client). Buckets idle for a minute are swept.
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #lastSweep = Date.now();

  constructor(ratePerSecond: number, burst = Math.max(1, Math.ceil(ratePerSecond))) {
    this.#rate = ratePerSecond;
    this.#burst = burst;
  }

  /** True when the request may proceed; otherwise the seconds until a token frees up. */
  take(client: string, now = Date.now()): true | number {
    if (this.#rate <= 0) return true;
    let b = this.#buckets.get(client);
    if (b === undefined) {
      b = { tokens: this.#burst, at: now };
      this.#buckets.set(client, b);
    } else {
      b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 1000) * this.#rate);
      b.at = now;
    }
    if (now - this.#lastSweep > 60_000) this.#sweep(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.#rate));
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [k, b] of this.#buckets) if (now - b.at > 60_000) this.#buckets.delete(k);
  }
}
