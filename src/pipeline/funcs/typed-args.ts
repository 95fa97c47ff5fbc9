/**
 * Arguments of DataKit's newer "typed" functions (hash, slice_string):
 * each parameter declares the kinds it accepts. A literal of another kind
 * is a compile error; a value of another kind at run time is a run error,
 * so the function body can rely on the kinds it declared.
 */
import type { Expr } from '../lang/ast.js';
import { RunFault } from '../lang/errors.js';
import type { CallSite, Eval } from '../lang/func-api.js';
import { type Kind, kindOfValue } from '../lang/values.js';
import { numberLiteral } from './arg-nodes.js';

const UNEXPECTED = 'unexpected data type';

/** The kind of a literal node, or null when the node is not a literal. */
function literalKind(e: Expr): Kind | null {
  const n = numberLiteral(e);
  if (n !== undefined) return n.kind;
  switch (e.type) {
    case 'StringLiteral':
      return 'str';
    case 'BoolLiteral':
      return 'bool';
    case 'NilLiteral':
      return 'nil';
    case 'ListLiteral':
      return 'list';
    case 'MapLiteral':
      return 'map';
    default:
      return null;
  }
}

/** Evaluator of argument `i`, checked to be of `kind` at compile time (literals) and run time. */
export function typedArg(call: CallSite, i: number, kind: Kind): Eval {
  const a = call.arg(i);
  if (a !== undefined) {
    const lk = literalKind(a);
    if (lk !== null && lk !== kind) call.fail(UNEXPECTED, i);
  }
  const ev = call.value(i);
  const pos = call.pos(i);
  return (r) => {
    const v = ev(r);
    if (kindOfValue(v) !== kind) throw new RunFault(UNEXPECTED, pos);
    return v;
  };
}
