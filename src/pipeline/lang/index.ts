/** @module pipeline/lang — the Platypus language: parser, compiler, values, runtime state. */
export type * from './ast.js';
export { type Exec, indexGet } from './compiler.js';
export { PlkScriptError, type PlkScriptErrorCode, RunFault } from './errors.js';
export type { CallSite, Eval, FuncDef, FuncRegistry, ParamSpec } from './func-api.js';
export { intern } from './intern.js';
export { Lexer } from './lexer.js';
export { Parser, parse } from './parse-stmt.js';
export { type LineCol, lineInfo, lineText } from './position.js';
export { DEFAULT_LIMITS, fieldToValue, type RunLimits, RunState, valueToField } from './run-state.js';
export {
  type CompileScriptOptions,
  compileScript,
  finishPoint,
  type RunOptions,
  type RunResult,
  Script,
} from './script.js';
export { T, type TokenType } from './token-type.js';
export * from './values.js';
