/**
 * One `[[inputs.logging]]` (or DataKit's older name `[[inputs.tailf]]`)
 * with DataKit's defaults: source "default", service = source, pipeline
 * `<source>.p`, at most 500 open files, no dead-file timeout unless
 * `ignore_dead_log` is set, and its deprecated keys mapped as DataKit maps
 * them.
 */
import { CHARACTER_ENCODINGS, LOGGING } from './defaults.js';
import type { Draft } from './draft.js';
import type { TableReader } from './table-reader.js';
import type { LoggingInputConfig, LoggingMode } from './types.js';
import { checkSocketUrl } from './urls.js';

const MODES: readonly LoggingMode[] = ['', 'docker', 'cri'];

export function readLoggingInput(t: TableReader, file: string, index: number): Draft<LoggingInputConfig> {
  const logfiles = nonEmpty(t.stringList('logfiles', []));
  const sockets = nonEmpty(t.stringList('sockets', []));
  for (let i = 0; i < sockets.length; i++) {
    const err = checkSocketUrl(sockets[i]!);
    if (err !== null) t.error(['sockets', i], err);
  }
  if (t.has('socket')) {
    t.warn('socket', 'unknown key, ignored (did you mean "sockets"? DataKit reads only "sockets")');
    t.ignore('socket');
  }
  const source = t.string('source', '') || LOGGING.source;
  const service = t.string('service', '') || source;

  let pipeline = t.string('pipeline', '');
  const oldPipeline = t.deprecated('pipeline_path', 'use pipeline = "<name>.p"');
  if (pipeline === '' && typeof oldPipeline === 'string' && oldPipeline !== '')
    pipeline = baseName(oldPipeline);
  if (pipeline === '') pipeline = `${source}.p`;

  let multilineMatch = t.string('multiline_match', '');
  const oldMatch = t.deprecated('match', 'use multiline_match');
  if (multilineMatch === '' && typeof oldMatch === 'string') multilineMatch = oldMatch;

  const cfg: Draft<LoggingInputConfig> = {
    origin: { file, index },
    logfiles,
    ignore: nonEmpty(t.stringList('ignore', [])),
    sockets,
    source,
    service,
    pipeline,
    storageIndex: t.string('storage_index', ''),
    ignoreStatus: nonEmpty(t.stringList('ignore_status', [])),
    fieldWhiteList: nonEmpty(t.stringList('field_white_list', [])),
    characterEncoding: t.oneOf('character_encoding', CHARACTER_ENCODINGS, '', true),
    multilineMatch,
    enableMultiline: t.bool('enable_multiline', false),
    autoMultilineDetection: t.bool('auto_multiline_detection', false),
    autoMultilineExtraPatterns: nonEmpty(t.stringList('auto_multiline_extra_patterns', [])),
    fromBeginning: t.bool('from_beginning', false),
    ignoreDeadLogMs: ignoreDeadLog(t),
    removeAnsiEscapeCodes: t.bool('remove_ansi_escape_codes', false),
    maxOpenFiles: t.integer('max_open_files', LOGGING.maxOpenFiles, { min: -1 }),
    mode: t.oneOf('mode', MODES, ''),
    tags: t.stringMap('tags'),
  };
  if (cfg.maxOpenFiles === 0) cfg.maxOpenFiles = LOGGING.maxOpenFiles; // DataKit: 0 means the default

  t.deprecated('blocking_mode', 'ignored (blocking is always on)');
  t.deprecated('enable_diskcache', 'ignored');
  t.deprecated('maximum_length', 'ignored');
  t.deprecated('docker_mode', 'use mode = "docker"');

  if (logfiles.length === 0 && sockets.length === 0) {
    t.warn(undefined, 'neither logfiles nor sockets set: this input collects nothing');
  } else if (logfiles.length > 0 && sockets.length > 0) {
    t.warn(
      'sockets',
      'sockets are opened only when logfiles is empty (as DataKit does); both are set here, so the sockets stay closed',
    );
  }
  t.finish();
  return cfg;
}

/** DataKit's sample logging input, for `default_enabled_inputs = ["logging"]` without a conf file. */
export function sampleLoggingInput(file: string): Draft<LoggingInputConfig> {
  return {
    origin: { file, index: 0 },
    logfiles: LOGGING.sampleLogfiles.slice(),
    ignore: [],
    sockets: [],
    source: LOGGING.source,
    service: LOGGING.source,
    pipeline: `${LOGGING.source}.p`,
    storageIndex: '',
    ignoreStatus: [],
    fieldWhiteList: [],
    characterEncoding: '',
    multilineMatch: '',
    enableMultiline: true,
    autoMultilineDetection: true,
    autoMultilineExtraPatterns: [],
    fromBeginning: false,
    ignoreDeadLogMs: 0,
    removeAnsiEscapeCodes: false,
    maxOpenFiles: LOGGING.maxOpenFiles,
    mode: '',
    tags: {},
  };
}

/** Milliseconds; absent or `""` is DataKit's "off" (0). */
function ignoreDeadLog(t: TableReader): number {
  if (t.table['ignore_dead_log'] === '') {
    t.take('ignore_dead_log');
    return 0;
  }
  return t.duration('ignore_dead_log', 0);
}

/** DataKit's samples carry `ignore = [""]`; empty entries mean nothing. */
function nonEmpty(xs: string[]): string[] {
  return xs.filter((x) => x.trim() !== '');
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? p : p.slice(i + 1);
}
