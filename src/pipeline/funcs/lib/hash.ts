/**
 * `hash(text, method)`: hex digest of the UTF-8 text with md5, sha1, sha256
 * or sha512; any other method gives "" as in DataKit.
 */
import { createHash } from 'node:crypto';

const METHODS = new Set(['md5', 'sha1', 'sha256', 'sha512']);

export function hash(text: string, method: string): string {
  if (!METHODS.has(method)) return '';
  return createHash(method).update(text, 'utf8').digest('hex');
}
