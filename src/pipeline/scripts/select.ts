/**
 * Script selection for one point, exactly as DataKit picks it (see
 * pipeline-go's script-name rule and DataKit's RunPl):
 *
 * 1. the feature string of the point: the point name, except `service`
 *    for tracing/profiling, `category` for security and
 *    `<app_id>_<name>` for rum; an empty feature string means no script;
 * 2. the input's own choice (`pipeline = …` of the logging input, the
 *    HTTP `source`), which applies to points whose feature string is the
 *    input's source; `-` means "no script", `''` means "no choice";
 * 3. else the pulled relation table (`source → script`);
 * 4. else the category default (pulled `asDefault`, then
 *    `[pipeline.default_pipeline]`);
 * 5. else `<feature>.p`.
 *
 * The rule yields one name. If that script does not exist, no script
 * runs: DataKit does not fall through to a lower rule.
 */
import type { Category } from '../../point/category.js';
import type { Point } from '../../point/point.js';
import type { Routing } from './routing.js';
import type { ScriptIndex, ScriptRecord } from './script-index.js';

/** What the input said about scripts for a batch. */
export interface InputScript {
  /** Script the input named: `pipeline = …`, or `<source>.p` for the HTTP API. */
  scriptName?: string;
  /**
   * The feature string the input's choice is for (the input's `source`).
   * Absent: the choice applies to every point of the batch.
   */
  source?: string;
}

export type SelectionRule = 'input' | 'relation' | 'default' | 'feature';

export interface ScriptChoice {
  name: string;
  rule: SelectionRule;
}

export interface Selection extends ScriptChoice {
  /** The script to run; `record.ns` is the namespace it came from. */
  record: ScriptRecord;
}

function stringOf(pt: Point, key: string): string {
  const v = pt.get(key);
  return typeof v === 'string' ? v : '';
}

/** DataKit's data feature string for a point of `category` ('' = none). */
export function featureString(category: Category, pt: Point): string {
  switch (category) {
    case 'tracing':
    case 'profiling':
      return stringOf(pt, 'service');
    case 'security':
      return stringOf(pt, 'category');
    case 'rum': {
      const app = pt.get('app_id');
      return typeof app === 'string' ? `${app}_${pt.name}` : '';
    }
    default:
      return pt.name;
  }
}

/** The script name the rules give for `pt`, or null for "no script". */
export function chooseScriptName(
  category: Category,
  pt: Point,
  input: InputScript | undefined,
  routing: Routing,
): ScriptChoice | null {
  return chooseScriptByFeature(category, featureString(category, pt), input, routing);
}

/** The script name the rules give for a point whose feature string is `feature`, or null. */
export function chooseScriptByFeature(
  category: Category,
  feature: string,
  input: InputScript | undefined,
  routing: Routing,
): ScriptChoice | null {
  const named = input?.scriptName ?? '';
  // Without a source the input's choice covers its whole batch.
  const forBatch = input?.source === undefined;
  if (named !== '' && (forBatch || (feature !== '' && input!.source === feature))) {
    return named === '-' ? null : { name: named, rule: 'input' };
  }
  if (feature === '') return null;
  const rel = routing.relation(category, feature);
  if (rel !== undefined) return { name: rel, rule: 'relation' };
  const dflt = routing.defaultFor(category);
  if (dflt !== undefined) return { name: dflt, rule: 'default' };
  return { name: `${feature}.p`, rule: 'feature' };
}

/** The script that runs on `pt`, with its namespace, or null. */
export function selectScript(
  index: ScriptIndex,
  routing: Routing,
  category: Category,
  pt: Point,
  input?: InputScript,
): Selection | null {
  const choice = chooseScriptName(category, pt, input, routing);
  if (choice === null) return null;
  const record = index.get(category, choice.name);
  if (record === undefined) return null;
  return { name: choice.name, rule: choice.rule, record };
}
