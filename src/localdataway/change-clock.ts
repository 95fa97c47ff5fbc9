/**
 * Update times for the remote-pipeline pull. DataWay's contract is a number
 * in seconds that changes whenever the content changes; clients compare it
 * for equality. File mtimes are the natural source, but a change within the
 * same second as the previous one (or a delete that leaves the newest mtime
 * as it was) would not move it. So the clock follows the newest mtime and,
 * when the content fingerprint changed but that mtime did not move past a
 * time already handed out, issues the next unused second instead. A time is
 * never reused for different content while this process lives.
 */
export class ChangeClock {
  #fingerprint: string | null = null;
  #current = 0;
  #maxIssued = 0;

  /**
   * The update time for content with `fingerprint` whose newest mtime is
   * `mtimeSec`. `floor` keeps issued times above DataWay's sentinels (0 =
   * nothing, 1 = delete all).
   */
  observe(fingerprint: string, mtimeSec: number, floor = 2): number {
    if (fingerprint === this.#fingerprint) return this.#current;
    let t = Math.max(mtimeSec, floor);
    if (this.#fingerprint !== null && t <= this.#maxIssued) t = this.#maxIssued + 1;
    this.#fingerprint = fingerprint;
    this.#current = t;
    if (t > this.#maxIssued) this.#maxIssued = t;
    return t;
  }
}
