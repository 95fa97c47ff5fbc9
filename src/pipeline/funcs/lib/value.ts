/**
 * The value shapes the pure helpers take and return, matching the script
 * engine's convention (int64 = bigint, float = number, bool, string,
 * nil = null, list = array, map = plain object) without importing the
 * engine, so these modules stay testable on their own.
 */
export type LibMap = { [key: string]: LibValue };
export type LibValue = bigint | number | boolean | string | null | LibValue[] | LibMap;

/** Sets a key on a plain-object map; `__proto__` is defined, never inherited. */
export function setKey(m: LibMap, k: string, v: LibValue): void {
  if (k === '__proto__')
    Object.defineProperty(m, k, { value: v, writable: true, enumerable: true, configurable: true });
  else m[k] = v;
}
