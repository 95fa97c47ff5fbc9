/**
 * `sql_cover`: DataKit's SQL obfuscation, i.e. DataDog's legacy obfuscator
 * with an empty config. Each token from the tokenizer passes three filters:
 * discard (comments, `AS alias`, `;`), replace (literals become `?`) and
 * grouping (runs of `?` and repeated `( ?, ? )` groups collapse to one), then
 * is written space-separated. A failed scan that met a backslash is retried
 * once with backslashes taken literally, as the original does.
 */
import { utf8Decode, utf8Encode } from './go-utf8.js';
import { END, SqlTokenizer, Tok } from './sql-tokenizer.js';

const QUESTION = utf8Encode('?');
const OPEN_PAREN_SPACE = utf8Encode('( ');
const SPACE_BYTES = new Uint8Array([0x20]);

function isFilteredGroupable(t: number): boolean {
  return t === Tok.FilteredGroupable || t === Tok.FilteredGroupableParenthesis;
}

function markFilteredGroupable(t: number): number {
  return t === 0x28 ? Tok.FilteredGroupableParenthesis : Tok.FilteredGroupable;
}

function isReplacedLiteral(t: number): boolean {
  switch (t) {
    case Tok.DollarQuotedString:
    case Tok.String:
    case Tok.Number:
    case Tok.Null:
    case Tok.Variable:
    case Tok.PreparedStatement:
    case Tok.BooleanLiteral:
    case Tok.EscapeSequence:
    case 0x3f: // a '?' already in the query joins its neighbours' group
      return true;
    default:
      return false;
  }
}

/** One pass over the query; a string on success, an Error with the scan position otherwise. */
function attempt(tz: SqlTokenizer): string | Error {
  const out: Uint8Array[] = [];
  let outLen = 0;
  let lastToken = 0;
  let groupFilter = 0; // '?' seen in the current group
  let groupMulti = 0; // groups seen, e.g. (?, ?), (?, ?)

  for (;;) {
    let token = tz.scan();
    let buf = tz.tok;
    if (token === END) break;
    if (token === Tok.LexError) return new Error(tz.err ?? 'lex error');

    // discard: comments, AS aliases (and MSSQL [bracketed] aliases), ';'
    if (lastToken === Tok.FilteredBracketedIdentifier && token !== 0x5d) {
      if (token !== Tok.ID) return new Error(`expected identifier in bracketed filter, got ${token}`);
      token = Tok.FilteredBracketedIdentifier;
      buf = null;
    } else if (lastToken === Tok.FilteredBracketedIdentifier || lastToken === Tok.As) {
      token = token === 0x5b ? Tok.FilteredBracketedIdentifier : Tok.Filtered;
      buf = null;
    } else if (token === Tok.Comment) {
      token = Tok.Filtered;
      buf = null;
    } else if (token === 0x3b) {
      token = Tok.FilteredGroupable;
      buf = null;
    } else if (token === Tok.As) {
      buf = null;
    }

    // replace: literals become '?'
    if (lastToken === Tok.Savepoint) {
      token = markFilteredGroupable(token);
      buf = QUESTION;
    } else if ((lastToken === 0x3d && token === Tok.DoubleQuotedString) || isReplacedLiteral(token)) {
      token = markFilteredGroupable(token);
      buf = QUESTION;
    }

    // grouping: keep one '?' per group and one group per run of groups
    if ((lastToken === 0x28 && isFilteredGroupable(token)) || (token === 0x28 && groupMulti > 0))
      groupMulti++;
    const startsSubquery =
      token === Tok.Select || token === Tok.Delete || token === Tok.Update || token === Tok.ID;
    if (groupMulti > 0 && lastToken === Tok.FilteredGroupableParenthesis && startsSubquery) {
      // a nested query, not a value group: stop grouping and restore the '('
      groupFilter = 0;
      groupMulti = 0;
      const b = buf ?? new Uint8Array(0);
      const joined = new Uint8Array(OPEN_PAREN_SPACE.length + b.length);
      joined.set(OPEN_PAREN_SPACE, 0);
      joined.set(b, OPEN_PAREN_SPACE.length);
      buf = joined;
    } else if (isFilteredGroupable(token)) {
      groupFilter++;
      if (groupFilter > 1) {
        token = Tok.FilteredGroupable;
        buf = null;
      }
    } else if (groupFilter > 0 && (token === 0x2c || token === 0x3f)) {
      token = Tok.FilteredGroupable;
      buf = null;
    } else if (groupMulti > 1) {
      token = markFilteredGroupable(token);
      buf = null;
    } else if (token !== 0x2c && token !== 0x28 && token !== 0x29) {
      groupFilter = 0;
      groupMulti = 0;
    }

    if (buf !== null) {
      if (outLen !== 0 && token !== 0x2c && !(token === 0x3d && lastToken === 0x3a)) {
        out.push(SPACE_BYTES);
        outLen++;
      }
      out.push(buf);
      outLen += buf.length;
    }
    lastToken = token;
  }
  if (outLen === 0) return new Error('result is empty');
  const all = new Uint8Array(outLen);
  let o = 0;
  for (let i = 0; i < out.length; i++) {
    all.set(out[i]!, o);
    o += out[i]!.length;
  }
  return utf8Decode(all);
}

/** Obfuscates a SQL query the way DataKit's `sql_cover` does; an Error leaves the field as it was. */
export function sqlCover(sql: string): string | Error {
  const bytes = utf8Encode(sql);
  const first = new SqlTokenizer(bytes, false);
  const res = attempt(first);
  if (res instanceof Error && first.seenEscape) {
    const second = attempt(new SqlTokenizer(bytes, true));
    if (!(second instanceof Error)) return second;
  }
  if (res instanceof Error) return new Error(`error obfuscating sql ${JSON.stringify(sql)}: ${res.message}`);
  return res;
}
