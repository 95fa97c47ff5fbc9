/**
 * Checks that span keys or sources, run once files and environment are
 * merged: DataWay URLs, offload addresses and receiver, loops back to this
 * agent, and a ploffload receiver nobody else can reach. Each issue points
 * at where the deciding value was set.
 */
import { finishDataway } from './dataway-section.js';
import type { ConfigDraft } from './draft.js';
import type { IssueSink } from './issues.js';
import type { Origins } from './origins.js';
import { isLoopbackHost, parseOffloadAddress, splitHostPort } from './urls.js';

export function validateDraft(cfg: ConfigDraft, origins: Origins, sink: IssueSink): void {
  finishDataway(cfg.dataway, cfg.protectMode, origins, sink);
  finishOffload(cfg, origins, sink);
  if (cfg.inputs.ploffload !== null && listensOnLoopbackOnly(cfg.httpApi.listen)) {
    sink.warn(
      origins.where('http_api.listen'),
      `the ploffload input is enabled but ${JSON.stringify(cfg.httpApi.listen)} is a loopback address: other hosts cannot offload to it`,
    );
  }
}

function finishOffload(cfg: ConfigDraft, origins: Origins, sink: IssueSink): void {
  const o = cfg.pipeline.offload;
  const addrWhere = (i: number) => {
    const w = origins.where('pipeline.offload.addresses');
    return w.env !== undefined && w.env !== null ? w : { ...w, key: `pipeline.offload.addresses[${i}]` };
  };
  o.targets = [];
  for (let i = 0; i < o.addresses.length; i++) {
    const r = parseOffloadAddress(o.addresses[i]!);
    if (!r.ok) {
      sink.error(addrWhere(i), r.reason);
      continue;
    }
    if (r.note !== undefined) sink.warn(addrWhere(i), r.note);
    if (o.targets.includes(r.value)) sink.warn(addrWhere(i), `${r.value} is listed twice`);
    else o.targets.push(r.value);
    if (pointsAtSelf(r.value, cfg.httpApi.listen)) {
      sink.error(
        addrWhere(i),
        `${r.value} is this agent's own listen address (${cfg.httpApi.listen}): offloaded points would loop back`,
      );
    }
  }
  const receiverSet = o.enabled;
  o.enabled = receiverSet && o.addresses.length > 0;
  if (receiverSet && o.addresses.length === 0) {
    const rw = origins.where('pipeline.offload.receiver');
    // The default (and DataKit's sample conf) is receiver "datakit-http" with no address: offload off.
    const explicit = (rw.env !== undefined && rw.env !== null) || o.receiver !== 'datakit-http';
    if (explicit) {
      sink.error(
        { ...origins.where('pipeline.offload.addresses'), key: 'pipeline.offload.addresses' },
        `receiver ${JSON.stringify(o.receiver)} is set but no address is: list at least one post-level processor`,
      );
    }
  }
  if (o.enabled && o.balance === 'affinity' && o.affinityKeys.length === 0) {
    sink.error(
      origins.where('pipeline.offload.affinity_keys'),
      'balance = "affinity" needs at least one affinity key',
    );
  }
}

function listensOnLoopbackOnly(listen: string): boolean {
  const hp = splitHostPort(listen);
  return hp !== null && isLoopbackHost(hp.host);
}

/** True when `origin` (scheme://host:port) is this agent's listener (same port, loopback or same host). */
function pointsAtSelf(origin: string, listen: string): boolean {
  const lh = splitHostPort(listen);
  if (lh === null) return false;
  const u = new URL(origin);
  const port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  if (port !== lh.port) return false;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return isLoopbackHost(host) || host === lh.host;
}
