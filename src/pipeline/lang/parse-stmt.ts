/**
 * Statements and the program. Statements are separated by `;` or line
 * ends; a block `{ … }` holds statements; `if/elif/else`, both `for` forms,
 * `break`, `continue`, assignments (`= += -= *= /= %=`, statements only, as
 * in DataKit's grammar) and expression statements.
 *
 * `parse(source, name)` is the entry point; it throws `PlkScriptError`
 * (code `PLK_ERR_SYNTAX`) with the exact position of the first error.
 */
import type { AssignOp, Block, Expr, IfBranch, Program, Stmt } from './ast.js';
import { ExprParser } from './parse-expr.js';
import { T, type TokenType } from './token-type.js';

const ASSIGN_OPS = new Map<TokenType, AssignOp>([
  [T.eq, '='],
  [T.addEq, '+='],
  [T.subEq, '-='],
  [T.mulEq, '*='],
  [T.divEq, '/='],
  [T.modEq, '%='],
]);

export class Parser extends ExprParser {
  parseProgram(): Program {
    this.next();
    const body = this.parseStatements(T.eof);
    return { type: 'Program', body, start: 0, end: this.input.length };
  }

  private skipSeps(): void {
    while (this.type === T.eol || this.type === T.semi) this.next();
  }

  /** Statements up to (not including) `close`, each followed by a separator or `close`. */
  private parseStatements(close: TokenType): Stmt[] {
    const body: Stmt[] = [];
    this.skipSeps();
    while (this.type !== close) {
      body.push(this.parseStatement());
      if (this.type === close) break;
      if (this.type !== T.eol && this.type !== T.semi) this.unexpected();
      this.skipSeps();
    }
    return body;
  }

  private parseBlock(): Block {
    const start = this.start;
    if (this.type !== T.braceL) this.unexpected();
    this.next();
    const body = this.parseStatements(T.braceR);
    this.next(); // }
    return this.finishNode({ type: 'Block', body, start: 0, end: 0 }, start);
  }

  parseStatement(): Stmt {
    const start = this.start;
    switch (this.type) {
      case T.kwIf:
        return this.parseIf();
      case T.kwFor:
        return this.parseFor();
      case T.kwBreak:
        this.next();
        return this.finishNode({ type: 'BreakStmt', start: 0, end: 0 }, start);
      case T.kwContinue:
        this.next();
        return this.finishNode({ type: 'ContinueStmt', start: 0, end: 0 }, start);
      default:
        return this.parseSimpleStatement();
    }
  }

  /** An expression statement or an assignment. */
  private parseSimpleStatement(): Stmt {
    const start = this.start;
    const target = this.parseExpr();
    const op = ASSIGN_OPS.get(this.type);
    if (op === undefined) {
      return this.finishNode({ type: 'ExprStmt', expr: target, start: 0, end: 0 }, start);
    }
    const opPos = this.start;
    if (target.type !== 'Identifier' && target.type !== 'IndexExpr') {
      this.raise(target.start, 'cannot assign to this expression', target.end);
    }
    if (target.type === 'IndexExpr' && target.obj === null)
      this.raise(target.start, 'invalid assignment target');
    this.next();
    const value = this.parseExpr();
    return this.finishNode({ type: 'AssignStmt', op, opPos, target, value, start: 0, end: 0 }, start);
  }

  private parseIf(): Stmt {
    const start = this.start;
    const branches: IfBranch[] = [];
    do {
      const bStart = this.start;
      this.next(); // if / elif
      if (this.type === T.braceL) this.raise(this.start, 'if/elif expr not found condition');
      const cond: Expr = this.parseExpr();
      const body = this.parseBlock();
      branches.push(this.finishNode({ cond, body, start: 0, end: 0 }, bStart));
    } while (this.type === T.kwElif);
    let alternate: Block | null = null;
    if (this.eat(T.kwElse)) alternate = this.parseBlock();
    return this.finishNode({ type: 'IfStmt', branches, alternate, start: 0, end: 0 }, start);
  }

  private parseFor(): Stmt {
    const start = this.start;
    this.next();
    let init: Stmt | null = null;
    if (this.type !== T.semi) {
      init = this.parseSimpleStatement();
      if (
        this.type === T.braceL &&
        init.type === 'ExprStmt' &&
        init.expr.type === 'BinaryExpr' &&
        init.expr.op === 'in'
      ) {
        const variable = init.expr.left;
        if (variable.type !== 'Identifier')
          this.raise(variable.start, 'for-in variable must be an identifier');
        const iter = init.expr.right;
        const body = this.parseBlock();
        return this.finishNode({ type: 'ForInStmt', variable, iter, body, start: 0, end: 0 }, start);
      }
    }
    this.expect(T.semi);
    const cond = this.type === T.semi ? null : this.parseExpr();
    this.expect(T.semi);
    const step = this.type === T.braceL ? null : this.parseSimpleStatement();
    const body = this.parseBlock();
    return this.finishNode({ type: 'ForStmt', init, cond, step, body, start: 0, end: 0 }, start);
  }
}

export function parse(source: string, sourceName = 'script.p'): Program {
  return new Parser(source, sourceName).parseProgram();
}
