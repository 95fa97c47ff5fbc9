/**
 * The `plkit` command line program: one commander program, each subcommand a
 * function in its own module that takes options and an output sink and
 * returns an exit code.
 */
import { Command, Option } from 'commander';
import { checkCommand } from './check-command.js';
import { datawayCommand } from './dataway-command.js';
import { decodeCommand } from './decode-command.js';
import { encodeCommand } from './encode-command.js';
import { processIo } from './io.js';
import { pipelineCommand } from './pipeline-command.js';
import { queueCommand } from './queue-command.js';
import { runCommand } from './run-command.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('plkit')
    .description('DataKit-compatible log agent and Pipeline processor')
    .version(VERSION, '-v, --version');

  program
    .command('decode')
    .description('decode a /v1/write/<category> body and print its points as typed JSON lines')
    .argument('<file>', 'the request body')
    .option('--category <category>', 'the write category (logging, metric, object, ...)', 'logging')
    .option('--content-type <type>', 'the body Content-Type', 'application/line-protocol')
    .addOption(
      new Option('--content-encoding <encoding>', 'the body Content-Encoding').choices([
        'gzip',
        'deflate',
        'br',
        'zstd',
        'identity',
      ]),
    )
    .option('--precision <p>', 'timestamp precision n|u|ms|s|m|h (default: guessed)')
    .option('--now <ns>', 'receive time in ns for points without a timestamp (default: now)')
    .action((file: string, o: Record<string, string | undefined>) => {
      process.exitCode = decodeCommand(
        file,
        {
          category: o.category ?? 'logging',
          contentType: o.contentType,
          contentEncoding: o.contentEncoding,
          precision: o.precision,
          now: o.now,
        },
        processIo,
      );
    });

  program
    .command('encode')
    .description('encode typed JSON lines as a wire body on stdout')
    .argument('<file>', 'typed-shape JSON lines, one point per line')
    .addOption(
      new Option('--encoding <encoding>', 'wire encoding')
        .choices(['lp', 'json', 'pbjson', 'protobuf'])
        .default('lp'),
    )
    .action((file: string, o: { encoding: string }) => {
      process.exitCode = encodeCommand(file, o, processIo);
    });

  program
    .command('pipeline')
    .description('run a Pipeline script on input data and print the resulting points')
    .requiredOption(
      '-P, --script <name|file>',
      'a script file, or a script name looked up in the install folder',
    )
    .option('-T, --text <text>', 'the input itself (instead of --input/--file)')
    .option('--input <file>', 'input data file')
    .option('--file <file>', 'input data file (alias of --input)')
    .option('--category <category>', 'category of the input points and of the script', 'logging')
    .option(
      '--ns <namespace>',
      'namespace of a script name: remote, confd, gitrepo or default (default: all, by priority)',
    )
    .option(
      '--workdir <dir>',
      'install folder holding pipeline/, pipeline_remote/, ... (default: the current directory)',
    )
    .option('--name <name>', 'point name for raw input', 'default')
    .addOption(new Option('--format <format>', 'input format').choices(['raw', 'lp']).default('raw'))
    .option('--time <ns>', 'time of raw input points in ns (default: now)')
    .option('--tz <zone>', 'local time zone for time functions (default: the process zone)')
    .option('--date', 'also print point times as readable dates')
    .option('--json', 'print points as typed JSON lines')
    .option(
      '--benchmark [n]',
      'run the script N times (default: for one second) and print the cost per run',
      (v) => Number.parseInt(v, 10),
    )
    .action(async (o: Record<string, unknown>) => {
      process.exitCode = await pipelineCommand(
        {
          script: o.script as string,
          text: o.text as string | undefined,
          input: (o.input ?? o.file) as string | undefined,
          category: o.category as string,
          ns: o.ns as string | undefined,
          workdir: o.workdir as string | undefined,
          name: o.name as string,
          format: o.format as 'raw' | 'lp',
          time: o.time as string | undefined,
          tz: o.tz as string | undefined,
          date: o.date === true,
          json: o.json === true,
          benchmark: o.benchmark as number | true | undefined,
        },
        processIo,
      );
    });

  program
    .command('run')
    .description('run the agent with the DataKit-style configuration under --workdir')
    .option(
      '--workdir <dir>',
      'install directory holding conf.d/, pipeline/, data/ (default: the current directory)',
    )
    .option('--log-level <level>', 'log level: debug, info, warn, error (default: $PLKIT_LOG_LEVEL or info)')
    .action(async (o: { workdir?: string; logLevel?: string }) => {
      process.exitCode = await runCommand(o, processIo);
    });

  const queue = program
    .command('queue')
    .description('inspect or repair a disk queue (DataWay WAL, offload spool, ploffload cache)');
  for (const action of ['check', 'repair'] as const) {
    queue
      .command(action)
      .description(
        action === 'check'
          ? 'report state and damage (exit 1 when damaged)'
          : 'rewrite segments without damaged records',
      )
      .argument('<dir>', 'the queue directory')
      .option('--json', 'print the report as JSON')
      .action((dir: string, o: { json?: boolean }) => {
        process.exitCode = queueCommand(action, dir, o, processIo);
      });
  }

  program
    .command('check')
    .description('validate the configuration and print the effective result (secrets masked)')
    .option('--config-dir <dir>', 'folder with datakit.conf and input files (default: <workdir>/conf.d)')
    .option('--workdir <dir>', 'install directory (default: the current directory)')
    .action((o: { configDir?: string; workdir?: string }) => {
      process.exitCode = checkCommand(o, processIo);
    });

  program
    .command('dataway')
    .description('run the embedded local DataWay (no cloud account needed)')
    .option('--listen <addr>', 'listen address', '127.0.0.1:9528')
    .option('--db <file>', 'SQLite database file', './data/local-dataway.db')
    .option('--scripts <dir>', 'folder of <category>/<name>.p files served as remote pipelines')
    .option('--token <token>', 'token uploads and pulls must carry')
    .action(async (o: { listen: string; db: string; scripts?: string; token?: string }) => {
      process.exitCode = await datawayCommand(o, processIo);
    });

  return program;
}
