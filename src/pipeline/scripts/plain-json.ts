/**
 * JSON text with plain values, the way DataKit's debug API answers
 * (`"fields": {"n": 42, "s": "x"}`): int64/uint64 become JSON numbers
 * written exactly (not through a float), bytes become base64 strings (Go
 * marshals `[]byte` so), NaN and infinities become null (Go refuses them),
 * and `undefined` members are left out.
 */
import { UInt } from '../../point/value.js';

export function plainJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null';
    default:
      break;
  }
  if (v === null) return 'null';
  if (v instanceof UInt) return v.v.toString();
  if (v instanceof Uint8Array)
    return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + plainJson(v[i]);
    return `${s}]`;
  }
  if (v instanceof Map) return plainJson(Object.fromEntries(v));
  let s = '{';
  let first = true;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    s += `${first ? '' : ','}${JSON.stringify(k)}:${plainJson(x)}`;
    first = false;
  }
  return `${s}}`;
}
