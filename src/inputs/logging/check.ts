/**
 * What `plkit check` can know about a logging input only by compiling its
 * parts: a multiline pattern that does not compile. `plkit run` refuses the
 * same input at start; check says so before anyone tries.
 */
import type { ConfigIssue, LoggingInputConfig } from '../../config/types.js';
import { multilineOptions } from './logging-config.js';
import { Multiline } from './multiline.js';

export function loggingInputIssues(cfg: LoggingInputConfig): ConfigIssue[] {
  const m = Multiline.create(multilineOptions(cfg));
  if (m instanceof Multiline) return [];
  const key = `inputs.logging[${cfg.origin.index}].${m.option}${m.index === null ? '' : `[${m.index}]`}`;
  return [
    {
      severity: 'error',
      file: cfg.origin.file,
      line: null,
      column: null,
      env: null,
      key,
      message: `invalid pattern ${JSON.stringify(m.pattern)}: ${m.reason}`,
    },
  ];
}
