/**
 * `plkit run`: load the DataKit-style configuration under `--workdir`, start
 * the agent, and stop it cleanly (intake first, then flush) on SIGINT or
 * SIGTERM within a bounded time.
 */
import { resolve } from 'node:path';
import { Agent } from '../agent/index.js';
import { createLogger } from '../common/logger.js';
import { formatIssue, loadConfig } from '../config/index.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

export interface RunCommandOptions {
  workdir?: string;
  /** Stops the agent like a signal would (tests, embedding). */
  stopSignal?: AbortSignal;
  logLevel?: string;
}

const STOP_TIMEOUT_MS = 15_000;

export async function runCommand(opts: RunCommandOptions, io: CliIo): Promise<number> {
  const workdir = resolve(opts.workdir ?? '.');
  const res = loadConfig({ workdir });
  for (const w of res.warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
  if (res.errors.length > 0) {
    for (const e of res.errors) io.stderr(`error: ${formatIssue(e)}\n`);
    io.stderr(
      `plkit run: ${res.errors.length} configuration error(s); fix them and start again (plkit check shows the effective configuration)\n`,
    );
    return 1;
  }
  const logger = createLogger({ level: opts.logLevel, name: 'plkit' });
  const agent = new Agent({ config: res.config, logger, version: VERSION });
  let info: Awaited<ReturnType<Agent['start']>>;
  try {
    info = await agent.start();
  } catch (e) {
    io.stderr(`plkit run: cannot start: ${(e as Error).message}\n`);
    return 1;
  }
  io.stdout(
    `plkit ${VERSION} running in ${workdir}: HTTP API ${info.apiUrl}, DataWay ${info.datawayUrls.join(', ')}\n`,
  );
  if (info.localDataway) {
    io.stdout(
      `no DataWay configured: points go to the embedded local DataWay ${info.localDataway.url} (database ${info.localDataway.db}); see ${info.localDataway.url}/ or ${info.localDataway.url}/v1/query?category=logging\n`,
    );
  }
  await new Promise<void>((done) => {
    const onSignal = () => done();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    opts.stopSignal?.addEventListener('abort', onSignal, { once: true });
  });
  io.stdout('plkit run: stopping (intake closed, flushing)\n');
  const timer = setTimeout(() => {
    io.stderr(
      `plkit run: stop took longer than ${STOP_TIMEOUT_MS} ms; exiting, unsent data stays in the WAL\n`,
    );
    process.exit(1);
  }, STOP_TIMEOUT_MS);
  timer.unref();
  await agent.stop();
  clearTimeout(timer);
  io.stdout('plkit run: stopped\n');
  return 0;
}
