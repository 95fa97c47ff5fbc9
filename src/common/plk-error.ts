/**
 * Base error of plkit components: a stable `code` (catalogued in
 * docs/errors.md) that callers switch on, never the message text, and an
 * optional `cause`. `permanent` tells retry loops to give up at once.
 */
export class PlkError extends Error {
  readonly code: string;
  readonly permanent: boolean;

  constructor(code: string, message: string, opts: { cause?: unknown; permanent?: boolean } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PlkError';
    this.code = code;
    this.permanent = opts.permanent ?? false;
  }
}

export function isPermanent(err: unknown): boolean {
  return err instanceof PlkError && err.permanent;
}
