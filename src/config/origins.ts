/**
 * Remembers where each effective value came from (a file line or an
 * environment variable), so checks that span several keys, run after the
 * environment overrode the file, still point at the right place.
 */
import type { IssueWhere } from './issues.js';

export class Origins {
  readonly #map = new Map<string, IssueWhere>();

  set(key: string, where: IssueWhere): void {
    this.#map.set(key, { ...where, key });
  }

  /** Where `key` was set; a key nobody set is reported by its name alone. */
  where(key: string): IssueWhere {
    return this.#map.get(key) ?? { key };
  }
}
