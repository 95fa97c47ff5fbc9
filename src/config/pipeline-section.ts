/**
 * `[pipeline]`, `[pipeline.default_pipeline]` and `[pipeline.offload]` of
 * datakit.conf: DataKit's keys with its defaults, and plkit's offload
 * additions (batching, balancing, health checks, spool, TLS) with ours.
 */
import { resolve } from 'node:path';
import { type Category, categoryFromName } from '../point/category.js';
import { OFFLOAD, PIPELINE } from './defaults.js';
import type { Draft } from './draft.js';
import type { TableReader } from './table-reader.js';
import type {
  HttpRequestFuncConfig,
  OffloadBalance,
  OffloadConfig,
  OffloadReceiver,
  OffloadWhenFull,
  PipelineConfig,
} from './types.js';

export const RECEIVERS: readonly OffloadReceiver[] = ['datakit-http', 'ploffload'];
const BALANCES: readonly OffloadBalance[] = ['round_robin', 'least_pending', 'affinity'];
const WHEN_FULL: readonly OffloadWhenFull[] = ['drop_oldest', 'block'];

export function defaultPipeline(dataDir: string): Draft<PipelineConfig> {
  return {
    remotePullIntervalMs: PIPELINE.remotePullIntervalMs,
    disableAppendRunInfo: false,
    defaultPipeline: {},
    referTableUrl: '',
    referTablePullIntervalMs: PIPELINE.referTablePullIntervalMs,
    ipdbType: PIPELINE.ipdbType,
    ipdbAttr: { geoipFile: '', ispFile: '' },
    httpRequest: {
      enabled: false,
      hostAllowList: [],
      cidrAllowList: [],
      disableInternalNet: false,
      timeoutMs: PIPELINE.httpRequestTimeoutMs,
      maxResponseBytes: PIPELINE.httpRequestMaxResponseBytes,
    },
    offload: {
      // Until finishOffload(): "a receiver is set"; then also "and an address is".
      enabled: true,
      receiver: OFFLOAD.receiver,
      addresses: [],
      targets: [],
      batchSize: OFFLOAD.batchSize,
      flushIntervalMs: OFFLOAD.flushIntervalMs,
      balance: OFFLOAD.balance,
      affinityKeys: [],
      healthCheckIntervalMs: OFFLOAD.healthCheckIntervalMs,
      spoolPath: resolve(dataDir, OFFLOAD.spoolDir),
      spoolCapacityMiB: OFFLOAD.spoolCapacityMiB,
      token: '',
      tlsCa: '',
      tlsInsecureSkipVerify: false,
      timeoutMs: OFFLOAD.timeoutMs,
      whenFull: OFFLOAD.whenFull,
    },
  };
}

export function readPipeline(t: TableReader | null, workdir: string, cfg: Draft<PipelineConfig>): void {
  if (t === null) return;
  cfg.remotePullIntervalMs = t.duration('remote_pull_interval', cfg.remotePullIntervalMs, { positive: true });
  cfg.disableAppendRunInfo = t.bool('disable_append_run_info', cfg.disableAppendRunInfo);
  cfg.referTableUrl = t.string('refer_table_url', cfg.referTableUrl);
  cfg.referTablePullIntervalMs = t.duration('refer_table_pull_interval', cfg.referTablePullIntervalMs, {
    positive: true,
  });
  cfg.defaultPipeline = readDefaultPipeline(t);
  readIpdb(t, cfg);
  readHttpRequest(t, cfg.httpRequest);
  const off = t.subTable('offload');
  if (off !== null) readOffload(off, workdir, cfg.offload);
  t.finish();
}

function readIpdb(t: TableReader, cfg: Draft<PipelineConfig>): void {
  cfg.ipdbType = t.string('ipdb_type', cfg.ipdbType);
  const attr = t.subTable('ipdb_attr');
  if (attr === null) return;
  cfg.ipdbAttr = {
    geoipFile: attr.string('geoip_file', ''),
    ispFile: attr.string('isp_file', ''),
  };
  attr.string('iploc_file', '');
  attr.finish();
}

function readHttpRequest(t: TableReader, h: Draft<HttpRequestFuncConfig>): void {
  const disabled = t.bool('disable_http_request_func', false);
  h.enabled = t.bool('http_request_enabled', h.enabled) && !disabled;
  h.hostAllowList = t.stringList('http_request_host_whitelist', h.hostAllowList);
  h.cidrAllowList = [
    ...t.stringList('http_request_cidr_whitelist', []),
    ...t.stringList('http_request_cidr_whiltelist', []),
  ];
  h.disableInternalNet = t.bool('http_request_disable_internal_net', h.disableInternalNet);
  h.timeoutMs = t.duration('http_request_timeout', h.timeoutMs, { positive: true });
  h.maxResponseBytes = t.integer('http_request_max_response_bytes', h.maxResponseBytes, { min: 1 });
}

function readDefaultPipeline(t: TableReader): Partial<Record<Category, string>> {
  const out: Partial<Record<Category, string>> = {};
  const m = t.stringMap('default_pipeline');
  for (const [name, script] of Object.entries(m)) {
    const c = categoryFromName(name);
    if (c === undefined) t.warn(['default_pipeline', name], 'unknown category, ignored');
    else if (script !== '') out[c] = script;
  }
  return out;
}

function readOffload(t: TableReader, workdir: string, o: Draft<OffloadConfig>): void {
  const receiver = t.string('receiver', o.receiver);
  if (receiver === '') o.enabled = false;
  else {
    o.enabled = true;
    o.receiver = receiverOf(receiver, (msg) => t.error('receiver', msg)) ?? o.receiver;
  }
  o.addresses = t.stringList('addresses', []);
  o.batchSize = t.integer('batch_size', o.batchSize, { min: 1 });
  o.flushIntervalMs = t.duration('flush_interval', o.flushIntervalMs, { positive: true });
  o.balance = t.oneOf('balance', BALANCES, o.balance);
  o.affinityKeys = t.stringList('affinity_keys', []);
  o.healthCheckIntervalMs = t.duration('health_check_interval', o.healthCheckIntervalMs, { positive: true });
  const spool = t.string('spool_path', '');
  if (spool !== '') o.spoolPath = resolve(workdir, spool);
  o.spoolCapacityMiB = t.number('spool_capacity', o.spoolCapacityMiB, { min: 1 });
  o.token = t.string('token', o.token);
  o.tlsCa = t.string('tls_ca', o.tlsCa);
  if (o.tlsCa !== '') o.tlsCa = resolve(workdir, o.tlsCa);
  o.tlsInsecureSkipVerify = t.bool('tls_insecure_skip_verify', o.tlsInsecureSkipVerify);
  o.timeoutMs = t.duration('timeout', o.timeoutMs, { positive: true });
  o.whenFull = t.oneOf('when_full', WHEN_FULL, o.whenFull);
  t.finish();
}

export function receiverOf(s: string, error: (msg: string) => void): OffloadReceiver | null {
  if ((RECEIVERS as readonly string[]).includes(s)) return s as OffloadReceiver;
  error(`expected "datakit-http" or "ploffload", got ${JSON.stringify(s)}`);
  return null;
}
