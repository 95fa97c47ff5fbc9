/**
 * The contract between the compiler and built-in functions. A function is
 * a `FuncDef`: its parameter list (for named arguments and arity checks)
 * and a `compile(call)` that inspects the call's argument nodes at compile
 * time and returns the evaluator closure run for every point. Everything
 * that can be decided once (key names, literal patterns, cast targets) is
 * decided in `compile`.
 *
 * See `src/pipeline/funcs/README.md` for how to write one.
 */
import type { CallExpr, Expr } from './ast.js';
import type { RunState } from './run-state.js';
import type { Value } from './values.js';

/** A compiled expression: evaluates to a script value for one run. */
export type Eval = (r: RunState) => Value;

export interface ParamSpec {
  name: string;
  /** May be left out (the function supplies the default). */
  optional?: boolean;
  /** Collects all remaining positional arguments (last parameter only). */
  variadic?: boolean;
}

export interface FuncDef {
  name: string;
  params: readonly ParamSpec[];
  /** Compile one call site; throw via `call.fail(...)` for compile errors. */
  compile(call: CallSite): Eval;
}

export interface FuncRegistry {
  get(name: string): FuncDef | undefined;
}

/** Compile-time view of one call, with arguments bound to parameters. */
export interface CallSite {
  readonly name: string;
  readonly node: CallExpr;
  /** Number of bound (present) arguments, counting variadic ones. */
  readonly argc: number;
  readonly sourceName: string;
  readonly category: string;
  readonly services: unknown;
  /** State shared by all calls of one script. */
  readonly scriptData: Map<unknown, unknown>;
  /**
   * Compile-time data of the enclosing block: the value stored under `key`
   * in this block, else `init` of the innermost enclosing block's value
   * (undefined when none), stored in this block. Blocks see what their
   * parents stored before them, never what nested blocks store (DataKit's
   * scoping of add_pattern).
   */
  blockData<T>(key: unknown, init: (outer: T | undefined) => T): T;
  /** The innermost block data under `key` without creating any. */
  lookupBlockData<T>(key: unknown): T | undefined;

  /** The argument node bound to parameter `i`, if given. */
  arg(i: number): Expr | undefined;
  has(i: number): boolean;
  /** Extra arguments of a variadic last parameter. */
  rest(): Expr[];
  /** Key name of a key argument (identifier, `` `quoted` ``, string literal or a.b path); `_` is `message`. */
  key(i: number): string;
  /** Reads a key: a local variable of that name, else the point's tag/field, else nil. */
  readKey(i: number): Eval;
  /**
   * False when no local variable of key `i`'s name is visible here, so a
   * read of the key is a read of the point (lets a function work on the
   * point directly and skip writes that change nothing).
   */
  shadowed(i: number): boolean;
  /** Like `readKey` but yields `undefined` when neither a variable nor a point key exists. */
  lookupKey(i: number): (r: RunState) => Value | undefined;
  /** Read of an arbitrary key name (same resolution as `readKey`). */
  readName(name: string): Eval;
  /** Like `readName` but yields `undefined` when neither a variable nor a point key exists. */
  lookupName(name: string): (r: RunState) => Value | undefined;
  /** The argument compiled as a value; `dflt` when absent. */
  value(i: number, dflt?: Value): Eval;
  /** Compile any expression node. */
  compileExpr(e: Expr): Eval;
  /** The literal value of an argument (also lists/maps of literals), or undefined. */
  literal(i: number): Value | undefined;
  /** A string literal argument or a compile error. */
  stringLiteral(i: number, what?: string): string;
  /** Throw a compile error at argument `i` (or at the call when absent). */
  fail(reason: string, i?: number): never;
  /** Wrap a run-time fault with the position of argument `i` or the call. */
  pos(i?: number): number;
}
