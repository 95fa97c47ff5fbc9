/**
 * `loadConfig`: a DataKit install directory (or one laid out like it) plus
 * the environment → one validated, deep-frozen `Config`, with every
 * warning and error found along the way. Never throws for bad input: a
 * caller decides what errors mean (`plkit check` prints them, `plkit run`
 * refuses to start).
 *
 * Order, as in DataKit: datakit.conf (defaults when missing), then the
 * `ENV_*` overrides, then the input files, then inputs enabled by name
 * only, then the checks that span keys.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { type ConfigDraft, deepFreeze } from './draft.js';
import { applyMainEnv, applyPloffloadEnv } from './env.js';
import { type Env, EnvReader } from './env-reader.js';
import { type InputsState, listConfFiles, readInputFiles } from './inputs-section.js';
import { IssueSink, sortIssues } from './issues.js';
import { sampleLoggingInput } from './logging-input.js';
import { defaultDraft, readMainConf } from './main-conf.js';
import { Origins } from './origins.js';
import { TableReader } from './table-reader.js';
import { readTomlFile } from './toml-file.js';
import type { Config, ConfigPaths, LoadResult } from './types.js';
import { validateDraft } from './validate.js';

export interface LoadOptions {
  /** The install directory; relative paths in the configuration are taken from it. */
  workdir: string;
  /** Where datakit.conf and the input files are; default `<workdir>/conf.d`. */
  confDir?: string;
  env?: Env;
}

export function configPaths(workdir: string, confDir?: string): ConfigPaths {
  const w = resolve(workdir);
  const confd = confDir !== undefined ? resolve(w, confDir) : join(w, 'conf.d');
  return {
    workdir: w,
    confd,
    mainConf: join(confd, 'datakit.conf'),
    pipelineRemote: join(w, 'pipeline_remote'),
    pipelineConfd: join(w, 'pipeline_confd'),
    pipelineGitrepos: join(w, 'pipeline_gitrepos'),
    pipeline: join(w, 'pipeline'),
    data: join(w, 'data'),
    cache: join(w, 'cache'),
  };
}

export function loadConfig(opts: LoadOptions): LoadResult {
  const paths = configPaths(opts.workdir, opts.confDir);
  const sink = new IssueSink();
  const origins = new Origins();
  const env = new EnvReader(opts.env ?? process.env, sink, origins);
  const cfg = defaultDraft(paths);
  const rel = (p: string): string => relative(paths.workdir, p).split(sep).join('/') || p;

  if (existsSync(paths.mainConf)) {
    const parsed = readTomlFile(paths.mainConf, rel(paths.mainConf), sink);
    if (parsed !== null) {
      readMainConf(
        new TableReader({ file: parsed.file, lines: parsed.lines, sink, origins }, [], parsed.table),
        cfg,
      );
    }
  }
  applyMainEnv(cfg, env, paths.workdir);

  const files = existsSync(paths.confd) ? listConfFiles(paths.confd, paths.mainConf) : [];
  const state = readInputFiles(files, paths.workdir, sink, origins);
  enableDefaultInputs(cfg, state, sink, origins);
  cfg.inputs = state.inputs;
  applyPloffloadEnv(cfg.inputs.ploffload, env, paths.workdir);

  validateDraft(cfg, origins, sink);
  return {
    config: deepFreeze(cfg) as Config,
    warnings: deepFreeze(sortIssues(sink.warnings)),
    errors: deepFreeze(sortIssues(sink.errors)),
  };
}

/** DataKit enables a listed input with its sample configuration only when no conf file configures it. */
function enableDefaultInputs(cfg: ConfigDraft, state: InputsState, sink: IssueSink, origins: Origins): void {
  const unsupported: string[] = [];
  for (const name of cfg.defaultEnabledInputs) {
    if (state.configured.has(name) || (name === 'tailf' && state.configured.has('logging'))) continue;
    if (name === 'ploffload') {
      state.inputs.ploffload = { storage: null };
      state.configured.add(name);
    } else if (name === 'logging') {
      state.inputs.logging.push(sampleLoggingInput('(default_enabled_inputs)'));
      state.configured.add(name);
    } else if (!unsupported.includes(name)) unsupported.push(name);
  }
  if (unsupported.length > 0) {
    sink.warn(
      origins.where('default_enabled_inputs'),
      `inputs not implemented by plkit, ignored: ${unsupported.join(', ')}`,
    );
  }
}
