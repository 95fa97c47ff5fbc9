/**
 * The `ENV_*` variables DataKit documents for container deployments
 * (datakit-daemonset-deploy.md, the ploffload input doc), applied over the
 * file values with DataKit's precedence: the environment wins. Only the
 * variables that map onto keys plkit reads are here.
 */
import { resolve } from 'node:path';
import type { Category } from '../point/category.js';
import { categoryFromName } from '../point/category.js';
import { categoryList, clampRetryCount, contentEncoding } from './dataway-section.js';
import { IO } from './defaults.js';
import type { ConfigDraft, Draft } from './draft.js';
import { type EnvReader, parseTagList } from './env-reader.js';
import { checkListen } from './http-api-section.js';
import { receiverOf } from './pipeline-section.js';
import { defaultPloffloadStorage } from './ploffload-input.js';
import type { PloffloadInputConfig } from './types.js';

/** Variables for datakit.conf keys (everything except the inputs). */
export function applyMainEnv(cfg: ConfigDraft, env: EnvReader, workdir: string): void {
  const host = env.pick('ENV_HOSTNAME', 'ENV_K8S_NODE_NAME', 'NODE_NAME');
  if (host !== null) {
    cfg.hostname = host.value;
    env.applied(host.name, 'hostname');
  }
  env.flag('ENV_DISABLE_PROTECT_MODE', 'protect_mode', () => {
    cfg.protectMode = false;
  });
  applyHttpApiEnv(cfg, env);
  applyDatawayEnv(cfg, env, workdir);
  applyIoEnv(cfg, env);
  applyTagsEnv(cfg, env);
  applyPipelineEnv(cfg, env);

  const inputs = env.pick('ENV_DEFAULT_ENABLED_INPUTS', 'ENV_ENABLE_INPUTS');
  if (inputs !== null) {
    if (inputs.name === 'ENV_ENABLE_INPUTS') {
      env.warn(inputs.name, 'default_enabled_inputs', 'deprecated: use ENV_DEFAULT_ENABLED_INPUTS');
    }
    cfg.defaultEnabledInputs =
      inputs.value.trim() === '-'
        ? []
        : inputs.value
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
    env.applied(inputs.name, 'default_enabled_inputs');
  }
}

function applyHttpApiEnv(cfg: ConfigDraft, env: EnvReader): void {
  const h = cfg.httpApi;
  const listen = env.raw('ENV_HTTP_LISTEN');
  if (listen !== null) {
    const err = checkListen(listen);
    if (err !== null) env.error('ENV_HTTP_LISTEN', 'http_api.listen', err);
    else {
      h.listen = listen;
      env.applied('ENV_HTTP_LISTEN', 'http_api.listen');
    }
  }
  env.duration(
    'ENV_HTTP_TIMEOUT',
    'http_api.timeout',
    (ms) => {
      h.timeoutMs = ms;
    },
    true,
  );
  env.list('ENV_HTTP_PUBLIC_APIS', 'http_api.public_apis', (v) => {
    h.publicApis = v;
  });
  env.number('ENV_REQUEST_RATE_LIMIT', 'http_api.request_rate_limit', Number.NEGATIVE_INFINITY, (n) => {
    h.requestRateLimit = n;
  });
}

function applyDatawayEnv(cfg: ConfigDraft, env: EnvReader, workdir: string): void {
  const d = cfg.dataway;
  env.list('ENV_DATAWAY', 'dataway.urls', (v) => {
    d.urls = v;
  });
  env.duration(
    'ENV_DATAWAY_TIMEOUT',
    'dataway.timeout_v2',
    (ms) => {
      d.timeoutMs = ms;
    },
    true,
  );
  env.integer('ENV_DATAWAY_MAX_RETRY_COUNT', 'dataway.max_retry_count', 1, (n) => {
    d.maxRetryCount = clampRetryCount(n, (msg) =>
      env.warn('ENV_DATAWAY_MAX_RETRY_COUNT', 'dataway.max_retry_count', msg),
    );
  });
  env.duration('ENV_DATAWAY_RETRY_DELAY', 'dataway.retry_delay', (ms) => {
    d.retryDelayMs = ms;
  });
  env.integer('ENV_DATAWAY_MAX_RAW_BODY_SIZE', 'dataway.max_raw_body_size', 0, (n) => {
    d.maxRawBodySize = n;
  });
  env.string('ENV_DATAWAY_CONTENT_ENCODING', 'dataway.content_encoding', (v) => {
    d.contentEncoding = contentEncoding(v, (msg) =>
      env.warn('ENV_DATAWAY_CONTENT_ENCODING', 'dataway.content_encoding', msg),
    );
  });
  env.flag('ENV_DATAWAY_DISABLE_GZIP', 'dataway.gzip', () => {
    d.gzip = false;
  });
  env.string('ENV_DATAWAY_HTTP_PROXY', 'dataway.http_proxy', (v) => {
    d.httpProxy = v;
  });
  env.flag('ENV_DATAWAY_TLS_INSECURE', 'dataway.tls_insecure', () => {
    d.tlsInsecure = true;
  });
  env.duration('ENV_DATAWAY_IDLE_TIMEOUT', 'dataway.idle_timeout', (ms) => {
    d.idleTimeoutMs = ms;
  });
  env.number('ENV_DATAWAY_WAL_CAPACITY', 'dataway.wal.max_capacity_gb', 0, (n) => {
    d.wal.maxCapacityGb = n;
  });
  env.string('ENV_DATAWAY_WAL_PATH', 'dataway.wal.path', (v) => {
    d.wal.path = resolve(workdir, v);
  });
  env.duration('ENV_DATAWAY_WAL_FAIL_CACHE_CLEAN_INTERVAL', 'dataway.wal.fail_cache_clean_interval', (ms) => {
    d.wal.failCacheCleanIntervalMs = ms;
  });
  env.list('ENV_DATAWAY_WAL_NO_DROP_CATEGORIES', 'dataway.wal.no_drop_categories', (v) => {
    d.wal.noDropCategories = categoryList(v, (_i, msg) =>
      env.error('ENV_DATAWAY_WAL_NO_DROP_CATEGORIES', 'dataway.wal.no_drop_categories', msg),
    );
  });
}

function applyIoEnv(cfg: ConfigDraft, env: EnvReader): void {
  env.integer('ENV_IO_MAX_CACHE_COUNT', 'io.max_cache_count', 1, (n) => {
    if (n < IO.minEnvMaxCacheCount) {
      env.warn(
        'ENV_IO_MAX_CACHE_COUNT',
        'io.max_cache_count',
        `${n} is below ${IO.minEnvMaxCacheCount}: ignored, as DataKit does`,
      );
    } else cfg.io.maxCacheCount = n;
  });
  env.duration(
    'ENV_IO_FLUSH_INTERVAL',
    'io.flush_interval',
    (ms) => {
      cfg.io.flushIntervalMs = ms;
    },
    true,
  );
  env.integer('ENV_IO_FLUSH_WORKERS', 'io.flush_workers', 0, (n) => {
    cfg.io.flushWorkers = n;
  });
}

function applyTagsEnv(cfg: ConfigDraft, env: EnvReader): void {
  const tags = env.pick('ENV_GLOBAL_HOST_TAGS', 'ENV_GLOBAL_TAGS');
  if (tags !== null) {
    const key = 'global_host_tags';
    if (tags.name === 'ENV_GLOBAL_TAGS') env.warn(tags.name, key, 'deprecated: use ENV_GLOBAL_HOST_TAGS');
    const { tags: parsed, bad } = parseTagList(tags.value);
    for (const b of bad)
      env.error(tags.name, key, `expected "key=value" entries separated by commas, got ${JSON.stringify(b)}`);
    Object.assign(cfg.globalHostTags, parsed);
    env.applied(tags.name, key);
  }
  env.string('ENV_CLUSTER_NAME_K8S', 'global_host_tags.cluster_name_k8s', (v) => {
    cfg.globalHostTags['cluster_name_k8s'] = v;
  });
}

function applyPipelineEnv(cfg: ConfigDraft, env: EnvReader): void {
  const p = cfg.pipeline;
  const dp = env.raw('ENV_PIPELINE_DEFAULT_PIPELINE');
  if (dp !== null) {
    const m = parseDefaultPipelineJson(dp);
    if (typeof m === 'string') env.error('ENV_PIPELINE_DEFAULT_PIPELINE', 'pipeline.default_pipeline', m);
    else {
      Object.assign(p.defaultPipeline, m);
      env.applied('ENV_PIPELINE_DEFAULT_PIPELINE', 'pipeline.default_pipeline');
    }
  }
  env.flag('ENV_PIPELINE_DISABLE_APPEND_RUN_INFO', 'pipeline.disable_append_run_info', () => {
    p.disableAppendRunInfo = true;
  });
  env.string('ENV_REFER_TABLE_URL', 'pipeline.refer_table_url', (v) => {
    p.referTableUrl = v;
  });
  env.duration(
    'ENV_REFER_TABLE_PULL_INTERVAL',
    'pipeline.refer_table_pull_interval',
    (ms) => {
      p.referTablePullIntervalMs = ms;
    },
    true,
  );

  const o = p.offload;
  const recv = env.raw('ENV_PIPELINE_OFFLOAD_RECEIVER');
  if (recv !== null) {
    const r = receiverOf(recv.trim(), (msg) =>
      env.error('ENV_PIPELINE_OFFLOAD_RECEIVER', 'pipeline.offload.receiver', msg),
    );
    if (r !== null) {
      o.receiver = r;
      o.enabled = true;
      env.applied('ENV_PIPELINE_OFFLOAD_RECEIVER', 'pipeline.offload.receiver');
    }
  }
  env.list('ENV_PIPELINE_OFFLOAD_ADDRESSES', 'pipeline.offload.addresses', (v) => {
    o.addresses = v;
    // DataKit: addresses alone imply the datakit-http receiver (the default already is).
    if (recv === null) o.enabled = true;
  });
}

/** `{"logging":"abc.p","metric":"xyz.p"}` → category map, or the reason it is not one. */
function parseDefaultPipelineJson(v: string): Partial<Record<Category, string>> | string {
  let obj: unknown;
  try {
    obj = JSON.parse(v);
  } catch {
    return `expected a JSON object like {"logging":"abc.p"}, got ${JSON.stringify(v)}`;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    return `expected a JSON object like {"logging":"abc.p"}, got ${JSON.stringify(v)}`;
  const out: Partial<Record<Category, string>> = {};
  for (const [k, s] of Object.entries(obj)) {
    const c = categoryFromName(k);
    if (c === undefined) return `unknown category ${JSON.stringify(k)}`;
    if (typeof s !== 'string') return `script for ${JSON.stringify(k)} must be a string`;
    if (s !== '') out[c] = s;
  }
  return out;
}

/** `ENV_INPUT_PLOFFLOAD_STORAGE_*`, read only when the ploffload input is enabled (as DataKit does). */
export function applyPloffloadEnv(
  ploffload: Draft<PloffloadInputConfig> | null,
  env: EnvReader,
  workdir: string,
): void {
  const names = ['ENV_INPUT_PLOFFLOAD_STORAGE_PATH', 'ENV_INPUT_PLOFFLOAD_STORAGE_CAPACITY'];
  if (ploffload === null) {
    for (const n of names) {
      if (env.raw(n) !== null)
        env.warn(n, 'inputs.ploffload.storage', 'ignored: the ploffload input is not enabled');
    }
    return;
  }
  const storage = (): NonNullable<Draft<PloffloadInputConfig>['storage']> => {
    if (ploffload.storage === null) ploffload.storage = defaultPloffloadStorage(workdir);
    return ploffload.storage;
  };
  env.string(names[0]!, 'inputs.ploffload.storage.path', (v) => {
    storage().path = resolve(workdir, v);
  });
  env.integer(names[1]!, 'inputs.ploffload.storage.capacity', 1, (n) => {
    storage().capacityMiB = n;
  });
}
