/**
 * Reads DataWay's `/v1/datakit/pull` answer (the `remote_pipelines`
 * member) into checked values. Anything of the wrong shape makes the
 * whole answer malformed, so a half-understood answer never changes the
 * scripts. Two things are forgiven, as DataKit forgives them: a script or
 * relation of a category plkit does not know is skipped with a warning
 * (a newer DataWay may know more categories), and a missing member takes
 * its zero value (Go's decoding does the same).
 *
 * Script names become file names under `pipeline_remote/`, so a name that
 * could leave its folder (`/`, `\`, a leading `.`) is malformed.
 */
import { type Category, categoryFromName } from '../../point/category.js';
import type { RelationEntry } from './routing.js';

export interface PulledScript {
  category: Category;
  /** With `.p` (added when DataWay left it out, so names and relations agree). */
  name: string;
  text: string;
  asDefault: boolean;
}

export interface PullAnswer {
  /** 0 = nothing to serve, 1 = delete all, else the version of `scripts`. */
  updateTime: number;
  scripts: PulledScript[];
  /** -1 = keep the relation table; anything else replaces it with `relations`. */
  relationUpdateTime: number;
  relations: RelationEntry[];
  /** Entries skipped (unknown categories). */
  warnings: string[];
}

export type ParsedAnswer = { ok: true; answer: PullAnswer } | { ok: false; error: string };

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Go's `base64.StdEncoding.DecodeString` is strict; so is this. */
export function strictBase64(s: string): Buffer | null {
  return B64.test(s) ? Buffer.from(s, 'base64') : null;
}

export function scriptFileName(name: string): string {
  return name.endsWith('.p') ? name : `${name}.p`;
}

export function isSafeScriptName(name: string): boolean {
  return (
    name.length > 2 &&
    !name.startsWith('.') &&
    !name.includes('/') &&
    !name.includes('\\') &&
    !name.includes('\0') &&
    Buffer.byteLength(name) <= 255
  );
}

class Malformed extends Error {}

function fail(msg: string): never {
  throw new Malformed(msg);
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(`${where}: expected an object`);
  return v as Record<string, unknown>;
}

function int(v: unknown, where: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    fail(`${where}: expected an integer, got ${JSON.stringify(v)}`);
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') fail(`${where}: expected a string`);
  return v;
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`${where}: expected a list`);
  return v;
}

function category(v: unknown, where: string, warnings: string[]): Category | null {
  const s = str(v, where);
  const c = categoryFromName(s.startsWith('/v1/write/') ? s.slice('/v1/write/'.length) : s);
  if (c === undefined) warnings.push(`${where}: unknown category ${JSON.stringify(s)}, skipped`);
  return c ?? null;
}

function name(v: unknown, where: string): string {
  const n = scriptFileName(str(v, where));
  if (!isSafeScriptName(n)) fail(`${where}: ${JSON.stringify(n)} is not a usable script file name`);
  return n;
}

export function parsePullAnswer(body: string): ParsedAnswer {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    return { ok: false, error: `answer is not JSON: ${(e as Error).message}` };
  }
  try {
    const rp = obj(obj(raw, 'answer').remote_pipelines, 'remote_pipelines');
    const warnings: string[] = [];
    const scripts: PulledScript[] = [];
    const pipelines = list(rp.pipelines, 'remote_pipelines.pipelines');
    for (let i = 0; i < pipelines.length; i++) {
      const where = `remote_pipelines.pipelines[${i}]`;
      const p = obj(pipelines[i], where);
      const n = name(p.name, `${where}.name`);
      const bytes = strictBase64(str(p.base64text, `${where}.base64text`));
      if (bytes === null) fail(`${where}.base64text: not standard base64`);
      if (p.asDefault !== undefined && p.asDefault !== null && typeof p.asDefault !== 'boolean') {
        fail(`${where}.asDefault: expected true or false`);
      }
      const c = category(p.category, `${where}.category`, warnings);
      if (c === null) continue;
      scripts.push({ category: c, name: n, text: bytes.toString('utf8'), asDefault: p.asDefault === true });
    }
    const relations: RelationEntry[] = [];
    const rel = list(rp.relation, 'remote_pipelines.relation');
    for (let i = 0; i < rel.length; i++) {
      const where = `remote_pipelines.relation[${i}]`;
      const r = obj(rel[i], where);
      const source = str(r.source, `${where}.source`);
      const n = name(r.name, `${where}.name`);
      const c = category(r.category, `${where}.category`, warnings);
      if (c !== null) relations.push({ category: c, source, name: n });
    }
    return {
      ok: true,
      answer: {
        updateTime: int(rp.update_time, 'remote_pipelines.update_time'),
        scripts,
        relationUpdateTime: int(rp.relation_update_time, 'remote_pipelines.relation_update_time'),
        relations,
        warnings,
      },
    };
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, error: e.message };
    throw e;
  }
}
