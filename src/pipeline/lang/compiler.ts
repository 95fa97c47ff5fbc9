/**
 * AST → closures. Every expression becomes an `Eval` (`(r) => value`),
 * every statement an `Exec` (`(r) => signal`), decided once at compile
 * time: variable names become slot numbers (see `scope.ts`), literals
 * become constants, functions compile their own call sites. Nothing walks
 * the tree or looks a name up in a string map while a point runs.
 *
 * Statement signals: 0 go on, 1 break, 2 continue, 3 exit (script ends).
 * Run-time faults thrown as `RunFault` by values or functions are caught at
 * the node that failed and rethrown as a positioned `PlkScriptError`.
 */
import type {
  AssignStmt,
  BinaryExpr,
  Block,
  CallExpr,
  Expr,
  ForInStmt,
  ForStmt,
  IfStmt,
  IndexExpr,
  SliceExpr,
  Stmt,
} from './ast.js';
import { type CallHost, CallSiteImpl, literalValue } from './call-site.js';
import { PlkScriptError, RunFault } from './errors.js';
import type { Eval, FuncRegistry } from './func-api.js';
import { intern } from './intern.js';
import type { RunState } from './run-state.js';
import { assignedNames, Scope, varName } from './scope.js';
import {
  type ArithOp,
  arith,
  type CompareOp,
  compare,
  inOp,
  isMap,
  kindOfValue,
  looseEquals,
  type MapValue,
  mapGet,
  mapSet,
  newMap,
  truthy,
  unaryMinus,
  type Value,
} from './values.js';

export type Exec = (r: RunState) => number;

export interface CompilerOptions {
  source: string;
  sourceName: string;
  category: string;
  registry: FuncRegistry;
  services: unknown;
}

export interface CompiledProgram {
  nslots: number;
  exec: Exec;
}

function positioned(e: unknown, r: RunState, pos: number, end: number): unknown {
  if (e instanceof RunFault) return r.fault(e.message, e.pos >= 0 ? e.pos : pos, e.end >= 0 ? e.end : end);
  return e;
}

function checkBudget(r: RunState, pos: number): void {
  if (++r.steps > r.maxSteps) {
    throw new PlkScriptError(
      'PLK_ERR_STEP_LIMIT',
      `step limit exceeded (${r.maxSteps})`,
      r.source,
      r.sourceName,
      pos,
    );
  }
  if ((r.steps & 1023) !== 0) return;
  const now = performance.now();
  if (r.deadline === 0) r.deadline = now + r.maxMillis;
  else if (now > r.deadline) {
    throw new PlkScriptError('PLK_ERR_TIME_LIMIT', 'run time limit exceeded', r.source, r.sourceName, pos);
  }
}

function resetSlots(own: readonly number[]): ((r: RunState) => void) | null {
  if (own.length === 0) return null;
  if (own.length === 1) {
    const s = own[0]!;
    return (r) => {
      r.slots[s] = undefined;
    };
  }
  return (r) => {
    for (let i = 0; i < own.length; i++) r.slots[own[i]!] = undefined;
  };
}

export class Compiler implements CallHost {
  private readonly opts: CompilerOptions;
  private scope: Scope;

  get currentScope(): Scope {
    return this.scope;
  }
  private nslots = 0;
  readonly scriptData = new Map<unknown, unknown>();

  constructor(opts: CompilerOptions) {
    this.opts = opts;
    this.scope = new Scope(null);
  }

  get sourceName(): string {
    return this.opts.sourceName;
  }
  get category(): string {
    return this.opts.category;
  }
  get services(): unknown {
    return this.opts.services;
  }

  compileError(reason: string, pos: number, end = pos): never {
    throw new PlkScriptError('PLK_ERR_COMPILE', reason, this.opts.source, this.opts.sourceName, pos, end);
  }

  compileProgram(body: readonly Stmt[]): CompiledProgram {
    const exec = this.compileStatements(body, this.scope);
    return { nslots: this.nslots, exec };
  }

  // ---------------------------------------------------------------- scopes

  private enterScope(names: Iterable<string>): Scope {
    const s = new Scope(this.scope);
    for (const n of names) {
      const slot = this.nslots++;
      s.names.set(n, slot);
      s.own.push(slot);
    }
    this.scope = s;
    return s;
  }

  private declareInRoot(names: Iterable<string>): void {
    for (const n of names) {
      if (this.scope.names.has(n)) continue;
      const slot = this.nslots++;
      this.scope.names.set(n, slot);
      this.scope.own.push(slot);
    }
  }

  /** Read of a variable, falling back to the point key, then nil. */
  compileRead(name: string): Eval {
    const key = intern(varName(name));
    const slots = this.scope.candidates(key);
    if (slots.length === 0) {
      return (r) => {
        const v = r.readPoint(key);
        return v === undefined ? null : v;
      };
    }
    if (slots.length === 1) {
      const s = slots[0]!;
      return (r) => {
        const v = r.slots[s];
        if (v !== undefined) return v;
        const p = r.readPoint(key);
        return p === undefined ? null : p;
      };
    }
    return (r) => {
      for (let i = 0; i < slots.length; i++) {
        const v = r.slots[slots[i]!];
        if (v !== undefined) return v;
      }
      const p = r.readPoint(key);
      return p === undefined ? null : p;
    };
  }

  /** Like compileRead but `undefined` when neither a variable nor a point key exists. */
  compileLookup(name: string): (r: RunState) => Value | undefined {
    const key = intern(varName(name));
    const slots = this.scope.candidates(key);
    if (slots.length === 0) return (r) => r.readPoint(key);
    return (r) => {
      for (let i = 0; i < slots.length; i++) {
        const v = r.slots[slots[i]!];
        if (v !== undefined) return v;
      }
      return r.readPoint(key);
    };
  }

  private compileWrite(name: string): (r: RunState, v: Value) => void {
    const slots = this.scope.candidates(varName(name));
    if (slots.length === 1) {
      const s = slots[0]!;
      return (r, v) => {
        r.slots[s] = v;
      };
    }
    const own = slots[0]!;
    return (r, v) => {
      for (let i = 0; i < slots.length; i++) {
        if (r.slots[slots[i]!] !== undefined) {
          r.slots[slots[i]!] = v;
          return;
        }
      }
      r.slots[own] = v;
    };
  }

  // ----------------------------------------------------------- expressions

  compileExpr(e: Expr): Eval {
    switch (e.type) {
      case 'Identifier':
        return this.compileRead(e.name);
      case 'IntLiteral':
      case 'FloatLiteral':
      case 'BoolLiteral': {
        const v = e.value;
        return () => v;
      }
      case 'StringLiteral': {
        // interned: literals often end up as keys (pt_kvs_set, m["k"])
        const v = intern(e.value);
        return () => v;
      }
      case 'NilLiteral':
        return () => null;
      case 'ParenExpr':
        return this.compileExpr(e.expr);
      case 'ListLiteral': {
        const els = e.elements.map((x) => this.compileExpr(x));
        const n = els.length;
        return (r) => {
          const out: Value[] = new Array(n);
          for (let i = 0; i < n; i++) out[i] = els[i]!(r);
          return out;
        };
      }
      case 'MapLiteral':
        return this.compileMap(e.keys, e.values);
      case 'UnaryExpr': {
        const a = this.compileExpr(e.arg);
        if (e.op === '!') return (r) => !truthy(a(r));
        const neg = e.op === '-';
        const pos = e.start;
        return (r) => {
          try {
            return unaryMinus(a(r), neg);
          } catch (err) {
            throw positioned(err, r, pos, pos + 1);
          }
        };
      }
      case 'BinaryExpr':
        return this.compileBinary(e);
      case 'IndexExpr':
        return this.compileIndex(e);
      case 'SliceExpr':
        return this.compileSlice(e);
      case 'AttrExpr':
        return () => null;
      case 'CallExpr':
        return this.compileCall(e);
    }
  }

  private compileMap(keys: readonly Expr[], values: readonly Expr[]): Eval {
    const ks = keys.map((k) => this.compileExpr(k));
    const vs = values.map((v) => this.compileExpr(v));
    const kpos = keys.map((k) => k.start);
    return (r) => {
      const m = newMap();
      for (let i = 0; i < ks.length; i++) {
        const k = ks[i]!(r);
        if (typeof k !== 'string') throw r.fault(`unsupported key data type: ${kindOfValue(k)}`, kpos[i]!);
        mapSet(m, k, vs[i]!(r));
      }
      return m;
    };
  }

  private compileBinary(e: BinaryExpr): Eval {
    const a = this.compileExpr(e.left);
    const b = this.compileExpr(e.right);
    const pos = e.opPos;
    const end = pos + e.op.length;
    switch (e.op) {
      case '&&':
      case '||': {
        const isAnd = e.op === '&&';
        return (r) => {
          const l = a(r);
          if (typeof l === 'boolean' && l !== isAnd) return l;
          const rv = b(r);
          const lt = typeof l;
          const rt = typeof rv;
          if (
            (lt !== 'boolean' && lt !== 'bigint' && lt !== 'number') ||
            (rt !== 'boolean' && rt !== 'bigint' && rt !== 'number')
          ) {
            throw r.fault('not compareable', pos, end);
          }
          if (lt !== 'boolean' || rt !== 'boolean') {
            throw r.fault(
              `unsupported operand type(s) for ${e.op}: ${kindOfValue(l)} and ${kindOfValue(rv)}`,
              pos,
              end,
            );
          }
          return rv as boolean;
        };
      }
      case '==':
        return (r) => looseEquals(a(r), b(r));
      case '!=':
        return (r) => !looseEquals(a(r), b(r));
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const op = e.op as CompareOp;
        return (r) => {
          const l = a(r);
          const rv = b(r);
          // fast path: the common `status_code >= 500`
          if (typeof l === 'bigint' && typeof rv === 'bigint') {
            return op === '<' ? l < rv : op === '<=' ? l <= rv : op === '>' ? l > rv : l >= rv;
          }
          try {
            return compare(op, l, rv);
          } catch (err) {
            throw positioned(err, r, pos, end);
          }
        };
      }
      case 'in':
        return (r) => {
          try {
            return inOp(a(r), b(r));
          } catch (err) {
            throw positioned(err, r, pos, end);
          }
        };
      default: {
        const op = e.op as ArithOp;
        return (r) => {
          const l = a(r);
          const rv = b(r);
          try {
            return arith(op, l, rv);
          } catch (err) {
            throw positioned(err, r, pos, end);
          }
        };
      }
    }
  }

  private compileIndex(e: IndexExpr): Eval {
    if (e.obj === null) return () => null;
    const obj = this.compileExpr(e.obj);
    const idx = this.compileExpr(e.index);
    const objPos = e.obj.start;
    const idxPos = e.index.start;
    return (r) => {
      const o = obj(r);
      const k = idx(r);
      return indexGet(r, o, k, objPos, idxPos);
    };
  }

  private compileSlice(e: SliceExpr): Eval {
    const obj = this.compileExpr(e.obj);
    const from = e.from === null ? null : this.compileExpr(e.from);
    const to = e.to === null ? null : this.compileExpr(e.to);
    const step = e.step === null ? null : this.compileExpr(e.step);
    const pos = e.start;
    const stepPos = e.step === null ? e.start : e.step.start;
    return (r) => {
      const o = obj(r);
      const f = from === null ? null : from(r);
      const t = to === null ? null : to(r);
      const s = step === null ? null : step(r);
      return sliceValue(r, o, f, t, s, pos, stepPos);
    };
  }

  /** The function's own evaluator for a call, without the fault positioning. */
  private compileCallBody(e: CallExpr): Eval {
    const def = this.opts.registry.get(e.callee.name);
    if (def === undefined) {
      return this.compileError(`unsupported func: \`${e.callee.name}\``, e.callee.start, e.callee.end);
    }
    return def.compile(new CallSiteImpl(def, e, this));
  }

  private compileCall(e: CallExpr): Eval {
    const fn = this.compileCallBody(e);
    const pos = e.callee.start;
    const end = e.callee.end;
    return (r) => {
      try {
        return fn(r);
      } catch (err) {
        throw positioned(err, r, pos, end);
      }
    };
  }

  // ------------------------------------------------------------ statements

  private compileStatements(body: readonly Stmt[], scope: Scope): Exec {
    void scope;
    // Consecutive call statements (most of a typical script) become one
    // closure that calls the functions in a loop; other statements compile
    // on their own. Source order is kept, as compiling has effects
    // (variable slots, add_pattern scopes).
    const stmts: Exec[] = [];
    for (let i = 0; i < body.length; ) {
      let j = i;
      while (j < body.length && callOf(body[j]!) !== null) j++;
      if (j - i >= 2) {
        const calls: CallExpr[] = [];
        for (let k = i; k < j; k++) calls.push(callOf(body[k]!)!);
        stmts.push(this.compileCallRun(calls));
        i = j;
      } else {
        stmts.push(this.compileStmt(body[i]!));
        i++;
      }
    }
    const n = stmts.length;
    if (n === 1) return stmts[0]!;
    return (r) => {
      for (let i = 0; i < n; i++) {
        const sig = stmts[i]!(r);
        if (sig !== 0) return sig;
      }
      return 0;
    };
  }

  /** A `{ … }` block in its own scope. */
  private compileBlock(block: Block): Exec {
    const outer = this.scope;
    const scope = this.enterScope(assignedNames(block.body));
    const body = this.compileStatements(block.body, scope);
    this.scope = outer;
    const reset = resetSlots(scope.own);
    if (reset === null) return body;
    return (r) => {
      reset(r);
      return body(r);
    };
  }

  private compileStmt(s: Stmt): Exec {
    switch (s.type) {
      case 'ExprStmt': {
        if (s.expr.type === 'CallExpr') return this.compileCallStmt(s.expr);
        const e = this.compileExpr(s.expr);
        return (r) => {
          e(r);
          return r.halt;
        };
      }
      case 'AssignStmt':
        if (this.scope.parent === null && s.target.type === 'Identifier') {
          this.declareInRoot([varName(s.target.name)]);
        }
        return this.compileAssign(s);
      case 'IfStmt':
        return this.compileIf(s);
      case 'ForStmt':
        return this.compileFor(s);
      case 'ForInStmt':
        return this.compileForIn(s);
      case 'BreakStmt':
        return () => 1;
      case 'ContinueStmt':
        return () => 2;
    }
  }

  /**
   * A call used as a statement (most lines of most scripts): the call's
   * fault positioning and the statement's halt signal in one closure
   * instead of two nested ones.
   */
  private compileCallStmt(e: CallExpr): Exec {
    const fn = this.compileCallBody(e);
    const pos = e.callee.start;
    const end = e.callee.end;
    return (r) => {
      try {
        fn(r);
      } catch (err) {
        throw positioned(err, r, pos, end);
      }
      return r.halt;
    };
  }

  /**
   * A run of call statements: one try/catch for the run, with the index of
   * the running call telling which position a fault gets, and the halt
   * signal (exit()) checked after each call.
   */
  private compileCallRun(calls: readonly CallExpr[]): Exec {
    const n = calls.length;
    const fns: Eval[] = new Array(n);
    const starts: number[] = new Array(n);
    const ends: number[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const e = calls[k]!;
      fns[k] = this.compileCallBody(e);
      starts[k] = e.callee.start;
      ends[k] = e.callee.end;
    }
    return (r) => {
      let k = 0;
      try {
        for (; k < n; k++) {
          fns[k]!(r);
          if (r.halt !== 0) return r.halt;
        }
      } catch (err) {
        throw positioned(err, r, starts[k]!, ends[k]!);
      }
      return 0;
    };
  }

  private compileAssign(s: AssignStmt): Exec {
    const value = this.compileExpr(s.value);
    const t = s.target;
    const pos = s.opPos;
    const end = pos + s.op.length;
    const arithOp = s.op === '=' ? null : (s.op[0] as ArithOp);
    if (t.type === 'Identifier') {
      const write = this.compileWrite(t.name);
      if (arithOp === null) {
        return (r) => {
          write(r, value(r));
          return r.halt;
        };
      }
      const lookup = this.compileLookup(t.name);
      return (r) => {
        const rv = value(r);
        const cur = lookup(r);
        if (cur === undefined) return r.halt;
        let nv: Value;
        try {
          nv = arith(arithOp, cur, rv);
        } catch (err) {
          throw positioned(err, r, pos, end);
        }
        write(r, nv);
        return r.halt;
      };
    }
    // index target: a[i][j] = v
    const chain: Expr[] = [];
    let base: Expr = t;
    while (base.type === 'IndexExpr' && base.obj !== null) {
      chain.unshift(base.index);
      base = base.obj;
    }
    if (base.type !== 'Identifier') this.compileError('cannot assign to this expression', t.start, t.end);
    const lookup = this.compileLookup(base.name);
    const idx = chain.map((c) => this.compileExpr(c));
    const idxPos = chain.map((c) => c.start);
    const basePos = base.start;
    return (r) => {
      const rv = value(r);
      const container = lookup(r);
      if (container === undefined) throw r.fault('key not found', basePos);
      let cur: Value = container;
      const last = idx.length - 1;
      for (let i = 0; i < last; i++) cur = indexGet(r, cur, idx[i]!(r), basePos, idxPos[i]!, true);
      const k = idx[last]!(r);
      let nv = rv;
      if (arithOp !== null) {
        const old = indexGet(r, cur, k, basePos, idxPos[last]!);
        try {
          nv = arith(arithOp, old, rv);
        } catch (err) {
          throw positioned(err, r, pos, end);
        }
      }
      indexSet(r, cur, k, nv, idxPos[last]!);
      return r.halt;
    };
  }

  private compileIf(s: IfStmt): Exec {
    const conds = s.branches.map((b) => this.compileExpr(b.cond));
    const bodies = s.branches.map((b) => this.compileBlock(b.body));
    const alt = s.alternate === null ? null : this.compileBlock(s.alternate);
    const n = conds.length;
    if (n === 1) {
      const c = conds[0]!;
      const b = bodies[0]!;
      return (r) => {
        if (truthy(c(r))) return b(r);
        return alt === null ? r.halt : alt(r);
      };
    }
    return (r) => {
      for (let i = 0; i < n; i++) if (truthy(conds[i]!(r))) return bodies[i]!(r);
      return alt === null ? r.halt : alt(r);
    };
  }

  private compileFor(s: ForStmt): Exec {
    const outer = this.scope;
    const scope = this.enterScope(assignedNames([s.init, s.step]));
    const init = s.init === null ? null : this.compileStmt(s.init);
    const cond = s.cond === null ? null : this.compileExpr(s.cond);
    const step = s.step === null ? null : this.compileStmt(s.step);
    const body = this.compileBlock(s.body);
    this.scope = outer;
    const reset = resetSlots(scope.own);
    const pos = s.start;
    return (r) => {
      if (reset !== null) reset(r);
      if (init !== null && init(r) === 3) return 3;
      for (;;) {
        if (cond !== null && !truthy(cond(r))) break;
        checkBudget(r, pos);
        const sig = body(r);
        if (sig === 1) break;
        if (sig === 3) return 3;
        if (step !== null && step(r) === 3) return 3;
      }
      return r.halt;
    };
  }

  private compileForIn(s: ForInStmt): Exec {
    const iter = this.compileExpr(s.iter);
    const outer = this.scope;
    const names = assignedNames(s.body.body);
    names.add(varName(s.variable.name));
    const scope = this.enterScope(names);
    const write = this.compileWrite(s.variable.name);
    const body = this.compileStatements(s.body.body, scope);
    this.scope = outer;
    const own = scope.own;
    const pos = s.start;
    const iterPos = s.iter.start;
    const runOne = (r: RunState, v: Value): number => {
      for (let i = 0; i < own.length; i++) r.slots[own[i]!] = undefined;
      checkBudget(r, pos);
      write(r, v);
      return body(r);
    };
    return (r) => {
      const it = iter(r);
      if (typeof it === 'string') {
        for (const ch of it) {
          const sig = runOne(r, ch);
          if (sig === 1) break;
          if (sig === 3) return 3;
        }
      } else if (Array.isArray(it)) {
        for (let i = 0; i < it.length; i++) {
          const sig = runOne(r, it[i]!);
          if (sig === 1) break;
          if (sig === 3) return 3;
        }
      } else if (isMap(it)) {
        const keys = Object.keys(it);
        for (let i = 0; i < keys.length; i++) {
          const sig = runOne(r, keys[i]!);
          if (sig === 1) break;
          if (sig === 3) return 3;
        }
      } else {
        throw r.fault(`unsupported type: ${kindOfValue(it)}, not iter value`, iterPos);
      }
      return r.halt;
    };
  }
}

/** The call of a call statement (`f(x)` on its own line), else null. */
function callOf(s: Stmt): CallExpr | null {
  return s.type === 'ExprStmt' && s.expr.type === 'CallExpr' ? s.expr : null;
}

/** `o[k]` with DataKit's rules: maps by string key (missing → nil), lists by int (negative from the end). */
export function indexGet(
  r: RunState,
  o: Value,
  k: Value,
  objPos: number,
  idxPos: number,
  forWrite = false,
): Value {
  if (Array.isArray(o)) {
    if (typeof k !== 'bigint') throw r.fault('key type is not int', idxPos);
    let i = Number(k);
    if (i < 0) i += o.length;
    if (i < 0 || i >= o.length) {
      if (forWrite) throw r.fault('list index out of range', idxPos);
      return null;
    }
    return o[i]!;
  }
  if (isMap(o)) {
    if (typeof k !== 'string') throw r.fault('key type is not string', idxPos);
    const v = mapGet(o, k);
    if (v === undefined) {
      if (forWrite) throw r.fault('key not found', idxPos);
      return null;
    }
    return v;
  }
  if (forWrite) throw r.fault('obj not map or list', idxPos);
  throw r.fault(`unindexable type: ${kindOfValue(o)}`, objPos);
}

function indexSet(r: RunState, o: Value, k: Value, v: Value, idxPos: number): void {
  if (Array.isArray(o)) {
    if (typeof k !== 'bigint') throw r.fault('key type is not int', idxPos);
    let i = Number(k);
    if (i < 0) i += o.length;
    if (i < 0 || i >= o.length) throw r.fault('list index out of range', idxPos);
    o[i] = v;
    return;
  }
  if (isMap(o)) {
    if (typeof k !== 'string') throw r.fault('key type is not string', idxPos);
    mapSet(o as MapValue, k, v);
    return;
  }
  throw r.fault('obj not map or list', idxPos);
}

function sliceBound(v: Value, r: RunState, pos: number): number | null {
  if (v === null) return null;
  if (typeof v !== 'bigint') throw r.fault(`slice index must be int, got ${kindOfValue(v)}`, pos);
  return Number(v);
}

/** Python-style slicing of strings and lists, as Platypus defines `a[i:j:k]`. */
function sliceValue(
  r: RunState,
  o: Value,
  f: Value,
  t: Value,
  s: Value,
  pos: number,
  stepPos: number,
): Value {
  const isStr = typeof o === 'string';
  if (!isStr && !Array.isArray(o)) throw r.fault(`unsupported slice type: ${kindOfValue(o)}`, pos);
  const step = sliceBound(s, r, stepPos) ?? 1;
  if (step === 0) throw r.fault('step must be non-zero', stepPos);
  const items: readonly unknown[] = isStr ? Array.from(o as string) : (o as Value[]);
  const n = items.length;
  let a = sliceBound(f, r, pos);
  let b = sliceBound(t, r, pos);
  const out: unknown[] = [];
  if (step > 0) {
    a = a === null ? 0 : a < 0 ? Math.max(a + n, 0) : Math.min(a, n);
    b = b === null ? n : b < 0 ? Math.max(b + n, 0) : Math.min(b, n);
    for (let i = a; i < b; i += step) out.push(items[i]);
  } else {
    a = a === null ? n - 1 : a < 0 ? Math.max(a + n, -1) : Math.min(a, n - 1);
    b = b === null ? -1 : b < 0 ? Math.max(b + n, -1) : Math.min(b, n - 1);
    for (let i = a; i > b; i += step) out.push(items[i]);
  }
  return isStr ? out.join('') : (out as Value[]);
}

export { literalValue };
