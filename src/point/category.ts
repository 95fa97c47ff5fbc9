/**
 * DataKit's data categories, their URL names (`/v1/write/<url>`) and the
 * one-letter aliases scripts use (`create_point(..., category="M")`).
 */
export type Category =
  | 'metric'
  | 'network'
  | 'keyevent'
  | 'object'
  | 'custom_object'
  | 'logging'
  | 'tracing'
  | 'rum'
  | 'security'
  | 'profiling'
  | 'dialtesting';

export const CATEGORIES: readonly Category[] = [
  'metric',
  'network',
  'keyevent',
  'object',
  'custom_object',
  'logging',
  'tracing',
  'rum',
  'security',
  'profiling',
  'dialtesting',
];

const URL_ALIASES: Readonly<Record<string, Category>> = { metrics: 'metric' };

const SHORT: Readonly<Record<string, Category>> = {
  M: 'metric',
  N: 'network',
  E: 'keyevent',
  O: 'object',
  CO: 'custom_object',
  L: 'logging',
  T: 'tracing',
  R: 'rum',
  S: 'security',
  P: 'profiling',
};

/** Category named in a `/v1/write/<name>` path, or undefined when unknown. */
export function categoryFromUrl(name: string): Category | undefined {
  if ((CATEGORIES as readonly string[]).includes(name)) return name as Category;
  return URL_ALIASES[name];
}

/** Category from a full name or DataKit's short alias (`M`, `L`, `CO`, …). */
export function categoryFromName(name: string): Category | undefined {
  return categoryFromUrl(name) ?? SHORT[name] ?? SHORT[name.toUpperCase()];
}

export function isCategory(x: string): x is Category {
  return (CATEGORIES as readonly string[]).includes(x);
}
