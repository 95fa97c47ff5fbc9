/**
 * The Platypus syntax tree. Every node has integer `start`/`end` offsets
 * into the source (set by the parser's `startNode`/`finishNode`), so errors
 * can point at the exact span later without carrying line/column around.
 */

export interface NodeBase {
  start: number;
  end: number;
}

export interface Identifier extends NodeBase {
  type: 'Identifier';
  name: string;
  /** Written with backticks (`` `a b` ``). */
  quoted: boolean;
}
export interface IntLiteral extends NodeBase {
  type: 'IntLiteral';
  value: bigint;
}
export interface FloatLiteral extends NodeBase {
  type: 'FloatLiteral';
  value: number;
}
export interface StringLiteral extends NodeBase {
  type: 'StringLiteral';
  value: string;
  multiline: boolean;
}
export interface BoolLiteral extends NodeBase {
  type: 'BoolLiteral';
  value: boolean;
}
export interface NilLiteral extends NodeBase {
  type: 'NilLiteral';
}
export interface ListLiteral extends NodeBase {
  type: 'ListLiteral';
  elements: Expr[];
}
export interface MapLiteral extends NodeBase {
  type: 'MapLiteral';
  keys: Expr[];
  values: Expr[];
}
export type UnaryOp = '!' | '-' | '+';
export interface UnaryExpr extends NodeBase {
  type: 'UnaryExpr';
  op: UnaryOp;
  arg: Expr;
}
export type BinaryOp =
  | '||'
  | '&&'
  | 'in'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';
export interface BinaryExpr extends NodeBase {
  type: 'BinaryExpr';
  op: BinaryOp;
  opPos: number;
  left: Expr;
  right: Expr;
}
export interface ParenExpr extends NodeBase {
  type: 'ParenExpr';
  expr: Expr;
}
export interface IndexExpr extends NodeBase {
  type: 'IndexExpr';
  /** null for the legacy json-path form `.[0]` */
  obj: Expr | null;
  index: Expr;
}
export interface SliceExpr extends NodeBase {
  type: 'SliceExpr';
  obj: Expr;
  from: Expr | null;
  to: Expr | null;
  step: Expr | null;
}
/** `a.b`: only meaningful as a key / json path argument; evaluates to nil. */
export interface AttrExpr extends NodeBase {
  type: 'AttrExpr';
  obj: Expr;
  attr: Identifier;
}
export interface NamedArg extends NodeBase {
  type: 'NamedArg';
  name: Identifier;
  value: Expr;
}
export interface CallExpr extends NodeBase {
  type: 'CallExpr';
  callee: Identifier;
  /** Positional and named arguments in source order. */
  args: (Expr | NamedArg)[];
}

export type Expr =
  | Identifier
  | IntLiteral
  | FloatLiteral
  | StringLiteral
  | BoolLiteral
  | NilLiteral
  | ListLiteral
  | MapLiteral
  | UnaryExpr
  | BinaryExpr
  | ParenExpr
  | IndexExpr
  | SliceExpr
  | AttrExpr
  | CallExpr;

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=';

export interface ExprStmt extends NodeBase {
  type: 'ExprStmt';
  expr: Expr;
}
export interface AssignStmt extends NodeBase {
  type: 'AssignStmt';
  op: AssignOp;
  opPos: number;
  target: Expr;
  value: Expr;
}
export interface Block extends NodeBase {
  type: 'Block';
  body: Stmt[];
}
export interface IfBranch extends NodeBase {
  cond: Expr;
  body: Block;
}
export interface IfStmt extends NodeBase {
  type: 'IfStmt';
  branches: IfBranch[];
  alternate: Block | null;
}
export interface ForStmt extends NodeBase {
  type: 'ForStmt';
  init: Stmt | null;
  cond: Expr | null;
  step: Stmt | null;
  body: Block;
}
export interface ForInStmt extends NodeBase {
  type: 'ForInStmt';
  variable: Identifier;
  iter: Expr;
  body: Block;
}
export interface BreakStmt extends NodeBase {
  type: 'BreakStmt';
}
export interface ContinueStmt extends NodeBase {
  type: 'ContinueStmt';
}

export type Stmt = ExprStmt | AssignStmt | IfStmt | ForStmt | ForInStmt | BreakStmt | ContinueStmt;

export interface Program extends NodeBase {
  type: 'Program';
  body: Stmt[];
}

/** Node type names as DataKit's checker words them in errors. */
export function nodeKindName(n: Expr | NamedArg): string {
  switch (n.type) {
    case 'IntLiteral':
      return 'IntLiteral';
    case 'FloatLiteral':
      return 'FloatLiteral';
    case 'StringLiteral':
      return 'StringLiteral';
    case 'BoolLiteral':
      return 'BoolLiteral';
    case 'NilLiteral':
      return 'NilLiteral';
    case 'ListLiteral':
      return 'ListLiteral';
    case 'MapLiteral':
      return 'MapLiteral';
    case 'NamedArg':
      return 'AssignmentExpr';
    default:
      return n.type;
  }
}
