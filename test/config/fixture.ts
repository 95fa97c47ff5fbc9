/**
 * Temporary DataKit-like install directories for config tests: each test
 * writes the files it needs and gets the workdir back; all are removed
 * when the test file finishes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { formatIssue, type LoadResult, loadConfig } from '../../src/config/index.js';

const made: string[] = [];

afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh workdir holding `files` (paths relative to the workdir). */
export function workdirWith(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'plkit-config-'));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

export const TESTDATA = resolve(dirname(fileURLToPath(import.meta.url)), 'testdata');

/** Loads `files` with the given environment (never the process's). */
export function load(files: Record<string, string>, env: Record<string, string> = {}): LoadResult {
  return loadConfig({ workdir: workdirWith(files), env });
}

export const lines = (issues: LoadResult['errors']): string[] => issues.map(formatIssue);
