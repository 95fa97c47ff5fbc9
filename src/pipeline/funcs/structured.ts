/**
 * Structured-text extraction: gjson (a GJSON path into JSON text) and xml
 * (an XPath into XML text). Both read a key, extract one value and write
 * it to a key; anything that does not parse or match leaves the point as
 * it was, as in DataKit.
 */
import { createRequire } from 'node:module';
import { DOMParser, type Document, type Node } from '@xmldom/xmldom';
import { RunFault } from '../lang/errors.js';
import type { FuncDef } from '../lang/func-api.js';
import { conv2String, type Value } from '../lang/values.js';
import { expectKinds } from './arg-nodes.js';
import { gjsonGet, parsePath } from './gjson-path.js';
import { defineFunc } from './registry.js';

const PATH_KINDS = ['Identifier', 'StringLiteral'] as const;

export const gjson = defineFunc({
  name: 'gjson',
  params: [{ name: 'input' }, { name: 'json_path' }, { name: 'key_name', optional: true }],
  compile(call) {
    const read = call.lookupKey(0); // also checks the key argument's kind
    expectKinds(call, 1, PATH_KINDS, 'param json_path');
    expectKinds(call, 2, PATH_KINDS, 'param key_name');
    const pathOf = call.value(1);
    const keyOf = call.has(2) ? call.value(2) : null;
    const pathPos = call.pos(1);
    const keyPos = call.pos(2);
    // the path is nearly always a literal: parse it once
    let lastPath = '';
    let lastParsed: ReturnType<typeof parsePath> = null;
    return (r) => {
      const path = pathOf(r);
      if (typeof path !== 'string') throw new RunFault('param data type expect string', pathPos);
      let target = path;
      if (keyOf !== null) {
        const k = keyOf(r);
        if (typeof k !== 'string') throw new RunFault('param data type expect string', keyPos);
        target = k;
      }
      const v = read(r);
      if (v === undefined) return null;
      if (path !== lastPath || lastParsed === null) {
        lastPath = path;
        lastParsed = parsePath(path);
      }
      if (lastParsed === null) return null;
      const res = gjsonGet(conv2String(v), lastParsed);
      if (res === null) return null;
      let out: Value;
      switch (res.type) {
        case 'number':
          out = res.value;
          break;
        case 'bool':
          out = res.value;
          break;
        case 'string':
          out = res.value;
          break;
        case 'json':
          out = res.raw;
          break;
        default:
          return null;
      }
      r.setKey(target, out);
      return null;
    };
  },
});

interface XPathExpr {
  select(opts: { node: Node }): Node[];
}

/**
 * xpath's compiled-expression API (`xpath.parse`, missing from its typings).
 * Loaded untyped on purpose: its typings pull the DOM lib into the whole
 * project, which is not a browser program.
 */
const compileXPath = (createRequire(import.meta.url)('xpath') as { parse(expr: string): XPathExpr }).parse;

/** DataKit reads XML strictly: anything the parser complains about is a failure. */
function parseXml(text: string): Document | null {
  let failed = false;
  const parser = new DOMParser({
    onError: () => {
      failed = true;
    },
  });
  try {
    const doc = parser.parseFromString(text, 'text/xml');
    return failed ? null : doc;
  } catch {
    return null;
  }
}

/** Go xmlquery's InnerText: the text of a node and everything under it. */
function innerText(n: Node): string {
  if (n.nodeType === 9) return (n as Document).documentElement?.textContent ?? '';
  return n.textContent ?? n.nodeValue ?? '';
}

export const xml = defineFunc({
  name: 'xml',
  params: [{ name: 'input' }, { name: 'xpath' }, { name: 'key' }],
  compile(call) {
    const read = call.lookupKey(0); // also checks the key argument's kind
    expectKinds(call, 1, ['StringLiteral'], 'param xpath');
    const exprText = call.stringLiteral(1, 'param xpath');
    expectKinds(call, 2, ['AttrExpr', 'Identifier', 'StringLiteral'], 'param key');
    const target = call.key(2);
    // DataKit only logs a bad XPath at run time, so it is not a compile error here either
    let expr: XPathExpr | null;
    try {
      expr = compileXPath(exprText);
    } catch {
      expr = null;
    }
    return (r) => {
      if (expr === null) return null;
      const v = read(r);
      if (v === undefined) return null;
      const doc = parseXml(conv2String(v));
      if (doc === null) return null;
      let nodes: Node[];
      try {
        nodes = expr.select({ node: doc });
      } catch {
        return null;
      }
      if (nodes.length === 0) return null;
      r.setKey(target, innerText(nodes[0]!));
      return null;
    };
  },
});

export const STRUCTURED_FUNCS: readonly FuncDef[] = [gjson, xml];
