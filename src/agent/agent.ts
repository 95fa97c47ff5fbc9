/**
 * The agent behind `plkit run`: builds every component the configuration
 * enables, wires them along the one-way road (inputs → io/feed → pipeline →
 * uploader), starts them sinks first and stops them sources first, so every
 * stage drains into a running consumer.
 *
 * With no DataWay configured the embedded local DataWay starts on a loopback
 * port and takes the uploads, so plkit runs without a cloud account.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient } from '../common/http-client.js';
import type { Logger } from '../common/logger.js';
import { Metrics } from '../common/metrics.js';
import type { Config } from '../config/types.js';
import { DatawayEndpoint, DatawayUploader } from '../dataway/index.js';
import { registerWriteApi } from '../inputs/http-write/index.js';
import { LoggingInput, PositionStore, SocketInput } from '../inputs/logging/index.js';
import { PloffloadInput } from '../inputs/ploffload/index.js';
import { Feed } from '../io/feed.js';
import { LocalDataway } from '../localdataway/index.js';
import { Offloader, offloaderOptionsFromConfig } from '../offload/index.js';
import {
  namespaceFolders,
  RemotePuller,
  registerPipelineDebugApi,
  ScriptPipelineStage,
  ScriptStore,
} from '../pipeline/scripts/index.js';
import { createPipelineServices } from '../pipeline/services/index.js';
import { ApiServer } from '../server/api-server.js';
import { resolveGlobalHostTags } from './host-tags.js';

export interface AgentOptions {
  config: Config;
  logger: Logger;
  version: string;
  /** Where the local DataWay listens when no DataWay is configured. */
  localDatawayListen?: string;
}

export interface AgentInfo {
  apiUrl: string;
  datawayUrls: string[];
  localDataway: { url: string; db: string } | null;
}

interface Stoppable {
  name: string;
  stop: () => Promise<void> | void;
}

export class Agent {
  readonly metrics = new Metrics();
  readonly #opts: AgentOptions;
  readonly #log: Logger;
  /** Started components, in start order; stopped in reverse. */
  readonly #started: Stoppable[] = [];
  #stopping: Promise<void> | null = null;

  constructor(opts: AgentOptions) {
    this.#opts = opts;
    this.#log = opts.logger;
  }

  async start(): Promise<AgentInfo> {
    try {
      return await this.#start();
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async #start(): Promise<AgentInfo> {
    const cfg = this.#opts.config;
    const log = this.#log;
    mkdirSync(cfg.paths.data, { recursive: true });
    const http = new HttpClient({
      timeoutMs: cfg.dataway.timeoutMs,
      insecureSkipVerify: cfg.dataway.tlsInsecure,
    });
    this.#started.push({ name: 'http client', stop: () => http.close() });

    // DataWay: the configured one, or the embedded local one.
    let urls = [...cfg.dataway.urls];
    let local: AgentInfo['localDataway'] = null;
    if (urls.length === 0) {
      const db = join(cfg.paths.data, 'local-dataway.db');
      const ldw = new LocalDataway({
        listen: this.#opts.localDatawayListen ?? '127.0.0.1:0',
        dbPath: db,
        logger: log.child({ component: 'local-dataway' }),
      });
      const { url } = await ldw.start();
      this.#started.push({ name: 'local dataway', stop: () => ldw.stop() });
      urls = [`${url}?token=tkn_local`];
      local = { url, db };
      log.info({ url, db }, `no DataWay configured: embedded local DataWay on ${url}, database ${db}`);
    }

    const uploader = new DatawayUploader({
      urls,
      walDir: cfg.dataway.wal.path,
      contentEncoding: cfg.dataway.contentEncoding,
      gzip: cfg.dataway.gzip,
      maxCacheCount: cfg.io.maxCacheCount,
      maxRawBodySize: cfg.dataway.maxRawBodySize,
      maxRetryCount: Math.max(0, cfg.dataway.maxRetryCount - 1),
      retryDelayMs: cfg.dataway.retryDelayMs,
      timeoutMs: cfg.dataway.timeoutMs,
      walMaxBytes: Math.round(cfg.dataway.wal.maxCapacityGb * 1024 ** 3),
      noDropCategories: cfg.dataway.wal.noDropCategories,
      userAgent: `plkit/${this.#opts.version}`,
      http,
      metrics: this.metrics,
      logger: log.child({ component: 'dataway' }),
    });
    uploader.start();
    this.#started.push({ name: 'dataway uploader', stop: () => uploader.stop({ deadlineMs: 5000 }) });
    log.info({ urls: uploader.endpoints.map(String), wal: cfg.dataway.wal.path }, 'dataway uploader started');

    // tier-3 function state; stopped after the store, before the uploader (agg flushes into it)
    const globalHostTags = resolveGlobalHostTags(cfg.globalHostTags, cfg.hostname);
    const plServices = createPipelineServices(cfg, {
      http,
      aggSink: (category, _bucket, points) => uploader.write(category, points),
      globalTags: globalHostTags,
      logger: log,
      userAgent: `plkit/${this.#opts.version}`,
    });
    plServices.start();
    this.#started.push({ name: 'pipeline services', stop: () => plServices.stop() });

    const store = new ScriptStore({
      folders: namespaceFolders(cfg.paths),
      configDefaults: cfg.pipeline.defaultPipeline,
      services: plServices.services,
      metrics: this.metrics,
      logger: log.child({ component: 'pipeline' }),
    });
    await store.start();
    this.#started.push({ name: 'script store', stop: () => store.stop() });
    log.info({ scripts: store.problems().length === 0 ? 'ok' : store.problems() }, 'pipeline scripts loaded');

    const puller = new RemotePuller({
      store,
      endpoint: new DatawayEndpoint(urls[0]!),
      http,
      intervalMs: cfg.pipeline.remotePullIntervalMs,
      metrics: this.metrics,
      logger: log.child({ component: 'remote-pull' }),
    });
    await puller.start();
    this.#started.push({ name: 'remote pull', stop: () => puller.stop() });

    let offloader: Offloader | undefined;
    if (cfg.pipeline.offload.enabled) {
      offloader = new Offloader(
        offloaderOptionsFromConfig(cfg.pipeline.offload, {
          selfListen: cfg.httpApi.listen,
          metrics: this.metrics,
          logger: log.child({ component: 'offload' }),
        }),
      );
      await offloader.start();
      const off = offloader;
      this.#started.push({ name: 'offloader', stop: () => off.stop() });
      log.info(
        { receiver: cfg.pipeline.offload.receiver, addresses: cfg.pipeline.offload.targets },
        'pipeline offload on: logging points of remote scripts go to the processors',
      );
    }

    const feed = new Feed({
      offloader,
      globalHostTags,
      pipeline: new ScriptPipelineStage({
        store,
        pointWindows: plServices.pointWindows,
        metrics: this.metrics,
        logger: log.child({ component: 'pipeline' }),
      }),
      uploader,
    });

    const api = new ApiServer({
      listen: cfg.httpApi.listen,
      publicApis: cfg.httpApi.publicApis,
      requestRateLimit: cfg.httpApi.requestRateLimit,
      tokens: cfg.httpApi.tokens,
      timeoutMs: cfg.httpApi.timeoutMs,
      version: this.#opts.version,
      metrics: this.metrics,
      logger: log.child({ component: 'http' }),
    });
    registerWriteApi(api, feed, { maxBodyBytes: cfg.httpApi.maxBodyBytes, metrics: this.metrics });
    registerPipelineDebugApi(api, { store, logger: log.child({ component: 'pipeline-debug' }) });
    let ploffload: PloffloadInput | null = null;
    if (cfg.inputs.ploffload !== null) {
      ploffload = new PloffloadInput({
        server: api,
        feed,
        config: cfg.inputs.ploffload,
        stateDir: join(cfg.paths.data, 'ploffload'),
        metrics: this.metrics,
        logger: log.child({ component: 'ploffload' }),
      });
      ploffload.start();
      log.info({ storage: cfg.inputs.ploffload.storage }, 'ploffload input enabled');
    }
    const { url: apiUrl } = await api.start();
    this.#started.push({ name: 'http api', stop: () => api.stop() });
    if (ploffload !== null) {
      const p = ploffload;
      this.#started.push({ name: 'ploffload input', stop: () => p.stop() });
    }
    log.info({ url: apiUrl }, `HTTP API listening on ${apiUrl}`);

    if (cfg.inputs.logging.length > 0) await this.#startLogging(cfg, feed);

    return { apiUrl, datawayUrls: uploader.endpoints.map(String), localDataway: local };
  }

  /** The `[[inputs.logging]]` inputs: log files now; their sockets open beside them. */
  async #startLogging(cfg: Config, feed: Feed): Promise<void> {
    const log = this.#log;
    const positions = new PositionStore({
      file: join(cfg.paths.cache, 'logging-positions.json'),
      dataKitHistory: join(cfg.paths.cache, 'logtail.history'),
      logger: log.child({ component: 'logging' }),
    });
    positions.load();
    this.#started.push({ name: 'logging positions', stop: () => positions.close() });
    for (const lc of cfg.inputs.logging) {
      const where = `${lc.origin.file}#${lc.origin.index} (source ${lc.source})`;
      if (lc.logfiles.length > 0) {
        const input = new LoggingInput({
          config: lc,
          feed,
          positions,
          cwd: cfg.paths.workdir,
          metrics: this.metrics,
          logger: log.child({ component: 'logging' }),
        });
        input.start();
        this.#started.push({ name: `logging input ${where}`, stop: () => input.stop() });
        log.info({ input: where, logfiles: lc.logfiles }, 'logging input: following log files');
      } else if (lc.sockets.length > 0) {
        const sockets = new SocketInput({
          config: lc,
          feed,
          metrics: this.metrics,
          logger: log.child({ component: 'logging' }),
        });
        const addresses = await sockets.start();
        this.#started.push({ name: `logging sockets ${where}`, stop: () => sockets.stop() });
        log.info({ input: where, sockets: addresses }, 'logging input: listening on sockets');
      }
    }
  }

  /** Stop intake first, then flush and close everything downstream. Idempotent. */
  stop(): Promise<void> {
    if (this.#stopping === null) this.#stopping = this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    for (const c of this.#started.splice(0).reverse()) {
      try {
        await c.stop();
        this.#log.info(`${c.name} stopped`);
      } catch (e) {
        this.#log.error({ err: (e as Error).message }, `${c.name} failed to stop cleanly`);
      }
    }
  }
}
