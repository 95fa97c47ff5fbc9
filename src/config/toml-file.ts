/**
 * Reads and parses one TOML file, turning read failures and syntax errors
 * into issues with smol-toml's line and column, and indexes the key lines
 * for the messages of later checks.
 */
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import type { IssueSink } from './issues.js';
import { KeyLineIndex } from './key-lines.js';
import type { TomlTable } from './table-reader.js';

export interface ParsedToml {
  /** Path for messages (relative to the workdir). */
  readonly file: string;
  readonly table: TomlTable;
  readonly lines: KeyLineIndex;
}

/** Parses `text`; null (with an error recorded) on a syntax error. */
export function parseToml(text: string, file: string, sink: IssueSink): ParsedToml | null {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let table: TomlTable;
  try {
    table = parse(src, { integersAsBigInt: 'asNeeded', unsafeKeyBehaviour: 'throw' }) as TomlTable;
  } catch (e) {
    if (e instanceof TomlError) {
      sink.error({ file, line: e.line, column: e.column }, `TOML syntax error: ${tomlMessage(e)}`);
    } else {
      sink.error({ file }, `TOML syntax error: ${(e as Error).message}`);
    }
    return null;
  }
  return { file, table, lines: KeyLineIndex.scan(src) };
}

export function readTomlFile(absPath: string, file: string, sink: IssueSink): ParsedToml | null {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (e) {
    sink.error({ file }, `cannot read: ${(e as Error).message}`);
    return null;
  }
  return parseToml(text, file, sink);
}

/** The message without smol-toml's prefix and code excerpt (position is reported separately). */
function tomlMessage(e: TomlError): string {
  const first = e.message.split('\n', 1)[0] ?? e.message;
  return first.replace(/^Invalid TOML document:\s*/, '');
}
