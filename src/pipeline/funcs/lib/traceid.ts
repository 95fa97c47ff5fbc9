/**
 * `conv_traceid_w3c_to_dd`: a W3C trace id (32 hex digits, of which the low
 * 64 bits are kept) or span id (16 hex digits) as the decimal uint64 that
 * DataDog uses. Anything else is an Error and leaves the field unchanged.
 */
const HEX16 = /^[0-9a-fA-F]{16}$/;

export function convTraceIdW3cToDd(id: string): string | Error {
  const len = Buffer.byteLength(id, 'utf8');
  let low: string;
  if (len === 32) low = id.slice(16);
  else if (len === 16) low = id;
  else return new Error('not trace/span id');
  if (!HEX16.test(low)) return new Error(`encoding/hex: invalid byte in ${JSON.stringify(low)}`);
  return BigInt(`0x${low}`).toString(10);
}
