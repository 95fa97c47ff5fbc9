/**
 * A DataWay URL from `[dataway] urls` (`https://host?token=tkn_x`): its base
 * and query, and the write URL of each category (`/v1/write/<category>`,
 * keeping the token and any other query parameters).
 */
import { PlkError } from '../common/plk-error.js';
import type { Category } from '../point/category.js';

export class DatawayEndpoint {
  /** `scheme://host[:port]`: like DataKit, the path of a configured URL is ignored. */
  readonly base: string;
  readonly query: string; // without '?', may be empty
  readonly token: string;

  constructor(url: string) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new PlkError('PLK_ERR_CONFIG', `dataway url ${JSON.stringify(url)} is not a valid URL`, {
        permanent: true,
      });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new PlkError(
        'PLK_ERR_CONFIG',
        `dataway url ${JSON.stringify(url)}: scheme must be http or https`,
        {
          permanent: true,
        },
      );
    }
    this.token = u.searchParams.get('token') ?? '';
    this.query = u.searchParams.toString();
    this.base = `${u.protocol}//${u.host}`;
  }

  writeUrl(category: Category): string {
    return `${this.base}/v1/write/${category}${this.query ? `?${this.query}` : ''}`;
  }

  /** `/v1/datakit/pull` with the token and extra parameters. */
  pullUrl(params: Record<string, string>): string {
    const q = new URLSearchParams(this.query);
    for (const [k, v] of Object.entries(params)) q.set(k, v);
    return `${this.base}/v1/datakit/pull?${q.toString()}`;
  }

  /** A name for logs and metric labels, without the token. */
  toString(): string {
    return this.base;
  }
}
