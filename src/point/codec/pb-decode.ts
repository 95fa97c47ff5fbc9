/**
 * Protobuf body → points (`PBPoints`, SPEC §2), then DataKit's intake checks.
 *
 * Accepts what any conforming protobuf encoder may produce: unknown fields
 * (skipped by wire type, groups included), fields in any order, a repeated
 * oneof member (the last one wins). Tags are `Field`s with `is_tag` set and
 * a string value; `warns` are kept on the point, `debugs`, `type` and `unit`
 * are read past. A value plkit cannot hold (a field without a value, an
 * `Any` that is not a one-kind `point.Array`) drops that field with a warning,
 * as DataKit's reader ends up ignoring it too.
 *
 * A truncated or malformed body yields one `datakit.invalidProtobufPoint`
 * error naming the byte offset and the reason; points that were complete
 * before it are still returned (the HTTP layer decides whether to keep them).
 *
 * Speed: small `Field`s that recur across a batch are taken from a cache
 * by their bytes (`pb-field-cache.ts`), and each point gets its intake
 * checks right after it is read, with hints from the reader about which
 * checks its keys already pass (see `normalizePoint`).
 */
import type { Category } from '../category.js';
import { HINT_CLEAN_ENTRIES, HINT_PLAIN_KEYS, IntakeScreen, normalizePoint } from '../normalize.js';
import { Point } from '../point.js';
import type { BasicValue, FieldValue } from '../value.js';
import type { DecodeError, DecodeOptions, DecodeResult } from './errors.js';
import {
  cacheable,
  FIELD_CACHE_MAX,
  fieldHit,
  fieldInfo,
  fieldKey,
  fieldSlot,
  fieldValue,
  INFO_IS_TAG,
  storeField,
} from './pb-field-cache.js';
import { checkTag, PbReader, PbWireError, TEXT_PLAIN_KEY, TEXT_PLAIN_VALUE } from './pb-reader.js';
import {
  ARRAY_TYPE_URL,
  TAG_ANY_TYPE_URL,
  TAG_ANY_VALUE,
  TAG_ARRAY_ARR,
  TAG_BASIC_B,
  TAG_BASIC_D,
  TAG_BASIC_F,
  TAG_BASIC_I,
  TAG_BASIC_S,
  TAG_BASIC_U,
  TAG_FIELD_A,
  TAG_FIELD_B,
  TAG_FIELD_D,
  TAG_FIELD_F,
  TAG_FIELD_I,
  TAG_FIELD_IS_TAG,
  TAG_FIELD_KEY,
  TAG_FIELD_S,
  TAG_FIELD_U,
  TAG_POINT_FIELD,
  TAG_POINT_NAME,
  TAG_POINT_TIME,
  TAG_POINT_WARN,
  TAG_POINTS_ARR,
  TAG_WARN_MSG,
  TAG_WARN_TYPE,
} from './pb-schema.js';
import { nowNs } from './timestamp.js';

export const INVALID_PROTOBUF = 'datakit.invalidProtobufPoint';

/** Decode a `PBPoints` body. Never throws on bad input. */
export function decodeProtobuf(body: Uint8Array, opts: DecodeOptions): DecodeResult {
  return readBody(body, opts.category, opts);
}

/**
 * The points exactly as encoded: no intake checks, a zero time left zero.
 * For tests and tools that need the codec alone.
 */
export function readPbPoints(body: Uint8Array, category: Category): DecodeResult {
  return readBody(body, category, null);
}

/**
 * Intake hints for the point being read, cleared by `readField`: whether
 * its keys and tag values are all known plain (`HINT_PLAIN_KEYS`) and its
 * entries all passed `screen` without clashing (`HINT_CLEAN_ENTRIES`).
 */
let pointPlain = true;
let pointClean = true;
/** The screen of the body being decoded; null when reading without intake checks. */
let screen: IntakeScreen | null = null;

/** Read the body; with `intake`, each point gets the intake checks as soon as it is read. */
function readBody(body: Uint8Array, category: Category, intake: DecodeOptions | null): DecodeResult {
  const points: Point[] = [];
  const errors: DecodeError[] = [];
  const r = new PbReader(body);
  const limit = body.length;
  let now = 0n;
  if (intake !== null) now = intake.now ?? nowNs();
  const limits = intake?.limits;
  screen = intake === null ? null : new IntakeScreen(category, limits);
  try {
    while (r.pos < limit) {
      const tag = r.uint32(limit);
      if (tag === TAG_POINTS_ARR) {
        const end = r.lenEnd(limit);
        pointPlain = true;
        pointClean = true;
        const pt = readPoint(r, end, category);
        if (intake !== null) {
          // proto3 cannot tell an absent time from 0: both get the receive time.
          if (pt.time === 0n) pt.time = now;
          const hints = pointPlain
            ? pointClean
              ? HINT_PLAIN_KEYS | HINT_CLEAN_ENTRIES
              : HINT_PLAIN_KEYS
            : 0;
          normalizePoint(pt, category, limits, hints);
        }
        points.push(pt);
      } else {
        checkTag(r, tag);
        r.skip(tag, limit);
      }
    }
  } catch (e) {
    if (!(e instanceof PbWireError)) throw e;
    errors.push({
      code: INVALID_PROTOBUF,
      message: `invalid protobuf body at byte ${e.offset} (point ${points.length}): ${e.message}`,
      offset: e.offset,
    });
  }
  return { points, errors };
}

function readPoint(r: PbReader, end: number, category: Category): Point {
  const pt = new Point('', new Map(), new Map(), 0n, category);
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag) {
      case TAG_POINT_NAME:
        pt.name = r.string(end);
        break;
      case TAG_POINT_FIELD: {
        const fieldEnd = r.lenEnd(end);
        const fieldStart = r.pos;
        const n = fieldEnd - fieldStart;
        if (n === 0 || n > FIELD_CACHE_MAX) {
          readField(r, fieldEnd, pt, -1);
          break;
        }
        const slot = fieldSlot(r.buf, fieldStart, fieldEnd);
        if (fieldHit(r.buf, r.view, fieldStart, fieldEnd, slot)) {
          const info = fieldInfo(slot);
          addEntry(pt, fieldKey(slot), fieldValue(slot), info);
          r.pos = fieldEnd;
        } else readField(r, fieldEnd, pt, slot);
        break;
      }
      case TAG_POINT_TIME:
        pt.time = r.int64(end);
        break;
      case TAG_POINT_WARN:
        readWarn(r, r.lenEnd(end), pt);
        break;
      default:
        checkTag(r, tag);
        r.skip(tag, end);
    }
  }
  return pt;
}

/** Why the last `readAny` gave no value; read right after it returns null. */
let anyProblem = '';

/** `fieldInfo` bits beside `INFO_IS_TAG`: plainness of the key and value (`TEXT_PLAIN_*`). */
const INFO_PLAIN_KEY = 2;
const INFO_PLAIN_VALUE = 4;

/**
 * One `Field` message; with `slot` >= 0 (it fits the field cache) a field
 * with a shareable value is remembered there.
 */
function readField(r: PbReader, end: number, pt: Point, slot: number): void {
  const start = r.pos;
  let key = '';
  let keyFlags = 0;
  let value: FieldValue | undefined;
  let valueFlags = 0;
  let isTag = false;
  let problem = '';
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag) {
      case TAG_FIELD_KEY:
        key = r.string(end);
        keyFlags = r.flags;
        break;
      case TAG_FIELD_IS_TAG:
        isTag = r.bool(end);
        break;
      case TAG_FIELD_S:
        value = r.string(end);
        valueFlags = r.flags;
        problem = '';
        break;
      case TAG_FIELD_I:
        value = r.int64(end);
        problem = '';
        break;
      case TAG_FIELD_F:
        value = r.double(end);
        problem = '';
        break;
      case TAG_FIELD_B:
        value = r.bool(end);
        problem = '';
        break;
      case TAG_FIELD_U:
        value = r.uint64(end);
        problem = '';
        break;
      case TAG_FIELD_D:
        value = r.bytes(end);
        problem = '';
        break;
      case TAG_FIELD_A: {
        const arr = readAny(r, r.lenEnd(end));
        value = arr ?? undefined;
        problem = arr === null ? anyProblem : '';
        break;
      }
      default: // type, unit and unknown fields
        checkTag(r, tag);
        r.skip(tag, end);
    }
  }
  if (value === undefined) {
    if (problem !== '') pt.addWarn('invalid_field_value_type', `field(${key}) dropped: ${problem}`);
    else pt.addWarn('nil_field', `nil field(${key}) dropped`);
    return;
  }
  let info = (keyFlags & TEXT_PLAIN_KEY) !== 0 ? INFO_PLAIN_KEY : 0;
  if ((valueFlags & TEXT_PLAIN_VALUE) !== 0) info |= INFO_PLAIN_VALUE;
  if (isTag && typeof value === 'string') info |= INFO_IS_TAG;
  if (slot >= 0 && cacheable(value)) storeField(r.buf, start, end, slot, key, value, info);
  addEntry(pt, key, value, info);
}

/** Add a decoded field to the point as a tag or field, noting what the intake hints need. */
function addEntry(pt: Point, key: string, value: FieldValue, info: number): void {
  if ((info & INFO_IS_TAG) !== 0) {
    const tagValue = value as string;
    if ((info & (INFO_PLAIN_KEY | INFO_PLAIN_VALUE)) !== (INFO_PLAIN_KEY | INFO_PLAIN_VALUE))
      pointPlain = false;
    if (
      pointClean &&
      (screen === null || !screen.tag(key, tagValue) || (pt.fields.size !== 0 && pt.fields.has(key)))
    ) {
      pointClean = false;
    }
    pt.tags.set(key, tagValue);
  } else {
    if ((info & INFO_PLAIN_KEY) === 0) pointPlain = false;
    if (
      pointClean &&
      (screen === null || !screen.field(key, value) || (pt.tags.size !== 0 && pt.tags.has(key)))
    ) {
      pointClean = false;
    }
    pt.fields.set(key, value);
  }
}

function readWarn(r: PbReader, end: number, pt: Point): void {
  let type = '';
  let msg = '';
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === TAG_WARN_TYPE) type = r.string(end);
    else if (tag === TAG_WARN_MSG) msg = r.string(end);
    else {
      checkTag(r, tag);
      r.skip(tag, end);
    }
  }
  pt.addWarn(type, msg);
}

/**
 * A `google.protobuf.Any` field value. Only `point.Array` of one basic kind
 * is a value plkit can hold; anything else (including a corrupt payload,
 * which DataKit's decoder also leaves unread) returns null with the reason
 * in `anyProblem`.
 */
function readAny(r: PbReader, end: number): BasicValue[] | null {
  let url = '';
  let valueStart = end;
  let valueEnd = end;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === TAG_ANY_TYPE_URL) url = r.string(end);
    else if (tag === TAG_ANY_VALUE) {
      valueEnd = r.lenEnd(end);
      valueStart = r.pos;
      r.pos = valueEnd;
    } else {
      checkTag(r, tag);
      r.skip(tag, end);
    }
  }
  if (url !== ARRAY_TYPE_URL) {
    anyProblem = `unsupported Any type ${JSON.stringify(url)}`;
    return null;
  }
  r.pos = valueStart;
  try {
    return readArray(r, valueEnd);
  } catch (e) {
    if (!(e instanceof PbWireError)) throw e;
    anyProblem = `corrupt array at byte ${e.offset}: ${e.message}`;
    return null;
  } finally {
    r.pos = end;
  }
}

const KIND_NAMES = ['none', 'i', 'u', 'f', 'b', 'd', 's'];

function readArray(r: PbReader, end: number): BasicValue[] | null {
  const out: BasicValue[] = [];
  let kind = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag !== TAG_ARRAY_ARR) {
      checkTag(r, tag);
      r.skip(tag, end);
      continue;
    }
    const elemEnd = r.lenEnd(end);
    let v: BasicValue | undefined;
    let k = 0;
    while (r.pos < elemEnd) {
      const t = r.uint32(elemEnd);
      switch (t) {
        case TAG_BASIC_I:
          v = r.int64(elemEnd);
          k = 1;
          break;
        case TAG_BASIC_U:
          v = r.uint64(elemEnd);
          k = 2;
          break;
        case TAG_BASIC_F:
          v = r.double(elemEnd);
          k = 3;
          break;
        case TAG_BASIC_B:
          v = r.bool(elemEnd);
          k = 4;
          break;
        case TAG_BASIC_D:
          v = r.bytes(elemEnd);
          k = 5;
          break;
        case TAG_BASIC_S:
          v = r.string(elemEnd);
          k = 6;
          break;
        default:
          checkTag(r, t);
          r.skip(t, elemEnd);
      }
    }
    if (v === undefined) {
      anyProblem = `array element ${out.length} has no value`;
      return null;
    }
    if (kind === 0) kind = k;
    else if (k !== kind) {
      anyProblem = `mixed types in array ([0]: ${KIND_NAMES[kind]}, [${out.length}]: ${KIND_NAMES[k]})`;
      return null;
    }
    out.push(v);
  }
  return out;
}
