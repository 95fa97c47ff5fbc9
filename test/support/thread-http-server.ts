/**
 * A local HTTP server on 127.0.0.1 running in its own worker thread, for
 * tests of code that blocks the main thread while it waits for a response
 * (http_request): a server on the main thread could never answer.
 *
 * Routes: GET /json → {"a":"1"}; any /echo → the method, headers and body
 * as JSON; /status/<n> → that status; /big → 2 MiB of "x"; /slow → answers
 * after 3 s; /redirect → 302 to /json. Every request is counted (`hits`).
 */
import { Worker } from 'node:worker_threads';

const SOURCE = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url || '/';
    if (url === '/json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"a":"1"}');
    } else if (url.startsWith('/echo')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url, headers: req.headers, body }));
    } else if (url.startsWith('/status/')) {
      res.writeHead(Number(url.slice(8)));
      res.end('status body');
    } else if (url === '/big') {
      res.writeHead(200);
      res.end('x'.repeat(2 * 1024 * 1024));
    } else if (url === '/slow') {
      setTimeout(() => { res.writeHead(200); res.end('late'); }, 3000);
    } else if (url === '/redirect') {
      res.writeHead(302, { location: '/json' });
      res.end();
    } else if (url === '/hits') {
      res.writeHead(200);
      res.end(String(hits));
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => {
  if (m === 'close') server.close(() => parentPort.postMessage('closed'));
});
`;

export interface ThreadHttpServer {
  port: number;
  url(path: string): string;
  close(): Promise<void>;
}

export async function startThreadHttpServer(): Promise<ThreadHttpServer> {
  const worker = new Worker(SOURCE, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (p) => resolve(p as number));
    worker.once('error', reject);
  });
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    async close() {
      await worker.terminate();
    },
  };
}
