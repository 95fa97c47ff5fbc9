/**
 * Expressions: precedence climbing over the `binop` numbers of the token
 * types, unary `! + -` above `* / %`, then postfix index `a[i]`, slices
 * `a[i:j:k]`, attribute paths `a.b` (json paths) and calls `f(x, k=v)`.
 * A `+`/`-` applied directly to a number literal folds into the literal, as
 * DataKit's grammar does, so `-1` is a constant where functions demand one.
 */
import type {
  BinaryOp,
  CallExpr,
  Expr,
  Identifier,
  ListLiteral,
  MapLiteral,
  NamedArg,
  NodeBase,
  UnaryOp,
} from './ast.js';
import { Lexer } from './lexer.js';
import { T, type TokenType } from './token-type.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const BINOPS = new Map<TokenType, BinaryOp>([
  [T.or, '||'],
  [T.and, '&&'],
  [T.in, 'in'],
  [T.eqeq, '=='],
  [T.neq, '!='],
  [T.lt, '<'],
  [T.lte, '<='],
  [T.gt, '>'],
  [T.gte, '>='],
  [T.add, '+'],
  [T.sub, '-'],
  [T.mul, '*'],
  [T.div, '/'],
  [T.mod, '%'],
]);

/** `a.b` paths hang off identifiers, indexes and paths only (DataKit's grammar). */
function isPathBase(e: Expr): boolean {
  return e.type === 'Identifier' || e.type === 'IndexExpr' || e.type === 'AttrExpr';
}

export class ExprParser extends Lexer {
  /** Stamp the span of a node that began at `start` and ends at the last token. */
  protected finishNode<N extends NodeBase>(node: N, start: number): N {
    node.start = start;
    node.end = this.lastEnd;
    return node;
  }

  protected eat(type: TokenType): boolean {
    if (this.type === type) {
      this.next();
      return true;
    }
    return false;
  }

  protected expect(type: TokenType): void {
    if (!this.eat(type)) this.unexpected();
  }

  protected skipEols(): void {
    while (this.type === T.eol) this.next();
  }

  protected unexpected(): never {
    return this.raise(this.start, `unexpected: ${this.describe()}`, this.end);
  }

  private describe(): string {
    const t = this.type;
    if (t === T.name) return `id ${JSON.stringify(this.value)}`;
    if (t === T.num) return `number ${JSON.stringify(this.value)}`;
    if (t === T.string || t === T.mlString) return `string ${JSON.stringify(this.value)}`;
    if (t === T.quotedName) return `quoted id ${JSON.stringify(this.value)}`;
    if (t.keyword) return JSON.stringify(this.input.slice(this.start, this.end));
    return t.label;
  }

  parseExpr(minPrec = 1): Expr {
    const start = this.start;
    let left = this.parseMaybeUnary();
    for (;;) {
      const prec = this.type.binop;
      if (prec === 0 || prec < minPrec) return left;
      const op = BINOPS.get(this.type)!;
      const opPos = this.start;
      this.next();
      const right = this.parseExpr(prec + 1);
      left = this.finishNode({ type: 'BinaryExpr', op, opPos, left, right, start: 0, end: 0 }, start);
    }
  }

  protected parseMaybeUnary(): Expr {
    const t = this.type;
    if (t === T.not || t === T.add || t === T.sub) {
      const start = this.start;
      const op: UnaryOp = t === T.not ? '!' : t === T.add ? '+' : '-';
      this.next();
      const arg = this.parseMaybeUnary();
      if (op !== '!' && (arg.type === 'IntLiteral' || arg.type === 'FloatLiteral')) {
        if (op === '-') arg.value = arg.type === 'IntLiteral' ? BigInt.asIntN(64, -arg.value) : -arg.value;
        return this.finishNode(arg, start);
      }
      return this.finishNode({ type: 'UnaryExpr', op, arg, start: 0, end: 0 }, start);
    }
    return this.parseSubscripts(this.parsePrimary());
  }

  private parseSubscripts(base: Expr): Expr {
    const start = base.start;
    let expr = base;
    for (;;) {
      if (this.type === T.bracketL) {
        this.next();
        expr = this.parseIndexOrSlice(expr, start);
      } else if (this.type === T.dot && isPathBase(expr)) {
        this.next();
        const attr = this.parseIdent();
        expr = this.finishNode({ type: 'AttrExpr', obj: expr, attr, start: 0, end: 0 }, start);
      } else {
        return expr;
      }
    }
  }

  /** After `[`: `i]`, or a slice `from:to:step]` with any part left out. */
  private parseIndexOrSlice(obj: Expr | null, start: number): Expr {
    let from: Expr | null = null;
    if (this.type !== T.colon) {
      from = this.parseExpr();
      this.skipEols();
      if (this.eat(T.bracketR)) {
        return this.finishNode({ type: 'IndexExpr', obj, index: from, start: 0, end: 0 }, start);
      }
    }
    if (obj === null) this.unexpected();
    this.expect(T.colon);
    let to: Expr | null = null;
    let step: Expr | null = null;
    if (this.type !== T.colon && this.type !== T.bracketR) to = this.parseExpr();
    if (this.eat(T.colon) && this.type !== T.bracketR) step = this.parseExpr();
    this.skipEols();
    this.expect(T.bracketR);
    return this.finishNode({ type: 'SliceExpr', obj, from, to, step, start: 0, end: 0 }, start);
  }

  protected parseIdent(): Identifier {
    if (this.type !== T.name && this.type !== T.quotedName) this.unexpected();
    const node: Identifier = {
      type: 'Identifier',
      name: this.value,
      quoted: this.type === T.quotedName,
      start: this.start,
      end: this.end,
    };
    this.next();
    return node;
  }

  protected parsePrimary(): Expr {
    const start = this.start;
    const t = this.type;
    if (t === T.name || t === T.quotedName) {
      const id = this.parseIdent();
      if (this.type === T.parenL) return this.parseCall(id);
      return id;
    }
    if (t === T.num) return this.parseNumber();
    if (t === T.string || t === T.mlString) {
      const value = this.value;
      this.next();
      return this.finishNode(
        { type: 'StringLiteral', value, multiline: t === T.mlString, start: 0, end: 0 },
        start,
      );
    }
    if (t === T.kwTrue || t === T.kwFalse) {
      this.next();
      return this.finishNode({ type: 'BoolLiteral', value: t === T.kwTrue, start: 0, end: 0 }, start);
    }
    if (t === T.kwNil) {
      this.next();
      return this.finishNode({ type: 'NilLiteral', start: 0, end: 0 }, start);
    }
    if (t === T.parenL) {
      this.next();
      const expr = this.parseExpr();
      this.skipEols();
      this.expect(T.parenR);
      return this.finishNode({ type: 'ParenExpr', expr, start: 0, end: 0 }, start);
    }
    if (t === T.bracketL) return this.parseList();
    if (t === T.braceL) return this.parseMap();
    if (t === T.dot) {
      // legacy json path root `.[0]`
      this.next();
      if (this.type !== T.bracketL) this.unexpected();
      this.next();
      return this.parseIndexOrSlice(null, start);
    }
    return this.unexpected();
  }

  private parseNumber(): Expr {
    const start = this.start;
    const text = this.value;
    this.next();
    const isHex = text.length > 1 && (text.charCodeAt(1) | 32) === 120;
    if (isHex || !/[.eE]/.test(text)) {
      const v = BigInt(text);
      if (v >= INT64_MIN && v <= INT64_MAX) {
        return this.finishNode({ type: 'IntLiteral', value: v, start: 0, end: 0 }, start);
      }
      return this.finishNode({ type: 'FloatLiteral', value: Number(v), start: 0, end: 0 }, start);
    }
    return this.finishNode({ type: 'FloatLiteral', value: Number(text), start: 0, end: 0 }, start);
  }

  private parseList(): ListLiteral {
    const start = this.start;
    this.next();
    const elements: Expr[] = [];
    this.skipEols();
    while (this.type !== T.bracketR) {
      elements.push(this.parseExpr());
      this.skipEols();
      if (!this.eat(T.comma)) break;
      this.skipEols();
    }
    this.expect(T.bracketR);
    return this.finishNode({ type: 'ListLiteral', elements, start: 0, end: 0 }, start);
  }

  private parseMap(): MapLiteral {
    const start = this.start;
    this.next();
    const keys: Expr[] = [];
    const values: Expr[] = [];
    this.skipEols();
    while (this.type !== T.braceR) {
      keys.push(this.parseExpr());
      this.expect(T.colon);
      values.push(this.parseExpr());
      this.skipEols();
      if (!this.eat(T.comma)) break;
      this.skipEols();
    }
    this.expect(T.braceR);
    return this.finishNode({ type: 'MapLiteral', keys, values, start: 0, end: 0 }, start);
  }

  private parseCall(callee: Identifier): CallExpr {
    this.next(); // (
    const args: (Expr | NamedArg)[] = [];
    this.skipEols();
    while (this.type !== T.parenR) {
      const argStart = this.start;
      const e = this.parseExpr();
      if (this.type === T.eq && e.type === 'Identifier') {
        this.next();
        const value = this.parseExpr();
        args.push(this.finishNode({ type: 'NamedArg', name: e, value, start: 0, end: 0 }, argStart));
      } else {
        args.push(e);
      }
      this.skipEols();
      if (!this.eat(T.comma)) break;
      this.skipEols();
    }
    this.expect(T.parenR);
    return this.finishNode({ type: 'CallExpr', callee, args, start: 0, end: 0 }, callee.start);
  }
}
