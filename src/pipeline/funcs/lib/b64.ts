/**
 * `b64enc` / `b64dec`: standard base64 with padding, as Go's
 * `base64.StdEncoding`. Decoding is strict where Node's is lenient: padding
 * is required, `-`/`_` and stray characters are errors, and only `\r`/`\n`
 * are skipped. Decoded bytes are read as UTF-8 (invalid sequences become
 * U+FFFD, as they would once DataKit serialises the string).
 */
import { utf8Decode } from './go-utf8.js';

const STD = /^[A-Za-z0-9+/]*$/;

export function b64enc(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

export function b64dec(s: string): string | Error {
  const t = s.replace(/[\r\n]/g, '');
  if (t.length % 4 !== 0) return new Error(`illegal base64 data at input byte ${t.length - (t.length % 4)}`);
  let body = t;
  if (body.endsWith('==')) body = body.slice(0, -2);
  else if (body.endsWith('=')) body = body.slice(0, -1);
  if (!STD.test(body)) {
    let at = 0;
    while (at < body.length && /[A-Za-z0-9+/]/.test(body[at]!)) at++;
    return new Error(`illegal base64 data at input byte ${at}`);
  }
  // a quantum needs at least two data characters before its padding
  if (body.length % 4 === 1) return new Error(`illegal base64 data at input byte ${body.length}`);
  return utf8Decode(Buffer.from(t, 'base64'));
}
