/**
 * Loop prevention at start-up: an offload address that reaches this very
 * agent's HTTP API would send points back to itself forever. An address
 * is refused when its port is the agent's listen port and one of the IPs
 * its host resolves to is one the agent listens on: the listen IP itself,
 * or — for a wildcard listen (`0.0.0.0`, `::`, empty host) — any address
 * of a local interface, loopback included.
 *
 * A name that does not resolve now is not refused (the receiver is simply
 * unreachable yet; the balancer handles that). Loops through other hosts
 * (a proxy that points back) are caught on the receiving side: a plkit
 * processor never offloads points that arrived offloaded.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { PlkError } from '../common/plk-error.js';
import { parseListen } from '../server/api-server.js';

export interface LoopGuardEnv {
  /** Resolve a host name to its IPs. */
  lookup?: (host: string) => Promise<string[]>;
  /** This host's interface addresses. */
  interfaceAddresses?: () => string[];
}

export interface LoopTarget {
  readonly address: string;
  readonly hostname: string;
  readonly port: number;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

async function defaultLookup(host: string): Promise<string[]> {
  const all = await dnsLookup(host, { all: true, verbatim: true });
  return all.map((a) => a.address);
}

function defaultInterfaces(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address);
  return out;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; everything lower-cased. */
function canon(ip: string): string {
  const l = ip.toLowerCase();
  return l.startsWith('::ffff:') && isIP(l.slice(7)) === 4 ? l.slice(7) : l;
}

function isLoopbackIp(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

async function resolveAll(host: string, lookup: (h: string) => Promise<string[]>): Promise<string[] | null> {
  if (isIP(host) !== 0) return [canon(host)];
  try {
    return (await lookup(host)).map(canon);
  } catch {
    return null;
  }
}

/**
 * Throw PLK_ERR_OFFLOAD_LOOP (permanent) when a target is this agent's own
 * API at `listen` (`http_api.listen`; a Unix socket path never matches).
 */
export async function refuseSelfAddresses(
  targets: readonly LoopTarget[],
  listen: string | undefined,
  env: LoopGuardEnv = {},
): Promise<void> {
  if (listen === undefined || listen === '' || listen.startsWith('/')) return;
  let own: { host: string; port: number };
  try {
    own = parseListen(listen);
  } catch {
    return;
  }
  const lookup = env.lookup ?? defaultLookup;
  const wildcard = WILDCARDS.has(own.host);
  const ownIps = new Set<string>();
  if (wildcard) {
    for (const a of (env.interfaceAddresses ?? defaultInterfaces)()) ownIps.add(canon(a));
  } else {
    for (const a of (await resolveAll(own.host, lookup)) ?? []) ownIps.add(a);
  }
  let ownLoopback = wildcard;
  for (const a of ownIps) if (isLoopbackIp(a)) ownLoopback = true;
  for (const t of targets) {
    if (t.port !== own.port) continue;
    const ips = await resolveAll(t.hostname, lookup);
    if (ips === null) continue;
    for (const ip of ips) {
      // Connecting to 0.0.0.0 or :: reaches this host's loopback.
      const self = ownIps.has(ip) || (wildcard && isLoopbackIp(ip)) || (WILDCARDS.has(ip) && ownLoopback);
      if (!self) continue;
      throw new PlkError(
        'PLK_ERR_OFFLOAD_LOOP',
        `pipeline.offload.addresses: ${JSON.stringify(t.address)} is this agent's own HTTP API ` +
          `(${ip}:${t.port}, listening on ${listen}); offloading to it would send points back to ` +
          'itself forever. List the processors’ addresses instead.',
        { permanent: true },
      );
    }
  }
}
