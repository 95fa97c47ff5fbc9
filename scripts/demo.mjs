#!/usr/bin/env node
// The README's third command: runs `plkit run` on the embedded local
// DataWay in a throw-away install directory, sends one nginx access-log
// line to /v1/write/logging?source=nginx, prints the point the pipeline
// made as stored in the local DataWay, and stops. Needs `npm run build`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error('demo: build first (npm run build)');
  process.exit(1);
}

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const work = mkdtempSync(join(tmpdir(), 'plkit-demo-'));
mkdirSync(join(work, 'conf.d'));
mkdirSync(join(work, 'pipeline'));
writeFileSync(join(work, 'conf.d', 'datakit.conf'), `[http_api]\n  listen = "127.0.0.1:${port}"\n`);
writeFileSync(
  join(work, 'pipeline', 'nginx.p'),
  [
    'grok(_, "%{IPORHOST:client_ip} %{NOTSPACE:http_ident} %{NOTSPACE:http_auth} \\\\[%{HTTPDATE:time}\\\\] \\"%{DATA:http_method} %{GREEDYDATA:http_url} HTTP/%{NUMBER:http_version}\\" %{INT:status_code} %{INT:bytes}")',
    'cast(status_code, "int")',
    'cast(bytes, "int")',
    'group_between(status_code, [200, 299], "OK", status)',
    'default_time(time)',
    '',
  ].join('\n'),
);

console.log(`$ plkit run --workdir ${work}`);
const agent = spawn(process.execPath, [main, 'run', '--workdir', work], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, PLKIT_LOG_LEVEL: 'warn' },
});
let out = '';
agent.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
});
const deadline = Date.now() + 20_000;
while (!/embedded local DataWay (http:\/\/[\d.:]+)/.test(out)) {
  if (Date.now() > deadline || agent.exitCode !== null) {
    console.error('demo: plkit run did not start');
    agent.kill('SIGKILL');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 50));
}
const dataway = /embedded local DataWay (http:\/\/[\d.:]+)/.exec(out)[1];
const line =
  '203.0.113.42 - frank [10/Oct/2023:13:55:36 -0700] "GET /api/v2/orders?id=8812 HTTP/1.1" 200 2326';
const body = `nginx message=${JSON.stringify(line)}`;
console.log(
  `$ curl -X POST 'http://127.0.0.1:${port}/v1/write/logging?source=nginx' --data-binary '${body}'`,
);
const res = await fetch(`http://127.0.0.1:${port}/v1/write/logging?source=nginx`, { method: 'POST', body });
console.log(`HTTP ${res.status}`);
let rows = [];
for (let i = 0; i < 100 && rows.length === 0; i++) {
  rows = await (await fetch(`${dataway}/v1/query?category=logging&name=nginx`)).json();
  if (rows.length === 0) await new Promise((r) => setTimeout(r, 50));
}
console.log(`$ curl '${dataway}/v1/query?category=logging&name=nginx'`);
console.log(JSON.stringify(rows, null, 2));
agent.kill('SIGTERM');
await new Promise((r) => agent.once('exit', r));
rmSync(work, { recursive: true, force: true });
const ok = res.status === 200 && rows.length === 1 && rows[0].fields.status_code?.i === '200';
console.log(
  ok ? 'demo: ok — the point was parsed by pipeline/nginx.p and stored in the local DataWay' : 'demo: FAILED',
);
process.exit(ok ? 0 : 1);
