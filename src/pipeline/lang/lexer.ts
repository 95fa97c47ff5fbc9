/**
 * The Platypus tokenizer. Current-token state lives in flat fields
 * (`type`, `value`, `start`, `end`), so scanning allocates nothing but the
 * token text itself.
 *
 * Line ends are tokens (`T.eol`): they end statements. After a token whose
 * type `eatsNewline` (operators, `,`, `(`, `[`, `{`, `:`) line ends are
 * whitespace, like DataKit's lexer. String escapes are decoded here: `"…"`
 * and `'…'` take Go escapes (`\'` only inside `'…'`, `\"` only inside
 * `"…"`), triple-quoted strings are raw and may span lines, backticks
 * quote an identifier verbatim.
 */
import { PlkScriptError } from './errors.js';
import { KEYWORDS, T, type TokenType } from './token-type.js';

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return 16;
}

export class Lexer {
  readonly input: string;
  readonly sourceName: string;
  pos = 0;
  type: TokenType = T.eof;
  /** Identifier name, decoded string, or the number's source text. */
  value = '';
  start = 0;
  end = 0;
  /** End of the previous token (for node spans). */
  lastEnd = 0;

  constructor(input: string, sourceName = 'script.p') {
    this.input = input;
    this.sourceName = sourceName;
  }

  raise(pos: number, reason: string, end = pos): never {
    throw new PlkScriptError('PLK_ERR_SYNTAX', reason, this.input, this.sourceName, pos, end);
  }

  /** Advance to the next token. */
  next(): void {
    this.lastEnd = this.end;
    const skipNl = this.type.eatsNewline;
    this.skipSpace(skipNl);
    this.start = this.pos;
    if (this.pos >= this.input.length) {
      this.finish(T.eof, 0);
      return;
    }
    this.readToken(this.input.charCodeAt(this.pos));
  }

  private skipSpace(skipNl: boolean): void {
    const s = this.input;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 13) {
        this.pos++;
      } else if (c === 10 && skipNl) {
        this.pos++;
      } else if (c === 35) {
        // `#` comment to end of line; the line end itself stays
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl;
      } else {
        break;
      }
    }
  }

  private finish(type: TokenType, len: number, value = ''): boolean {
    this.pos += len;
    this.end = this.pos;
    this.type = type;
    this.value = value;
    return true;
  }

  private readToken(c: number): boolean {
    const s = this.input;
    const c2 = s.charCodeAt(this.pos + 1);
    switch (c) {
      case 10:
        return this.finish(T.eol, 1);
      case 59:
        return this.finish(T.semi, 1);
      case 44:
        return this.finish(T.comma, 1);
      case 46:
        return this.finish(T.dot, 1);
      case 58:
        return this.finish(T.colon, 1);
      case 40:
        return this.finish(T.parenL, 1);
      case 41:
        return this.finish(T.parenR, 1);
      case 91:
        return this.finish(T.bracketL, 1);
      case 93:
        return this.finish(T.bracketR, 1);
      case 123:
        return this.finish(T.braceL, 1);
      case 125:
        return this.finish(T.braceR, 1);
      case 43: // +
        return c2 === 61 ? this.finish(T.addEq, 2) : this.finish(T.add, 1);
      case 45: // -
        return c2 === 61 ? this.finish(T.subEq, 2) : this.finish(T.sub, 1);
      case 42: // *
        return c2 === 61 ? this.finish(T.mulEq, 2) : this.finish(T.mul, 1);
      case 47: // /
        return c2 === 61 ? this.finish(T.divEq, 2) : this.finish(T.div, 1);
      case 37: // %
        return c2 === 61 ? this.finish(T.modEq, 2) : this.finish(T.mod, 1);
      case 61: // =
        return c2 === 61 ? this.finish(T.eqeq, 2) : this.finish(T.eq, 1);
      case 33: // !
        return c2 === 61 ? this.finish(T.neq, 2) : this.finish(T.not, 1);
      case 60: // <
        return c2 === 61 ? this.finish(T.lte, 2) : this.finish(T.lt, 1);
      case 62: // >
        return c2 === 61 ? this.finish(T.gte, 2) : this.finish(T.gt, 1);
      case 124: // |
        if (c2 === 124) return this.finish(T.or, 2);
        return this.raise(this.pos, "unexpected character '|'");
      case 38: // &
        if (c2 === 38) return this.finish(T.and, 2);
        return this.raise(this.pos, "unexpected character '&'");
      case 34:
      case 39:
        if (c2 === c && s.charCodeAt(this.pos + 2) === c) return this.readMultiline(c);
        return this.readString(c);
      case 96:
        return this.readQuotedName();
    }
    if (isDigit(c)) return this.readNumber();
    if (isIdentStart(c)) return this.readWord();
    const cp = s.codePointAt(this.pos) ?? c;
    return this.raise(this.pos, `unexpected character: ${JSON.stringify(String.fromCodePoint(cp))}`);
  }

  private readWord(): boolean {
    const s = this.input;
    let p = this.pos + 1;
    while (p < s.length && isIdentPart(s.charCodeAt(p))) p++;
    const word = s.slice(this.pos, p);
    const kw = KEYWORDS.get(word) ?? KEYWORDS.get(word.toLowerCase());
    return this.finish(kw ?? T.name, p - this.pos, word);
  }

  private readQuotedName(): boolean {
    const s = this.input;
    const close = s.indexOf('`', this.pos + 1);
    if (close < 0) this.raise(this.pos, 'unterminated quoted identifier');
    return this.finish(T.quotedName, close + 1 - this.pos, s.slice(this.pos + 1, close));
  }

  private readNumber(): boolean {
    const s = this.input;
    let p = this.pos;
    let digits = isDigit;
    if (s.charCodeAt(p) === 48 && (s.charCodeAt(p + 1) | 32) === 120) {
      p += 2;
      digits = (c: number) => hexVal(c) < 16;
    }
    while (p < s.length && digits(s.charCodeAt(p))) p++;
    if (s.charCodeAt(p) === 46) {
      p++;
      while (p < s.length && digits(s.charCodeAt(p))) p++;
    }
    if ((s.charCodeAt(p) | 32) === 101 && digits === isDigit) {
      p++;
      const sign = s.charCodeAt(p);
      if (sign === 43 || sign === 45) p++;
      while (p < s.length && isDigit(s.charCodeAt(p))) p++;
    }
    if (p < s.length && isIdentPart(s.charCodeAt(p))) {
      this.raise(this.pos, `bad number: ${JSON.stringify(s.slice(this.pos, p + 1))}`);
    }
    return this.finish(T.num, p - this.pos, s.slice(this.pos, p));
  }

  private readMultiline(q: number): boolean {
    const s = this.input;
    // closes at the first run of three quote characters of either kind
    let p = this.pos + 3;
    for (;;) {
      if (p >= s.length) this.raise(this.pos, 'unterminated multiline string');
      const c = s.charCodeAt(p);
      if ((c === 34 || c === 39) && isQuote(s.charCodeAt(p + 1)) && isQuote(s.charCodeAt(p + 2))) break;
      p++;
    }
    void q;
    return this.finish(T.mlString, p + 3 - this.pos, s.slice(this.pos + 3, p));
  }

  private readString(q: number): boolean {
    const s = this.input;
    let p = this.pos + 1;
    let out = '';
    let chunk = p;
    for (;;) {
      if (p >= s.length) this.raise(this.pos, 'unterminated quoted string');
      const c = s.charCodeAt(p);
      if (c === q) break;
      if (c === 10) this.raise(this.pos, 'unterminated quoted string');
      if (c !== 92) {
        p++;
        continue;
      }
      out += s.slice(chunk, p);
      p = this.readEscape(p, q);
      out += this.escOut;
      chunk = p;
    }
    out += s.slice(chunk, p);
    return this.finish(T.string, p + 1 - this.pos, out);
  }

  private escOut = '';

  /** Decode the escape at `p` (a backslash) into `escOut`; returns the offset after it. */
  private readEscape(p: number, q: number): number {
    const s = this.input;
    const c = s.charCodeAt(p + 1);
    const simple: Record<number, string> = {
      97: '\x07',
      98: '\b',
      102: '\f',
      110: '\n',
      114: '\r',
      116: '\t',
      118: '\v',
      92: '\\',
    };
    const v = simple[c];
    if (v !== undefined) {
      this.escOut = v;
      return p + 2;
    }
    if (c === q) {
      this.escOut = String.fromCharCode(q);
      return p + 2;
    }
    if (c === 120 || c === 117 || c === 85) {
      const n = c === 120 ? 2 : c === 117 ? 4 : 8;
      let x = 0;
      for (let j = 0; j < n; j++) {
        const d = hexVal(s.charCodeAt(p + 2 + j));
        if (d >= 16) this.raise(p, 'invalid escape sequence');
        x = x * 16 + d;
      }
      if (x > 0x10ffff || (c !== 120 && x >= 0xd800 && x < 0xe000)) this.raise(p, 'invalid escape sequence');
      this.escOut = String.fromCodePoint(x);
      return p + 2 + n;
    }
    if (c >= 48 && c <= 55) {
      let x = 0;
      for (let j = 0; j < 3; j++) {
        const d = s.charCodeAt(p + 1 + j) - 48;
        if (d < 0 || d > 7) this.raise(p, 'invalid escape sequence');
        x = x * 8 + d;
      }
      if (x > 255) this.raise(p, 'invalid escape sequence');
      this.escOut = String.fromCharCode(x);
      return p + 4;
    }
    return this.raise(p, 'unknown escape sequence');
  }
}

function isQuote(c: number): boolean {
  return c === 34 || c === 39;
}
