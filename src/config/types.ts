/**
 * The one typed configuration plkit runs with: `datakit.conf`, the input
 * files under `conf.d/` and the `ENV_*` variables merged, defaulted and
 * validated. Key names follow DataKit's TOML keys in camelCase; every
 * duration is in milliseconds (may be fractional for sub-ms values) and
 * every size says its unit in its name. The loader hands it out deep-frozen.
 */
import type { Category } from '../point/category.js';

export interface Config {
  readonly paths: ConfigPaths;
  /** `ENV_HOSTNAME` / `[environments] ENV_HOSTNAME`; null = the OS hostname. */
  readonly hostname: string | null;
  /** DataKit's `protect_mode`: refuses radical values (e.g. tiny upload bodies). */
  readonly protectMode: boolean;
  readonly httpApi: HttpApiConfig;
  readonly dataway: DatawayConfig;
  readonly io: IoConfig;
  /** `[global_host_tags]`; values may hold `$datakit_hostname`/`__datakit_ip` placeholders, resolved at run time. */
  readonly globalHostTags: Readonly<Record<string, string>>;
  readonly pipeline: PipelineConfig;
  /** `default_enabled_inputs` / `ENV_DEFAULT_ENABLED_INPUTS` as given. */
  readonly defaultEnabledInputs: readonly string[];
  readonly inputs: InputsConfig;
}

export interface ConfigPaths {
  readonly workdir: string;
  /** Folder holding `datakit.conf` and the input files. */
  readonly confd: string;
  readonly mainConf: string;
  /** Script namespaces (SPEC §5), highest priority first in lookup order: remote, confd, gitrepo, default. */
  readonly pipelineRemote: string;
  readonly pipelineConfd: string;
  readonly pipelineGitrepos: string;
  readonly pipeline: string;
  /** State that must survive restarts (positions, pulled tables, spools). */
  readonly data: string;
  /** DataKit's `cache/` folder (the DataWay WAL lives under it by default). */
  readonly cache: string;
}

export interface HttpApiConfig {
  /** `host:port`, `[v6]:port`, or a Unix socket path. */
  readonly listen: string;
  readonly publicApis: readonly string[];
  readonly timeoutMs: number;
  /** Requests per second per API; 0 or less = unlimited. */
  readonly requestRateLimit: number;
  /** plkit: accepted API tokens; empty = no token check. */
  readonly tokens: readonly string[];
  /** plkit: largest request body accepted after decompression. */
  readonly maxBodyBytes: number;
}

export interface DatawayEndpointConfig {
  /** The URL as configured. */
  readonly url: string;
  /** `scheme://host[:port]` (DataKit uses only scheme and host). */
  readonly base: string;
  /** The path of the configured URL, ignored by DataKit (a warning says so). */
  readonly path: string;
  readonly token: string;
  /** The full query string (token included) DataKit appends to every API URL, without `?`. */
  readonly query: string;
}

export interface DatawayWalConfig {
  /** Per category. */
  readonly maxCapacityGb: number;
  readonly path: string;
  /** Categories whose intake blocks instead of dropping when the WAL is full. */
  readonly noDropCategories: readonly Category[];
  readonly failCacheCleanIntervalMs: number;
}

export interface DatawayConfig {
  readonly urls: readonly string[];
  readonly endpoints: readonly DatawayEndpointConfig[];
  readonly timeoutMs: number;
  /** Total attempts per request, 1..10. */
  readonly maxRetryCount: number;
  readonly retryDelayMs: number;
  /** v1 = line protocol, v2 = protobuf. */
  readonly contentEncoding: 'v1' | 'v2';
  readonly gzip: boolean;
  readonly maxRawBodySize: number;
  readonly httpProxy: string;
  readonly tlsInsecure: boolean;
  readonly idleTimeoutMs: number;
  readonly wal: DatawayWalConfig;
}

export interface IoConfig {
  readonly maxCacheCount: number;
  readonly flushIntervalMs: number;
  /** 0 = automatic (DataKit: CPU cores x 2). */
  readonly flushWorkers: number;
}

export type OffloadReceiver = 'datakit-http' | 'ploffload';
export type OffloadBalance = 'round_robin' | 'least_pending' | 'affinity';
export type OffloadWhenFull = 'drop_oldest' | 'block';

export interface OffloadConfig {
  /** True when a receiver and at least one address are set. */
  readonly enabled: boolean;
  readonly receiver: OffloadReceiver;
  /** Addresses as configured. */
  readonly addresses: readonly string[];
  /** `scheme://host[:port]` of each address (all DataKit uses). */
  readonly targets: readonly string[];
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly balance: OffloadBalance;
  readonly affinityKeys: readonly string[];
  readonly healthCheckIntervalMs: number;
  readonly spoolPath: string;
  readonly spoolCapacityMiB: number;
  readonly token: string;
  readonly tlsCa: string;
  readonly tlsInsecureSkipVerify: boolean;
  readonly timeoutMs: number;
  readonly whenFull: OffloadWhenFull;
}

export interface PipelineConfig {
  readonly remotePullIntervalMs: number;
  readonly disableAppendRunInfo: boolean;
  /** Category → script name (`[pipeline.default_pipeline]`). */
  readonly defaultPipeline: Readonly<Partial<Record<Category, string>>>;
  readonly referTableUrl: string;
  readonly referTablePullIntervalMs: number;
  /** `ipdb_type`: "geolite2" gives geoip() MaxMind databases; DataKit's default "iploc" format is not read by plkit. */
  readonly ipdbType: string;
  /** `[pipeline.ipdb_attr]` file names as given ('' = DataKit's default name; see pipeline/services). */
  readonly ipdbAttr: { readonly geoipFile: string; readonly ispFile: string };
  /** What `http_request()` may do. */
  readonly httpRequest: HttpRequestFuncConfig;
  readonly offload: OffloadConfig;
}

/**
 * `http_request()`: off unless `http_request_enabled` (plkit; DataKit's
 * function is on by default) and not `disable_http_request_func`; DataKit's
 * allow-list keys; plkit's deadline and response cap.
 */
export interface HttpRequestFuncConfig {
  readonly enabled: boolean;
  /** `http_request_host_whitelist` */
  readonly hostAllowList: readonly string[];
  /** `http_request_cidr_whitelist` (and DataKit's spelling `http_request_cidr_whiltelist`) */
  readonly cidrAllowList: readonly string[];
  /** `http_request_disable_internal_net`: also refuse private ranges. */
  readonly disableInternalNet: boolean;
  /** `http_request_timeout` (plkit), default 10s as DataKit's client. */
  readonly timeoutMs: number;
  /** `http_request_max_response_bytes` (plkit), default 1 MiB. */
  readonly maxResponseBytes: number;
}

export type LoggingMode = '' | 'docker' | 'cri';

export interface LoggingInputConfig {
  /** Where the input was declared: file relative to the workdir and its index in that file. */
  readonly origin: { readonly file: string; readonly index: number };
  readonly logfiles: readonly string[];
  readonly ignore: readonly string[];
  readonly sockets: readonly string[];
  readonly source: string;
  readonly service: string;
  readonly pipeline: string;
  readonly storageIndex: string;
  readonly ignoreStatus: readonly string[];
  readonly fieldWhiteList: readonly string[];
  /** Lower-cased; '' = no transcoding. */
  readonly characterEncoding: string;
  /** An RE2 pattern as written; '' = none. */
  readonly multilineMatch: string;
  /** enable_multiline; multiline is on when this or autoMultilineDetection is set (DataKit). */
  readonly enableMultiline: boolean;
  readonly autoMultilineDetection: boolean;
  readonly autoMultilineExtraPatterns: readonly string[];
  readonly fromBeginning: boolean;
  /** 0 = never treat a file as dead. */
  readonly ignoreDeadLogMs: number;
  readonly removeAnsiEscapeCodes: boolean;
  /** -1 = no limit. */
  readonly maxOpenFiles: number;
  readonly mode: LoggingMode;
  readonly tags: Readonly<Record<string, string>>;
}

export interface PloffloadStorageConfig {
  readonly path: string;
  readonly capacityMiB: number;
}

export interface PloffloadInputConfig {
  /** Disk cache for requests the worker pool cannot take; null = no disk cache (DataKit's default). */
  readonly storage: PloffloadStorageConfig | null;
}

export interface InputsConfig {
  readonly logging: readonly LoggingInputConfig[];
  /** null = the ploffload input is not enabled. */
  readonly ploffload: PloffloadInputConfig | null;
  /** Input names found in conf.d that plkit does not implement (warned once each). */
  readonly ignored: readonly string[];
}

/** A problem found while loading; `file`/`line` or `env` say where. */
export interface ConfigIssue {
  readonly severity: 'error' | 'warning';
  /** Path relative to the workdir, or null for environment/cross-source issues. */
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  /** The environment variable the value came from, if any. */
  readonly env: string | null;
  /** Dotted key path, e.g. `inputs.logging[0].logfiles`. */
  readonly key: string | null;
  readonly message: string;
}

export interface LoadResult {
  readonly config: Config;
  readonly warnings: readonly ConfigIssue[];
  readonly errors: readonly ConfigIssue[];
}
