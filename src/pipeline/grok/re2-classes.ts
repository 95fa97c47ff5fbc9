/**
 * RE2's named classes as data: Perl classes (`\d \s \w`, ASCII only),
 * POSIX classes (`[[:alpha:]]`), and the Unicode classes `\p{..}` RE2
 * accepts (general categories by short name, scripts by long name, `Any`),
 * with their JavaScript spelling and, lazily, their folding extras and BMP
 * ranges.
 */
import { casedCodePoints, caseOrbit } from './case-fold.js';
import { normalizeRanges } from './char-set.js';

/** Perl classes; `\s` is `[\t\n\f\r ]` in RE2 (no `\v`, nothing beyond ASCII). */
export const PERL_CLASSES: Readonly<Record<string, readonly number[]>> = {
  d: [0x30, 0x39],
  s: [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20],
  w: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
};

export const POSIX_CLASSES: Readonly<Record<string, readonly number[]>> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x00, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};

/**
 * General categories RE2 knows, as JS property bodies. RE2's `C` covers only
 * assigned "other" code points (Cc, Cf, Co, Cs), while JS's `\p{C}` also
 * holds the unassigned ones, so it is spelled as the union.
 */
const CATEGORIES: Readonly<Record<string, readonly string[]>> = (() => {
  const m: Record<string, readonly string[]> = { C: ['Cc', 'Cf', 'Co', 'Cs'] };
  const names =
    'Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs';
  for (const n of names.split(' ')) m[n] = [n];
  return m;
})();

/** Script long names that are four letters, like the codes RE2 refuses. */
const FOUR_LETTER_SCRIPTS = new Set(['Cham', 'Kawi', 'Lisu', 'Modi', 'Newa', 'Thai', 'Toto']);

export type UnicodeClass =
  /** `\p{Any}`: every code point, a plain range. */
  { kind: 'any' } | { kind: 'props'; props: readonly string[] };

/** Resolve the name inside `\p{...}`; undefined when RE2 would reject it. */
export function unicodeClass(name: string): UnicodeClass | undefined {
  if (name === 'Any') return { kind: 'any' };
  const cat = CATEGORIES[name];
  if (cat !== undefined) return { kind: 'props', props: cat };
  // Scripts: RE2 takes the long names (Greek, Old_Italic); JS validates
  // them but also takes the four-letter codes (Grek), which RE2 refuses.
  if (!/^[A-Z][A-Za-z_]*$/.test(name)) return undefined;
  if (/^[A-Z][a-z]{3}$/.test(name) && !FOUR_LETTER_SCRIPTS.has(name)) return undefined;
  const body = `Script=${name}`;
  if (!propertyIsValid(body)) return undefined;
  return { kind: 'props', props: [body] };
}

const validity = new Map<string, boolean>();

function propertyIsValid(body: string): boolean {
  let ok = validity.get(body);
  if (ok === undefined) {
    try {
      new RegExp(`\\p{${body}}`, 'u');
      ok = true;
    } catch {
      ok = false;
    }
    validity.set(body, ok);
  }
  return ok;
}

const extrasCache = new Map<string, readonly number[]>();

/**
 * Code points that `(?i)` adds to a union of properties: case variants of
 * its members that are not members themselves (flat lo,hi pairs).
 */
export function foldedPropertyExtras(props: readonly string[]): readonly number[] {
  const key = props.join(',');
  let extras = extrasCache.get(key);
  if (extras !== undefined) return extras;
  const re = new RegExp(`[${props.map((p) => `\\p{${p}}`).join('')}]`, 'u');
  const cased = casedCodePoints();
  const out: number[] = [];
  for (let i = 0; i < cased.length; i++) {
    const cp = cased[i]!;
    if (!re.test(String.fromCodePoint(cp))) continue;
    for (const m of caseOrbit(cp)!) {
      if (!re.test(String.fromCodePoint(m))) out.push(m, m);
    }
  }
  extras = normalizeRanges(out);
  extrasCache.set(key, extras);
  return extras;
}

const bmpCache = new Map<string, readonly number[]>();

/** BMP members of one property (flat lo,hi pairs), for regexes without `u`. */
export function bmpPropertyRanges(prop: string): readonly number[] {
  let r = bmpCache.get(prop);
  if (r !== undefined) return r;
  const re = new RegExp(`^\\p{${prop}}$`, 'u');
  const out: number[] = [];
  let start = -1;
  for (let cp = 0; cp <= 0x10000; cp++) {
    const inside = cp < 0x10000 && (cp < 0xd800 || cp > 0xdfff) && re.test(String.fromCharCode(cp));
    if (inside && start < 0) start = cp;
    else if (!inside && start >= 0) {
      out.push(start, cp - 1);
      start = -1;
    }
  }
  r = out;
  bmpCache.set(prop, r);
  return r;
}
