/**
 * What every point from one origin (a tailed file, a socket input) has in
 * common — name, tags, constant fields — worked out once, with DataKit's
 * rules: config tags win over host tags, a `service` tag in the config
 * overrides `service`, and `field_white_list` (when set) keeps only the
 * listed companions of `message`. The same origin gives the ordinary road
 * its points and the fast road its encoded shape.
 */
import { LogWireShape } from '../../point/codec/log-wire.js';
import { Point } from '../../point/point.js';
import type { FieldValue } from '../../point/value.js';

export interface OriginSpec {
  source: string;
  service: string;
  configTags: Readonly<Record<string, string>>;
  /** Tags particular to the origin (a socket's `log_source`, `collector_source_ip`), before the config tags. */
  ownTags: readonly (readonly [string, string])[];
  /** `status` as a tag (file points, as DataKit does) or a field (socket points). */
  statusAs: 'tag' | 'field';
  status: string;
  /** Constant string fields (a file's `filepath`). */
  constFields: readonly (readonly [string, string])[];
  /** Per-message integer fields (`log_read_lines`, `message_length`). */
  intKeys: readonly string[];
  /** field_white_list; empty = keep everything. */
  whiteList: readonly string[];
}

export class LogOrigin {
  readonly name: string;
  /** Tags without the global host tags (io/feed adds those on the ordinary road). */
  readonly tags: ReadonlyMap<string, string>;
  readonly constFields: ReadonlyMap<string, string>;
  /** Which per-message integer fields survive the white list, by index into the spec's `intKeys`. */
  readonly intKeys: readonly string[];
  readonly #intIndex: readonly number[];
  /** Every per-message integer field survives the white list (items need no re-mapping). */
  readonly intsKept: boolean;
  /** Only `message` would be left: DataKit drops such points. */
  readonly empty: boolean;
  #shape: { hostTags: readonly (readonly [string, string])[]; shape: LogWireShape } | null = null;

  constructor(s: OriginSpec) {
    const allow = s.whiteList.length > 0 ? new Set(s.whiteList) : null;
    const keep = (k: string) => allow === null || allow.has(k);
    const tags = new Map<string, string>();
    const fields = new Map<string, string>();
    if (s.statusAs === 'tag' && keep('status')) tags.set('status', s.status);
    for (const [k, v] of s.ownTags) if (keep(k)) tags.set(k, v);
    if (keep('service')) tags.set('service', s.service);
    for (const [k, v] of Object.entries(s.configTags)) if (keep(k)) tags.set(k, v);
    for (const [k, v] of s.constFields) if (keep(k)) fields.set(k, v);
    if (s.statusAs === 'field' && keep('status')) fields.set('status', s.status);
    const ints: string[] = [];
    const idx: number[] = [];
    s.intKeys.forEach((k, i) => {
      if (keep(k)) {
        ints.push(k);
        idx.push(i);
      }
    });
    this.name = s.source;
    this.tags = tags;
    this.constFields = fields;
    this.intKeys = ints;
    this.#intIndex = idx;
    this.intsKept = ints.length === s.intKeys.length;
    this.empty = tags.size === 0 && fields.size === 0 && ints.length === 0;
  }

  /** The ordinary road: a point for one message. `ints` follows the spec's `intKeys`. */
  point(message: string, ints: readonly number[], timeNs: bigint): Point {
    const fields = new Map<string, FieldValue>();
    fields.set('message', message);
    for (const [k, v] of this.constFields) fields.set(k, v);
    for (let i = 0; i < this.intKeys.length; i++)
      fields.set(this.intKeys[i]!, BigInt(ints[this.#intIndex[i]!]!));
    return new Point(this.name, new Map(this.tags), fields, timeNs, 'logging');
  }

  /** The surviving integer values, in the shape's order. */
  shapeInts(ints: readonly number[]): number[] {
    if (this.#intIndex.length === ints.length) return ints as number[];
    return this.#intIndex.map((i) => ints[i]!);
  }

  /** The fast road's encoded constant parts, with host tags the origin lacks added (rebuilt if they change). */
  wireShape(hostTags: readonly (readonly [string, string])[]): LogWireShape {
    const c = this.#shape;
    if (c !== null && c.hostTags === hostTags) return c.shape;
    const tags = new Map(this.tags);
    for (const [k, v] of hostTags) if (!tags.has(k)) tags.set(k, v);
    const shape = new LogWireShape({
      name: this.name,
      tags,
      constFields: this.constFields,
      messageKey: 'message',
      intKeys: this.intKeys,
    });
    this.#shape = { hostTags, shape };
    return shape;
  }
}
