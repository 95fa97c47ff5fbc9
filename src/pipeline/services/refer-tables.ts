/**
 * Reference tables in DataKit's JSON format, indexed for
 * `query_refer_table` / `mquery_refer_table`:
 *
 *     [{"table_name": "t", "column_name": ["a", "b"],
 *       "column_type": ["string", "int"], "row_data": [["x", 1], ...]}]
 *
 * Column types are `string`, `int`, `float` and `bool`; cells are converted
 * to their column's type the way DataKit's cast does (numbers from JSON are
 * floats first, so an int column truncates 1.9 to 1; "0x1f" is 31; null is
 * the zero value). A table set is built whole or not at all: one bad table
 * (empty name, column count mismatch, unknown type, a cell that does not
 * convert) fails the set and the previous one stays in use, as in
 * DataKit. A repeated table name keeps the first.
 *
 * Every column is indexed value → ascending row numbers; a query with
 * several columns intersects those lists and answers the first row
 * matching all. Values match by kind and value: the int 1 does not match
 * the float 1.0, as Go's map keys do not.
 */
import { floatToInt64, formatFloatF, parseGoFloat, type Value } from '../lang/values.js';

export type CellValue = string | bigint | number | boolean;
type ColumnType = 'string' | 'int' | 'float' | 'bool';
const COLUMN_TYPES: readonly string[] = ['string', 'int', 'float', 'bool'];

export interface ReferTable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly CellValue[])[];
  /** column name → its cell position (the first column of a repeated name, as DataKit) */
  readonly columnIndex: ReadonlyMap<string, number>;
  /** column → value key → ascending row numbers */
  readonly index: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
}

export class ReferTableError extends Error {
  override name = 'ReferTableError';
}

/** The index key of a value, or null for values no cell can equal (nil, NaN, lists, maps). */
export function valueKey(v: Value): string | null {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'bigint':
      return `i${v}`;
    case 'boolean':
      return v ? 'bt' : 'bf';
    case 'number':
      if (Number.isNaN(v)) return null;
      return `f${v === 0 ? 0 : v}`;
    default:
      return null;
  }
}

function typeName(x: unknown): string {
  if (x === null) return 'nil';
  if (Array.isArray(x)) return 'array';
  return typeof x;
}

function convertCell(x: unknown, type: ColumnType): CellValue {
  switch (type) {
    case 'string':
      if (typeof x === 'string') return x;
      if (x === null) return '';
      if (typeof x === 'number') return formatFloatF(x);
      if (typeof x === 'boolean') return x ? 'true' : 'false';
      break;
    case 'int':
      if (typeof x === 'number') return floatToInt64(x);
      if (typeof x === 'boolean') return x ? 1n : 0n;
      if (x === null) return 0n;
      if (typeof x === 'string') {
        const n = parseGoInt(x);
        if (n !== null) return n;
      }
      break;
    case 'float':
      if (typeof x === 'number') return x;
      if (typeof x === 'boolean') return x ? 1 : 0;
      if (x === null) return 0;
      if (typeof x === 'string') {
        const f = parseGoFloat(x);
        if (f !== null) return f;
      }
      break;
    case 'bool':
      if (typeof x === 'boolean') return x;
      if (x === null) return false;
      if (typeof x === 'number') return x !== 0;
      if (typeof x === 'string') {
        if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(x)) return true;
        if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(x)) return false;
      }
      break;
  }
  throw new ReferTableError(`unable to cast ${JSON.stringify(x)} of type ${typeName(x)} to ${type}`);
}

/** strconv.ParseInt(s, 0, 64) after cast's trimming of a ".0…" tail. */
function parseGoInt(s: string): bigint | null {
  const t = s.replace(/\.0*$/, '');
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*|0)$/.exec(t);
  if (m === null) return null;
  let body = m[2]!.replace(/_/g, '');
  if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
  else if (/^0[oO]$/.test(body)) return null;
  let n: bigint;
  try {
    n = BigInt(body);
  } catch {
    return null;
  }
  if (m[1] === '-') n = -n;
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) return null;
  return n;
}

function buildTable(raw: unknown, at: number): ReferTable {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ReferTableError(`table #${at}: expected an object, got ${typeName(raw)}`);
  const t = raw as Record<string, unknown>;
  const name = t.table_name ?? '';
  if (typeof name !== 'string' || name === '') throw new ReferTableError(`table #${at}: empty table name`);
  const columns = stringArray(t.column_name, name, 'column_name');
  const types = stringArray(t.column_type, name, 'column_type');
  if (columns.length !== types.length)
    throw new ReferTableError(
      `table ${name}: ${columns.length} column names but ${types.length} column types`,
    );
  for (let c = 0; c < columns.length; c++) {
    if (columns[c] === '') throw new ReferTableError(`table ${name}: column ${c} has an empty name`);
    if (!COLUMN_TYPES.includes(types[c]!))
      throw new ReferTableError(`table ${name}: unsupported column type ${columns[c]} -> ${types[c]}`);
  }
  const rawRows = t.row_data ?? [];
  if (!Array.isArray(rawRows)) throw new ReferTableError(`table ${name}: row_data is not an array`);
  const rows: CellValue[][] = [];
  const index = new Map<string, Map<string, number[]>>();
  const colOf = new Map<string, number>();
  for (let c = 0; c < columns.length; c++) {
    if (!colOf.has(columns[c]!)) {
      colOf.set(columns[c]!, c);
      index.set(columns[c]!, new Map());
    }
  }
  for (let r = 0; r < rawRows.length; r++) {
    const rawRow = rawRows[r] as unknown;
    if (!Array.isArray(rawRow) || rawRow.length !== columns.length)
      throw new ReferTableError(`table ${name}: row ${r} does not have ${columns.length} cells`);
    const row: CellValue[] = new Array(columns.length);
    for (let c = 0; c < columns.length; c++) {
      try {
        row[c] = convertCell(rawRow[c], types[c] as ColumnType);
      } catch (e) {
        throw new ReferTableError(`table ${name}, row ${r}, col ${c}: ${(e as Error).message}`);
      }
    }
    rows.push(row);
    // a repeated column name indexes its first column, as DataKit's colIndex keeps the first
    for (const [col, c] of colOf) {
      const m = index.get(col)!;
      const k = valueKey(row[c]!)!;
      const list = m.get(k);
      if (list === undefined) m.set(k, [r]);
      else list.push(r);
    }
  }
  return { name, columns, rows, columnIndex: colOf, index };
}

function stringArray(x: unknown, table: string, key: string): string[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x) || x.some((s) => typeof s !== 'string'))
    throw new ReferTableError(`table ${table}: ${key} must be an array of strings`);
  return x as string[];
}

export class ReferTables {
  readonly #tables: ReadonlyMap<string, ReferTable>;

  private constructor(tables: Map<string, ReferTable>) {
    this.#tables = tables;
  }

  static empty(): ReferTables {
    return new ReferTables(new Map());
  }

  /** Build from parsed JSON; throws ReferTableError naming the table, row and column at fault. */
  static fromData(data: unknown): ReferTables {
    if (!Array.isArray(data)) throw new ReferTableError(`expected an array of tables, got ${typeName(data)}`);
    const tables = new Map<string, ReferTable>();
    for (let i = 0; i < data.length; i++) {
      const t = buildTable(data[i], i);
      if (!tables.has(t.name)) tables.set(t.name, t);
    }
    return new ReferTables(tables);
  }

  static fromJson(text: string): ReferTables {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ReferTableError(`not JSON: ${(e as Error).message}`);
    }
    return ReferTables.fromData(data);
  }

  get tableNames(): string[] {
    return [...this.#tables.keys()];
  }

  table(name: string): ReferTable | undefined {
    return this.#tables.get(name);
  }

  /** Rows per table, for status pages and metrics. */
  stats(): { name: string; rows: number }[] {
    return [...this.#tables.values()].map((t) => ({ name: t.name, rows: t.rows.length }));
  }

  /**
   * The first row of `table` whose `columns` hold `values` (all of them),
   * as column → value; null when the table, a column or a match is missing.
   */
  query(table: string, columns: readonly string[], values: readonly Value[]): Map<string, CellValue> | null {
    const t = this.#tables.get(table);
    if (t === undefined || columns.length !== values.length) return null;
    let best: readonly number[] | null = null;
    const lists: (readonly number[])[] = [];
    for (let i = 0; i < columns.length; i++) {
      const col = t.index.get(columns[i]!);
      const k = valueKey(values[i]!);
      if (col === undefined || k === null) return null;
      const rows = col.get(k);
      if (rows === undefined) return null;
      lists.push(rows);
      if (best === null || rows.length < best.length) best = rows;
    }
    if (best === null) return null;
    const row = firstCommon(best, lists);
    if (row < 0) return null;
    const out = new Map<string, CellValue>();
    const cells = t.rows[row]!;
    for (const [col, c] of t.columnIndex) out.set(col, cells[c]!);
    return out;
  }
}

/** The smallest row number present in every (ascending) list, or -1. */
function firstCommon(shortest: readonly number[], lists: readonly (readonly number[])[]): number {
  for (let i = 0; i < shortest.length; i++) {
    const r = shortest[i]!;
    let all = true;
    for (let j = 0; j < lists.length; j++) {
      const l = lists[j]!;
      if (l !== shortest && !sortedHas(l, r)) {
        all = false;
        break;
      }
    }
    if (all) return r;
  }
  return -1;
}

function sortedHas(list: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
