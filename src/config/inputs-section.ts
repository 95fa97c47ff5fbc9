/**
 * The input files under `conf.d/`: every `*.conf` except the top-level
 * `datakit.conf`, recursively, in sorted order (so results and messages are
 * stable). Hidden entries are skipped: Kubernetes ConfigMap mounts keep a
 * second copy of each file under `..data/`. Inputs plkit implements are
 * read; any other input is warned about once per name, wherever it occurs.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Draft } from './draft.js';
import type { IssueSink } from './issues.js';
import { readLoggingInput } from './logging-input.js';
import type { Origins } from './origins.js';
import { readPloffloadInput } from './ploffload-input.js';
import { TableReader } from './table-reader.js';
import { readTomlFile } from './toml-file.js';
import type { InputsConfig } from './types.js';

export const KNOWN_INPUTS = ['logging', 'tailf', 'ploffload'] as const;

export interface InputsState {
  readonly inputs: Draft<InputsConfig>;
  /** Input names that appeared in some conf.d file (for default_enabled_inputs). */
  readonly configured: Set<string>;
}

/** `*.conf` files below `confd`, sorted, without `skip` (the main conf). */
export function listConfFiles(confd: string, skip: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  walk(confd, out, seen);
  out.sort();
  return out.filter((f) => f !== skip);
}

function walk(dir: string, out: string[], seen: Set<string>): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return; // symlink loop
  seen.add(real);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p); // follows symlinks
    } catch {
      if (name.endsWith('.conf')) out.push(p); // a dangling link: reading it reports why
      continue;
    }
    if (st.isDirectory()) walk(p, out, seen);
    else if (st.isFile() && name.endsWith('.conf')) out.push(p);
  }
}

export function readInputFiles(
  files: readonly string[],
  workdir: string,
  sink: IssueSink,
  origins: Origins,
): InputsState {
  const state: InputsState = {
    inputs: { logging: [], ploffload: null, ignored: [] },
    configured: new Set(),
  };
  for (const abs of files) {
    const file = relative(workdir, abs).split(sep).join('/');
    const parsed = readTomlFile(abs, file, sink);
    if (parsed === null) continue;
    const root = new TableReader({ file, lines: parsed.lines, sink, origins }, [], parsed.table);
    const inputs = root.subTable('inputs');
    if (inputs !== null) readInputsTable(inputs, file, workdir, state, sink);
    root.finish(['inputs']);
  }
  return state;
}

function readInputsTable(
  t: TableReader,
  file: string,
  workdir: string,
  state: InputsState,
  sink: IssueSink,
): void {
  for (const name of Object.keys(t.table)) {
    if (name === 'logging' || name === 'tailf') {
      if (name === 'tailf') t.warn(name, 'deprecated input name: use [[inputs.logging]]');
      const list = t.tableList(name);
      for (let i = 0; i < list.length; i++) state.inputs.logging.push(readLoggingInput(list[i]!, file, i));
      state.configured.add('logging');
    } else if (name === 'ploffload') {
      const list = t.tableList(name);
      for (let i = 0; i < list.length; i++) {
        if (state.inputs.ploffload !== null) {
          list[i]!.warn(undefined, 'the ploffload input is already configured; this one is ignored');
          continue;
        }
        state.inputs.ploffload = readPloffloadInput(list[i]!, workdir);
      }
      state.configured.add('ploffload');
    } else {
      t.take(name);
      state.configured.add(name);
      if (!state.inputs.ignored.includes(name)) {
        state.inputs.ignored.push(name);
        sink.warn(t.where(name), 'input not implemented by plkit, ignored');
      }
    }
  }
}
