#!/usr/bin/env node
/** Entry point of the `plkit` binary. */
import { enableRegexpFallback } from '../pipeline/grok/index.js';
import { buildProgram } from './program.js';

// Scripts come from users and DataWay: let V8 switch a regex that backtracks
// excessively to its linear-time engine instead of stalling the process
// (see src/pipeline/grok/README.md for what this does and does not cover).
enableRegexpFallback(1000);

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.stderr.write(`plkit: ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
