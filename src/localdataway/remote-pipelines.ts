/**
 * The `remote_pipelines` member of DataWay's `/v1/datakit/pull` answer, as
 * DataKit's puller reads it (internal/io pull + internal/pipeline/remote):
 *
 * - `pipelines[].name` is the file name with `.p`, `category` the full
 *   category name (`logging`, `metric`, …), `base64text` standard base64,
 *   `asDefault` marks the category's default script;
 * - `update_time` equal to the client's `ts` means nothing changed (the
 *   list is then left empty); `1` tells the client to delete all its remote
 *   scripts; `0` means there is nothing to serve;
 * - `relation_update_time` 0 with an empty `relation` clears the client's
 *   table. DataKit applies `relation` whenever that time is not -1, so the
 *   full table is always sent and applying it twice changes nothing.
 */
import { ApiError } from '../server/api-error.js';
import { ChangeClock } from './change-clock.js';
import { readCatalog } from './script-catalog.js';

export interface PulledPipeline {
  name: string;
  base64text: string;
  category: string;
  asDefault: boolean;
}

export interface RemotePipelinesAnswer {
  update_time: number;
  pipelines: PulledPipeline[];
  relation_update_time: number;
  relation: { category: string; source: string; name: string }[];
}

const NOTHING = 0;
const DELETE_ALL = 1;

export class RemotePipelines {
  readonly #dir: string | undefined;
  readonly #scriptsClock = new ChangeClock();
  readonly #relationsClock = new ChangeClock();

  constructor(dir: string | undefined) {
    this.#dir = dir === '' ? undefined : dir;
  }

  /**
   * The answer for a client whose scripts are from `ts`. The client's
   * `relation_ts` is not needed: the whole relation table is always sent.
   */
  answer(ts: number): RemotePipelinesAnswer {
    if (this.#dir === undefined) {
      return { update_time: NOTHING, pipelines: [], relation_update_time: 0, relation: [] };
    }
    const res = readCatalog(this.#dir);
    if (!res.ok) {
      throw new ApiError(
        500,
        'invalidRemotePipelines',
        `remote pipelines: ${res.error.file}: ${res.error.message}`,
      );
    }
    const snap = res.snapshot;

    // Observe even when empty so a folder emptied and refilled gets a new time.
    const t = this.#scriptsClock.observe(snap.scriptsFingerprint, snap.scriptsMtime);
    let updateTime: number;
    let pipelines: PulledPipeline[] = [];
    if (snap.scripts.length === 0) {
      updateTime = ts === NOTHING ? NOTHING : DELETE_ALL;
    } else {
      updateTime = t;
      if (ts !== t) {
        pipelines = snap.scripts.map((s) => ({
          name: s.name,
          base64text: s.text.toString('base64'),
          category: s.category,
          asDefault: s.asDefault,
        }));
      }
    }

    const relationTime =
      snap.relationsMtime === 0
        ? 0
        : this.#relationsClock.observe(snap.relationsFingerprint, snap.relationsMtime);
    return {
      update_time: updateTime,
      pipelines,
      relation_update_time: relationTime,
      relation: snap.relations.map((r) => ({ category: r.category, source: r.source, name: r.name })),
    };
  }
}
