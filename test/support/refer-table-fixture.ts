/**
 * The reference tables of DataKit's TestQueryReferTable (table data are
 * facts of its test, used here to check plkit gives DataKit's answers).
 */
export const DATAKIT_TABLES = [
  {
    table_name: 'table1',
    column_name: ['key1', 'key2', 'f1', 'f2'],
    column_type: ['string', 'float', 'int', 'bool'],
    row_data: [
      ['a', 123, '123', 'false'],
      ['ab', '1234', '123', 'true'],
      ['ab', '1234', '123', 'false'],
    ],
  },
  {
    table_name: 'table2',
    primary_key: ['key1', 'key2'],
    column_name: ['key1', 'key2', 'f1', 'f2'],
    column_type: ['string', 'float', 'int', 'bool'],
    row_data: [
      ['a', 123, '123', 'true'],
      ['a', '1234', '123', 'true'],
    ],
  },
];
