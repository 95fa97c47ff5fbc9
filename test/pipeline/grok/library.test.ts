import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CompiledGrok,
  DEFAULT_PATTERNS_TEXT,
  defaultGrokLibrary,
  GrokError,
  GrokLibrary,
  parsePatternText,
  readPatternDir,
} from '../../../src/pipeline/grok/index.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../support/shared.js';

describe('default library', () => {
  const lib = defaultGrokLibrary();
  const names = parsePatternText(DEFAULT_PATTERNS_TEXT).map(([n]) => n);

  it('loads every pattern without errors', () => {
    expect(lib.loadErrors).toEqual([]);
    expect(names.length).toBeGreaterThan(70);
    expect(lib.ownNames().sort()).toEqual([...names].sort());
  });

  it.each(names)('%s compiles, bare and captured', (name) => {
    const bare = lib.compile(`%{${name}}`);
    const named = lib.compile(`%{${name}:value}`);
    expect(bare).toBeInstanceOf(CompiledGrok);
    expect(named).toBeInstanceOf(CompiledGrok);
    expect((named as CompiledGrok).keys[0]).toBe('value');
  });

  it('is shared and read-only', () => {
    expect(defaultGrokLibrary()).toBe(lib);
    const err = lib.addPattern('X', 'x');
    expect(err?.code).toBe('read_only');
    expect(lib.has('X')).toBe(false);
  });
});

describe.skipIf(SHARED_DIR === null)('generated default-patterns.ts', () => {
  it('is identical to shared/data/grok-default-patterns.txt (run scripts/gen-grok-patterns.mjs)', () => {
    if (SHARED_DIR === null) throw new Error(SHARED_MISSING_REASON);
    expect(DEFAULT_PATTERNS_TEXT).toBe(readFileSync(sharedPath('data', 'grok-default-patterns.txt'), 'utf8'));
  });
});

describe('scopes', () => {
  it('a child shadows its parent without changing it', () => {
    const script = defaultGrokLibrary().child();
    expect(script.addPattern('INT', '\\d')).toBeNull();
    expect(script.lookup('INT')?.re2).toBe('\\d');
    expect(defaultGrokLibrary().lookup('INT')?.re2).toBe('(?:[+-]?(?:[0-9]+))');
    expect(script.ownNames()).toEqual(['INT']);
    expect(script.lookup('WORD')).toBe(defaultGrokLibrary().lookup('WORD'));
  });

  it('expands references when a pattern is defined (later redefinitions do not leak in)', () => {
    const lib = defaultGrokLibrary().child();
    lib.addPattern('a', 'x');
    lib.addPattern('b', '%{a}+');
    lib.addPattern('a', 'y');
    expect(lib.lookup('b')?.re2).toBe('(x)+');
    // a name may be redefined in terms of its previous definition
    lib.addPattern('a', '%{a}z');
    expect(lib.lookup('a')?.re2).toBe('(y)z');
  });

  it('sees patterns added to a parent after the child was made', () => {
    const parent = defaultGrokLibrary().child();
    const child = parent.child();
    expect(child.compile('%{late}')).toBeInstanceOf(GrokError);
    parent.addPattern('late', 'ok');
    expect(child.compile('%{late}')).toBeInstanceOf(CompiledGrok);
  });

  it('carries capture types through references', () => {
    const lib = defaultGrokLibrary().child();
    lib.addPattern('t', '%{NUMBER:t:float} %{INT:n}');
    expect([...lib.lookup('t')!.types]).toEqual([['t', 'float']]);
    const g = lib.compile('%{t} %{WORD:n:int}') as CompiledGrok;
    expect(g.types).toEqual(['float', 'int']);
    // an explicit type on the outer reference wins over the inner one
    const g2 = lib.compile('%{t:t:int}') as CompiledGrok;
    expect(g2.types[0]).toBe('int');
  });
});

describe('errors', () => {
  const lib = defaultGrokLibrary();

  it.each([
    ['%{NOPE}', 'unknown_pattern', 'no pattern found for %{NOPE}'],
    ['%{INT:x} %{NOPE:y}', 'unknown_pattern', 'no pattern found for %{NOPE}'],
    ['%{-INT}', 'invalid_reference', 'invalid pattern `%{-INT}`'],
    ['%{INT:x:integer}', 'invalid_reference', 'invalid pattern `%{INT:x:integer}`'],
    ['%{INT:x}(', 'regex_syntax', 'error parsing regexp: missing closing ): `(?P<x>(?:[+-]?(?:[0-9]+)))(`'],
    ['(?=x)%{INT}', 'regex_unsupported', 'error parsing regexp: lookahead `(?=` is not supported by RE2'],
  ])('compile(%j) -> %s', (pattern, code, message) => {
    const g = lib.compile(pattern);
    expect(g).toBeInstanceOf(GrokError);
    expect((g as GrokError).code).toBe(code);
    expect((g as GrokError).message).toBe(message);
    expect((g as GrokError).pattern).toBe(pattern);
  });

  it('names the unknown pattern and where it is', () => {
    const g = lib.compile('ab %{NOPE}') as GrokError;
    expect(g.patternName).toBe('NOPE');
    expect(g.offset).toBe(3);
  });

  it('addPattern reports unknown references and defines nothing', () => {
    const s = lib.child();
    const err = s.addPattern('p', '%{MISSING}x');
    expect(err?.code).toBe('unknown_pattern');
    expect(err?.message).toBe('add pattern p: no pattern found for %{MISSING}');
    expect(err?.patternName).toBe('p');
    expect(s.has('p')).toBe(false);
  });

  it('addPattern does not check the regex itself (DataKit checks it when a grok uses it)', () => {
    const s = lib.child();
    expect(s.addPattern('half', 'a)')).toBeNull();
    expect(s.compile('(%{half}')).toBeInstanceOf(CompiledGrok);
    expect(s.compile('%{half}')).toBeInstanceOf(GrokError);
  });
});

describe('pattern batches (pattern/ files)', () => {
  it('resolves references in any order and on top of the parent', () => {
    const lib = defaultGrokLibrary().extend([
      ['OUTER', '%{INNER:i} %{INT:n}'],
      ['INNER', '%{WORD}-x'],
    ]);
    expect(lib.loadErrors).toEqual([]);
    const g = lib.compile('%{OUTER}') as CompiledGrok;
    expect(g.match('ab-x 5')?.map((c) => c.value)).toEqual(['ab-x', '5']);
  });

  it('reports cycles with the chain and keeps the good patterns', () => {
    const lib = GrokLibrary.fromEntries([
      ['A', '%{B}a'],
      ['B', '%{C}b'],
      ['C', '%{A}c'],
      ['SELF', '%{SELF}'],
      ['OK', 'fine'],
    ]);
    expect(lib.has('OK')).toBe(true);
    expect(lib.has('A') || lib.has('B') || lib.has('C') || lib.has('SELF')).toBe(false);
    const byName = new Map(lib.loadErrors.map((e) => [e.patternName, e]));
    expect(byName.get('A')?.code).toBe('cycle');
    expect(byName.get('A')?.message).toBe('pattern A: circular pattern reference: A -> B -> C -> A');
    expect(byName.get('A')?.chain).toEqual(['A', 'B', 'C', 'A']);
    expect(byName.get('SELF')?.message).toBe('pattern SELF: circular pattern reference: SELF -> SELF');
    expect(lib.loadErrors).toHaveLength(4);
  });

  it('fails the users of a broken pattern with its cause', () => {
    const lib = GrokLibrary.fromEntries([
      ['USES', 'x%{BROKEN}'],
      ['BROKEN', '%{NOWHERE}'],
    ]);
    const byName = new Map(lib.loadErrors.map((e) => [e.patternName, e.message]));
    expect(byName.get('BROKEN')).toBe('pattern BROKEN: no pattern found for %{NOWHERE}');
    expect(byName.get('USES')).toBe('pattern USES: no pattern found for %{NOWHERE}');
  });

  it('a batch pattern cannot refer to a parent pattern of the same name', () => {
    const lib = defaultGrokLibrary().extend([['INT', '%{INT}x']]);
    expect(lib.loadErrors[0]?.code).toBe('cycle');
  });
});

describe('compile cache', () => {
  it('returns the same compiled grok until something in the chain changes', () => {
    const parent = defaultGrokLibrary().child();
    const lib = parent.child();
    const a = lib.compile('%{WORD:w}');
    expect(lib.compile('%{WORD:w}')).toBe(a);
    parent.addPattern('unrelated', 'x');
    const b = lib.compile('%{WORD:w}');
    expect(b).not.toBe(a);
    expect(b).toBeInstanceOf(CompiledGrok);
    expect((b as CompiledGrok).regex).toBe((a as CompiledGrok).regex);
  });
});

describe('parsePatternText', () => {
  it.each<[string, [string, string][]]>([
    [
      'A x\nB y z\n',
      [
        ['A', 'x'],
        ['B', 'y z'],
      ],
    ],
    ['# c\n\nA  two spaces\r\nNOSPACE\n', [['A', ' two spaces']]],
    [
      'A 1\nB 2\nA 3',
      [
        ['B', '2'],
        ['A', '3'],
      ],
    ],
    ['A \n', [['A', '']]],
    ['', []],
  ])('%j', (text, want) => {
    expect(parsePatternText(text)).toEqual(want);
  });
});

describe('readPatternDir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plkit-grok-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads files in name order, later ones overriding, and skips folders', async () => {
    writeFileSync(join(dir, 'b.txt'), 'X from-b\nY y\n');
    writeFileSync(join(dir, 'a.txt'), 'X from-a\n# comment\n');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'c.txt'), 'Z z\n');
    expect(await readPatternDir(dir)).toEqual([
      ['X', 'from-b'],
      ['Y', 'y'],
    ]);
  });

  it('yields nothing for a missing folder', async () => {
    expect(await readPatternDir(join(dir, 'missing'))).toEqual([]);
  });
});
