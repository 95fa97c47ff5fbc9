/**
 * The pipeline's HTTP APIs on the agent's server:
 *
 * - `POST /v1/pipeline/debug`: DataKit's remote debugging API (shapes in
 *   debug-run.ts), compiled with the grok patterns of the `default`
 *   namespace when a store is given;
 * - `GET /v1/pipeline/scripts` (plkit): what the store serves, by
 *   namespace, with the scripts that do not compile and their positioned
 *   errors, so a broken hot reload is visible without reading logs.
 */
import type { Logger } from '../../common/logger.js';
import { ApiError } from '../../server/api-error.js';
import type { ApiServer } from '../../server/api-server.js';
import { readDecodedBody, sendJson } from '../../server/http-util.js';
import { defaultRegistry } from '../funcs/index.js';
import type { FuncRegistry } from '../lang/func-api.js';
import { plError, runPipelineDebug } from './debug-run.js';
import type { ScriptStore } from './script-store.js';

export interface PipelineDebugApiDeps {
  store?: ScriptStore;
  registry?: FuncRegistry;
  logger?: Logger;
  /** Largest request body (default 64 MiB: 32 MiB of data, base64-encoded). */
  maxBodyBytes?: number;
  benchmarkMs?: number;
  now?: () => bigint;
}

export function registerPipelineDebugApi(server: ApiServer, deps: PipelineDebugApiDeps = {}): void {
  const registry = deps.registry ?? defaultRegistry();
  const max = deps.maxBodyBytes ?? 64 * 1024 * 1024;

  server.route('POST', '/v1/pipeline/debug', async ({ req, res, query }) => {
    const raw = await readDecodedBody(req, query, max);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch (e) {
      throw new ApiError(400, 'invalidRequest', (e as Error).message);
    }
    const text = await runPipelineDebug(body, {
      registry,
      services: deps.store?.baseServices('default'),
      benchmarkMs: deps.benchmarkMs,
      now: deps.now,
    });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });

  server.route('GET', '/v1/pipeline/scripts', ({ res }) => {
    const store = deps.store;
    if (store === undefined) throw new ApiError(404, 'notFound', 'no script store in this process');
    const index = store.index;
    const scripts = index.all().map((r) => ({
      namespace: r.ns,
      category: r.category,
      name: r.name,
      path: r.path,
      shadowed: index.isShadowed(r),
      loaded_at: new Date(r.loadedAt).toISOString(),
    }));
    const problems = store.problems().map((p) => ({
      namespace: p.ns,
      category: p.category,
      name: p.name,
      path: p.path,
      serving_previous: p.serving,
      at: new Date(p.at).toISOString(),
      error: plError(p.error),
    }));
    const routing = store.routing;
    sendJson(res, 200, {
      content: {
        scripts,
        compile_errors: problems,
        file_errors: store.fileProblems(),
        relation: routing.relations(),
        defaults: { remote: routing.remoteDefaults(), config: routing.configDefaults() },
      },
    });
  });
}
