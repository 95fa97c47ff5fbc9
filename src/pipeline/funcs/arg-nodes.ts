/**
 * Compile-time argument checks shared by the tier-2 functions. DataKit's
 * checkers look at the *kind* of an argument node (a key must be an
 * identifier, a range must be a list of number literals, …) before any
 * point is seen, so these helpers classify nodes the way DataKit's parser
 * does: `-1` is one integer literal there, not a negation.
 */
import type { Expr } from '../lang/ast.js';
import { nodeKindName } from '../lang/ast.js';
import type { CallSite } from '../lang/func-api.js';
import type { Value } from '../lang/values.js';

export type NumberLiteral = { kind: 'int'; value: bigint } | { kind: 'float'; value: number };

/** An int or float literal, optionally signed (`-1`, `+2.5`), else undefined. */
export function numberLiteral(e: Expr): NumberLiteral | undefined {
  switch (e.type) {
    case 'IntLiteral':
      return { kind: 'int', value: e.value };
    case 'FloatLiteral':
      return { kind: 'float', value: e.value };
    case 'UnaryExpr': {
      if (e.op === '!') return undefined;
      const inner = e.arg.type === 'UnaryExpr' ? undefined : numberLiteral(e.arg);
      if (inner === undefined || e.op === '+') return inner;
      return inner.kind === 'int'
        ? { kind: 'int', value: BigInt.asIntN(64, -inner.value) }
        : { kind: 'float', value: -inner.value };
    }
    default:
      return undefined;
  }
}

export function numberValue(n: NumberLiteral): number {
  return n.kind === 'int' ? Number(n.value) : n.value;
}

/**
 * A scalar literal as DataKit's group functions take it: number, string or
 * bool. Undefined for anything else (identifiers, lists, calls, nil).
 */
export function scalarLiteral(e: Expr): Value | undefined {
  const n = numberLiteral(e);
  if (n !== undefined) return n.value;
  if (e.type === 'StringLiteral' || e.type === 'BoolLiteral') return e.value;
  return undefined;
}

/** DataKit's name for a node kind, with signed numbers counted as literals. */
export function kindName(e: Expr): string {
  const n = numberLiteral(e);
  if (n !== undefined) return n.kind === 'int' ? 'IntLiteral' : 'FloatLiteral';
  return nodeKindName(e);
}

/** Compile error unless argument `i` (when given) is one of `kinds`. */
export function expectKinds(call: CallSite, i: number, kinds: readonly string[], what: string): void {
  const a = call.arg(i);
  if (a === undefined) return;
  const k = kindName(a);
  if (!kinds.includes(k)) call.fail(`${what} expect ${kinds.join(' or ')}, got ${k}`, i);
}

/** The argument's key name after checking its node kind, for key-only parameters. */
export function keyOfKinds(call: CallSite, i: number, kinds: readonly string[]): string {
  expectKinds(call, i, kinds, 'param key');
  return call.key(i);
}
