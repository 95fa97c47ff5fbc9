import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { lines, load, TESTDATA, workdirWith } from './fixture.js';

describe('loadConfig: defaults', () => {
  const dir = workdirWith();
  const { config, warnings, errors } = loadConfig({ workdir: dir, env: {} });

  it('loads without datakit.conf and without errors', () => {
    expect(errors).toEqual([]);
    expect(lines(warnings)).toEqual([
      'dataway.urls: no DataWay configured: processed data will not be uploaded',
    ]);
  });

  it('lays out paths like a DataKit install', () => {
    expect(config.paths).toEqual({
      workdir: dir,
      confd: join(dir, 'conf.d'),
      mainConf: join(dir, 'conf.d', 'datakit.conf'),
      pipelineRemote: join(dir, 'pipeline_remote'),
      pipelineConfd: join(dir, 'pipeline_confd'),
      pipelineGitrepos: join(dir, 'pipeline_gitrepos'),
      pipeline: join(dir, 'pipeline'),
      data: join(dir, 'data'),
      cache: join(dir, 'cache'),
    });
  });

  it('uses DataKit defaults for DataKit keys', () => {
    expect(config.hostname).toBeNull();
    expect(config.protectMode).toBe(true);
    expect(config.httpApi).toEqual({
      listen: 'localhost:9529',
      publicApis: [],
      timeoutMs: 30_000,
      requestRateLimit: 100,
      tokens: [],
      maxBodyBytes: 64 * 1024 * 1024,
    });
    expect(config.dataway).toEqual({
      urls: [],
      endpoints: [],
      timeoutMs: 30_000,
      maxRetryCount: 1,
      retryDelayMs: 1000,
      contentEncoding: 'v2',
      gzip: true,
      maxRawBodySize: 1_048_576,
      httpProxy: '',
      tlsInsecure: false,
      idleTimeoutMs: 90_000,
      wal: {
        maxCapacityGb: 2,
        path: join(dir, 'cache', 'dw-wal'),
        noDropCategories: [],
        failCacheCleanIntervalMs: 30_000,
      },
    });
    expect(config.io).toEqual({ maxCacheCount: 1000, flushIntervalMs: 10_000, flushWorkers: 0 });
    expect(config.globalHostTags).toEqual({});
    expect(config.defaultEnabledInputs).toEqual([]);
    expect(config.inputs).toEqual({ logging: [], ploffload: null, ignored: [] });
  });

  it('uses DataKit defaults for [pipeline] and plkit defaults for offload additions', () => {
    expect(config.pipeline).toEqual({
      remotePullIntervalMs: 60_000,
      disableAppendRunInfo: false,
      defaultPipeline: {},
      referTableUrl: '',
      referTablePullIntervalMs: 300_000,
      ipdbType: 'iploc',
      ipdbAttr: { geoipFile: '', ispFile: '' },
      httpRequest: {
        enabled: false,
        hostAllowList: [],
        cidrAllowList: [],
        disableInternalNet: false,
        timeoutMs: 10_000,
        maxResponseBytes: 1024 * 1024,
      },
      offload: {
        enabled: false,
        receiver: 'datakit-http',
        addresses: [],
        targets: [],
        batchSize: 128,
        flushIntervalMs: 100,
        balance: 'round_robin',
        affinityKeys: [],
        healthCheckIntervalMs: 5000,
        spoolPath: join(dir, 'data', 'offload-spool'),
        spoolCapacityMiB: 1024,
        token: '',
        tlsCa: '',
        tlsInsecureSkipVerify: false,
        timeoutMs: 30_000,
        whenFull: 'block',
      },
    });
  });

  it('is deep-frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.dataway.wal)).toBe(true);
    expect(Object.isFrozen(config.httpApi.publicApis)).toBe(true);
    expect(() => {
      (config.httpApi as { listen: string }).listen = 'x';
    }).toThrow(TypeError);
    expect(Object.isFrozen(errors)).toBe(true);
  });

  it('takes the conf dir from confDir when given', () => {
    const d = workdirWith({ 'etc/datakit.conf': '[http_api]\nlisten = "0.0.0.0:1"\n' });
    const r = loadConfig({ workdir: d, confDir: join(d, 'etc'), env: {} });
    expect(r.config.httpApi.listen).toBe('0.0.0.0:1');
    expect(r.config.paths.confd).toBe(join(d, 'etc'));
  });
});

describe('loadConfig: an unmodified DataKit install', () => {
  const workdir = join(TESTDATA, 'datakit-install');
  const { config, warnings, errors } = loadConfig({ workdir, env: {} });

  it('has no errors, only warnings for what plkit ignores', () => {
    expect(errors).toEqual([]);
    const w = lines(warnings);
    expect(w).toContain('conf.d/datakit.conf:119: logging: table not used by plkit, ignored');
    expect(w).toContain('conf.d/datakit.conf:131: election: table not used by plkit, ignored');
    expect(w).toContain('conf.d/datakit.conf:55: http_api.disable_404page: key not used by plkit, ignored');
    expect(w).toContain('conf.d/datakit.conf:107: dataway.ntp: table not used by plkit, ignored');
    expect(w).toContain('conf.d/datakit.conf:17: enable_pprof: key not used by plkit, ignored');
    expect(w).toContain(
      'conf.d/datakit.conf:5: default_enabled_inputs: inputs not implemented by plkit, ignored: disk, diskio, host_processes, hostobject, net, swap, system',
    );
  });

  it('warns once per unknown input, however many files declare it', () => {
    const w = lines(warnings).filter((x) => x.includes('input not implemented'));
    expect(w).toEqual([
      'conf.d/host/cpu.conf:1: inputs.cpu: input not implemented by plkit, ignored',
      'conf.d/host/mem.conf:1: inputs.mem: input not implemented by plkit, ignored',
    ]);
    expect(config.inputs.ignored).toEqual(['cpu', 'mem']);
  });

  it('reads the values plkit uses', () => {
    expect(config.dataway.endpoints).toEqual([
      {
        url: 'https://openway.guance.com?token=tkn_2af4b19d7e3c4f0a9d1e5b6c7a8f9e0d',
        base: 'https://openway.guance.com',
        path: '',
        token: 'tkn_2af4b19d7e3c4f0a9d1e5b6c7a8f9e0d',
        query: 'token=tkn_2af4b19d7e3c4f0a9d1e5b6c7a8f9e0d',
      },
    ]);
    expect(config.globalHostTags).toEqual({ ip: '$datakit_ip', host: '$datakit_hostname' });
    expect(config.httpApi.requestRateLimit).toBe(100);
    expect(config.pipeline.offload.enabled).toBe(false); // receiver set, no address: DataKit's default
    expect(config.hostname).toBeNull(); // [environments] ENV_HOSTNAME = ""
  });

  it('reads several [[inputs.logging]] with DataKit defaults', () => {
    const [nginx, app, sock] = config.inputs.logging;
    expect(config.inputs.logging).toHaveLength(3);
    expect(nginx).toMatchObject({
      origin: { file: 'conf.d/log/logging.conf', index: 0 },
      logfiles: ['/var/log/nginx/access.log', '/var/log/nginx/error.log'],
      ignore: [], // [""] means nothing
      source: 'nginx',
      service: 'nginx',
      pipeline: 'nginx.p',
      autoMultilineDetection: true,
      ignoreDeadLogMs: 3_600_000,
      maxOpenFiles: 500,
      tags: { env: 'prod' },
    });
    expect(app).toMatchObject({
      origin: { file: 'conf.d/log/logging.conf', index: 1 },
      logfiles: ['/data/app/*.log'],
      source: 'app',
      service: 'billing',
      pipeline: 'app-billing.p',
      multilineMatch: '^\\d{4}-\\d{2}-\\d{2}',
      characterEncoding: 'gbk',
      ignoreStatus: ['debug'],
      storageIndex: 'app_logs',
      maxOpenFiles: -1,
      fromBeginning: true,
      autoMultilineDetection: false, // a Go bool left out is false
      ignoreDeadLogMs: 0,
    });
    expect(sock).toMatchObject({
      logfiles: [],
      sockets: ['tcp://0.0.0.0:9540', 'udp://0.0.0.0:9541'],
      source: 'default',
      service: 'default',
      pipeline: 'default.p',
    });
  });

  it('never parses *.conf.sample files', () => {
    expect(lines(warnings).some((w) => w.includes('disk.conf.sample'))).toBe(false);
  });
});

describe('loadConfig: inputs', () => {
  it('accepts [inputs.logging] as a single table and the old name tailf', () => {
    const r = load({
      'conf.d/a.conf': '[inputs.logging]\nlogfiles = ["/a"]\n',
      'conf.d/b.conf': '[[inputs.tailf]]\nlogfiles = ["/b"]\npipeline_path = "/old/dir/b.p"\nmatch = "^x"\n',
    });
    expect(r.errors).toEqual([]);
    expect(r.config.inputs.logging.map((l) => [l.logfiles[0], l.pipeline, l.multilineMatch])).toEqual([
      ['/a', 'default.p', ''],
      ['/b', 'b.p', '^x'],
    ]);
    expect(lines(r.warnings)).toEqual(
      expect.arrayContaining([
        'conf.d/b.conf:1: inputs.tailf: deprecated input name: use [[inputs.logging]]',
        'conf.d/b.conf:3: inputs.tailf[0].pipeline_path: deprecated: use pipeline = "<name>.p"',
        'conf.d/b.conf:4: inputs.tailf[0].match: deprecated: use multiline_match',
      ]),
    );
  });

  it('reads files recursively in sorted order and skips hidden folders', () => {
    const r = load({
      'conf.d/z/late.conf': '[[inputs.logging]]\nsource = "z"\nlogfiles=["/z"]\n',
      'conf.d/a.conf': '[[inputs.logging]]\nsource = "a"\nlogfiles=["/a"]\n',
      'conf.d/..data/a.conf': '[[inputs.logging]]\nsource = "dup"\nlogfiles=["/a"]\n',
      'conf.d/m/n/mid.conf': '[[inputs.logging]]\nsource = "m"\nlogfiles=["/m"]\n',
    });
    expect(r.config.inputs.logging.map((l) => l.source)).toEqual(['a', 'm', 'z']);
  });

  it('warns about inputs that collect nothing and about the socket/sockets mix-up', () => {
    const r = load({ 'conf.d/l.conf': '[[inputs.logging]]\nsocket = ["tcp://0.0.0.0:1"]\n' });
    expect(r.errors).toEqual([]);
    expect(lines(r.warnings)).toEqual([
      'conf.d/l.conf:1: inputs.logging[0]: neither logfiles nor sockets set: this input collects nothing',
      'conf.d/l.conf:2: inputs.logging[0].socket: unknown key, ignored (did you mean "sockets"? DataKit reads only "sockets")',
      'dataway.urls: no DataWay configured: processed data will not be uploaded',
    ]);
  });

  it('suggests the key meant by a typo', () => {
    const r = load({ 'conf.d/l.conf': '[[inputs.logging]]\nlogfile = ["/a"]\n' });
    expect(lines(r.warnings)).toContain(
      'conf.d/l.conf:2: inputs.logging[0].logfile: key not used by plkit, ignored (did you mean "logfiles"?)',
    );
  });

  it('enables [inputs.ploffload] with optional disk storage', () => {
    const r = load({
      'conf.d/ploffload/ploffload.conf':
        '[inputs.ploffload]\n  [inputs.ploffload.storage]\n    path = "./pl_storage"\n    capacity = 2048\n',
      'conf.d/datakit.conf': '[http_api]\nlisten = "0.0.0.0:9529"\n',
    });
    expect(r.errors).toEqual([]);
    expect(r.config.inputs.ploffload).toEqual({
      storage: { path: join(r.config.paths.workdir, 'pl_storage'), capacityMiB: 2048 },
    });
    const bare = load({ 'conf.d/p.conf': '[inputs.ploffload]\n' });
    expect(bare.config.inputs.ploffload).toEqual({ storage: null });
    expect(lines(bare.warnings)).toContain(
      'http_api.listen: the ploffload input is enabled but "localhost:9529" is a loopback address: other hosts cannot offload to it',
    );
  });

  it('enables inputs named in default_enabled_inputs only when no file configures them', () => {
    const r = load({ 'conf.d/datakit.conf': 'default_enabled_inputs = ["ploffload", "logging", "cpu"]\n' });
    expect(r.config.inputs.ploffload).toEqual({ storage: null });
    expect(r.config.inputs.logging).toHaveLength(1);
    expect(r.config.inputs.logging[0]).toMatchObject({
      logfiles: ['/var/log/syslog', '/var/log/messages'],
      source: 'default',
      autoMultilineDetection: true,
    });
    const own = load({
      'conf.d/datakit.conf': 'default_enabled_inputs = ["logging"]\n',
      'conf.d/l.conf': '[[inputs.logging]]\nlogfiles = ["/mine"]\n',
    });
    expect(own.config.inputs.logging.map((l) => l.logfiles)).toEqual([['/mine']]);
  });
});

describe('loadConfig: datakit.conf values', () => {
  it('reads every key plkit uses', () => {
    const r = load({
      'conf.d/datakit.conf': `
protect_mode = false
[http_api]
  listen = "0.0.0.0:9529"
  public_apis = ["/v1/write/logging"]
  timeout = "5s"
  request_rate_limit = 20.5
  tokens = ["tkn_a", ""]
  max_body_bytes = 1024
[dataway]
  urls = ["https://dw.example.com:8443/?token=tkn_abc&extra=1"]
  timeout_v2 = 45000000000
  max_retry_count = 12
  retry_delay = "250ms"
  content_encoding = "V1"
  gzip = false
  max_raw_body_size = 2048
  http_proxy = "http://user:pw@proxy:3128"
  [dataway.wal]
    max_capacity_gb = 0.5
    path = "wal"
    no_drop_categories = ["L", "T", "logging", "CO"]
[io]
  max_cache_count = 64
  flush_interval = "1s"
  flush_workers = 3
[global_host_tags]
  cluster = "c1"
[global_tags]
  cluster = "old"
  zone = "z"
[environments]
  ENV_HOSTNAME = "dk-01"
[pipeline]
  remote_pull_interval = "30s"
  disable_append_run_info = true
  refer_table_url = "http://rt.example.com/table?token=tkn_rt0123456789"
  refer_table_pull_interval = "1h"
  [pipeline.default_pipeline]
    logging = "def.p"
    M = "m.p"
  [pipeline.offload]
    receiver = "ploffload"
    addresses = ["http://10.0.0.2:9529/ignored", "https://10.0.0.3"]
    batch_size = 256
    flush_interval = "50ms"
    balance = "affinity"
    affinity_keys = ["host"]
    health_check_interval = "2s"
    spool_path = "/var/spool/plkit"
    spool_capacity = 512
    token = "tkn_offload_secret"
    tls_ca = "ca.pem"
    tls_insecure_skip_verify = true
    timeout = "3s"
    when_full = "drop_oldest"
`,
    });
    expect(r.errors).toEqual([]);
    const c = r.config;
    const w = c.paths.workdir;
    expect(c.protectMode).toBe(false);
    expect(c.hostname).toBe('dk-01');
    expect(c.httpApi).toEqual({
      listen: '0.0.0.0:9529',
      publicApis: ['/v1/write/logging'],
      timeoutMs: 5000,
      requestRateLimit: 20.5,
      tokens: ['tkn_a'],
      maxBodyBytes: 1024,
    });
    expect(c.dataway).toMatchObject({
      timeoutMs: 45_000,
      maxRetryCount: 10,
      retryDelayMs: 250,
      contentEncoding: 'v1',
      gzip: false,
      maxRawBodySize: 2048, // protect mode off
      httpProxy: 'http://user:pw@proxy:3128',
      wal: {
        maxCapacityGb: 0.5,
        path: join(w, 'wal'),
        noDropCategories: ['logging', 'tracing', 'custom_object'],
      },
    });
    expect(c.dataway.endpoints[0]).toEqual({
      url: 'https://dw.example.com:8443/?token=tkn_abc&extra=1',
      base: 'https://dw.example.com:8443',
      path: '',
      token: 'tkn_abc',
      query: 'token=tkn_abc&extra=1',
    });
    expect(c.io).toEqual({ maxCacheCount: 64, flushIntervalMs: 1000, flushWorkers: 3 });
    expect(c.globalHostTags).toEqual({ cluster: 'c1', zone: 'z' });
    expect(c.pipeline).toMatchObject({
      remotePullIntervalMs: 30_000,
      disableAppendRunInfo: true,
      referTableUrl: 'http://rt.example.com/table?token=tkn_rt0123456789',
      referTablePullIntervalMs: 3_600_000,
      defaultPipeline: { logging: 'def.p', metric: 'm.p' },
    });
    expect(c.pipeline.offload).toEqual({
      enabled: true,
      receiver: 'ploffload',
      addresses: ['http://10.0.0.2:9529/ignored', 'https://10.0.0.3'],
      targets: ['http://10.0.0.2:9529', 'https://10.0.0.3'],
      batchSize: 256,
      flushIntervalMs: 50,
      balance: 'affinity',
      affinityKeys: ['host'],
      healthCheckIntervalMs: 2000,
      spoolPath: '/var/spool/plkit',
      spoolCapacityMiB: 512,
      token: 'tkn_offload_secret',
      tlsCa: join(w, 'ca.pem'),
      tlsInsecureSkipVerify: true,
      timeoutMs: 3000,
      whenFull: 'drop_oldest',
    });
    expect(lines(r.warnings)).toEqual([
      'conf.d/datakit.conf:13: dataway.max_retry_count: 12 lowered to 10',
      'conf.d/datakit.conf:29: global_tags: deprecated: use [global_host_tags]',
      'conf.d/datakit.conf:44: pipeline.offload.addresses[0]: "/ignored" is ignored (only scheme and host are used)',
    ]);
  });

  it('applies DataKit clamps and fallbacks with warnings', () => {
    const r = load({
      'conf.d/datakit.conf': `[dataway]
urls = ["http://dw:9528"]
max_retry_count = 0
content_encoding = "json"
max_raw_body_size = 10
timeout = "7s"
`,
    });
    expect(r.errors).toEqual([]);
    expect(r.config.dataway).toMatchObject({
      maxRetryCount: 1,
      contentEncoding: 'v1',
      maxRawBodySize: 102_400,
      timeoutMs: 7000,
    });
    expect(lines(r.warnings)).toEqual([
      'conf.d/datakit.conf:2: dataway.urls[0]: no token= parameter: DataWay will reject the uploads',
      'conf.d/datakit.conf:3: dataway.max_retry_count: 0 raised to 1 (one attempt, no retry)',
      'conf.d/datakit.conf:4: dataway.content_encoding: unknown encoding "json", using "v1" (line protocol) as DataKit does',
      'conf.d/datakit.conf:5: dataway.max_raw_body_size: 10 raised to 102400 bytes (protect mode; set protect_mode = false to allow less)',
      'conf.d/datakit.conf:6: dataway.timeout: deprecated: use timeout_v2',
    ]);
  });
});
