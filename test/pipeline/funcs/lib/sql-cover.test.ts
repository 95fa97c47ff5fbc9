import { describe, expect, it } from 'vitest';
import { sqlCover } from '../../../../src/pipeline/funcs/lib/sql-cover.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, vectorSuite } from './vectors.js';

function cover(q: string): string {
  const r = sqlCover(q);
  return r instanceof Error ? `ERR: ${r.message}` : r;
}

describe('sqlCover (DataDog legacy obfuscator, empty config)', () => {
  it.each([
    ['select abc from def where x > 3 and y < 5', 'select abc from def where x > ? and y < ?'],
    ["SELECT * FROM users WHERE name = 'test' AND id = 1", 'SELECT * FROM users WHERE name = ? AND id = ?'],
    ['SELECT * FROM users WHERE id IN (1, 2, 3)', 'SELECT * FROM users WHERE id IN ( ? )'],
    [
      "INSERT INTO user (id, username) VALUES ('Fred','Smith'), ('John','Smith'), ('Michael','Smith');",
      'INSERT INTO user ( id, username ) VALUES ( ? )',
    ],
    [
      "UPDATE user_dash_pref SET json_prefs = %(json_prefs)s, modified = '2015-08-27 22:10:32.492912' WHERE user_id = %(user_id)s AND url = %(url)s",
      'UPDATE user_dash_pref SET json_prefs = ? modified = ? WHERE user_id = ? AND url = ?',
    ],
    [
      'SELECT org_id, metric_key FROM metrics_metadata WHERE org_id = %(org_id)s AND metric_key = ANY(array[21, 25, 32])',
      'SELECT org_id, metric_key FROM metrics_metadata WHERE org_id = ? AND metric_key = ANY ( array [ ? ] )',
    ],
    [
      'SELECT articles.* FROM articles WHERE articles.id = 1 LIMIT 1, 20',
      'SELECT articles.* FROM articles WHERE articles.id = ? LIMIT ?',
    ],
    [
      'SELECT * FROM `host` WHERE `id` IN (42, 43) /*comment with parameters,host:localhost,url:controller#home,id:FF005:00CAA*/',
      'SELECT * FROM host WHERE id IN ( ? )',
    ],
    [
      'SELECT `host`.`address` FROM `host` WHERE org_id=42',
      'SELECT host . address FROM host WHERE org_id = ?',
    ],
    [
      'SELECT "host"."address" FROM "host" WHERE org_id=42',
      'SELECT host . address FROM host WHERE org_id = ?',
    ],
    [
      'SELECT [b].[BlogId], [b].[Name] FROM [Blogs] AS [b] ORDER BY [b].[Name]',
      'SELECT [ b ] . [ BlogId ], [ b ] . [ Name ] FROM [ Blogs ] ORDER BY [ b ] . [ Name ]',
    ],
    ['SAVEPOINT "s139956586256192_x1"', 'SAVEPOINT ?'],
    ['SELECT * FROM t WHERE a = $1 AND b = $2', 'SELECT * FROM t WHERE a = ? AND b = ?'],
    ['SELECT * FROM users WHERE firstname=""', 'SELECT * FROM users WHERE firstname = ?'],
    [
      'SELECT count(*) AS count FROM users WHERE active = true AND x IS NULL',
      'SELECT count ( * ) FROM users WHERE active = ? AND x IS ?',
    ],
    [
      'SELECT a FROM t WHERE b IN (SELECT c FROM d WHERE e = 1)',
      'SELECT a FROM t WHERE b IN ( SELECT c FROM d WHERE e = ? )',
    ],
    ['{call foo(?, ?)}', '{ call foo ( ? ) }'],
    ["SELECT {ts '2024-01-01'} FROM t", 'SELECT ? FROM t'],
    ['SELECT a -- trailing\nFROM t # mysql comment\nWHERE b = 0x1F', 'SELECT a FROM t WHERE b = ?'],
    ['SELECT a::text, b FROM t WHERE c := 1', 'SELECT a :: text, b FROM t WHERE c := ?'],
    [
      'SELECT * FROM t WHERE a >= 1.5e3 AND b <> -2 AND c != .5',
      'SELECT * FROM t WHERE a >= ? AND b <> ? AND c != ?',
    ],
    ["SELECT 'it''s' FROM t", 'SELECT ? FROM t'],
    ['SELECT $$body$$, $tag$x$y$tag$ FROM t', 'SELECT ? FROM t'],
    [
      'SELECT id FROM t WHERE name = :name AND ids IN (:ids)',
      'SELECT id FROM t WHERE name = :name AND ids IN ( :ids )',
    ],
    ['SELECT v$session.sid FROM v$session', 'SELECT v$session.sid FROM v$session'],
    ['SELECT Descripció AS d FROM t', 'SELECT Descripció FROM t'],
  ])('%s', (q, want) => {
    expect(cover(q)).toBe(want);
  });

  it('retries with literal backslashes when escapes break the scan', () => {
    // the backslash escapes the closing quote first, so the string never ends;
    // read literally it is a complete string
    expect(cover("SELECT * FROM t WHERE path = 'C:\\' AND a = 1")).toBe(
      'SELECT * FROM t WHERE path = ? AND a = ?',
    );
  });

  it.each([
    ['', 'result is empty'],
    ['-- only a comment', 'result is empty'],
    ["SELECT 'unterminated", 'unexpected EOF in string'],
    ['SELECT /* open comment', 'unexpected EOF in comment'],
    ['SELECT $tag$ no end', 'unexpected EOF in dollar-quoted string'],
    ['SELECT } FROM t', 'unexpected byte 125'],
    ['SELECT a FROM t WHERE x = !%', 'after "!"'],
    ['SELECT :+ FROM t', 'bind variables should start with letters or digits'],
    ['SELECT [a FROM t AS [1]', 'expected identifier in bracketed filter'],
  ])('reports an error for %j', (q, msg) => {
    const r = sqlCover(q);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toContain(msg);
  });
});

describe.skipIf(SHARED_DIR === null)(vectorSuite('sql_cover'), () => {
  const cases = casesFor('sql_cover');
  const applicable = cases.filter((c) => /sql_cover\(\s*(\w+)\s*\)/.test(c.pl));

  it('covers every vector whose argument is a field', () => {
    // the one left out passes a string literal, which DataKit ignores (engine behaviour)
    expect(cases.length).toBe(12);
    expect(applicable.length).toBe(11);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const key = /sql_cover\(\s*(\w+)\s*\)/.exec(c.pl)![1]!;
    const input = key === '_' ? c.in : (JSON.parse(c.in) as Record<string, string>)[key]!;
    const want = outFields(c)![key === '_' ? 'message' : key]!.s;
    const got = sqlCover(input);
    expect(got instanceof Error ? input : got).toBe(want);
  });
});
