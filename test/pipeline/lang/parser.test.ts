/**
 * Parser tables: source → AST shape, and source → exact `(line:col)` error.
 */
import { describe, expect, it } from 'vitest';
import type { Expr, Program, Stmt } from '../../../src/pipeline/lang/ast.js';
import { PlkScriptError } from '../../../src/pipeline/lang/errors.js';
import { parse } from '../../../src/pipeline/lang/parse-stmt.js';

/** A compact S-expression of the tree, so tables stay readable. */
function sx(e: Expr | Stmt | null): string {
  if (e === null) return '_';
  switch (e.type) {
    case 'Identifier':
      return e.quoted ? `\`${e.name}\`` : e.name;
    case 'IntLiteral':
      return `${e.value}i`;
    case 'FloatLiteral':
      return `${e.value}f`;
    case 'StringLiteral':
      return JSON.stringify(e.value);
    case 'BoolLiteral':
      return String(e.value);
    case 'NilLiteral':
      return 'nil';
    case 'ListLiteral':
      return `[${e.elements.map(sx).join(' ')}]`;
    case 'MapLiteral':
      return `{${e.keys.map((k, i) => `${sx(k)}:${sx(e.values[i]!)}`).join(' ')}}`;
    case 'UnaryExpr':
      return `(${e.op} ${sx(e.arg)})`;
    case 'BinaryExpr':
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'ParenExpr':
      return `(paren ${sx(e.expr)})`;
    case 'IndexExpr':
      return `(idx ${e.obj === null ? '.' : sx(e.obj)} ${sx(e.index)})`;
    case 'SliceExpr':
      return `(slice ${sx(e.obj)} ${sx(e.from)} ${sx(e.to)} ${sx(e.step)})`;
    case 'AttrExpr':
      return `(attr ${sx(e.obj)} ${e.attr.name})`;
    case 'CallExpr':
      return `(call ${e.callee.name}${e.args.map((a) => ` ${a.type === 'NamedArg' ? `${a.name.name}=${sx(a.value)}` : sx(a)}`).join('')})`;
    case 'ExprStmt':
      return sx(e.expr);
    case 'AssignStmt':
      return `(${e.op} ${sx(e.target)} ${sx(e.value)})`;
    case 'IfStmt':
      return `(if ${e.branches.map((b) => `${sx(b.cond)} {${b.body.body.map(sx).join('; ')}}`).join(' elif ')}${e.alternate === null ? '' : ` else {${e.alternate.body.map(sx).join('; ')}}`})`;
    case 'ForStmt':
      return `(for ${sx(e.init)}; ${sx(e.cond)}; ${sx(e.step)} {${e.body.body.map(sx).join('; ')}})`;
    case 'ForInStmt':
      return `(for ${e.variable.name} in ${sx(e.iter)} {${e.body.body.map(sx).join('; ')}})`;
    case 'BreakStmt':
      return 'break';
    case 'ContinueStmt':
      return 'continue';
  }
}

function prog(p: Program): string {
  return p.body.map(sx).join(' ; ');
}

describe('parser: source → AST', () => {
  const table: [string, string][] = [
    ['a = 1', '(= a 1i)'],
    ['a = 1.5; b = .5e1 == 5', 'ERR'],
    ['x = 1 + 2 * 3 - 4 / 2 % 3', '(= x (- (+ 1i (* 2i 3i)) (% (/ 4i 2i) 3i)))'],
    ['a || b && c == d', '(|| a (&& b (== c d)))'],
    ['"a" in l && x', '(&& (in "a" l) x)'],
    ['x in y == true', '(in x (== y true))'],
    ['-1 + -x', '(+ -1i (- x))'],
    ['!a == b', '(== (! a) b)'],
    ['--!""', '(- (- (! "")))'],
    ['a[0]["b"][-1]', '(idx (idx (idx a 0i) "b") -1i)'],
    [
      's[1:4:2]; s[:]; s[::-1]; s[1:]',
      '(slice s 1i 4i 2i) ; (slice s _ _ _) ; (slice s _ _ -1i) ; (slice s 1i _ _)',
    ],
    ['json(_, a.b[0].c, x)', '(call json _ (attr (idx (attr a b) 0i) c) x)'],
    [
      'json(_, .[0].nets[-1])',
      '(call json _ (attr (idx . 0i) nets) (idx ? ))'
        .replace(' (idx ? )', '')
        .replace('(attr (idx . 0i) nets)', '(idx (attr (idx . 0i) nets) -1i)'),
    ],
    ['f(a, key=v, k2 = 2,)', '(call f a key=v k2=2i)'],
    ['f(\n  a,\n  b\n)', '(call f a b)'],
    ['m = {"a": 1,\n "b": [1, 2,],\n}', '(= m {"a":1i "b":[1i 2i]})'],
    ['`a b` = 1; `x`', '(= `a b` 1i) ; `x`'],
    ['a = True; b = NIL; c = null', '(= a true) ; (= b nil) ; (= c nil)'],
    ['v += 1; v -= 2; v *= 3; v /= 4; v %= 5', '(+= v 1i) ; (-= v 2i) ; (*= v 3i) ; (/= v 4i) ; (%= v 5i)'],
    ['a[1] += 2', '(+= (idx a 1i) 2i)'],
    ['if a { b() } elif c { d() } else { e() }', '(if a {(call b)} elif c {(call d)} else {(call e)})'],
    ['for x in [1, 2] { continue }', '(for x in [1i 2i] {continue})'],
    ['for i = 0; i < 3; i = i + 1 { break }', '(for (= i 0i); (< i 3i); (= i (+ i 1i)) {break})'],
    ['for ;; {}', '(for _; _; _ {})'],
    ['for a; ; {}', '(for a; _; _ {})'],
    ['a = \'x\\\'y\'; b = "q\\"\\n\\u4e2d\\x41"', '(= a "x\'y") ; (= b "q\\"\\n中A")'],
    ["a = '''raw \\n\nline'''", '(= a "raw \\\\n\\nline")'],
    ['a = 0x1F; b = 9223372036854775808', '(= a 31i) ; (= b 9223372036854776000f)'],
    ['c = a +\n  b', '(= c (+ a b))'],
    ['# comment\n\n;; a = 1 # trailing\n', '(= a 1i)'],
    ['add_key(x, 1)\n', '(call add_key x 1i)'],
  ];
  for (const [src, want] of table) {
    it(JSON.stringify(src), () => {
      if (want === 'ERR') {
        expect(() => parse(src)).toThrow(PlkScriptError);
        return;
      }
      expect(prog(parse(src))).toBe(want);
    });
  }
});

describe('parser: source → exact error position', () => {
  const table: [string, string][] = [
    ['json(_, name) json(name, first)', 'unexpected: id "json" (1:15)'],
    ['add_key(a, .1)', 'unexpected: number "1" (1:13)'],
    ['json(_, [0].nets[-1])', 'unexpected: "." (1:12)'],
    ['json(_, str)', 'unexpected: "str" (1:9)'],
    ['a = (1 + 2', 'unexpected: end of input (1:11)'],
    ['if a {\n  b = 1\n', 'unexpected: end of input (3:1)'],
    ['a = "abc', 'unterminated quoted string (1:5)'],
    ['a = "\\q"', 'unknown escape sequence (1:6)'],
    ["a = 'x\\\"'", 'unknown escape sequence (1:7)'],
    ['a = 1 |', "unexpected character '|' (1:7)"],
    ['a = 1 @', 'unexpected character: "@" (1:7)'],
    ['x = `abc', 'unterminated quoted identifier (1:5)'],
    ['f(1) = 2', 'cannot assign to this expression (1:1)'],
    ['a = b = 3', 'unexpected: "=" (1:7)'],
    ['if {\n}', 'if/elif expr not found condition (1:4)'],
    ['a = 12ab', 'bad number: "12a" (1:5)'],
    ['中文 = 1\nx = 中文 +', 'unexpected: end of input (2:9)'],
  ];
  for (const [src, want] of table) {
    it(JSON.stringify(src), () => {
      let err: unknown;
      try {
        parse(src, 't.p');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PlkScriptError);
      const e = err as PlkScriptError;
      expect(e.code).toBe('PLK_ERR_SYNTAX');
      expect(`${e.reason} (${e.loc.line}:${e.loc.column})`).toBe(want);
      expect(e.message.endsWith(`(${e.loc.line}:${e.loc.column})`)).toBe(true);
      expect(e.short.startsWith(`t.p:${e.loc.line}:${e.loc.column}: `)).toBe(true);
    });
  }
});
