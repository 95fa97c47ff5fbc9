/**
 * The compile-time call object handed to `FuncDef.compile`: binds
 * positional and named arguments to the function's parameters (DataKit's
 * arity and naming rules) and offers the helpers functions need to decide
 * things once — key names, literals, compiled argument evaluators.
 */
import type { AttrExpr, CallExpr, Expr, IndexExpr, NamedArg } from './ast.js';
import { nodeKindName } from './ast.js';
import type { CallSite, Eval, FuncDef } from './func-api.js';
import { intern } from './intern.js';
import type { RunState } from './run-state.js';
import { type Scope, varName } from './scope.js';
import { newMap, type Value } from './values.js';

export interface CallHost {
  compileExpr(e: Expr): Eval;
  compileRead(name: string): Eval;
  compileLookup(name: string): (r: RunState) => Value | undefined;
  compileError(reason: string, pos: number, end?: number): never;
  readonly sourceName: string;
  readonly category: string;
  readonly services: unknown;
  readonly scriptData: Map<unknown, unknown>;
  /** The scope the call is compiled in. */
  readonly currentScope: Scope;
}

/** `a.b[0].c` as DataKit prints an attribute path. */
export function pathString(e: Expr): string | null {
  switch (e.type) {
    case 'Identifier':
      return e.name;
    case 'StringLiteral':
      return e.value;
    case 'AttrExpr': {
      const o = pathString(e.obj);
      return o === null ? null : `${o}.${e.attr.name}`;
    }
    case 'IndexExpr': {
      const o = e.obj === null ? '' : pathString(e.obj);
      const i = e.index;
      if (o === null) return null;
      if (i.type === 'IntLiteral') return `${o}[${i.value}]`;
      if (i.type === 'StringLiteral') return `${o}[${JSON.stringify(i.value)}]`;
      return null;
    }
    default:
      return null;
  }
}

export function literalValue(e: Expr): Value | undefined {
  switch (e.type) {
    case 'IntLiteral':
    case 'FloatLiteral':
    case 'StringLiteral':
    case 'BoolLiteral':
      return e.value;
    case 'NilLiteral':
      return null;
    case 'ParenExpr':
      return literalValue(e.expr);
    case 'ListLiteral': {
      const out: Value[] = [];
      for (const el of e.elements) {
        const v = literalValue(el);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'MapLiteral': {
      const out = newMap();
      for (let i = 0; i < e.keys.length; i++) {
        const k = literalValue(e.keys[i]!);
        const v = literalValue(e.values[i]!);
        if (typeof k !== 'string' || v === undefined) return undefined;
        out[k] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

export type KeyNode = Expr & { type: 'Identifier' | 'StringLiteral' | 'AttrExpr' | 'IndexExpr' };

export class CallSiteImpl implements CallSite {
  readonly name: string;
  readonly node: CallExpr;
  readonly argc: number;
  private readonly bound: (Expr | undefined)[];
  private readonly extra: Expr[];
  private readonly host: CallHost;

  constructor(def: FuncDef, node: CallExpr, host: CallHost) {
    this.name = def.name;
    this.node = node;
    this.host = host;
    const params = def.params;
    const bound: (Expr | undefined)[] = new Array(params.length);
    const extra: Expr[] = [];
    let sawNamed = false;
    let pos = 0;
    let argc = 0;
    for (const a of node.args) {
      if (a.type === 'NamedArg') {
        sawNamed = true;
        const idx = params.findIndex((p) => p.name === a.name.name);
        if (idx < 0) host.compileError(`argument ${a.name.name} does not exist`, a.start, a.end);
        if (bound[idx] !== undefined)
          host.compileError(`argument ${a.name.name} given twice`, a.start, a.end);
        bound[idx] = (a as NamedArg).value;
        argc++;
        continue;
      }
      if (sawNamed) host.compileError('positional arguments cannot follow keyword arguments', a.start, a.end);
      const p = params[pos];
      if (p === undefined) {
        const last = params[params.length - 1];
        if (last?.variadic) {
          extra.push(a);
          argc++;
          continue;
        }
        host.compileError('too many parameters', node.callee.start, node.callee.end);
      }
      bound[pos] = a;
      pos++;
      argc++;
    }
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (bound[i] === undefined && !p.optional && !p.variadic) {
        host.compileError(`missing required parameter \`${p.name}\``, node.callee.start, node.callee.end);
      }
    }
    this.bound = bound;
    this.extra = extra;
    this.argc = argc;
  }

  get sourceName(): string {
    return this.host.sourceName;
  }
  get category(): string {
    return this.host.category;
  }
  get services(): unknown {
    return this.host.services;
  }
  get scriptData(): Map<unknown, unknown> {
    return this.host.scriptData;
  }

  blockData<T>(key: unknown, init: (outer: T | undefined) => T): T {
    const scope = this.host.currentScope;
    if (scope.data.has(key)) return scope.data.get(key) as T;
    const v = init(scope.parent?.lookupData<T>(key));
    scope.data.set(key, v);
    return v;
  }

  lookupBlockData<T>(key: unknown): T | undefined {
    return this.host.currentScope.lookupData<T>(key);
  }

  arg(i: number): Expr | undefined {
    return this.bound[i];
  }
  has(i: number): boolean {
    return this.bound[i] !== undefined;
  }
  rest(): Expr[] {
    return this.extra;
  }

  key(i: number): string {
    const a = this.bound[i];
    if (a === undefined) return this.fail('missing key argument');
    if (a.type === 'Identifier') return intern(varName(a.name));
    if (a.type === 'StringLiteral') return intern(varName(a.value));
    if (a.type === 'AttrExpr' || a.type === 'IndexExpr') {
      const p = pathString(a as AttrExpr | IndexExpr);
      if (p !== null) return intern(p);
    }
    return this.fail(`param key expect StringLiteral or Identifier, got ${nodeKindName(a)}`, i);
  }

  readKey(i: number): Eval {
    return this.host.compileRead(this.key(i));
  }

  shadowed(i: number): boolean {
    return this.host.currentScope.candidates(this.key(i)).length !== 0;
  }

  lookupKey(i: number): (r: RunState) => Value | undefined {
    return this.host.compileLookup(this.key(i));
  }

  readName(name: string): Eval {
    return this.host.compileRead(name);
  }

  lookupName(name: string): (r: RunState) => Value | undefined {
    return this.host.compileLookup(name);
  }

  value(i: number, dflt?: Value): Eval {
    const a = this.bound[i];
    if (a === undefined) {
      const d = dflt === undefined ? null : dflt;
      return () => d;
    }
    return this.host.compileExpr(a);
  }

  compileExpr(e: Expr): Eval {
    return this.host.compileExpr(e);
  }

  literal(i: number): Value | undefined {
    const a = this.bound[i];
    return a === undefined ? undefined : literalValue(a);
  }

  stringLiteral(i: number, what = 'param'): string {
    const a = this.bound[i];
    if (a === undefined) return this.fail(`missing ${what}`);
    if (a.type !== 'StringLiteral')
      return this.fail(`${what} expect StringLiteral, got ${nodeKindName(a)}`, i);
    return a.value;
  }

  fail(reason: string, i?: number): never {
    const a = i === undefined ? undefined : this.bound[i];
    if (a !== undefined) return this.host.compileError(reason, a.start, a.end);
    return this.host.compileError(reason, this.node.callee.start, this.node.callee.end);
  }

  pos(i?: number): number {
    const a = i === undefined ? undefined : this.bound[i];
    return a !== undefined ? a.start : this.node.callee.start;
  }
}
