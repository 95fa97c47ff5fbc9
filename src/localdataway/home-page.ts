/**
 * `GET /` of the local DataWay: one small HTML page with the latest points
 * of each category, for a human checking that data arrives. Every stored
 * string came from a sender and is escaped before it reaches the page.
 */
import type { TypedPoint, TypedValue } from '../point/typed-json.js';

export interface HomeSection {
  category: string;
  count: number;
  /** Typed-shape JSON texts, newest first. */
  points: string[];
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A typed value in line-protocol-like notation (`42i`, `"text"`, `[1i,2i]`). */
export function formatValue(v: TypedValue): string {
  if ('i' in v) return `${v.i}i`;
  if ('u' in v) return `${v.u}u`;
  if ('f' in v) return String(v.f);
  if ('b' in v) return String(v.b);
  if ('s' in v) return JSON.stringify(v.s);
  if ('d' in v) return `"${v.d}"b`;
  if ('a' in v) return `[${v.a.map(formatValue).join(',')}]`;
  return 'nil';
}

function formatTime(ns: string): string {
  try {
    const ms = BigInt(ns) / 1_000_000n;
    const d = new Date(Number(ms));
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  } catch {
    // not an integer: show it as stored
  }
  return ns;
}

function renderRow(text: string): string {
  let p: TypedPoint;
  try {
    p = JSON.parse(text) as TypedPoint;
  } catch {
    return `<tr><td colspan="4">${escapeHtml(text)}</td></tr>`;
  }
  const tags = Object.entries(p.tags ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const fields = Object.entries(p.fields ?? {})
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(', ');
  return (
    `<tr><td class="t">${escapeHtml(formatTime(p.time_ns))}</td><td>${escapeHtml(p.name)}</td>` +
    `<td>${escapeHtml(tags)}</td><td>${escapeHtml(fields)}</td></tr>`
  );
}

export function renderHomePage(sections: readonly HomeSection[], info: { dbPath: string }): string {
  const parts: string[] = [
    '<!doctype html><html><head><meta charset="utf-8"><title>plkit local DataWay</title>',
    '<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}',
    'td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top;font-family:monospace;',
    'font-size:12px;word-break:break-all}.t{white-space:nowrap}</style></head><body>',
    '<h1>plkit local DataWay</h1>',
    `<p>Database: <code>${escapeHtml(info.dbPath)}</code></p>`,
  ];
  if (sections.length === 0) parts.push('<p>No points received yet.</p>');
  for (const s of sections) {
    parts.push(
      `<h2>${escapeHtml(s.category)} <small>(${s.count} point${s.count === 1 ? '' : 's'}, latest ${s.points.length} shown)</small></h2>`,
      '<table><tr><th>time</th><th>name</th><th>tags</th><th>fields</th></tr>',
    );
    for (const t of s.points) parts.push(renderRow(t));
    parts.push('</table>');
  }
  parts.push('</body></html>');
  return parts.join('');
}
