/**
 * The embedded local DataWay: a real upload target for plkit and DataKit
 * without a cloud account. It stores what is written to it in SQLite,
 * serves remote pipeline scripts from a folder, and lets tests and humans
 * read the points back. Built on the agent's ApiServer so routing, error
 * answers and shutdown behave the same everywhere.
 */
import type { Logger } from '../common/logger.js';
import { categoryFromUrl } from '../point/category.js';
import { ApiServer } from '../server/api-server.js';
import { type HomeSection, renderHomePage } from './home-page.js';
import { registerPullRoute } from './pull-route.js';
import { registerQueryRoutes } from './query-routes.js';
import { RemotePipelines } from './remote-pipelines.js';
import { PointStore } from './store.js';
import { registerWriteRoute } from './write-route.js';

export interface LocalDatawayOptions {
  /** `host:port`; port 0 picks a free port. */
  listen: string;
  /** SQLite file (its folder is created); `:memory:` for throwaway use. */
  dbPath: string;
  /** When set, writes and pulls must carry `?token=<token>`. */
  token?: string;
  /** Folder of remote pipeline scripts served by `/v1/datakit/pull`. */
  scriptsDir?: string;
  /** Largest accepted request body, on the wire and inflated (default 64 MiB). */
  maxBodyBytes?: number;
  logger?: Logger;
  /** Receive time (ns) for points without a timestamp; tests pin it. */
  now?: () => bigint;
}

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;
const HOME_LATEST = 20;

export class LocalDataway {
  readonly #opts: LocalDatawayOptions;
  #server: ApiServer | null = null;
  #store: PointStore | null = null;
  #started = false;

  constructor(opts: LocalDatawayOptions) {
    this.#opts = opts;
  }

  async start(): Promise<{ url: string }> {
    if (this.#started) throw new Error('local DataWay already started');
    this.#started = true;
    const opts = this.#opts;
    const store = new PointStore(opts.dbPath);
    const server = new ApiServer({ listen: opts.listen, logger: opts.logger });
    registerWriteRoute(server, {
      store,
      token: opts.token,
      maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY,
      now: opts.now ?? (() => BigInt(Date.now()) * 1_000_000n),
    });
    registerPullRoute(server, new RemotePipelines(opts.scriptsDir), opts.token);
    registerQueryRoutes(server, store);
    server.route('GET', '/', ({ res }) => {
      const html = renderHomePage(homeSections(store), { dbPath: opts.dbPath });
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(html),
      });
      res.end(html);
    });

    this.#store = store;
    this.#server = server;
    try {
      const { url } = await server.start();
      return { url };
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** Stop listening, let in-flight requests finish, close the database. Idempotent. */
  async stop(): Promise<void> {
    const server = this.#server;
    const store = this.#store;
    this.#server = null;
    this.#store = null;
    if (server !== null) await server.stop();
    store?.close();
  }
}

function homeSections(store: PointStore): HomeSection[] {
  const out: HomeSection[] = [];
  for (const { category, count } of store.counts()) {
    const c = categoryFromUrl(category);
    if (c === undefined) continue;
    out.push({ category, count, points: store.latestReceived(c, HOME_LATEST) });
  }
  return out;
}
