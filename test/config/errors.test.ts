import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { lines, load, workdirWith } from './fixture.js';

const LOG_CONF = `# nginx logs
[[inputs.logging]]
  source = "nginx"
  service = "web"
  pipeline = "nginx.p"
  # the mistake:
  logfiles = "a.log"
`;

type Case = [string, Record<string, string>, Record<string, string>, string[]];

describe('configuration errors', () => {
  it.each<Case>([
    [
      'TOML syntax error, with line and column',
      { 'conf.d/datakit.conf': '[http_api]\nlisten = "x"\ntimeout = 30s\n' },
      {},
      ['conf.d/datakit.conf:3:13: TOML syntax error: illegal character in numeric literal'],
    ],
    [
      'wrong type, with file, line and key',
      { 'conf.d/log.conf': LOG_CONF },
      {},
      ['conf.d/log.conf:7: inputs.logging[0].logfiles: expected an array of strings, got "a.log"'],
    ],
    [
      'wrong element type in an array',
      { 'conf.d/log.conf': '[[inputs.logging]]\nlogfiles = [\n  "/a",\n  1,\n]\n' },
      {},
      ['conf.d/log.conf:2: inputs.logging[0].logfiles[1]: expected a string, got 1'],
    ],
    [
      'wrong types in main sections',
      {
        'conf.d/datakit.conf':
          'protect_mode = "yes"\n[http_api]\nrequest_rate_limit = "fast"\n[io]\nmax_cache_count = 1.5\n[global_host_tags]\nn = 1\n',
      },
      {},
      [
        'conf.d/datakit.conf:1: protect_mode: expected true or false, got "yes"',
        'conf.d/datakit.conf:3: http_api.request_rate_limit: expected a number, got "fast"',
        'conf.d/datakit.conf:5: io.max_cache_count: expected an integer, got 1.5',
        'conf.d/datakit.conf:7: global_host_tags.n: expected a string, got 1',
      ],
    ],
    [
      'a section that is not a table',
      { 'conf.d/datakit.conf': 'http_api = "localhost"\n' },
      {},
      ['conf.d/datakit.conf:1: http_api: expected a table, got "localhost"'],
    ],
    [
      'integers beyond int64-safe range and dates',
      {
        'conf.d/datakit.conf':
          '[io]\nmax_cache_count = 9223372036854775807\n[http_api]\nlisten = 1979-05-27\n',
      },
      {},
      [
        'conf.d/datakit.conf:2: io.max_cache_count: integer 9223372036854775807 is out of range',
        'conf.d/datakit.conf:4: http_api.listen: expected a string, got the date 1979-05-27',
      ],
    ],
    [
      'bad durations',
      {
        'conf.d/datakit.conf':
          '[io]\nflush_interval = "10 seconds"\n[dataway]\nretry_delay = "-1s"\ntimeout_v2 = true\n[pipeline]\nremote_pull_interval = "0s"\n',
      },
      {},
      [
        'conf.d/datakit.conf:2: io.flush_interval: expected a duration like "10s", "1m" or "100ms", got "10 seconds"',
        'conf.d/datakit.conf:4: dataway.retry_delay: must not be negative, got "-1s"',
        'conf.d/datakit.conf:5: dataway.timeout_v2: expected a duration string like "10s", got true',
        'conf.d/datakit.conf:7: pipeline.remote_pull_interval: must be greater than 0, got "0s"',
      ],
    ],
    [
      'bad DataWay URLs',
      {
        'conf.d/datakit.conf':
          '[dataway]\nurls = ["openway.guance.com?token=tkn_x", "ftp://dw/?token=x", ""]\n',
      },
      {},
      [
        'conf.d/datakit.conf:2: dataway.urls[0]: not a valid URL: "openway.guance.com?token=tkn_x" (expected e.g. "http://10.0.0.2:9529")',
        'conf.d/datakit.conf:2: dataway.urls[1]: scheme must be http or https, got "ftp"',
        'conf.d/datakit.conf:2: dataway.urls[2]: empty URL',
      ],
    ],
    [
      'bad offload settings',
      {
        'conf.d/datakit.conf':
          '[pipeline.offload]\nreceiver = "kafka"\naddresses = ["10.0.0.2:9529", "http://10.0.0.3:9529"]\nbalance = "random"\nwhen_full = "drop_newest"\nbatch_size = 0\n',
      },
      {},
      [
        'conf.d/datakit.conf:2: pipeline.offload.receiver: expected "datakit-http" or "ploffload", got "kafka"',
        'conf.d/datakit.conf:3: pipeline.offload.addresses[0]: not a valid URL: "10.0.0.2:9529" (expected e.g. "http://10.0.0.2:9529")',
        'conf.d/datakit.conf:4: pipeline.offload.balance: expected one of "round_robin", "least_pending", "affinity", got "random"',
        'conf.d/datakit.conf:5: pipeline.offload.when_full: expected one of "drop_oldest", "block", got "drop_newest"',
        'conf.d/datakit.conf:6: pipeline.offload.batch_size: must be at least 1, got 0',
      ],
    ],
    [
      'offload receiver ploffload without addresses',
      { 'conf.d/datakit.conf': '[pipeline.offload]\nreceiver = "ploffload"\naddresses = []\n' },
      {},
      [
        'conf.d/datakit.conf:3: pipeline.offload.addresses: receiver "ploffload" is set but no address is: list at least one post-level processor',
      ],
    ],
    [
      'offload receiver from the environment without addresses',
      {},
      { ENV_PIPELINE_OFFLOAD_RECEIVER: 'datakit-http' },
      [
        'pipeline.offload.addresses: receiver "datakit-http" is set but no address is: list at least one post-level processor',
      ],
    ],
    [
      'affinity balancing without keys',
      {
        'conf.d/datakit.conf':
          '[pipeline.offload]\naddresses = ["http://10.0.0.2:9529"]\nbalance = "affinity"\n',
      },
      {},
      ['pipeline.offload.affinity_keys: balance = "affinity" needs at least one affinity key'],
    ],
    [
      'offloading to this agent itself',
      {
        'conf.d/datakit.conf':
          '[http_api]\nlisten = "0.0.0.0:9529"\n[pipeline.offload]\naddresses = ["http://127.0.0.1:9529", "http://localhost:9529"]\n',
      },
      {},
      [
        "conf.d/datakit.conf:4: pipeline.offload.addresses[0]: http://127.0.0.1:9529 is this agent's own listen address (0.0.0.0:9529): offloaded points would loop back",
        "conf.d/datakit.conf:4: pipeline.offload.addresses[1]: http://localhost:9529 is this agent's own listen address (0.0.0.0:9529): offloaded points would loop back",
      ],
    ],
    [
      'bad logging input values',
      {
        'conf.d/l.conf': `[[inputs.logging]]
logfiles = ["/a"]
sockets = ["tcp://0.0.0.0", "http://0.0.0.0:1"]
character_encoding = "latin1"
mode = "json"
max_open_files = -2
ignore_dead_log = "forever"
[inputs.logging.tags]
n = 1
`,
      },
      {},
      [
        'conf.d/l.conf:3: inputs.logging[0].sockets[0]: expected host:port after tcp://, got "0.0.0.0"',
        'conf.d/l.conf:3: inputs.logging[0].sockets[1]: expected "tcp://host:port" or "udp://host:port", got "http://0.0.0.0:1"',
        'conf.d/l.conf:4: inputs.logging[0].character_encoding: expected one of "", "utf-8", "utf-16le", "utf-16be", "gbk", "gb18030", got "latin1"',
        'conf.d/l.conf:5: inputs.logging[0].mode: expected one of "", "docker", "cri", got "json"',
        'conf.d/l.conf:6: inputs.logging[0].max_open_files: must be at least -1, got -2',
        'conf.d/l.conf:7: inputs.logging[0].ignore_dead_log: expected a duration like "10s", "1m" or "100ms", got "forever"',
        'conf.d/l.conf:9: inputs.logging[0].tags.n: expected a string, got 1',
      ],
    ],
    [
      'bad listen address and WAL category',
      {
        'conf.d/datakit.conf':
          '[http_api]\nlisten = "9529"\n[dataway.wal]\nno_drop_categories = ["L", "X"]\n',
      },
      {},
      [
        'conf.d/datakit.conf:2: http_api.listen: expected "host:port" (e.g. "0.0.0.0:9529") or a socket path, got "9529"',
        'conf.d/datakit.conf:4: dataway.wal.no_drop_categories[1]: unknown category "X" (expected M, N, E, O, CO, L, T, R, S, P or a full name)',
      ],
    ],
    [
      'bad environment values',
      {},
      {
        ENV_DATAWAY: 'https://ok.example.com?token=tkn_a,bad url',
        ENV_HTTP_LISTEN: 'nohost',
        ENV_IO_FLUSH_INTERVAL: 'soon',
        ENV_DATAWAY_MAX_RETRY_COUNT: 'three',
        ENV_DATAWAY_WAL_CAPACITY: 'big',
        ENV_GLOBAL_HOST_TAGS: 'a=1,novalue',
        ENV_PIPELINE_DEFAULT_PIPELINE: 'logging=a.p',
        ENV_PIPELINE_OFFLOAD_RECEIVER: 'kafka',
        ENV_PIPELINE_OFFLOAD_ADDRESSES: 'http://10.0.0.2:9529,10.0.0.3',
        ENV_DEFAULT_ENABLED_INPUTS: 'ploffload',
        ENV_INPUT_PLOFFLOAD_STORAGE_CAPACITY: '5G',
      },
      [
        '$ENV_HTTP_LISTEN (http_api.listen): expected "host:port" (e.g. "0.0.0.0:9529") or a socket path, got "nohost"',
        '$ENV_DATAWAY_MAX_RETRY_COUNT (dataway.max_retry_count): expected an integer, got "three"',
        '$ENV_DATAWAY_WAL_CAPACITY (dataway.wal.max_capacity_gb): expected a number, got "big"',
        '$ENV_IO_FLUSH_INTERVAL (io.flush_interval): expected a duration like "10s", got "soon"',
        '$ENV_GLOBAL_HOST_TAGS (global_host_tags): expected "key=value" entries separated by commas, got "novalue"',
        '$ENV_PIPELINE_DEFAULT_PIPELINE (pipeline.default_pipeline): expected a JSON object like {"logging":"abc.p"}, got "logging=a.p"',
        '$ENV_PIPELINE_OFFLOAD_RECEIVER (pipeline.offload.receiver): expected "datakit-http" or "ploffload", got "kafka"',
        '$ENV_INPUT_PLOFFLOAD_STORAGE_CAPACITY (inputs.ploffload.storage.capacity): expected an integer, got "5G"',
        '$ENV_DATAWAY (dataway.urls): not a valid URL: "bad url" (expected e.g. "http://10.0.0.2:9529")',
        '$ENV_PIPELINE_OFFLOAD_ADDRESSES (pipeline.offload.addresses): not a valid URL: "10.0.0.3" (expected e.g. "http://10.0.0.2:9529")',
      ],
    ],
  ])('%s', (_name, files, env, want) => {
    const r = load(files, env);
    expect(lines(r.errors)).toEqual(want);
  });

  it('reports every error of every file together, and still loads what is valid', () => {
    const r = load({
      'conf.d/datakit.conf': '[dataway]\nurls = ["nope"]\n[io]\nflush_interval = 10\n',
      'conf.d/a/broken.conf': '[[inputs.logging]\nlogfiles = ["/x"]\n',
      'conf.d/b/log.conf': LOG_CONF,
      'conf.d/c/ok.conf': '[[inputs.logging]]\nlogfiles = ["/ok"]\nsource = "ok"\n',
      'conf.d/d/bad-enc.conf': '[[inputs.logging]]\nlogfiles = ["/e"]\ncharacter_encoding = "ebcdic"\n',
    });
    expect(lines(r.errors)).toEqual([
      'conf.d/datakit.conf:2: dataway.urls[0]: not a valid URL: "nope" (expected e.g. "http://10.0.0.2:9529")',
      'conf.d/datakit.conf:4: io.flush_interval: expected a duration string like "10s", got 10',
      'conf.d/a/broken.conf:1:18: TOML syntax error: expected end of table array declaration',
      'conf.d/b/log.conf:7: inputs.logging[0].logfiles: expected an array of strings, got "a.log"',
      'conf.d/d/bad-enc.conf:3: inputs.logging[0].character_encoding: expected one of "", "utf-8", "utf-16le", "utf-16be", "gbk", "gb18030", got "ebcdic"',
    ]);
    // the valid parts are there, bad values replaced by their defaults
    expect(r.config.inputs.logging.map((l) => [l.source, l.logfiles])).toEqual([
      ['nginx', []],
      ['ok', ['/ok']],
      ['default', ['/e']],
    ]);
    expect(r.config.io.flushIntervalMs).toBe(10_000);
    expect(r.errors.every((e) => e.severity === 'error')).toBe(true);
    expect(r.errors[2]).toMatchObject({ file: 'conf.d/a/broken.conf', line: 1, column: 18, key: null });
  });

  it('reports an input file that cannot be read (a dangling link)', () => {
    const dir = workdirWith({ 'conf.d/ok.conf': '' });
    symlinkSync(join(dir, 'missing-target'), join(dir, 'conf.d', 'bad.conf'));
    const r = loadConfig({ workdir: dir, env: {} });
    expect(lines(r.errors)).toEqual([
      expect.stringMatching(/^conf\.d\/bad\.conf: cannot read: ENOENT: no such file or directory/),
    ]);
  });
});
