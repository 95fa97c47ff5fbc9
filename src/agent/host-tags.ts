/**
 * `[global_host_tags]` values may name the host: `$datakit_hostname` /
 * `__datakit_hostname` become the host name, `$datakit_ip` / `__datakit_ip`
 * the first non-internal IPv4 address (as DataKit expands them).
 */
import { networkInterfaces, hostname as osHostname } from 'node:os';

export function primaryIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function resolveGlobalHostTags(
  tags: Readonly<Record<string, string>>,
  hostname: string | null,
): Record<string, string> {
  const host = hostname ?? osHostname();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    if (v === '$datakit_hostname' || v === '__datakit_hostname') out[k] = host;
    else if (v === '$datakit_ip' || v === '__datakit_ip') out[k] = primaryIPv4();
    else out[k] = v;
  }
  return out;
}
