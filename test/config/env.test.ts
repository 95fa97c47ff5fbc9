import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import { lines, load } from './fixture.js';

const FILE = {
  'conf.d/datakit.conf': `[http_api]
listen = "localhost:9529"
[dataway]
urls = ["https://file.example.com?token=tkn_file"]
[global_host_tags]
host = "$datakit_hostname"
env = "file"
[pipeline.offload]
receiver = "ploffload"
addresses = ["http://10.0.0.9:9529"]
`,
};

type Case = [string, Record<string, string>, (c: Config) => unknown, unknown];

describe('environment overrides', () => {
  it.each<Case>([
    [
      'ENV_DATAWAY (one URL)',
      { ENV_DATAWAY: 'https://env.example.com?token=tkn_env' },
      (c) => c.dataway.endpoints.map((e) => [e.base, e.token]),
      [['https://env.example.com', 'tkn_env']],
    ],
    [
      'ENV_DATAWAY (comma-separated)',
      { ENV_DATAWAY: 'http://a:1?token=t1, http://b:2?token=t2' },
      (c) => c.dataway.urls,
      ['http://a:1?token=t1', 'http://b:2?token=t2'],
    ],
    ['ENV_HTTP_LISTEN', { ENV_HTTP_LISTEN: '0.0.0.0:9530' }, (c) => c.httpApi.listen, '0.0.0.0:9530'],
    ['ENV_HTTP_TIMEOUT', { ENV_HTTP_TIMEOUT: '1m' }, (c) => c.httpApi.timeoutMs, 60_000],
    [
      'ENV_HTTP_PUBLIC_APIS',
      { ENV_HTTP_PUBLIC_APIS: '/v1/write/logging,/v1/ping' },
      (c) => c.httpApi.publicApis,
      ['/v1/write/logging', '/v1/ping'],
    ],
    ['ENV_REQUEST_RATE_LIMIT', { ENV_REQUEST_RATE_LIMIT: '12.5' }, (c) => c.httpApi.requestRateLimit, 12.5],
    [
      'ENV_GLOBAL_HOST_TAGS merges over the file',
      { ENV_GLOBAL_HOST_TAGS: 'env=prod, zone = a ' },
      (c) => c.globalHostTags,
      { host: '$datakit_hostname', env: 'prod', zone: 'a' },
    ],
    ['ENV_GLOBAL_TAGS (deprecated alias)', { ENV_GLOBAL_TAGS: 'k=v' }, (c) => c.globalHostTags['k'], 'v'],
    [
      'ENV_CLUSTER_NAME_K8S',
      { ENV_CLUSTER_NAME_K8S: 'k8s-1' },
      (c) => c.globalHostTags['cluster_name_k8s'],
      'k8s-1',
    ],
    ['ENV_HOSTNAME', { ENV_HOSTNAME: 'dk-7', ENV_K8S_NODE_NAME: 'node-1' }, (c) => c.hostname, 'dk-7'],
    ['ENV_K8S_NODE_NAME', { ENV_K8S_NODE_NAME: 'node-1' }, (c) => c.hostname, 'node-1'],
    ['ENV_DISABLE_PROTECT_MODE', { ENV_DISABLE_PROTECT_MODE: 'on' }, (c) => c.protectMode, false],
    ['ENV_DATAWAY_TIMEOUT', { ENV_DATAWAY_TIMEOUT: '2m' }, (c) => c.dataway.timeoutMs, 120_000],
    ['ENV_DATAWAY_MAX_RETRY_COUNT', { ENV_DATAWAY_MAX_RETRY_COUNT: '4' }, (c) => c.dataway.maxRetryCount, 4],
    [
      'ENV_DATAWAY_MAX_RETRY_COUNT clamps at 10',
      { ENV_DATAWAY_MAX_RETRY_COUNT: '50' },
      (c) => c.dataway.maxRetryCount,
      10,
    ],
    ['ENV_DATAWAY_RETRY_DELAY', { ENV_DATAWAY_RETRY_DELAY: '200ms' }, (c) => c.dataway.retryDelayMs, 200],
    [
      'ENV_DATAWAY_MAX_RAW_BODY_SIZE',
      { ENV_DATAWAY_MAX_RAW_BODY_SIZE: '524288' },
      (c) => c.dataway.maxRawBodySize,
      524_288,
    ],
    [
      'ENV_DATAWAY_CONTENT_ENCODING',
      { ENV_DATAWAY_CONTENT_ENCODING: 'v1' },
      (c) => c.dataway.contentEncoding,
      'v1',
    ],
    ['ENV_DATAWAY_DISABLE_GZIP', { ENV_DATAWAY_DISABLE_GZIP: '1' }, (c) => c.dataway.gzip, false],
    [
      'ENV_DATAWAY_HTTP_PROXY',
      { ENV_DATAWAY_HTTP_PROXY: 'http://proxy:3128' },
      (c) => c.dataway.httpProxy,
      'http://proxy:3128',
    ],
    ['ENV_DATAWAY_TLS_INSECURE', { ENV_DATAWAY_TLS_INSECURE: 'on' }, (c) => c.dataway.tlsInsecure, true],
    [
      'ENV_DATAWAY_WAL_CAPACITY',
      { ENV_DATAWAY_WAL_CAPACITY: '0.25' },
      (c) => c.dataway.wal.maxCapacityGb,
      0.25,
    ],
    [
      'ENV_DATAWAY_WAL_NO_DROP_CATEGORIES',
      { ENV_DATAWAY_WAL_NO_DROP_CATEGORIES: 'L,T,N' },
      (c) => c.dataway.wal.noDropCategories,
      ['logging', 'tracing', 'network'],
    ],
    ['ENV_DATAWAY_WAL_PATH', { ENV_DATAWAY_WAL_PATH: '/wal' }, (c) => c.dataway.wal.path, '/wal'],
    ['ENV_IO_MAX_CACHE_COUNT', { ENV_IO_MAX_CACHE_COUNT: '4096' }, (c) => c.io.maxCacheCount, 4096],
    [
      'ENV_IO_MAX_CACHE_COUNT below 1000 is ignored',
      { ENV_IO_MAX_CACHE_COUNT: '10' },
      (c) => c.io.maxCacheCount,
      1000,
    ],
    ['ENV_IO_FLUSH_INTERVAL', { ENV_IO_FLUSH_INTERVAL: '2s' }, (c) => c.io.flushIntervalMs, 2000],
    ['ENV_IO_FLUSH_WORKERS', { ENV_IO_FLUSH_WORKERS: '8' }, (c) => c.io.flushWorkers, 8],
    [
      'ENV_PIPELINE_DEFAULT_PIPELINE',
      { ENV_PIPELINE_DEFAULT_PIPELINE: '{"logging":"abc.p","M":"xyz.p"}' },
      (c) => c.pipeline.defaultPipeline,
      { logging: 'abc.p', metric: 'xyz.p' },
    ],
    [
      'ENV_PIPELINE_DISABLE_APPEND_RUN_INFO',
      { ENV_PIPELINE_DISABLE_APPEND_RUN_INFO: 'on' },
      (c) => c.pipeline.disableAppendRunInfo,
      true,
    ],
    [
      'ENV_REFER_TABLE_URL',
      { ENV_REFER_TABLE_URL: 'http://rt/x' },
      (c) => c.pipeline.referTableUrl,
      'http://rt/x',
    ],
    [
      'ENV_REFER_TABLE_PULL_INTERVAL',
      { ENV_REFER_TABLE_PULL_INTERVAL: '10m' },
      (c) => c.pipeline.referTablePullIntervalMs,
      600_000,
    ],
    [
      'ENV_PIPELINE_OFFLOAD_RECEIVER',
      { ENV_PIPELINE_OFFLOAD_RECEIVER: 'datakit-http' },
      (c) => [c.pipeline.offload.receiver, c.pipeline.offload.targets],
      ['datakit-http', ['http://10.0.0.9:9529']],
    ],
    [
      'ENV_PIPELINE_OFFLOAD_ADDRESSES replaces the file list',
      { ENV_PIPELINE_OFFLOAD_ADDRESSES: 'http://10.0.0.2:9529,http://10.0.0.3:9529' },
      (c) => [c.pipeline.offload.receiver, c.pipeline.offload.targets, c.pipeline.offload.enabled],
      ['ploffload', ['http://10.0.0.2:9529', 'http://10.0.0.3:9529'], true],
    ],
    [
      'ENV_DEFAULT_ENABLED_INPUTS',
      { ENV_DEFAULT_ENABLED_INPUTS: 'ploffload' },
      (c) => c.inputs.ploffload,
      { storage: null },
    ],
    [
      'ENV_ENABLE_INPUTS (deprecated alias)',
      { ENV_ENABLE_INPUTS: 'cpu,ploffload' },
      (c) => [c.defaultEnabledInputs, c.inputs.ploffload !== null],
      [['cpu', 'ploffload'], true],
    ],
    [
      'ENV_DEFAULT_ENABLED_INPUTS "-" enables none',
      { ENV_DEFAULT_ENABLED_INPUTS: '-' },
      (c) => c.defaultEnabledInputs,
      [],
    ],
    [
      'empty variables count as unset',
      { ENV_HTTP_LISTEN: '', ENV_DATAWAY: '' },
      (c) => [c.httpApi.listen, c.dataway.urls.length],
      ['localhost:9529', 1],
    ],
  ])('%s', (_name, env, pick, want) => {
    const r = load(FILE, env);
    expect(r.errors).toEqual([]);
    expect(pick(r.config)).toEqual(want);
  });

  it('ENV_PIPELINE_OFFLOAD_ADDRESSES alone implies receiver datakit-http', () => {
    const r = load({}, { ENV_PIPELINE_OFFLOAD_ADDRESSES: 'http://10.0.0.2:9529' });
    expect(r.errors).toEqual([]);
    expect(r.config.pipeline.offload).toMatchObject({
      enabled: true,
      receiver: 'datakit-http',
      targets: ['http://10.0.0.2:9529'],
    });
    const off = load(
      { 'conf.d/datakit.conf': '[pipeline.offload]\nreceiver = ""\n' },
      { ENV_PIPELINE_OFFLOAD_ADDRESSES: 'http://10.0.0.2:9529' },
    );
    expect(off.config.pipeline.offload).toMatchObject({ enabled: true, receiver: 'datakit-http' });
  });

  it('ENV_INPUT_PLOFFLOAD_STORAGE_* configure the ploffload disk cache', () => {
    const r = load(
      { 'conf.d/p.conf': '[inputs.ploffload]\n' },
      { ENV_INPUT_PLOFFLOAD_STORAGE_PATH: 'plcache', ENV_INPUT_PLOFFLOAD_STORAGE_CAPACITY: '100' },
    );
    expect(r.errors).toEqual([]);
    expect(r.config.inputs.ploffload).toEqual({
      storage: { path: join(r.config.paths.workdir, 'plcache'), capacityMiB: 100 },
    });
    const onlyCap = load({}, { ENV_ENABLE_INPUTS: 'ploffload', ENV_INPUT_PLOFFLOAD_STORAGE_CAPACITY: '64' });
    expect(onlyCap.config.inputs.ploffload).toEqual({
      storage: { path: join(onlyCap.config.paths.workdir, 'ploffload_storage'), capacityMiB: 64 },
    });
  });

  it('ENV_INPUT_PLOFFLOAD_STORAGE_* without the input is a warning', () => {
    const r = load({}, { ENV_INPUT_PLOFFLOAD_STORAGE_PATH: '/x' });
    expect(r.config.inputs.ploffload).toBeNull();
    expect(lines(r.warnings)).toContain(
      '$ENV_INPUT_PLOFFLOAD_STORAGE_PATH (inputs.ploffload.storage): ignored: the ploffload input is not enabled',
    );
  });

  it('deprecated aliases warn', () => {
    const r = load({}, { ENV_GLOBAL_TAGS: 'a=b', ENV_ENABLE_INPUTS: 'ploffload' });
    expect(lines(r.warnings)).toEqual(
      expect.arrayContaining([
        '$ENV_GLOBAL_TAGS (global_host_tags): deprecated: use ENV_GLOBAL_HOST_TAGS',
        '$ENV_ENABLE_INPUTS (default_enabled_inputs): deprecated: use ENV_DEFAULT_ENABLED_INPUTS',
      ]),
    );
  });
});
