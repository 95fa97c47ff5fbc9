/**
 * Compile-time variable scopes. Platypus scopes are dynamic in DataKit (a
 * stack of maps searched at run time); here each block's variables get
 * fixed slot numbers at compile time, and a name resolves to the short list
 * of slots that could hold it (innermost first). At run time a slot holding
 * `undefined` means "not assigned in this scope yet", which reproduces
 * DataKit's rules without any string lookup:
 *  - a read takes the innermost assigned slot, else the point key;
 *  - an assignment updates the innermost scope where the name is already
 *    assigned, else creates it in the current scope;
 *  - leaving (re-entering) a block forgets what it created.
 */
import type { Stmt } from './ast.js';

export class Scope {
  readonly parent: Scope | null;
  readonly names = new Map<string, number>();
  /** Slots owned by this scope, reset when it is (re)entered. */
  readonly own: number[] = [];
  /** Compile-time data functions keep per block (e.g. grok patterns from add_pattern). */
  readonly data = new Map<unknown, unknown>();

  constructor(parent: Scope | null) {
    this.parent = parent;
  }

  /** The innermost block data stored under `key`, if any. */
  lookupData<T>(key: unknown): T | undefined {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      if (s.data.has(key)) return s.data.get(key) as T;
    }
    return undefined;
  }

  /** Slots that may hold `name`, innermost first. */
  candidates(name: string): number[] {
    const out: number[] = [];
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      const slot = s.names.get(name);
      if (slot !== undefined) out.push(slot);
    }
    return out;
  }
}

/** Script variable name: `_` is the `message` key. */
export function varName(name: string): string {
  return name === '_' ? 'message' : name;
}

/** Names assigned directly (not in nested blocks) by these statements. */
export function assignedNames(stmts: readonly (Stmt | null)[], out: Set<string> = new Set()): Set<string> {
  for (const s of stmts) {
    if (s !== null && s.type === 'AssignStmt' && s.target.type === 'Identifier')
      out.add(varName(s.target.name));
  }
  return out;
}
