/**
 * `[inputs.ploffload]`, the receiving side of Pipeline Offload. As in
 * DataKit its disk cache is off unless `[inputs.ploffload.storage]` (or an
 * `ENV_INPUT_PLOFFLOAD_STORAGE_*` variable) asks for it; relative paths are
 * taken from the workdir, where DataKit runs.
 */
import { resolve } from 'node:path';
import { PLOFFLOAD } from './defaults.js';
import type { Draft } from './draft.js';
import type { TableReader } from './table-reader.js';
import type { PloffloadInputConfig, PloffloadStorageConfig } from './types.js';

export function readPloffloadInput(t: TableReader, workdir: string): Draft<PloffloadInputConfig> {
  const cfg: Draft<PloffloadInputConfig> = { storage: null };
  const st = t.subTable('storage');
  if (st !== null) {
    cfg.storage = {
      path: resolve(workdir, st.string('path', '') || PLOFFLOAD.storagePath),
      capacityMiB: st.integer('capacity', PLOFFLOAD.storageCapacityMiB, { min: 1 }),
    };
    st.finish();
  }
  t.finish();
  return cfg;
}

export function defaultPloffloadStorage(workdir: string): Draft<PloffloadStorageConfig> {
  return { path: resolve(workdir, PLOFFLOAD.storagePath), capacityMiB: PLOFFLOAD.storageCapacityMiB };
}
