/**
 * Collects load problems as values (never throws) so one run reports every
 * error at once, and renders each as one line an operator can act on:
 * `conf.d/log.conf:7: inputs.logging[0].logfiles: expected …`.
 */
import type { ConfigIssue } from './types.js';

export interface IssueWhere {
  file?: string | null;
  line?: number | null;
  column?: number | null;
  env?: string | null;
  key?: string | null;
}

export class IssueSink {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];

  error(where: IssueWhere, message: string): void {
    this.errors.push(makeIssue('error', where, message));
  }

  warn(where: IssueWhere, message: string): void {
    this.warnings.push(makeIssue('warning', where, message));
  }
}

/**
 * Groups issues by file (files in the order they were first reported: the
 * main conf, then the input files, then environment and cross-key issues)
 * and orders each file's issues by line, keeping discovery order otherwise.
 */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const rank = new Map<string | null, number>();
  for (const i of issues) if (!rank.has(i.file)) rank.set(i.file, rank.size);
  const keyed = issues.map((issue, n) => ({ issue, n }));
  keyed.sort((a, b) => {
    const fa = rank.get(a.issue.file)!;
    const fb = rank.get(b.issue.file)!;
    if (fa !== fb) return fa - fb;
    const la = a.issue.line ?? Number.MAX_SAFE_INTEGER;
    const lb = b.issue.line ?? Number.MAX_SAFE_INTEGER;
    return la !== lb ? la - lb : a.n - b.n;
  });
  return keyed.map((k) => k.issue);
}

function makeIssue(severity: ConfigIssue['severity'], w: IssueWhere, message: string): ConfigIssue {
  return {
    severity,
    file: w.file ?? null,
    line: w.line ?? null,
    column: w.column ?? null,
    env: w.env ?? null,
    key: w.key ?? null,
    message,
  };
}

/** `file:line[:col]: key: message`, or `$ENV_X (key): message` for environment values. */
export function formatIssue(issue: ConfigIssue): string {
  const parts: string[] = [];
  if (issue.env !== null) {
    parts.push(issue.key !== null ? `$${issue.env} (${issue.key})` : `$${issue.env}`);
  } else {
    if (issue.file !== null) {
      let loc = issue.file;
      if (issue.line !== null) loc += `:${issue.line}`;
      if (issue.line !== null && issue.column !== null) loc += `:${issue.column}`;
      parts.push(loc);
    }
    if (issue.key !== null) parts.push(issue.key);
  }
  parts.push(issue.message);
  return parts.join(': ');
}

/** A short rendering of a TOML value for "got …" in messages. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    let s: string;
    try {
      s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
    } catch {
      s = '[…]';
    }
    return s.length > 80 ? `an array of ${v.length} values` : s;
  }
  if (v instanceof Date) return `the date ${v.toISOString()}`;
  if (v !== null && typeof v === 'object') {
    const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
    if (ctor === 'TomlDate') return `the date ${String(v)}`;
    return 'a table';
  }
  return String(v);
}
