/**
 * Token types as data (the acorn model): each type is one shared object
 * carrying what the parser needs to know about it, so the lexer hands out a
 * reference and the parser compares by identity — no per-token objects, no
 * string switches on the hot path of parsing.
 *
 * `binop` is the binary precedence (0 = not a binary operator), low to high:
 * `||` 1, `&&` 2, `in` 3, comparisons 4, `+ -` 5, `* / %` 6. Assignment
 * operators are statements in Platypus, not expressions, so they carry
 * `assign` instead. `eatsNewline` marks tokens after which a line break is
 * only whitespace (an operator, a comma or an opening bracket cannot end a
 * statement), exactly where DataKit's lexer skips line ends.
 */
export interface TokenType {
  readonly label: string;
  readonly binop: number;
  readonly assign: boolean;
  readonly eatsNewline: boolean;
  readonly keyword: boolean;
}

function tt(
  label: string,
  opts: { binop?: number; assign?: boolean; eatsNewline?: boolean; keyword?: boolean } = {},
): TokenType {
  return {
    label,
    binop: opts.binop ?? 0,
    assign: opts.assign ?? false,
    eatsNewline: opts.eatsNewline ?? (opts.binop !== undefined || opts.assign === true),
    keyword: opts.keyword ?? false,
  };
}

export const T = {
  eof: tt('end of input'),
  eol: tt('end of line'),
  semi: tt('";"'),
  comma: tt('","', { eatsNewline: true }),
  dot: tt('"."'),
  colon: tt('":"', { eatsNewline: true }),
  parenL: tt('"("', { eatsNewline: true }),
  parenR: tt('")"'),
  bracketL: tt('"["', { eatsNewline: true }),
  bracketR: tt('"]"'),
  braceL: tt('"{"', { eatsNewline: true }),
  braceR: tt('"}"'),
  name: tt('id'),
  quotedName: tt('quoted id'),
  num: tt('number'),
  string: tt('string'),
  mlString: tt('multiline string'),

  eq: tt('"="', { assign: true }),
  addEq: tt('"+="', { assign: true }),
  subEq: tt('"-="', { assign: true }),
  mulEq: tt('"*="', { assign: true }),
  divEq: tt('"/="', { assign: true }),
  modEq: tt('"%="', { assign: true }),

  or: tt('"||"', { binop: 1 }),
  and: tt('"&&"', { binop: 2 }),
  in: tt('"in"', { binop: 3, keyword: true }),
  eqeq: tt('"=="', { binop: 4 }),
  neq: tt('"!="', { binop: 4 }),
  lt: tt('"<"', { binop: 4 }),
  lte: tt('"<="', { binop: 4 }),
  gt: tt('">"', { binop: 4 }),
  gte: tt('">="', { binop: 4 }),
  add: tt('"+"', { binop: 5 }),
  sub: tt('"-"', { binop: 5 }),
  mul: tt('"*"', { binop: 6 }),
  div: tt('"/"', { binop: 6 }),
  mod: tt('"%"', { binop: 6 }),
  not: tt('"!"', { eatsNewline: true }),

  kwIf: tt('"if"', { keyword: true }),
  kwElif: tt('"elif"', { keyword: true }),
  kwElse: tt('"else"', { keyword: true }),
  kwFor: tt('"for"', { keyword: true }),
  kwBreak: tt('"break"', { keyword: true }),
  kwContinue: tt('"continue"', { keyword: true }),
  kwTrue: tt('"true"', { keyword: true }),
  kwFalse: tt('"false"', { keyword: true }),
  kwNil: tt('"nil"', { keyword: true }),
  /** Reserved words with no statement of their own (`while`, `return`, type names). */
  kwReserved: tt('keyword', { keyword: true }),
} as const;

/**
 * Keywords are matched case-insensitively, as DataKit's lexer lower-cases a
 * word before the keyword lookup (`False`, `NIL` are literals).
 */
export const KEYWORDS: ReadonlyMap<string, TokenType> = new Map([
  ['if', T.kwIf],
  ['elif', T.kwElif],
  ['else', T.kwElse],
  ['for', T.kwFor],
  ['in', T.in],
  ['break', T.kwBreak],
  ['continue', T.kwContinue],
  ['true', T.kwTrue],
  ['false', T.kwFalse],
  ['nil', T.kwNil],
  ['null', T.kwNil],
  ['while', T.kwReserved],
  ['return', T.kwReserved],
  ['str', T.kwReserved],
  ['int', T.kwReserved],
  ['float', T.kwReserved],
  ['bool', T.kwReserved],
  ['list', T.kwReserved],
  ['map', T.kwReserved],
]);
