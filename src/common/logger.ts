/**
 * One structured logger (pino, JSON lines on stderr) created at start-up and
 * handed down; components take a child logger named after themselves.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino(
    { level: opts.level ?? process.env.PLKIT_LOG_LEVEL ?? 'info', name: opts.name },
    pino.destination(2),
  );
}

/** A logger that drops everything: the default for library use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
