/**
 * Separate hosts for end-to-end tests: network namespaces made with
 * `ip netns`, each with one veth port on a bridge in this namespace, so
 * the test process reaches every host and the hosts reach each other (and
 * a DataWay listening on the bridge address). Needs root and iproute2;
 * `Network.create()` answers why not when it cannot, so tests skip cleanly.
 * Everything made here is removed by `destroy()`.
 */
import { execFileSync } from 'node:child_process';

export interface Host {
  name: string;
  netns: string;
  ip: string;
  /** The bridge-side end of its link (down = the host is cut off). */
  port: string;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export class Network {
  readonly bridge: string;
  /** The bridge's address: where a DataWay in this namespace listens. */
  readonly gateway: string;
  readonly hosts: Host[] = [];
  readonly #id: number;
  readonly #subnet: string;

  private constructor(id: number) {
    this.#id = id;
    this.bridge = `plkbr${id}`;
    this.#subnet = `10.213.${id % 250}`;
    this.gateway = `${this.#subnet}.1`;
  }

  /** Why these tests cannot run here, or null. */
  static unavailable(): string | null {
    if (process.platform !== 'linux') return 'network namespaces need Linux';
    if (process.getuid?.() !== 0) return 'network namespaces need root';
    // Try what create() does: a namespace and a bridge (a container may forbid either).
    const probe = `plkprobe${process.pid % 100_000}`;
    try {
      ip('netns', 'add', probe);
      ip('netns', 'del', probe);
      ip('link', 'add', probe, 'type', 'bridge');
      ip('link', 'del', probe);
    } catch (e) {
      try {
        ip('netns', 'del', probe);
      } catch {
        // not made
      }
      return `cannot make network namespaces and bridges here (${(e as Error).message.split('\n')[0]})`;
    }
    return null;
  }

  /** A bridge and one namespace per name, each host at the next address. */
  static create(names: readonly string[]): Network {
    const net = new Network(process.pid % 10_000);
    try {
      ip('link', 'add', net.bridge, 'type', 'bridge');
      ip('addr', 'add', `${net.gateway}/24`, 'dev', net.bridge);
      ip('link', 'set', net.bridge, 'up');
      names.forEach((name, i) => {
        const h: Host = {
          name,
          netns: `plk${net.#id}-${name}`,
          ip: `${net.#subnet}.${i + 2}`,
          port: `plkv${net.#id}-${i}`,
        };
        ip('netns', 'add', h.netns);
        net.hosts.push(h);
        ip('link', 'add', h.port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.netns);
        ip('link', 'set', h.port, 'master', net.bridge);
        ip('link', 'set', h.port, 'up');
        ip('-n', h.netns, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0');
        ip('-n', h.netns, 'link', 'set', 'eth0', 'up');
        ip('-n', h.netns, 'link', 'set', 'lo', 'up');
      });
    } catch (e) {
      net.destroy();
      throw e;
    }
    return net;
  }

  host(name: string): Host {
    const h = this.hosts.find((x) => x.name === name);
    if (h === undefined) throw new Error(`no host ${name}`);
    return h;
  }

  /** Pull the host's cable: packets to and from it are dropped, nothing is refused. */
  cut(name: string): void {
    ip('link', 'set', this.host(name).port, 'down');
  }

  restore(name: string): void {
    ip('link', 'set', this.host(name).port, 'up');
  }

  destroy(): void {
    for (const h of this.hosts.splice(0)) {
      try {
        ip('netns', 'del', h.netns);
      } catch {
        // already gone
      }
    }
    try {
      ip('link', 'del', this.bridge);
    } catch {
      // already gone
    }
  }
}
