/**
 * Standard (padded) base64 as Go's `base64.StdEncoding` reads it, for the
 * `"..."b` bytes values of line protocol. Node's own decoder silently skips
 * bad characters, so the text is validated first: a malformed value must
 * be an error, not quietly different bytes.
 */

const STD_B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LINE_BREAKS = /[\r\n]/g;

/** The decoded bytes, or null when `text` is not padded standard base64. */
export function decodeStdBase64(text: string): Uint8Array | null {
  // Go's decoder ignores CR and LF inside the text.
  if (text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1) text = text.replace(LINE_BREAKS, '');
  if (!STD_B64.test(text)) return null;
  // Copy out of Node's shared pool so the value owns its memory.
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export function encodeStdBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
