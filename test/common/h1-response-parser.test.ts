import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type H1ParseError, H1ResponseParser } from '../../src/common/h1-response-parser.js';

/** Feed `text` in pieces cut at `cuts`; returns the parser and whether it completed (before end()). */
function feed(text: string | Buffer, cuts: number[] = [], max = 1 << 20, noBody = false) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const p = new H1ResponseParser(max, noBody);
  let done = false;
  let from = 0;
  for (const c of [...at, bytes.length]) {
    if (c < from) continue;
    const piece = bytes.subarray(from, c);
    from = c;
    if (piece.length === 0) continue;
    if (done) throw new Error('pushed after done');
    done = p.push(piece);
  }
  return { p, done };
}

const cl =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nX-Dup: a\r\nX-Dup: b\r\n\r\nhello world';
const chunked =
  'HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';
const continued =
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 413 Too Large\r\nContent-Length: 3\r\n\r\nbig';

describe('H1ResponseParser', () => {
  it('reads a Content-Length answer, headers lower-cased, duplicates as a list', () => {
    const { p, done } = feed(cl);
    expect(done).toBe(true);
    expect(p.status).toBe(200);
    expect(p.headers['content-type']).toBe('text/plain');
    expect(p.headers['x-dup']).toEqual(['a', 'b']);
    expect(p.body.toString()).toBe('hello world');
    expect(p.keepAlive).toBe(true);
  });

  it('gives the same answer however the bytes are cut (Content-Length, chunked, 1xx first)', () => {
    for (const [text, status, body] of [
      [cl, 200, 'hello world'],
      [chunked, 202, 'hello world'],
      [continued, 413, 'big'],
    ] as const) {
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
          const { p, done } = feed(text, cuts);
          expect(done).toBe(true);
          expect(p.status).toBe(status);
          expect(p.body.toString()).toBe(body);
        }),
        { numRuns: 300 },
      );
    }
    // Every single cut position too.
    for (const text of [cl, chunked, continued]) {
      for (let i = 0; i <= text.length; i++) expect(feed(text, [i]).p.body.toString()).not.toBe('');
    }
  });

  it('accepts bare LF line ends', () => {
    const { p, done } = feed('HTTP/1.1 200 OK\nContent-Length: 2\n\nok');
    expect(done).toBe(true);
    expect(p.body.toString()).toBe('ok');
  });

  it('has no body for 204, 304 and answers to HEAD', () => {
    expect(feed('HTTP/1.1 204 No Content\r\n\r\n').done).toBe(true);
    expect(feed('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n').done).toBe(true);
    const head = feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', [], 1 << 20, true);
    expect(head.done).toBe(true);
    expect(head.p.body.length).toBe(0);
  });

  it('reads a body without length until the connection ends, and does not keep that connection', () => {
    const { p, done } = feed('HTTP/1.0 200 OK\r\n\r\nuntil the end', [5, 30]);
    expect(done).toBe(false);
    expect(p.end()).toBe(true);
    expect(p.body.toString()).toBe('until the end');
    expect(p.keepAlive).toBe(false);
  });

  it('keeps a connection only when the version and Connection header allow it', () => {
    expect(feed('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').p.keepAlive).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').p.keepAlive).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n').p.keepAlive).toBe(
      true,
    );
    expect(feed('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').p.keepAlive).toBe(true);
  });

  it('an unfinished answer is not complete when the connection ends', () => {
    const { p } = feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(p.end()).toBe(false);
    expect(p.seen).toBe(true);
    expect(new H1ResponseParser(100).seen).toBe(false);
  });

  it.each([
    ['garbage status line', 'HTTP/2 200 OK\r\n\r\n', /malformed status line/],
    ['no status code', 'HTTP/1.1 OK\r\n\r\n', /malformed status line/],
    ['header without colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', /malformed header line/],
    ['folded header', 'HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n', /malformed header line/],
    ['bad header name', 'HTTP/1.1 200 OK\r\nA b: c\r\n\r\n', /malformed header name/],
    ['bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n', /invalid Content-Length/],
    [
      'conflicting Content-Length',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      /invalid Content-Length/,
    ],
    ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /malformed chunk size/],
    [
      'chunk longer than its size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n',
      /chunk data longer/,
    ],
    ['bytes after the end', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab', /bytes after the end/],
    ['upgrade', 'HTTP/1.1 101 Switching Protocols\r\n\r\n', /101/],
  ])('refuses %s', (_name, text, re) => {
    expect(() => feed(text)).toThrow(re);
  });

  it('stops a body or head past the limits, marking a too-large body', () => {
    const big = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as H1ParseError;
      }
      throw new Error('no error');
    };
    const e1 = big(() => feed('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', [], 100));
    expect(e1.tooLarge).toBe(true);
    const e2 = big(() =>
      feed(
        `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n${'x'.repeat(64)}\r\n40\r\n${'x'.repeat(64)}`,
        [],
        100,
      ),
    );
    expect(e2.message).toMatch(/larger than 100 bytes/);
    const e3 = big(() => feed('HTTP/1.0 200 OK\r\n\r\n'.padEnd(300, 'y'), [], 100));
    expect(e3.tooLarge).toBe(true);
    const e4 = big(() => feed(`HTTP/1.1 200 OK\r\nX: ${'h'.repeat(70_000)}`, [1000, 30_000]));
    expect(e4.message).toMatch(/response head larger/);
    expect(e4.tooLarge).toBe(false);
  });
});
