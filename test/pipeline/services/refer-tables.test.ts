/**
 * Reference tables in DataKit's JSON format: cell conversion per column
 * type, the checks that fail a whole set, and indexed queries (DataKit's
 * TestQueryReferTable table and expectations).
 */
import { describe, expect, it } from 'vitest';
import { ReferTableError, ReferTables } from '../../../src/pipeline/services/refer-tables.js';
import { DATAKIT_TABLES } from '../../support/refer-table-fixture.js';

const t = ReferTables.fromData(DATAKIT_TABLES);
const row = (m: Map<string, unknown> | null) => (m === null ? null : Object.fromEntries(m));

describe('ReferTables.query', () => {
  it.each([
    ['f1 = 123 (int)', ['f1'], [123n], { key1: 'a', key2: 123, f1: 123n, f2: false }],
    ['key1 = "a"', ['key1'], ['a'], { key1: 'a', key2: 123, f1: 123n, f2: false }],
    ['key2 = 123.0 (float)', ['key2'], [123], { key1: 'a', key2: 123, f1: 123n, f2: false }],
    ['f2 = false', ['f2'], [false], { key1: 'a', key2: 123, f1: 123n, f2: false }],
    [
      'key1 = "ab", f2 = false',
      ['key1', 'f2'],
      ['ab', false],
      { key1: 'ab', key2: 1234, f1: 123n, f2: false },
    ],
    ['key1 = "ab", f2 = true', ['key1', 'f2'], ['ab', true], { key1: 'ab', key2: 1234, f1: 123n, f2: true }],
  ])('%s', (_n, cols, vals, want) => {
    expect(row(t.query('table1', cols, vals))).toEqual(want);
  });

  it.each([
    ['an int against a float column', 'table1', ['key2'], [123n]],
    ['a float against an int column', 'table1', ['f1'], [123]],
    ['a string against an int column', 'table1', ['f1'], ['123']],
    ['no such value', 'table1', ['key1'], ['zz']],
    ['no such column', 'table1', ['nope'], ['a']],
    ['no such table', 'nope', ['key1'], ['a']],
    ['no common row', 'table1', ['key1', 'f2'], ['a', true]],
    ['nil', 'table1', ['key1'], [null]],
    ['a list', 'table1', ['key1'], [['a']]],
    ['more columns than values', 'table1', ['key1', 'f2'], ['a']],
  ] as const)('finds nothing for %s', (_n, table, cols, vals) => {
    expect(t.query(table, cols, vals as never)).toBeNull();
  });

  it('keeps the first of two tables with one name, and reports sizes', () => {
    const two = ReferTables.fromData([
      { table_name: 'x', column_name: ['a'], column_type: ['int'], row_data: [[1]] },
      { table_name: 'x', column_name: ['a'], column_type: ['int'], row_data: [[2], [3]] },
    ]);
    expect(two.stats()).toEqual([{ name: 'x', rows: 1 }]);
    expect(t.tableNames).toEqual(['table1', 'table2']);
  });
});

describe('cell conversion', () => {
  const one = (type: string, cell: unknown) =>
    ReferTables.fromData([
      { table_name: 't', column_name: ['c'], column_type: [type], row_data: [[cell]] },
    ]).table('t')!.rows[0]![0];

  it.each([
    ['int', 1.9, 1n],
    ['int', -1.9, -1n],
    ['int', '0x1f', 31n],
    ['int', '017', 15n],
    ['int', '12.0', 12n],
    ['int', true, 1n],
    ['int', null, 0n],
    ['float', '1.5', 1.5],
    ['float', 2, 2],
    ['float', false, 0],
    ['bool', 'T', true],
    ['bool', '0', false],
    ['bool', 3, true],
    ['bool', null, false],
    ['string', 1.5, '1.5'],
    ['string', 1e21, '1000000000000000000000'],
    ['string', true, 'true'],
    ['string', null, ''],
  ])('%s column holds %j as %s', (type, cell, want) => {
    expect(one(type, cell)).toEqual(want);
  });

  it.each([
    ['int', 'abc'],
    ['int', '1.5'],
    ['int', [1]],
    ['float', 'x'],
    ['bool', 'yes'],
    ['string', { a: 1 }],
  ])('%s column refuses %j', (type, cell) => {
    expect(() => one(type, cell)).toThrow(/row 0, col 0: unable to cast/);
  });
});

describe('table checks fail the whole set', () => {
  it.each([
    ['not an array', { a: 1 }, /expected an array of tables/],
    ['a table that is not an object', [1], /table #0: expected an object/],
    ['an empty name', [{ table_name: '', column_name: [], column_type: [] }], /empty table name/],
    [
      'names and types of different lengths',
      [{ table_name: 't', column_name: ['a'], column_type: [] }],
      /1 column names but 0/,
    ],
    [
      'an empty column name',
      [{ table_name: 't', column_name: [''], column_type: ['int'] }],
      /column 0 has an empty name/,
    ],
    [
      'an unknown type',
      [{ table_name: 't', column_name: ['a'], column_type: ['INT'] }],
      /unsupported column type a -> INT/,
    ],
    [
      'a short row',
      [{ table_name: 't', column_name: ['a', 'b'], column_type: ['int', 'int'], row_data: [[1]] }],
      /row 0 does not have 2 cells/,
    ],
    [
      'column names that are not strings',
      [{ table_name: 't', column_name: [1], column_type: ['int'] }],
      /array of strings/,
    ],
  ])('%s', (_n, data, re) => {
    expect(() => ReferTables.fromData(data)).toThrow(ReferTableError);
    expect(() => ReferTables.fromData(data)).toThrow(re);
  });

  it('refuses text that is not JSON', () => {
    expect(() => ReferTables.fromJson('[{')).toThrow(/not JSON/);
  });
});
