/**
 * Key names made at compile time (sliced from the script text, joined from
 * a.b paths, taken from grok captures) are fresh strings. A point map
 * stores the string it was given, and V8 compares two different string
 * objects by content, so every later lookup of that key with another copy
 * of the name pays a full string compare. Property names, on the other
 * hand, are internalized: one canonical object per content. Passing every
 * key name through `intern` once at compile time makes the map lookups of
 * a run pointer compares.
 */
export function intern(s: string): string {
  const holder: Record<string, true> = { [s]: true };
  for (const k in holder) return k;
  return s;
}
