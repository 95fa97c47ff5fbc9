/**
 * `plkit check`: loads the configuration the way `plkit run` would, prints
 * the effective result (secrets masked) as pretty JSON on stdout, then one
 * line per warning and error on stderr, and exits 1 when there are errors.
 */
import { dirname, resolve } from 'node:path';
import { type Env, formatIssue, loadConfig, maskedConfig } from '../config/index.js';
import { loggingInputIssues } from '../inputs/logging/check.js';
import type { CliIo } from './io.js';

export interface CheckCommandOptions {
  /** Folder with datakit.conf and the input files (default `<workdir>/conf.d`). */
  configDir?: string;
  /** Install directory (default: the parent of `configDir`, else the current directory). */
  workdir?: string;
  /** For tests; default `process.env`. */
  env?: Env;
}

export function checkCommand(opts: CheckCommandOptions, io: Pick<CliIo, 'stdout' | 'stderr'>): number {
  const workdir =
    opts.workdir !== undefined
      ? resolve(opts.workdir)
      : opts.configDir !== undefined
        ? dirname(resolve(opts.configDir))
        : process.cwd();
  const res = loadConfig({
    workdir,
    ...(opts.configDir !== undefined ? { confDir: resolve(opts.configDir) } : {}),
    ...(opts.env !== undefined ? { env: opts.env } : {}),
  });
  io.stdout(`${JSON.stringify(maskedConfig(res.config), null, 2)}\n`);
  for (const w of res.warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
  // Beyond parsing: what only compiling an input's parts reveals (run refuses these at start).
  const errors = [...res.errors];
  for (const l of res.config.inputs.logging) errors.push(...loggingInputIssues(l));
  for (const e of errors) io.stderr(`error: ${formatIssue(e)}\n`);
  const n = errors.length;
  const m = res.warnings.length;
  io.stderr(`plkit check: ${n} error${n === 1 ? '' : 's'}, ${m} warning${m === 1 ? '' : 's'}\n`);
  return n > 0 ? 1 : 0;
}
