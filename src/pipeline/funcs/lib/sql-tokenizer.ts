/**
 * The SQL tokenizer behind `sql_cover`. DataKit obfuscates with DataDog's
 * legacy (pre go-sqllexer) obfuscator using an empty config, so this scans
 * exactly the way that tokenizer does with no DBMS set: byte offsets, rune
 * decoding, its quirks around `-.`, `#` comments and top-level `{` escape
 * sequences included, because the obfuscated text must match token for token.
 *
 * It works on the UTF-8 bytes of the query. `mark` is where the current
 * token's bytes start, `off` is just past `lastChar`; `take()` hands out the
 * bytes between them and moves `mark`, like the original's `bytes()`.
 */
import {
  decodeRune,
  isSpace,
  isLetter as isUnicodeLetter,
  RUNE_ERROR,
  runeLen,
  runesToString,
  utf8Encode,
} from './go-utf8.js';

/** End of input (one past the largest rune, as in the original). */
export const END = 0x110000;

// Token kinds: single-character tokens use their code; named kinds start
// above every rune so the two never collide.
export const Tok = {
  LexError: 57346,
  ID: 57347,
  Limit: 57348,
  Null: 57349,
  String: 57350,
  DoubleQuotedString: 57351,
  DollarQuotedString: 57352,
  Number: 57353,
  BooleanLiteral: 57354,
  ValueArg: 57355,
  ListArg: 57356,
  Comment: 57357,
  Variable: 57358,
  Savepoint: 57359,
  PreparedStatement: 57360,
  EscapeSequence: 57361,
  NullSafeEqual: 57362,
  LE: 57363,
  GE: 57364,
  NE: 57365,
  Not: 57366,
  As: 57367,
  Alter: 57368,
  Drop: 57369,
  Create: 57370,
  Grant: 57371,
  Revoke: 57372,
  Commit: 57373,
  Begin: 57374,
  Truncate: 57375,
  Select: 57376,
  From: 57377,
  Update: 57378,
  Delete: 57379,
  Insert: 57380,
  Into: 57381,
  Join: 57382,
  ColonCast: 57383,
  FilteredGroupable: 57384,
  FilteredGroupableParenthesis: 57385,
  Filtered: 57386,
  FilteredBracketedIdentifier: 57387,
} as const;

const KEYWORDS: ReadonlyMap<string, number> = new Map([
  ['NULL', Tok.Null],
  ['TRUE', Tok.BooleanLiteral],
  ['FALSE', Tok.BooleanLiteral],
  ['SAVEPOINT', Tok.Savepoint],
  ['LIMIT', Tok.Limit],
  ['AS', Tok.As],
  ['ALTER', Tok.Alter],
  ['CREATE', Tok.Create],
  ['GRANT', Tok.Grant],
  ['REVOKE', Tok.Revoke],
  ['COMMIT', Tok.Commit],
  ['BEGIN', Tok.Begin],
  ['TRUNCATE', Tok.Truncate],
  ['DROP', Tok.Drop],
  ['SELECT', Tok.Select],
  ['FROM', Tok.From],
  ['UPDATE', Tok.Update],
  ['DELETE', Tok.Delete],
  ['INSERT', Tok.Insert],
  ['INTO', Tok.Into],
  ['JOIN', Tok.Join],
]);

const C = (s: string): number => s.charCodeAt(0);
const BACKSLASH = 0x5c;
const BYTES_COLON_CAST = utf8Encode('::');
const BYTES_TILDE_STAR = utf8Encode('~*');
const BYTES_NE_ANGLE = utf8Encode('<>');
const BYTES_NULL_SAFE = utf8Encode('<=>');
const BYTES_LE = utf8Encode('<=');
const BYTES_GE = utf8Encode('>=');
const BYTES_NE_BANG = utf8Encode('!=');
const BYTES_NOT_MATCH_I = utf8Encode('!~*');
const BYTES_NOT_MATCH = utf8Encode('!~');
const EMPTY = new Uint8Array(0);

function isDigit(r: number): boolean {
  return r >= 0x30 && r <= 0x39;
}

function isLeadingLetter(r: number): boolean {
  return r === 0x5f || r === 0x40 || isUnicodeLetter(r);
}

function isLetter(r: number): boolean {
  return r === 0x23 || isLeadingLetter(r);
}

function digitVal(r: number): number {
  if (r >= 0x30 && r <= 0x39) return r - 0x30;
  if (r >= 0x61 && r <= 0x66) return r - 0x61 + 10;
  if (r >= 0x41 && r <= 0x46) return r - 0x41 + 10;
  return 16;
}

function isValidCharAfterOperator(r: number): boolean {
  return (
    r === C('(') ||
    r === C('`') ||
    r === C("'") ||
    r === C('"') ||
    r === C('+') ||
    r === C('-') ||
    isSpace(r) ||
    isLetter(r) ||
    isDigit(r)
  );
}

/** Upper-cases only as far as keyword lookup needs (ASCII plus the two runes that fold into it). */
function upperForKeyword(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const d = decodeRune(b, i);
    let r = Math.floor(d / 8);
    i += d % 8 || 1;
    if (r >= 0x61 && r <= 0x7a) r -= 32;
    else if (r === 0x131)
      r = 0x49; // dotless i
    else if (r === 0x17f) r = 0x53; // long s
    s += String.fromCodePoint(r);
  }
  return s;
}

function allSpace(runes: number[]): boolean {
  for (let i = 0; i < runes.length; i++) if (!isSpace(runes[i]!)) return false;
  return true;
}

export class SqlTokenizer {
  private readonly buf: Uint8Array;
  private mark = 0;
  private off = 0;
  private lastChar = 0;
  /** Mirrors the original's position counter; only `{` at the very start reads it. */
  private pos = 0;
  private curlys = 0;
  private readonly literalEscapes: boolean;
  seenEscape = false;
  err: string | null = null;
  /** Bytes of the token `scan()` just returned; null when it has none. */
  tok: Uint8Array | null = null;

  constructor(query: Uint8Array, literalEscapes: boolean) {
    this.buf = query;
    this.literalEscapes = literalEscapes;
  }

  /** The current rune; a method so narrowing does not survive `advance()`. */
  private cur(): number {
    return this.lastChar;
  }

  private setErr(msg: string): void {
    if (this.err === null) this.err = `at position ${this.pos}: ${msg}`;
  }

  private advance(): void {
    const d = decodeRune(this.buf, this.off);
    const r = Math.floor(d / 8);
    const n = d % 8;
    if (n === 0 || (n === 1 && r === RUNE_ERROR)) {
      this.pos++;
      this.lastChar = END;
      if (n === 1) this.setErr(`invalid UTF-8 encoding beginning with 0x${this.buf[this.off]!.toString(16)}`);
      return;
    }
    if (this.cur() !== 0 || this.pos > 0) this.pos += n;
    this.off += n;
    this.lastChar = r;
  }

  /** Bytes advanced over since the last call, excluding `lastChar`. */
  private take(): Uint8Array {
    const end = this.cur() === END ? this.off : this.off - runeLen(this.lastChar);
    const out = this.buf.subarray(this.mark, end);
    this.mark = end;
    return out;
  }

  private ret(kind: number, tok: Uint8Array | null): number {
    this.tok = tok;
    return kind;
  }

  scan(): number {
    if (this.cur() === 0) this.advance();
    while (isSpace(this.cur())) this.advance();
    this.take();

    const ch = this.lastChar;
    if (isLeadingLetter(ch)) return this.scanIdentifier();
    if (isDigit(ch)) return this.scanNumber(false);

    this.advance();
    if (this.cur() === END && this.err !== null) return this.ret(Tok.LexError, null);
    const next = this.lastChar;
    switch (ch) {
      case END:
        return this.ret(this.err !== null ? Tok.LexError : END, null);
      case 0x3a: // ':'
        if (next === 0x3a) {
          this.advance();
          return this.ret(Tok.ColonCast, BYTES_COLON_CAST);
        }
        if (isSpace(next)) return this.ret(ch, this.take());
        if (next !== 0x3d) return this.scanBindVar();
        return this.ret(ch, this.take()); // ':' before '=' stays a plain colon
      case 0x7e: // '~'
        if (next === 0x2a) {
          this.advance();
          return this.ret(ch, BYTES_TILDE_STAR);
        }
        return this.ret(ch, this.take());
      case 0x3f: // '?'
      case 0x3d: // '='
      case 0x2c: // ','
      case 0x3b: // ';'
      case 0x28: // '('
      case 0x29: // ')'
      case 0x2b: // '+'
      case 0x2a: // '*'
      case 0x26: // '&'
      case 0x7c: // '|'
      case 0x5e: // '^'
      case 0x5d: // ']'
      case 0x5b: // '['
        return this.ret(ch, this.take());
      case 0x2e: // '.'
        if (isDigit(next)) return this.scanNumber(true);
        return this.ret(ch, this.take());
      case 0x2f: // '/'
        if (next === 0x2f) {
          this.advance();
          return this.scanLineComment();
        }
        if (next === 0x2a) {
          this.advance();
          return this.scanBlockComment();
        }
        return this.ret(ch, this.take());
      case 0x2d: // '-'
        return this.scanAfterMinus(next);
      case 0x23: // '#': the rune after '#' is skipped before the comment scan, as in the original
        this.advance();
        return this.scanLineComment();
      case 0x3c: // '<'
        if (next === 0x3e) {
          this.advance();
          return this.ret(Tok.NE, BYTES_NE_ANGLE);
        }
        if (next === 0x3d) {
          this.advance();
          if (this.cur() === 0x3e) {
            this.advance();
            return this.ret(Tok.NullSafeEqual, BYTES_NULL_SAFE);
          }
          return this.ret(Tok.LE, BYTES_LE);
        }
        return this.ret(ch, this.take());
      case 0x3e: // '>'
        if (next === 0x3d) {
          this.advance();
          return this.ret(Tok.GE, BYTES_GE);
        }
        return this.ret(ch, this.take());
      case 0x21: // '!'
        if (next === 0x3d) {
          this.advance();
          return this.ret(Tok.NE, BYTES_NE_BANG);
        }
        if (next === 0x7e) {
          this.advance();
          if (this.cur() === 0x2a) {
            this.advance();
            return this.ret(Tok.NE, BYTES_NOT_MATCH_I);
          }
          return this.ret(Tok.NE, BYTES_NOT_MATCH);
        }
        if (isValidCharAfterOperator(next)) return this.ret(Tok.Not, this.take());
        this.setErr(
          `unexpected char "${String.fromCodePoint(Math.min(next, 0x10ffff))}" (${next}) after "!"`,
        );
        return this.ret(Tok.LexError, this.take());
      case 0x27: // '\''
        return this.scanString(ch, Tok.String);
      case 0x22: // '"'
        return this.scanString(ch, Tok.DoubleQuotedString);
      case 0x60: // '`'
        return this.scanString(ch, Tok.ID);
      case 0x25: // '%'
        if (next === 0x28) return this.scanVariableIdentifier();
        if (isLetter(next)) {
          this.advance();
          return this.ret(Tok.Variable, this.take());
        }
        return this.ret(ch, this.take());
      case 0x24: // '$'
        if (isDigit(next)) return this.scanPreparedStatement();
        return this.scanDollarQuotedString();
      case 0x7b: // '{'
        if (this.pos === 1 || this.curlys > 0) {
          // top-level escape sequences like {call proc(?)} keep their shape
          this.curlys++;
          return this.ret(ch, this.take());
        }
        return this.scanEscapeSequence();
      case 0x7d: // '}'
        if (this.curlys === 0) {
          this.setErr(`unexpected byte ${ch}`);
          return this.ret(Tok.LexError, this.take());
        }
        this.curlys--;
        return this.ret(ch, this.take());
      default:
        this.setErr(`unexpected byte ${ch}`);
        return this.ret(Tok.LexError, this.take());
    }
  }

  private scanAfterMinus(next: number): number {
    if (next === 0x2d) {
      this.advance();
      return this.scanLineComment();
    }
    // '->' is not an operator without a DBMS: it scans as a (degenerate) number
    if (next === 0x3e || isDigit(next)) return this.scanNumber(false);
    if (next === 0x2e) {
      this.advance();
      if (isDigit(this.cur())) return this.scanNumber(true);
      // The original rewinds by pretending the current rune is '.', which
      // shifts the next token's bytes by one rune; kept for fidelity.
      this.lastChar = 0x2e;
      this.pos--;
    }
    return this.ret(0x2d, this.take());
  }

  private scanIdentifier(): number {
    this.advance();
    for (;;) {
      const r = this.lastChar;
      if (isLetter(r) || isDigit(r) || r === 0x2e || r === 0x2a || r === 0x24) this.advance();
      else break;
    }
    const t = this.take();
    const kw = KEYWORDS.get(upperForKeyword(t));
    return this.ret(kw ?? Tok.ID, t);
  }

  private scanMantissa(base: number): void {
    while (digitVal(this.cur()) < base) this.advance();
  }

  private scanNumber(seenDecimalPoint: boolean): number {
    let fraction = true;
    if (seenDecimalPoint) {
      this.scanMantissa(10);
      fraction = false;
    } else if (this.cur() === 0x30) {
      this.advance();
      if (this.cur() === 0x78 || this.cur() === 0x58) {
        this.advance();
        this.scanMantissa(16);
        return this.finishNumber();
      }
      this.scanMantissa(8);
      if (this.cur() === 0x38 || this.cur() === 0x39) this.scanMantissa(10);
      if (this.cur() !== 0x2e && this.cur() !== 0x65 && this.cur() !== 0x45) return this.finishNumber();
    } else {
      this.scanMantissa(10);
    }
    if (fraction && this.cur() === 0x2e) {
      this.advance();
      this.scanMantissa(10);
    }
    if (this.cur() === 0x65 || this.cur() === 0x45) {
      this.advance();
      if (this.cur() === 0x2b || this.cur() === 0x2d) this.advance();
      this.scanMantissa(10);
    }
    return this.finishNumber();
  }

  private finishNumber(): number {
    const t = this.take();
    if (t.length === 0) {
      this.setErr('Parse error: ended up with zero-length number.');
      return this.ret(Tok.LexError, null);
    }
    return this.ret(Tok.Number, t);
  }

  /**
   * Quoted text; returns the unquoted content (escapes resolved), or the two
   * delimiters when the content is empty or blank.
   */
  private scanString(delim: number, kind: number): number {
    const runes: number[] = [];
    for (;;) {
      let ch = this.lastChar;
      this.advance();
      if (ch === delim) {
        if (this.cur() === delim) this.advance();
        else break;
      } else if (ch === BACKSLASH) {
        this.seenEscape = true;
        if (!this.literalEscapes) {
          ch = this.lastChar;
          this.advance();
        }
      }
      if (ch === END) {
        this.setErr('unexpected EOF in string');
        return this.ret(Tok.LexError, utf8Encode(runesToString(runes)));
      }
      runes.push(ch);
    }
    if ((kind === Tok.ID && runes.length === 0) || allSpace(runes)) {
      const d = String.fromCodePoint(delim);
      return this.ret(kind, utf8Encode(d + d));
    }
    return this.ret(kind, utf8Encode(runesToString(runes)));
  }

  private scanDollarQuotedString(): number {
    const kind = this.scanString(0x24, Tok.String);
    if (kind === Tok.LexError) return this.ret(kind, this.take());
    const tag = this.tok!;
    let delim: Uint8Array;
    if (tag.length === 2 && tag[0] === 0x24 && tag[1] === 0x24) delim = tag;
    else {
      delim = new Uint8Array(tag.length + 2);
      delim[0] = 0x24;
      delim.set(tag, 1);
      delim[tag.length + 1] = 0x24;
    }
    // The body is replaced by '?' later, so only where it ends matters. The
    // original compares the low byte of each rune with the delimiter bytes.
    let got = 0;
    for (;;) {
      const ch = this.lastChar;
      this.advance();
      if (ch === END) {
        this.setErr('unexpected EOF in dollar-quoted string');
        return this.ret(Tok.LexError, null);
      }
      if ((ch & 0xff) === delim[got]) {
        got++;
        if (got === delim.length) break;
        continue;
      }
      got = 0;
    }
    return this.ret(Tok.DollarQuotedString, EMPTY);
  }

  private scanPreparedStatement(): number {
    const kind = this.scanNumber(false);
    if (kind === Tok.LexError) {
      this.setErr('invalid number');
      return this.ret(Tok.LexError, this.take());
    }
    return this.ret(Tok.PreparedStatement, this.tok);
  }

  private scanEscapeSequence(): number {
    while (this.cur() !== 0x7d && this.cur() !== END) this.advance();
    if (this.cur() === END) {
      this.setErr('unexpected EOF in escape sequence');
      return this.ret(Tok.LexError, this.take());
    }
    this.advance();
    return this.ret(Tok.EscapeSequence, this.take());
  }

  private scanBindVar(): number {
    const r = this.lastChar;
    if (!isLetter(r) && !isDigit(r)) {
      this.setErr(
        `bind variables should start with letters or digits, got "${String.fromCodePoint(Math.min(r, 0x10ffff))}" (${r})`,
      );
      return this.ret(Tok.LexError, this.take());
    }
    while (isLetter(this.cur()) || isDigit(this.cur()) || this.cur() === 0x2e) this.advance();
    return this.ret(Tok.ValueArg, this.take());
  }

  private scanVariableIdentifier(): number {
    this.advance();
    while (this.cur() !== 0x29 && this.cur() !== END) this.advance();
    this.advance();
    if (!isLetter(this.cur())) {
      this.setErr(`invalid character after variable identifier (${this.lastChar})`);
      return this.ret(Tok.LexError, this.take());
    }
    this.advance();
    return this.ret(Tok.Variable, this.take());
  }

  private scanLineComment(): number {
    while (this.cur() !== END) {
      if (this.cur() === 0x0a) {
        this.advance();
        break;
      }
      this.advance();
    }
    return this.ret(Tok.Comment, this.take());
  }

  private scanBlockComment(): number {
    for (;;) {
      if (this.cur() === 0x2a) {
        this.advance();
        if (this.cur() === 0x2f) {
          this.advance();
          break;
        }
        continue;
      }
      if (this.cur() === END) {
        this.setErr('unexpected EOF in comment');
        return this.ret(Tok.LexError, this.take());
      }
      this.advance();
    }
    return this.ret(Tok.Comment, this.take());
  }
}
