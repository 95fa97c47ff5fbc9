/**
 * A processor that does nothing: answers 200 to every offload request and
 * counts the points, so the offload benchmark measures the agent alone.
 * Run as a child process; prints `{"url": …}` once listening. `GET /count`
 * answers `{"points", "requests"}`.
 */
import { createServer } from 'node:http';

let points = 0;
let requests = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET') {
    if (req.url === '/count') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ points, requests }));
    } else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"content":{}}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const ct = req.headers['content-type'];
    if (ct?.startsWith('application/protobuf')) {
      // Count the top-level PBPoints.arr entries without decoding them: this
      // process shares the machine with the agent being measured.
      points += countPbEntries(body);
    } else {
      let n = body.length > 0 ? 1 : 0;
      for (let i = 0; i < body.length; i++) if (body[i] === 10) n++;
      points += n;
    }
    requests++;
    res.writeHead(200, { 'Content-Length': 0 }).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

/** Entries of a PBPoints body (field 1, length-delimited), skipping each by its length. */
function countPbEntries(b: Buffer): number {
  let n = 0;
  let i = 0;
  while (i < b.length) {
    if (b[i++] !== 0x0a) throw new Error('not a PBPoints body');
    let len = 0;
    let shift = 0;
    for (;;) {
      const c = b[i++]!;
      len += (c & 0x7f) * 2 ** shift;
      shift += 7;
      if (c < 0x80) break;
    }
    i += len;
    n++;
  }
  return n;
}
