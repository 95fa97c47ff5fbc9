/**
 * @module pipeline/scripts — script namespaces, the store with hot reload,
 * selection, the pipeline stage io/feed runs, remote pull from DataWay and
 * the debug API. See README.md.
 */
export {
  autoBenchmark,
  autoBenchmarkYielding,
  type BenchResult,
  timeRuns,
  timeRunsYielding,
} from './bench.js';
export { type PipelineDebugApiDeps, registerPipelineDebugApi } from './debug-api.js';
export { type DebugRunDeps, type PlErrorJson, plError, runPipelineDebug } from './debug-run.js';
export { FolderWatcher, type FolderWatcherOptions } from './folder-watcher.js';
export { goBenchmarkResult, goDuration } from './go-format.js';
export type { NamespaceState, ScriptProblem, ScriptSource } from './namespace-loader.js';
export {
  isNamespace,
  NAMESPACES,
  type Namespace,
  type NamespaceFolders,
  namespaceFolders,
} from './namespaces.js';
export { ScriptPipelineStage, type ScriptPipelineStageOptions } from './pipeline-stage.js';
export { plainJson } from './plain-json.js';
export { type PullAnswer, type PulledScript, parsePullAnswer } from './remote-answer.js';
export { type PullOutcome, RemotePuller, type RemotePullerOptions } from './remote-puller.js';
export { type RemoteState, readRemoteState, STATE_FILE } from './remote-state.js';
export { type ResolvedScript, resolveStoreScript } from './resolve-script.js';
export { type RelationEntry, Routing } from './routing.js';
export { listNamespace, parsePatternFile, scanNamespace } from './script-files.js';
export { ScriptIndex, type ScriptRecord } from './script-index.js';
export { PipelineMetrics } from './script-metrics.js';
export { compileScriptSet, type ScriptSet } from './script-set.js';
export { ScriptStore, type ScriptStoreOptions } from './script-store.js';
export {
  chooseScriptName,
  featureString,
  type InputScript,
  type ScriptChoice,
  type Selection,
  type SelectionRule,
  selectScript,
} from './select.js';
export { findCycle, type UseRef } from './use-graph.js';
