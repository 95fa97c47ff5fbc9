/**
 * RE2 (Go regexp) patterns used by script functions, compiled once per call
 * site. The grok module owns the full RE2 → JavaScript translation; until
 * it is wired in, this covers what script literals commonly use: named
 * groups `(?P<n>…)` and leading flag groups `(?i)`, `(?s)`, `(?m)`.
 */
export function compileRe2(pattern: string, global = false): RegExp | Error {
  let src = pattern.replace(/\(\?P</g, '(?<');
  let flags = global ? 'gu' : 'u';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead !== null) {
    for (const f of lead[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  try {
    return new RegExp(src, flags);
  } catch (e) {
    try {
      return new RegExp(src, flags.replace('u', ''));
    } catch {
      return e as Error;
    }
  }
}

/**
 * Go's Regexp.Expand template (`$1`, `${1}`, `$name`, `${name}`, `$$`) as a
 * replacer function: Go reads `$1x` as the group named `1x`, unlike JS.
 */
export function goReplacer(template: string): (match: string, ...rest: unknown[]) => string {
  const parts: (string | { g: string })[] = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      lit += c;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      lit += '$';
      i++;
      continue;
    }
    let name = '';
    let j = i + 1;
    if (next === '{') {
      const close = template.indexOf('}', j);
      if (close < 0) {
        lit += c;
        continue;
      }
      name = template.slice(j + 1, close);
      j = close + 1;
    } else {
      while (j < template.length && /[A-Za-z0-9_]/.test(template[j]!)) j++;
      name = template.slice(i + 1, j);
    }
    if (name === '') {
      lit += c;
      continue;
    }
    if (lit !== '') parts.push(lit);
    lit = '';
    parts.push({ g: name });
    i = j - 1;
  }
  if (lit !== '') parts.push(lit);
  return (match: string, ...rest: unknown[]) => {
    // rest = [...groups, offset, input, namedGroups?]
    let named: Record<string, string | undefined> | undefined;
    const last = rest[rest.length - 1];
    if (typeof last === 'object' && last !== null) named = last as Record<string, string | undefined>;
    const groupCount = rest.length - (named !== undefined ? 3 : 2);
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      if (/^\d+$/.test(p.g)) {
        const n = Number(p.g);
        if (n === 0) out += match;
        else if (n <= groupCount) out += (rest[n - 1] as string | undefined) ?? '';
      } else if (named !== undefined) {
        out += named[p.g] ?? '';
      }
    }
    return out;
  };
}
