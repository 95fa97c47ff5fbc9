/**
 * @module config — datakit.conf + conf.d + environment → one typed,
 * validated, deep-frozen `Config`.
 */
export { parseGoDuration } from './duration.js';
export type { Env } from './env-reader.js';
export { formatIssue } from './issues.js';
export { configPaths, type LoadOptions, loadConfig } from './load.js';
export { maskedConfig, maskToken, maskUrl } from './mask.js';
export type {
  Config,
  ConfigIssue,
  ConfigPaths,
  DatawayConfig,
  DatawayEndpointConfig,
  DatawayWalConfig,
  HttpApiConfig,
  InputsConfig,
  IoConfig,
  LoadResult,
  LoggingInputConfig,
  LoggingMode,
  OffloadBalance,
  OffloadConfig,
  OffloadReceiver,
  OffloadWhenFull,
  PipelineConfig,
  PloffloadInputConfig,
  PloffloadStorageConfig,
} from './types.js';
