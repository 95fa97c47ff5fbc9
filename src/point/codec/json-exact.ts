/**
 * A JSON parser that keeps int64 exact.
 *
 * `JSON.parse` turns every number into a double, so a nanosecond timestamp
 * such as `1704067200000000001` silently loses its last digits, and Node 20
 * offers no access to the number's source text. This parser accepts exactly
 * the JSON grammar and returns the same values as `JSON.parse`, except that
 * an integer literal outside the safe range (|n| > 2^53 - 1) comes back as a
 * `bigint`. Syntax errors carry the character index where parsing stopped;
 * `jsonErrorPosition` turns it into line, column and byte offset.
 */

export class JsonSyntaxError extends Error {
  /** Index into the text (UTF-16 units) where the problem was found. */
  readonly index: number;
  constructor(message: string, index: number) {
    super(message);
    this.name = 'JsonSyntaxError';
    this.index = index;
  }
}

/** Objects and arrays nested deeper than this are refused (stack safety). */
const MAX_DEPTH = 1000;

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Parse `text` as one JSON value; throws `JsonSyntaxError`. */
export function parseJsonExact(text: string): unknown {
  const p = new Parser(text);
  const v = p.value(0);
  p.ws();
  if (p.pos < text.length) p.fail('unexpected data after the JSON value');
  return v;
}

class Parser {
  readonly text: string;
  pos = 0;
  #nextBackslash = -1;
  #nextControl = -1;

  constructor(text: string) {
    this.text = text;
  }

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, at);
  }

  ws(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  value(depth: number): unknown {
    this.ws();
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case 0x22: // "
        return this.string();
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        if (Number.isNaN(c)) this.fail('unexpected end of JSON input');
        this.fail(`unexpected character ${JSON.stringify(t[this.pos])}`);
    }
  }

  literal<T>(word: string, v: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`invalid literal, expected ${word}`);
    this.pos += word.length;
    return v;
  }

  number(): number | bigint {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === 0x2d) p++;
    let c = t.charCodeAt(p);
    if (c === 0x30) p++;
    else if (c >= 0x31 && c <= 0x39) {
      do p++;
      while (isDigit(t.charCodeAt(p)));
    } else this.fail('invalid number: expected a digit', p);
    let integer = true;
    c = t.charCodeAt(p);
    if (c === 0x2e) {
      p++;
      if (!isDigit(t.charCodeAt(p))) this.fail('invalid number: expected a digit after "."', p);
      do p++;
      while (isDigit(t.charCodeAt(p)));
      integer = false;
      c = t.charCodeAt(p);
    }
    if (c === 0x65 || c === 0x45) {
      p++;
      c = t.charCodeAt(p);
      if (c === 0x2b || c === 0x2d) p++;
      if (!isDigit(t.charCodeAt(p))) this.fail('invalid number: expected a digit in the exponent', p);
      do p++;
      while (isDigit(t.charCodeAt(p)));
      integer = false;
    }
    this.pos = p;
    const src = t.slice(start, p);
    const n = Number(src);
    if (integer && p - start > 15 && !Number.isSafeInteger(n)) return BigInt(src);
    return n;
  }

  /**
   * Strings are found with native `indexOf` rather than a loop per char;
   * the next backslash and the next control character are searched for
   * once and remembered until parsing passes them, so the whole text is
   * scanned for each at most once.
   */
  string(): string {
    const t = this.text;
    const start = ++this.pos;
    const q = t.indexOf('"', start);
    if (q === -1) this.fail('unterminated string', start - 1);
    if (this.#nextBackslash < start) this.#nextBackslash = findFrom(t, '\\', start);
    if (this.#nextBackslash < q) return this.escapedString(start, this.#nextBackslash);
    if (this.#nextControl < start) this.#nextControl = findControl(t, start);
    if (this.#nextControl < q) this.badStringChar(t.charCodeAt(this.#nextControl), this.#nextControl);
    this.pos = q + 1;
    return t.slice(start, q);
  }

  badStringChar(c: number, p: number): never {
    if (Number.isNaN(c)) this.fail('unterminated string', this.pos - 1);
    this.fail(`control character U+${c.toString(16).padStart(4, '0')} in string`, p);
  }

  escapedString(start: number, firstEscape: number): string {
    const t = this.text;
    let out = t.slice(start, firstEscape);
    let p = firstEscape;
    let run = p;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return out + t.slice(run, p);
      }
      if (c === 0x5c) {
        out += t.slice(run, p);
        const e = t[p + 1];
        if (e === 'u') {
          const hex = t.slice(p + 2, p + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape', p);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          p += 6;
        } else {
          const r = e === undefined ? undefined : ESCAPES[e];
          if (r === undefined)
            this.fail(e === undefined ? 'unterminated string' : `invalid escape \\${e}`, p);
          out += r;
          p += 2;
        }
        run = p;
        continue;
      }
      if (!(c >= 0x20)) this.badStringChar(c, p); // NaN past the end, too
      p++;
    }
  }

  array(depth: number): unknown[] {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.pos++;
    const out: unknown[] = [];
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x5d) return out;
      this.pos--;
      this.fail(Number.isNaN(c) ? 'unexpected end of JSON input' : 'expected "," or "]" in array');
    }
  }

  object(depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.pos++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 0x22) {
        this.fail(this.pos >= this.text.length ? 'unexpected end of JSON input' : 'expected a string key');
      }
      const key = this.string();
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail('expected ":" after an object key');
      this.pos++;
      const v = this.value(depth);
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x7d) return out;
      this.pos--;
      this.fail(Number.isNaN(c) ? 'unexpected end of JSON input' : 'expected "," or "}" in object');
    }
  }
}

const CONTROL = /[\u0000-\u001f]/g;

/** Index of `ch` at or after `from`, or +Infinity. */
function findFrom(t: string, ch: string, from: number): number {
  const i = t.indexOf(ch, from);
  return i === -1 ? Number.POSITIVE_INFINITY : i;
}

/** Index of the first control character at or after `from`, or +Infinity. */
function findControl(t: string, from: number): number {
  CONTROL.lastIndex = from;
  const m = CONTROL.exec(t);
  return m === null ? Number.POSITIVE_INFINITY : m.index;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Line (1-based), column (1-based, in characters) and UTF-8 byte offset of `index` in `text`. */
export function jsonErrorPosition(
  text: string,
  index: number,
): { line: number; column: number; offset: number } {
  const before = text.slice(0, index);
  let line = 1;
  let lineStart = 0;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1, offset: Buffer.byteLength(before, 'utf8') };
}
