/**
 * Field values, chosen so the JavaScript type alone tells the kind and no
 * wrapper object is allocated for the common kinds:
 *
 * | kind    | JS representation                     |
 * |---------|---------------------------------------|
 * | int64   | `bigint` (always within int64 range)  |
 * | uint64  | `UInt` (rare; boxes a bigint)         |
 * | float64 | `number`                              |
 * | bool    | `boolean`                             |
 * | string  | `string`                              |
 * | bytes   | `Uint8Array`                          |
 * | array   | `FieldArray` of one basic kind        |
 * | nil     | `null` (only inside scripts and debug output) |
 *
 * Why bigint for int64: `3i`, `3u` and `3.0` must stay distinct end to end
 * and values beyond 2^53 must stay exact. A `number` with a side table of
 * kinds would need a second lookup per field; a bigint is one small heap
 * object, compares against numbers natively (`200n >= 500`) and makes Go's
 * int64 wrap-around one `BigInt.asIntN(64, x)` away. Strings, which are the
 * bulk of log fields, stay plain JS strings.
 */
export class UInt {
  readonly v: bigint;
  constructor(v: bigint) {
    this.v = BigInt.asUintN(64, v);
  }
  toString(): string {
    return this.v.toString();
  }
}

export type BasicValue = bigint | UInt | number | boolean | string | Uint8Array;

/** An array field: all elements of one basic kind. */
export type FieldArray = BasicValue[];

export type FieldValue = BasicValue | FieldArray | null;

export type ValueKind = 'i' | 'u' | 'f' | 'b' | 's' | 'd' | 'a' | 'n';

/** The kind letter of a value, as in the conformance typed shape. */
export function kindOf(v: FieldValue): ValueKind {
  switch (typeof v) {
    case 'string':
      return 's';
    case 'bigint':
      return 'i';
    case 'number':
      return 'f';
    case 'boolean':
      return 'b';
    default:
      if (v === null) return 'n';
      if (v instanceof UInt) return 'u';
      if (v instanceof Uint8Array) return 'd';
      return 'a';
  }
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;
