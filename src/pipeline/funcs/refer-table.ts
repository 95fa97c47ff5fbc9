/**
 * `query_refer_table(table_name, key, value)` and
 * `mquery_refer_table(table_name, keys, values)`: look up the first row
 * of a reference table whose column(s) hold the value(s) and add every
 * column of it to the point (existing tags stay tags).
 *
 * DataKit's argument rules: the table name must evaluate to a string; a
 * column given by a key must be a string; a `value` key that is missing
 * makes query_refer_table do nothing, while a missing key among
 * mquery_refer_table's columns or values fails the run. A table or row
 * that is not there adds nothing; without reference tables the run fails
 * at the call.
 */
import type { Expr } from '../lang/ast.js';
import { pathString } from '../lang/call-site.js';
import { RunFault } from '../lang/errors.js';
import type { CallSite, Eval, FuncDef } from '../lang/func-api.js';
import type { RunState } from '../lang/run-state.js';
import { varName } from '../lang/scope.js';
import { kindOfValue, type Value } from '../lang/values.js';
import { kindName, numberLiteral } from './arg-nodes.js';
import { defineFunc } from './registry.js';
import { requireService } from './services.js';

const TABLE_KINDS = ['Identifier', 'StringLiteral', 'AttrExpr', 'IndexExpr'];
const KEY_KINDS = ['StringLiteral', 'Identifier', 'AttrExpr'];
const VALUE_KINDS = ['Identifier', 'AttrExpr', 'StringLiteral', 'BoolLiteral', 'FloatLiteral', 'IntLiteral'];

type Lookup = (r: RunState) => Value | undefined;

function tableName(call: CallSite): { read: Eval; pos: number } {
  const a = call.arg(0)!;
  if (!TABLE_KINDS.includes(a.type))
    call.fail(`param key expect StringLiteral or Identifier, got ${kindName(a)}`, 0);
  return { read: call.value(0), pos: call.pos(0) };
}

function readTable(t: { read: Eval; pos: number }, r: RunState): string {
  const v = t.read(r);
  if (typeof v !== 'string') throw new RunFault('param expect string', t.pos);
  return v;
}

/** A literal value node's value (signed numbers included), else undefined. */
function literalOf(e: Expr): Value | undefined {
  const n = numberLiteral(e);
  if (n !== undefined) return n.value;
  if (e.type === 'StringLiteral' || e.type === 'BoolLiteral') return e.value;
  return undefined;
}

/** Evaluator of a column-name node: a string literal, or a key that must hold a string. */
function columnOf(call: CallSite, e: Expr, pos: number): (r: RunState) => string {
  if (e.type === 'StringLiteral') {
    const s = e.value;
    return () => s;
  }
  const name = pathOf(e);
  const look = call.lookupName(name);
  return (r) => {
    const v = look(r);
    if (v === undefined) throw new RunFault(`key \`${name}\` not found`, pos);
    if (typeof v !== 'string')
      throw new RunFault(`unsupported column name value type ${kindOfValue(v)}`, pos);
    return v;
  };
}

/** The key an Identifier or AttrExpr names (`_` is `message`). */
function pathOf(e: Expr): string {
  if (e.type === 'Identifier') return varName(e.name);
  return pathString(e) ?? '';
}

function addRow(r: RunState, row: Map<string, Value> | null): void {
  if (row === null) return;
  for (const [k, v] of row) r.setKey(k, v);
}

export const queryReferTable = defineFunc({
  name: 'query_refer_table',
  params: [{ name: 'table_name' }, { name: 'key' }, { name: 'value' }],
  compile(call) {
    const table = tableName(call);
    const k = call.arg(1)!;
    if (!KEY_KINDS.includes(k.type))
      call.fail(`param key expects StringLiteral, Identifier or AttrExpr, got ${kindName(k)}`, 1);
    const column = columnOf(call, k, call.pos(1));
    const v = call.arg(2)!;
    if (!VALUE_KINDS.includes(kindName(v)))
      call.fail(
        `param key expects StringLiteral, NumberLiteral, BoolLiteral, AttrExpr or Identifier, got ${kindName(v)}`,
        2,
      );
    const lit = literalOf(v);
    const value: Lookup = lit !== undefined ? () => lit : call.lookupKey(2);
    return (r) => {
      const tables = requireService(r.services, 'referTables', 'query_refer_table');
      const t = readTable(table, r);
      const col = column(r);
      const val = value(r);
      if (val === undefined) return null;
      addRow(r, tables.query(t, [col], [val]));
      return null;
    };
  },
});

export const mqueryReferTable = defineFunc({
  name: 'mquery_refer_table',
  params: [{ name: 'table_name' }, { name: 'keys' }, { name: 'values' }],
  compile(call) {
    const table = tableName(call);
    const keysPos = call.pos(1);
    const valuesPos = call.pos(2);

    let keys: (r: RunState) => string[];
    const ka = call.arg(1)!;
    if (ka.type === 'ListLiteral') {
      const cols = ka.elements.map((el) => {
        if (!KEY_KINDS.includes(el.type))
          call.fail(`expect StringLiteral, Identifier or AttrExpr in FuncArgList, got ${kindName(el)}`, 1);
        return columnOf(call, el, keysPos);
      });
      keys = (r) => cols.map((c) => c(r));
    } else if (ka.type === 'Identifier' || ka.type === 'AttrExpr') {
      const one = columnOf(call, ka, keysPos);
      keys = (r) => [one(r)];
    } else {
      return call.fail(`param key expects FuncArgList, Identifier or AttrExpr, got ${kindName(ka)}`, 1);
    }

    let values: (r: RunState) => Value[];
    const va = call.arg(2)!;
    if (va.type === 'ListLiteral') {
      const vals = va.elements.map((el): Lookup => {
        const lit = literalOf(el);
        if (lit !== undefined) return () => lit;
        if (el.type !== 'Identifier' && el.type !== 'AttrExpr')
          call.fail(
            `expect Identifier, AttrExpr, StringLiteral, NumberLiteral or BoolLiteral in FuncArgList, got ${kindName(el)}`,
            2,
          );
        const name = pathOf(el);
        const look = call.lookupName(name);
        return (r) => {
          const v = look(r);
          if (v === undefined) throw new RunFault(`key \`${name}\` not found`, valuesPos);
          return v;
        };
      });
      values = (r) => vals.map((v) => v(r) as Value);
    } else if (va.type === 'Identifier' || va.type === 'AttrExpr') {
      const name = pathOf(va);
      const look = call.lookupName(name);
      values = (r) => {
        const v = look(r);
        if (v === undefined) throw new RunFault(`key \`${name}\` not found`, valuesPos);
        if (!Array.isArray(v))
          throw new RunFault(`unsupported column value type ${kindOfValue(v)}`, valuesPos);
        return v;
      };
    } else {
      return call.fail(
        `param key expects StringLiteral, NumberLiteral, BoolLiteral, AttrExpr or Identifier, got ${kindName(va)}`,
        2,
      );
    }

    return (r) => {
      const tables = requireService(r.services, 'referTables', 'mquery_refer_table');
      const t = readTable(table, r);
      const cols = keys(r);
      const vals = values(r);
      addRow(r, tables.query(t, cols, vals));
      return null;
    };
  },
});

export const REFER_TABLE_FUNCS: readonly FuncDef[] = [queryReferTable, mqueryReferTable];
