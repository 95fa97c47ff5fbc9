/**
 * @module Pure algorithms behind the heavier built-in functions. Each takes
 * and returns plain values (see `value.ts`) with no engine dependency; the
 * function registry wires them to script calls.
 */
export { b64dec, b64enc } from './b64.js';
export { cidr, parseAddr, parsePrefix, prefixContains } from './cidr.js';
export { cover } from './cover.js';
export { formatInt } from './format-int.js';
export { formatFloat } from './go-float-format.js';
export { GoNumError, parseGoFloat } from './go-parse-float.js';
export { canBackquote, quote, quoteRune } from './go-quote.js';
export { compileGoRegexp, GoRegexpError, goSplit, translateGoRegexp } from './go-regexp.js';
export { castToFloat64, deepEqual, groupBetween, groupIn } from './group.js';
export { hash } from './hash.js';
export { kvSplit, trimCutset } from './kv-split.js';
export { goParseInt, parseIntBase, parseUint } from './parse-int.js';
export { sliceString } from './slice-string.js';
export { sqlCover } from './sql-cover.js';
export { type FmtArg, strfmt } from './strfmt.js';
export { convTraceIdW3cToDd } from './traceid.js';
export { parseGoUrl, parseQuery, portOf, UrlEscapeError, UrlParseError, urlDecode, urlParse } from './url.js';
export { parseUserAgent, type UserAgentInfo } from './user-agent.js';
export type { LibMap, LibValue } from './value.js';
