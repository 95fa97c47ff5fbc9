/**
 * Shared plumbing of the two JSON encodings (plain JSON and PBJSON): body
 * bytes to text, syntax errors to `DecodeError`s with a precise position,
 * shape errors, and JSON string writing.
 */
import type { DecodeError } from './errors.js';
import { asBuffer, utf8Slice } from './fast-buffer.js';
import { type JsonSyntaxError, jsonErrorPosition } from './json-exact.js';

export const INVALID_JSON = 'datakit.invalidJsonPoint';

/** The body as text: UTF-8 (bad bytes become U+FFFD, as Go's decoder does), BOM dropped. */
export function bodyText(body: Uint8Array | string): string {
  const text = typeof body === 'string' ? body : utf8Slice(asBuffer(body), 0, body.length);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function syntaxError(text: string, e: JsonSyntaxError): DecodeError {
  const at = jsonErrorPosition(text, e.index);
  return {
    code: INVALID_JSON,
    message: `invalid JSON at line ${at.line}, column ${at.column} (byte ${at.offset}): ${e.message}`,
    line: at.line,
    offset: at.offset,
  };
}

/** A value of the wrong type somewhere in a point; `path` says where. */
export class ShapeError extends Error {
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ShapeError';
  }
}

export function shapeError(e: ShapeError): DecodeError {
  return { code: INVALID_JSON, message: e.message };
}

/** A short description of a parsed JSON value's type, for messages. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return 'a string';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'an object';
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON text of a string (JSON.stringify is the fastest escaper available). */
export const quote: (s: string) => string = JSON.stringify;
