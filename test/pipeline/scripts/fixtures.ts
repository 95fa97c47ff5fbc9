/**
 * Shared test fixtures: temporary install folders with the four script
 * namespaces, a registry with two test-only functions (`boom()` faults at
 * run time, `emit(name)` creates a metric sub-point), and polling helpers.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { configPaths } from '../../../src/config/load.js';
import { defineFunc, Registry, TIER1_FUNCS } from '../../../src/pipeline/funcs/index.js';
import { RunFault } from '../../../src/pipeline/lang/errors.js';
import { type NamespaceFolders, namespaceFolders } from '../../../src/pipeline/scripts/namespaces.js';
import { Point } from '../../../src/point/point.js';
import type { FieldValue } from '../../../src/point/value.js';

const boom = defineFunc({
  name: 'boom',
  params: [],
  compile() {
    return () => {
      throw new RunFault('boom');
    };
  },
});

const emit = defineFunc({
  name: 'emit',
  params: [{ name: 'name' }],
  compile(call) {
    const name = call.stringLiteral(0, 'name');
    return (r) => {
      r.subPoints.push(new Point(name, new Map(), new Map([['v', 1n]]), r.pt.time, 'metric'));
      return null;
    };
  },
});

export const testRegistry = (): Registry => new Registry([...TIER1_FUNCS, boom, emit]);

export interface Install {
  root: string;
  folders: NamespaceFolders;
  /** Write `rel` under the workdir (folders created). */
  write(rel: string, text: string): string;
  remove(rel: string): void;
  cleanup(): void;
}

export function makeInstall(prefix = 'plkit-scripts-'): Install {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const folders = namespaceFolders(configPaths(root));
  return {
    root,
    folders,
    write(rel, text) {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    remove(rel) {
      unlinkSync(join(root, rel));
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function logPoint(
  name: string,
  fields: Record<string, FieldValue> = {},
  tags: Record<string, string> = {},
): Point {
  return new Point(
    name,
    new Map(Object.entries(tags)),
    new Map(Object.entries({ message: 'hello', ...fields })),
    1_700_000_000_000_000_000n,
    'logging',
  );
}

/** Poll until `check` passes (or throw its last error after `ms`). */
export async function eventually(check: () => void | Promise<void>, ms = 5000, every = 25): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, every));
    }
  }
}
