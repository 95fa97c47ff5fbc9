/**
 * `plkit queue check DIR` and `plkit queue repair DIR`: report a disk
 * queue's state and damage (WAL, offload spool, ploffload cache), or
 * rewrite its segments without the damaged records. Check exits 1 when
 * damage is found, so scripts can act on it.
 */
import { existsSync } from 'node:fs';
import { inspectQueue, type QueueReport, repairQueue } from '../storage/index.js';
import type { CliIo } from './io.js';

function render(r: QueueReport): string {
  const lines = [
    `queue ${r.dir}: ${r.pendingRecords} record(s) pending, ack floor ${r.ackFloor}, ${r.segments.length} segment(s)`,
  ];
  for (const s of r.segments) {
    const ids = s.firstId === null ? 'empty' : `ids ${s.firstId}..${s.lastId}`;
    lines.push(`  ${s.file}: ${s.bytes} bytes, ${s.records} record(s), ${ids}`);
    for (const d of s.damage) lines.push(`    damaged: offset ${d.offset}, ${d.bytes} bytes: ${d.reason}`);
    if (s.tornTail) lines.push(`    torn tail at offset ${s.tornTail.offset}: ${s.tornTail.reason}`);
  }
  lines.push(r.ok ? 'no damage found' : `${r.damagedRanges} damaged range(s) found`);
  return `${lines.join('\n')}\n`;
}

export function queueCommand(
  action: 'check' | 'repair',
  dir: string,
  opts: { json?: boolean },
  io: CliIo,
): number {
  if (!existsSync(dir)) {
    io.stderr(`plkit queue ${action}: no queue directory ${dir}\n`);
    return 2;
  }
  let report: QueueReport;
  try {
    report = action === 'check' ? inspectQueue(dir) : repairQueue(dir);
  } catch (e) {
    io.stderr(`plkit queue ${action}: ${dir}: ${(e as Error).message}\n`);
    return 2;
  }
  io.stdout(opts.json ? `${JSON.stringify(report)}\n` : render(report));
  if (action === 'repair') {
    const after = inspectQueue(dir);
    io.stdout(
      after.ok ? `repaired: ${after.pendingRecords} record(s) kept\n` : 'repair left damage behind\n',
    );
    return after.ok ? 0 : 1;
  }
  return report.ok ? 0 : 1;
}
