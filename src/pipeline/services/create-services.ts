/**
 * The one place the tier-3 services are built from configuration, for the
 * agent (and `plkit pipeline`): each is a plain object handed to scripts
 * through `services`, never a global.
 *
 * | service        | built when                                   | otherwise                  |
 * | -------------- | -------------------------------------------- | -------------------------- |
 * | cache          | always (per-script bounded LRU)              |                            |
 * | agg            | always (points to `deps.aggSink`)            |                            |
 * | pointWindows   | always (the stage settles runs through it)   |                            |
 * | geoip          | `ipdb_type = "geolite2"` and the file opens  | geoip() fails its run      |
 * | referTables    | `refer_table_url` is set                     | query functions fail runs  |
 * | httpRequest    | `http_request_enabled = true`                | http_request() fails runs  |
 *
 * Problems found while building (a database that does not open, a CIDR
 * that does not parse) are logged and returned in `problems`; they never
 * stop the agent.
 */
import { isAbsolute, join } from 'node:path';
import type { HttpClient } from '../../common/http-client.js';
import { type Logger, silentLogger } from '../../common/logger.js';
import type { Config } from '../../config/types.js';
import type { PipelineServices } from '../funcs/services.js';
import { AggService, type AggSink } from './aggregation.js';
import { GeoIpService } from './geoip.js';
import { HttpRequestService } from './http-request.js';
import { PointWindowService } from './point-window.js';
import { ReferTableService } from './refer-table-service.js';
import { ScriptCacheService } from './script-cache.js';

export interface PipelineServiceDeps {
  /** The agent's HTTP client, for reference-table pulls. */
  http: Pick<HttpClient, 'send'>;
  /** Where flushed aggregation points go (the agent hands them to the uploader under their category). */
  aggSink: AggSink;
  /** Tags every aggregated point carries (the agent's global host tags, resolved). */
  globalTags?: Readonly<Record<string, string>>;
  logger?: Logger;
  userAgent?: string;
}

export interface PipelineServiceSet {
  /** Give to `ScriptStore({ services })` (and debug runs): what scripts see. */
  readonly services: Readonly<PipelineServices>;
  /** The pipeline stage settles every script run through it (point_window). */
  readonly pointWindows: PointWindowService;
  readonly agg: AggService;
  readonly cache: ScriptCacheService;
  readonly geoip: GeoIpService | null;
  readonly referTables: ReferTableService | null;
  readonly httpRequest: HttpRequestService | null;
  /** What could not be set up, as logged. */
  readonly problems: readonly string[];
  /** Start background work (the first reference-table pull); returns at once. */
  start(): void;
  /** Flush aggregations, stop pulls and the http_request thread. Idempotent. */
  stop(): Promise<void>;
}

/** DataKit keeps GeoLite2 files in `<data>/ipdb/geolite2/GeoLite2-City_20220617/`. */
export const GEOLITE2_DIR = join('ipdb', 'geolite2', 'GeoLite2-City_20220617');

type ServiceConfig = { readonly pipeline: Config['pipeline']; readonly paths: Pick<Config['paths'], 'data'> };

export function createPipelineServices(config: ServiceConfig, deps: PipelineServiceDeps): PipelineServiceSet {
  const log = (deps.logger ?? silentLogger()).child({ component: 'pipeline-services' });
  const p = config.pipeline;
  const problems: string[] = [];
  const problem = (msg: string) => {
    problems.push(msg);
    log.warn(msg);
  };

  const cache = new ScriptCacheService();
  const pointWindows = new PointWindowService();
  const agg = new AggService({ sink: deps.aggSink, globalTags: deps.globalTags });

  let geoip: GeoIpService | null = null;
  if (p.ipdbType === 'geolite2') {
    const dir = join(config.paths.data, GEOLITE2_DIR);
    const at = (f: string) => (isAbsolute(f) ? f : join(dir, f));
    const city = at(p.ipdbAttr.geoipFile === '' ? 'GeoLite2-City.mmdb' : p.ipdbAttr.geoipFile);
    const isp = p.ipdbAttr.ispFile === '' ? undefined : at(p.ipdbAttr.ispFile);
    try {
      geoip = GeoIpService.open(city, isp);
      log.info({ city, isp: isp ?? null }, 'geoip database loaded');
    } catch (e) {
      problem(`${(e as Error).message}; geoip() will fail its runs`);
    }
  } else {
    log.info(`ipdb_type ${JSON.stringify(p.ipdbType)}: no MaxMind database, geoip() will fail its runs`);
  }

  let referTables: ReferTableService | null = null;
  if (p.referTableUrl !== '') {
    try {
      referTables = new ReferTableService({
        url: p.referTableUrl,
        intervalMs: p.referTablePullIntervalMs,
        http: deps.http,
        logger: deps.logger,
      });
    } catch (e) {
      problem(`refer_table_url: ${(e as Error).message}`);
    }
  }

  let httpRequest: HttpRequestService | null = null;
  if (p.httpRequest.enabled) {
    httpRequest = new HttpRequestService({
      hostAllowList: p.httpRequest.hostAllowList,
      cidrAllowList: p.httpRequest.cidrAllowList,
      disableInternalNet: p.httpRequest.disableInternalNet,
      timeoutMs: p.httpRequest.timeoutMs,
      maxResponseBytes: p.httpRequest.maxResponseBytes,
      userAgent: deps.userAgent,
    });
    for (const e of httpRequest.configErrors) problem(e);
  }

  const services: PipelineServices = { cache, agg, pointWindows };
  if (geoip !== null) services.geoip = geoip;
  if (referTables !== null) services.referTables = referTables;
  if (httpRequest !== null) services.httpRequest = httpRequest;
  Object.freeze(services);

  let stopping: Promise<void> | null = null;
  return {
    services,
    pointWindows,
    agg,
    cache,
    geoip,
    referTables,
    httpRequest,
    problems,
    start() {
      referTables?.start();
    },
    stop() {
      stopping ??= (async () => {
        agg.stop();
        await referTables?.stop();
        await httpRequest?.close();
      })();
      return stopping;
    },
  };
}
