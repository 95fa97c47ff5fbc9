/**
 * `plkit dataway`: run the embedded local DataWay in the foreground until
 * SIGINT or SIGTERM, so plkit (or DataKit) can upload somewhere real
 * without a cloud account.
 */
import { resolve } from 'node:path';
import { LocalDataway } from '../localdataway/index.js';
import type { CliIo } from './io.js';

export interface DatawayCommandOptions {
  listen?: string;
  db?: string;
  scripts?: string;
  token?: string;
  /** Stops the server like a signal would; for tests and embedding. */
  stopSignal?: AbortSignal;
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export async function datawayCommand(opts: DatawayCommandOptions, io: CliIo): Promise<number> {
  const listen = opts.listen ?? '127.0.0.1:9528';
  const db = opts.db ?? './data/local-dataway.db';
  const dw = new LocalDataway({
    listen,
    dbPath: db,
    scriptsDir: opts.scripts,
    token: opts.token,
  });
  let url: string;
  try {
    ({ url } = await dw.start());
  } catch (e) {
    io.stderr(`plkit dataway: cannot start on ${listen} with database ${db}: ${(e as Error).message}\n`);
    return 1;
  }
  const scripts = opts.scripts ? `, remote pipelines from ${resolve(opts.scripts)}` : '';
  io.stdout(`plkit local DataWay listening on ${url}, database ${resolve(db)}${scripts}\n`);

  await new Promise<void>((done) => {
    const finish = (): void => {
      for (const s of STOP_SIGNALS) process.off(s, finish);
      opts.stopSignal?.removeEventListener('abort', finish);
      done();
    };
    for (const s of STOP_SIGNALS) process.once(s, finish);
    if (opts.stopSignal?.aborted) finish();
    else opts.stopSignal?.addEventListener('abort', finish, { once: true });
  });
  await dw.stop();
  io.stdout('plkit local DataWay stopped\n');
  return 0;
}
