/**
 * A grok pattern library: named patterns, chained to a parent whose
 * patterns it sees and may shadow (never copies).
 *
 * The chain mirrors DataKit's scopes: the default library at the root, a
 * namespace's `pattern/` files above it (`extend`), then one child per
 * script (and per block, if the engine scopes `add_pattern` by block)
 * where `addPattern` writes. Patterns are expanded when defined, so a
 * later `addPattern` of a name does not alter patterns (or compiled groks)
 * made before it, as in DataKit.
 *
 * `compile` caches per library; the cache notices changes anywhere up the
 * chain through a stamp that every change advances.
 */
import { type CompiledGrok, compileGrok } from './compile.js';
import { type DefinedPattern, denormalize } from './denormalize.js';
import { GrokError } from './errors.js';
import { type PatternRef, scanRefs } from './pattern-ref.js';
import type { PatternEntry } from './pattern-text.js';

let stampCounter = 0;
const CACHE_MAX = 1024;

interface CacheEntry {
  stamp: number;
  result: CompiledGrok | GrokError;
}

export interface LibraryOptions {
  parent?: GrokLibrary | null;
  /** Refuse `addPattern` (for libraries shared between scripts). */
  readOnly?: boolean;
}

export class GrokLibrary {
  readonly parent: GrokLibrary | null;
  /** Patterns of a batch that could not be defined (unknown names, cycles, bad references). */
  readonly loadErrors: readonly GrokError[];
  readonly #own = new Map<string, DefinedPattern>();
  readonly #readOnly: boolean;
  readonly #cache = new Map<string, CacheEntry>();
  #stamp = ++stampCounter;

  private constructor(parent: GrokLibrary | null, readOnly: boolean, errors: readonly GrokError[]) {
    this.parent = parent;
    this.#readOnly = readOnly;
    this.loadErrors = errors;
  }

  /**
   * A library from a batch of definitions (a pattern file, the default
   * library): references between them may come in any order. A definition
   * that cannot be expanded is left out and reported in `loadErrors`.
   */
  static fromEntries(entries: Iterable<PatternEntry>, options: LibraryOptions = {}): GrokLibrary {
    const errors: GrokError[] = [];
    const lib = new GrokLibrary(options.parent ?? null, options.readOnly ?? false, errors);
    lib.#resolveBatch(new Map(entries), errors);
    return lib;
  }

  /** An empty writable scope on top of this one (for a script or block). */
  child(): GrokLibrary {
    return new GrokLibrary(this, false, []);
  }

  /** A library with a batch of definitions on top of this one. */
  extend(entries: Iterable<PatternEntry>, options: { readOnly?: boolean } = {}): GrokLibrary {
    return GrokLibrary.fromEntries(entries, { parent: this, readOnly: options.readOnly ?? false });
  }

  /** The pattern a reference `%{name}` resolves to here. */
  lookup(name: string): DefinedPattern | undefined {
    for (let lib: GrokLibrary | null = this; lib !== null; lib = lib.parent) {
      const p = lib.#own.get(name);
      if (p !== undefined) return p;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  /** Names defined in this library itself (not its parents). */
  ownNames(): string[] {
    return [...this.#own.keys()];
  }

  /**
   * Define (or redefine) `name` in this scope, expanding its references now.
   * The regex itself is checked only when a grok uses it, as in DataKit.
   */
  addPattern(name: string, pattern: string): GrokError | null {
    if (this.#readOnly) {
      return new GrokError('read_only', `cannot add pattern ${name}: the library is read-only`, { name });
    }
    const exp = denormalize(pattern, (n) => this.lookup(n));
    if (exp instanceof GrokError) {
      return new GrokError(exp.code, `add pattern ${name}: ${exp.message}`, {
        pattern,
        offset: exp.offset,
        name,
      });
    }
    this.#own.set(name, { name, source: pattern, re2: exp.re2, types: exp.types });
    this.#stamp = ++stampCounter;
    return null;
  }

  /** Compile a grok pattern against this library (cached). */
  compile(pattern: string): CompiledGrok | GrokError {
    const stamp = this.#chainStamp();
    const hit = this.#cache.get(pattern);
    if (hit !== undefined && hit.stamp === stamp) return hit.result;
    const result = compileGrok(pattern, (n) => this.lookup(n));
    if (this.#cache.size >= CACHE_MAX) this.#cache.clear();
    this.#cache.set(pattern, { stamp, result });
    return result;
  }

  #chainStamp(): number {
    let s = 0;
    for (let lib: GrokLibrary | null = this; lib !== null; lib = lib.parent)
      if (lib.#stamp > s) s = lib.#stamp;
    return s;
  }

  /**
   * Expand a batch in dependency order. A name that refers to itself
   * through the batch is a cycle (the error names the chain); a failed
   * definition fails the ones that use it, with the same cause.
   */
  #resolveBatch(batch: Map<string, string>, errors: GrokError[]): void {
    const failed = new Map<string, GrokError>();
    const done = new Set<string>();
    const stack: string[] = [];
    const lookup = (n: string): DefinedPattern | undefined => this.lookup(n);

    const resolve = (name: string): GrokError | null => {
      if (done.has(name)) return null;
      const f = failed.get(name);
      if (f !== undefined) return f;
      const at = stack.indexOf(name);
      if (at >= 0) {
        const chain = [...stack.slice(at), name];
        return new GrokError('cycle', `circular pattern reference: ${chain.join(' -> ')}`, { name, chain });
      }
      const source = batch.get(name)!;
      const refs = scanRefs(source);
      let cause: GrokError | null = refs instanceof GrokError ? refs : null;
      if (cause === null) {
        stack.push(name);
        for (const ref of refs as PatternRef[]) {
          if (batch.has(ref.name)) cause = resolve(ref.name);
          if (cause !== null) break;
        }
        stack.pop();
      }
      if (cause === null) {
        const exp = denormalize(source, lookup);
        if (exp instanceof GrokError) cause = exp;
        else this.#own.set(name, { name, source, re2: exp.re2, types: exp.types });
      }
      if (cause === null) {
        done.add(name);
        return null;
      }
      failed.set(name, cause);
      errors.push(
        new GrokError(cause.code, `pattern ${name}: ${cause.message}`, {
          pattern: source,
          name,
          chain: cause.chain,
        }),
      );
      return cause;
    };

    for (const name of batch.keys()) resolve(name);
  }
}
