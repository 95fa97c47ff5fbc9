/**
 * DataKit's fixed values for the logging input, and how its multiline keys
 * combine — shared by the file and socket sides.
 */
import type { LoggingInputConfig } from '../../config/types.js';
import type { MultilineOptions } from './multiline.js';

/** DataKit's default status of a log point no script has set. */
export const DEFAULT_STATUS = 'info';
/** Files smaller than this with no saved position are read from their start (DataKit's threshold). */
export const FROM_BEGINNING_THRESHOLD_BYTES = 20_000_000;
/** DataKit cuts a line held without a newline at 128 KiB. */
export const MAX_LINE_BYTES = 128 * 1024;

/**
 * DataKit: multiline is on with `enable_multiline` or the older
 * `auto_multiline_detection`; then `multiline_match` alone, or the built-in
 * patterns plus the extra ones. Off, every line is a message.
 */
export function multilineOptions(cfg: LoggingInputConfig): MultilineOptions {
  if (!cfg.enableMultiline && !cfg.autoMultilineDetection)
    return { match: '', auto: false, extraPatterns: [] };
  if (cfg.multilineMatch !== '') return { match: cfg.multilineMatch, auto: false, extraPatterns: [] };
  return { match: '', auto: true, extraPatterns: cfg.autoMultilineExtraPatterns };
}
