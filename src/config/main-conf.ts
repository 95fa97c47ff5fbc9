/**
 * `conf.d/datakit.conf` into the draft: the sections plkit reads, DataKit's
 * deprecated spellings of them, and a warning for everything else (one per
 * unknown table, not per key, since real datakit.conf files carry many
 * DataKit-only tables such as `[election]` or `[git_repos]`).
 */
import { defaultDataway, readDataway } from './dataway-section.js';
import { IO } from './defaults.js';
import type { ConfigDraft } from './draft.js';
import { readHttpApi } from './http-api-section.js';
import { defaultPipeline, readPipeline } from './pipeline-section.js';
import type { TableReader } from './table-reader.js';
import type { ConfigPaths } from './types.js';

export function defaultDraft(paths: ConfigPaths): ConfigDraft {
  return {
    paths: { ...paths },
    hostname: null,
    protectMode: true,
    httpApi: readHttpApi(null),
    dataway: defaultDataway(paths.cache),
    io: {
      maxCacheCount: IO.maxCacheCount,
      flushIntervalMs: IO.flushIntervalMs,
      flushWorkers: IO.flushWorkers,
    },
    globalHostTags: {},
    pipeline: defaultPipeline(paths.data),
    defaultEnabledInputs: [],
    inputs: { logging: [], ploffload: null, ignored: [] },
  };
}

export function readMainConf(root: TableReader, cfg: ConfigDraft): void {
  const workdir = cfg.paths.workdir;
  cfg.protectMode = root.bool('protect_mode', cfg.protectMode);
  cfg.defaultEnabledInputs = root.stringList('default_enabled_inputs', []);

  const http = root.subTable('http_api');
  cfg.httpApi = readHttpApi(http);
  const oldListen = root.deprecated('http_listen', 'use [http_api] listen');
  if (typeof oldListen === 'string' && oldListen !== '' && (http === null || !http.has('listen'))) {
    cfg.httpApi.listen = oldListen;
  }

  readDataway(root.subTable('dataway'), workdir, cfg.dataway);

  const io = root.subTable('io');
  if (io !== null) {
    cfg.io.maxCacheCount = io.integer('max_cache_count', cfg.io.maxCacheCount, { min: 1 });
    cfg.io.flushIntervalMs = io.duration('flush_interval', cfg.io.flushIntervalMs, { positive: true });
    cfg.io.flushWorkers = io.integer('flush_workers', cfg.io.flushWorkers, { min: 0 });
    io.finish();
  }

  cfg.globalHostTags = root.stringMap('global_host_tags');
  if (root.has('global_tags')) {
    root.warn('global_tags', 'deprecated: use [global_host_tags]');
    const old = root.stringMap('global_tags');
    for (const [k, v] of Object.entries(old)) if (!(k in cfg.globalHostTags)) cfg.globalHostTags[k] = v;
  }

  const envs = root.subTable('environments');
  if (envs !== null) {
    const h = envs.string('ENV_HOSTNAME', '');
    if (h !== '') cfg.hostname = h;
    envs.finish();
  }

  readPipeline(root.subTable('pipeline'), workdir, cfg.pipeline);
  root.finish();
}
