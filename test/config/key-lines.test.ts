import { describe, expect, it } from 'vitest';
import { formatPath, KeyLineIndex, type PathSeg } from '../../src/config/key-lines.js';

const DOC = `# comment = not a key
top = 1
[http_api]
  listen = "x"   # trailing = comment
  public_apis = [
    "a = b",
    'c',
  ]
  note = """
fake = 1
[fake]
"""
[[inputs.logging]]
  logfiles = ["a"]
  [inputs.logging.tags]
    env = "prod"
[[inputs.logging]]
  "quoted.key" = 'v'
  dotted.inner = 2
  lit = '''
[[inputs.logging]]
'''
[ dataway . wal ]
  max_capacity_gb = 2.0
`;

describe('KeyLineIndex', () => {
  const idx = KeyLineIndex.scan(DOC);
  it.each<[PathSeg[], number | null]>([
    [['top'], 2],
    [['http_api'], 3],
    [['http_api', 'listen'], 4],
    [['http_api', 'public_apis'], 5],
    [['http_api', 'public_apis', 1], 5], // element → its key
    [['http_api', 'note'], 9],
    [['fake'], null], // inside a multi-line string
    [['inputs', 'logging'], 13],
    [['inputs', 'logging', 0], 13],
    [['inputs', 'logging', 0, 'logfiles'], 14],
    [['inputs', 'logging', 0, 'tags'], 15],
    [['inputs', 'logging', 0, 'tags', 'env'], 16],
    [['inputs', 'logging', 1], 17],
    [['inputs', 'logging', 1, 'quoted.key'], 18],
    [['inputs', 'logging', 1, 'dotted', 'inner'], 19],
    [['inputs', 'logging', 1, 'lit'], 20],
    [['inputs', 'logging', 2], 13], // the header inside ''' … ''' is text: no element 2, falls back to the array
    [['inputs', 'logging', 1, 'missing'], 17], // falls back to the table
    [['dataway', 'wal', 'max_capacity_gb'], 24],
    [['nowhere', 'at', 'all'], null],
  ])('%j → line %s', (path, line) => {
    expect(idx.lineOf(path)).toBe(line);
  });

  it('formats paths with indexes and quotes', () => {
    expect(formatPath(['inputs', 'logging', 0, 'tags', 'a.b'])).toBe('inputs.logging[0].tags."a.b"');
  });
});
