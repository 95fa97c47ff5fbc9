/**
 * The `PBPoints` schema of DataKit's `point.proto` (SPEC §2) as the wire
 * tags our hand-written reader and writer switch on. A tag is
 * `field_number << 3 | wire_type`; every tag here fits one byte.
 *
 * ```
 * PBPoints   { repeated PBPoint arr = 1 }
 * PBPoint    { string name = 1; repeated Field fields = 2; int64 time = 3;
 *              repeated Warn warns = 4; repeated Debug debugs = 5 }
 * Field      { string key = 1; oneof val { int64 i = 2; uint64 u = 3;
 *              double f = 4; bool b = 5; bytes d = 6; Any a = 7; string s = 11 }
 *              bool is_tag = 8; MetricType type = 9; string unit = 10 }
 * Warn       { string type = 1; string msg = 2 }
 * Debug      { string info = 1 }
 * Any        { string type_url = 1; bytes value = 2 }
 * Array      { repeated BasicTypes arr = 1 }
 * BasicTypes { oneof x { int64 i = 1; uint64 u = 2; double f = 3; bool b = 4;
 *              bytes d = 5; string s = 6 } }
 * ```
 */

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

/** PBPoints.arr */
export const TAG_POINTS_ARR = 0x0a;

export const TAG_POINT_NAME = 0x0a;
export const TAG_POINT_FIELD = 0x12;
export const TAG_POINT_TIME = 0x18;
export const TAG_POINT_WARN = 0x22;
export const TAG_POINT_DEBUG = 0x2a;

export const TAG_FIELD_KEY = 0x0a;
export const TAG_FIELD_I = 0x10;
export const TAG_FIELD_U = 0x18;
export const TAG_FIELD_F = 0x21;
export const TAG_FIELD_B = 0x28;
export const TAG_FIELD_D = 0x32;
export const TAG_FIELD_A = 0x3a;
export const TAG_FIELD_IS_TAG = 0x40;
export const TAG_FIELD_TYPE = 0x48;
export const TAG_FIELD_UNIT = 0x52;
export const TAG_FIELD_S = 0x5a;

export const TAG_WARN_TYPE = 0x0a;
export const TAG_WARN_MSG = 0x12;

export const TAG_ANY_TYPE_URL = 0x0a;
export const TAG_ANY_VALUE = 0x12;

export const TAG_ARRAY_ARR = 0x0a;

export const TAG_BASIC_I = 0x08;
export const TAG_BASIC_U = 0x10;
export const TAG_BASIC_F = 0x19;
export const TAG_BASIC_B = 0x20;
export const TAG_BASIC_D = 0x2a;
export const TAG_BASIC_S = 0x32;

/** The only `Any` payload DataKit puts in a field. */
export const ARRAY_TYPE_URL = 'type.googleapis.com/point.Array';
