/**
 * Locates `../shared/` (conformance vectors, bench inputs, grok library).
 * Tests that need it skip with a clear message when it is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '..', '..');

function findShared(): string | null {
  const env = process.env.PLKIT_SHARED_DIR;
  if (env && existsSync(env)) return resolve(env);
  const candidate = resolve(REPO_ROOT, '..', 'shared');
  return existsSync(join(candidate, 'conformance')) ? candidate : null;
}

export const SHARED_DIR: string | null = findShared();

export const SHARED_MISSING_REASON =
  'skipped: ../shared/ (conformance vectors) not found beside the repository; set PLKIT_SHARED_DIR to run these';

export function sharedPath(...parts: string[]): string {
  if (SHARED_DIR === null) throw new Error(SHARED_MISSING_REASON);
  return join(SHARED_DIR, ...parts);
}
