/**
 * The requests DataKit's real offload sender made, as captured in
 * `../shared/conformance/offload/<receiver>/<case>/<addr>/*.json|.body`:
 * path, headers to replay (without Content-Length and Accept-Encoding,
 * which the replaying client sets itself) and body, in a stable order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from './shared.js';

export interface Capture {
  /** `<case>/<addr>/<file>`, for messages. */
  name: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export function offloadCaptures(receiver: 'datakit-http' | 'ploffload'): Capture[] {
  const root = sharedPath('conformance', 'offload', receiver);
  const out: Capture[] = [];
  for (const kase of readdirSync(root).sort()) {
    for (const addr of readdirSync(join(root, kase)).sort()) {
      const dir = join(root, kase, addr);
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.json')) continue;
        const meta = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
          path: string;
          headers: Record<string, string[]>;
        };
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(meta.headers)) {
          if (k !== 'Content-Length' && k !== 'Accept-Encoding') headers[k] = v[0]!;
        }
        out.push({
          name: `${kase}/${addr}/${f}`,
          path: meta.path,
          headers,
          body: readFileSync(join(dir, f.replace(/\.json$/, '.body'))),
        });
      }
    }
  }
  return out;
}
