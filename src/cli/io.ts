/**
 * Output sinks handed to CLI commands, so commands are testable without
 * spawning processes and never write to the console directly.
 */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Raw bytes to stdout (for `plkit encode`). */
  stdoutBytes?: (b: Uint8Array) => void;
}

export const processIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutBytes: (b) => process.stdout.write(b),
};
