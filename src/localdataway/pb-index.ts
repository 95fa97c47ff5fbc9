/**
 * The store's index of a protobuf body (point count, names, newest times)
 * read straight off the wire, without decoding fields into points.
 *
 * The store keeps the body as sent and decodes it on read, so a write only
 * needs to know that the body decodes and what names and times its points
 * get. This walk visits exactly the messages the protobuf decoder
 * (point/codec/pb-decode.ts) visits, with the same wire checks, so a body
 * it accepts decodes without error; it gives each point the name and time
 * the decoder and the intake checks would (last `name`/`time` wins, empty
 * name → `__default`, time 0 → receive time). Anything it is unsure of —
 * a wire error, a name long enough that intake might trim it — returns
 * null and the caller runs the full decoder, which also words the error.
 * test/localdataway/pb-index.test.ts checks it against the decoder on
 * mutated bodies.
 */
import { checkTag, PbReader, PbWireError } from '../point/codec/pb-reader.js';
import {
  TAG_ANY_TYPE_URL,
  TAG_ANY_VALUE,
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
} from '../point/codec/pb-schema.js';
import { DEFAULT_LIMITS, DEFAULT_MEASUREMENT } from '../point/normalize.js';
import { type BodyIndex, IndexBuilder } from './body-index.js';

/**
 * Names up to this many bytes cannot reach the intake's measurement length
 * limit even after invalid UTF-8 becomes U+FFFD (3 bytes per bad byte).
 */
const SAFE_NAME_BYTES = Math.floor(DEFAULT_LIMITS.maxMeasurementLen / 3);

/** The index of a `PBPoints` body decoded with default limits and receive time `now`; null when unsure. */
export function indexProtobuf(body: Uint8Array, now: bigint): BodyIndex | null {
  const r = new PbReader(body);
  const limit = body.length;
  const out = new IndexBuilder();
  try {
    while (r.pos < limit) {
      const tag = r.uint32(limit);
      if (tag === TAG_POINTS_ARR) {
        const end = r.lenEnd(limit);
        if (!walkPoint(r, end, now, out)) return null;
      } else {
        checkTag(r, tag);
        r.skip(tag, limit);
      }
    }
  } catch (e) {
    if (e instanceof PbWireError) return null;
    throw e;
  }
  return out.finish();
}

function walkPoint(r: PbReader, end: number, now: bigint, out: IndexBuilder): boolean {
  let nameStart = 0;
  let nameEnd = 0;
  let time = 0n;
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag) {
      case TAG_POINT_NAME:
        nameEnd = r.lenEnd(end);
        nameStart = r.pos;
        r.pos = nameEnd;
        break;
      case TAG_POINT_FIELD:
        walkField(r, r.lenEnd(end));
        break;
      case TAG_POINT_TIME:
        time = r.int64(end);
        break;
      case TAG_POINT_WARN:
        walkWarn(r, r.lenEnd(end));
        break;
      default:
        checkTag(r, tag);
        r.skip(tag, end);
    }
  }
  if (nameEnd - nameStart > SAFE_NAME_BYTES) return false;
  const name = nameEnd === nameStart ? DEFAULT_MEASUREMENT : r.text(nameStart, nameEnd);
  out.add(name, time === 0n ? now : time);
  return true;
}

function walkField(r: PbReader, end: number): void {
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag) {
      case TAG_FIELD_KEY:
      case TAG_FIELD_S:
      case TAG_FIELD_D:
        r.pos = r.lenEnd(end);
        break;
      case TAG_FIELD_I:
      case TAG_FIELD_U:
      case TAG_FIELD_B:
      case TAG_FIELD_IS_TAG:
        r.varint64(end);
        break;
      case TAG_FIELD_F:
        r.double(end);
        break;
      case TAG_FIELD_A:
        walkAny(r, r.lenEnd(end));
        break;
      default:
        checkTag(r, tag);
        r.skip(tag, end);
    }
  }
}

/** The `Any` envelope only: a bad array inside it drops the field in the decoder, it never fails the body. */
function walkAny(r: PbReader, end: number): void {
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === TAG_ANY_TYPE_URL || tag === TAG_ANY_VALUE) r.pos = r.lenEnd(end);
    else {
      checkTag(r, tag);
      r.skip(tag, end);
    }
  }
  r.pos = end;
}

function walkWarn(r: PbReader, end: number): void {
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === TAG_WARN_TYPE || tag === TAG_WARN_MSG) r.pos = r.lenEnd(end);
    else {
      checkTag(r, tag);
      r.skip(tag, end);
    }
  }
}
