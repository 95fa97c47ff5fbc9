/**
 * Run control: drop, drop_origin_data, exit, setopt and use.
 */
import type { FuncDef } from '../lang/func-api.js';
import { toGoBool } from '../lang/values.js';
import { defineFunc } from './registry.js';
import { servicesOf } from './services.js';

export const drop = defineFunc({
  name: 'drop',
  params: [],
  compile() {
    return (r) => {
      r.dropped = true;
      return null;
    };
  },
});

export const dropOriginData = defineFunc({
  name: 'drop_origin_data',
  params: [],
  compile() {
    return (r) => {
      r.deleteKey('message');
      return null;
    };
  },
});

export const exit = defineFunc({
  name: 'exit',
  params: [],
  compile() {
    return (r) => {
      r.halt = 3;
      return null;
    };
  },
});

export const setopt = defineFunc({
  name: 'setopt',
  params: [{ name: 'status_mapping', optional: true }],
  compile(call) {
    for (const a of call.node.args) {
      if (a.type !== 'NamedArg') call.fail('must be a named parameter');
    }
    if (!call.has(0)) return () => null;
    const v = call.value(0);
    return (r) => {
      r.statusMapping = toGoBool(v(r));
      return null;
    };
  },
});

export const use = defineFunc({
  name: 'use',
  params: [{ name: 'name' }],
  compile(call) {
    const name = call.stringLiteral(0, 'param name');
    const category = call.category;
    const services = servicesOf(call.services);
    return (r) => {
      const resolve = servicesOf(r.services).resolveScript ?? services.resolveScript;
      const script = resolve?.(name, category) ?? null;
      if (script === null) return null;
      const child = script.newState(r.pt, { tz: r.tz, services: r.services });
      child.dropped = r.dropped;
      child.statusMapping = r.statusMapping;
      script.execIn(child);
      r.dropped = child.dropped;
      r.statusMapping = child.statusMapping;
      for (const p of child.subPoints) r.subPoints.push(p);
      return null;
    };
  },
});

export const CONTROL_FUNCS: readonly FuncDef[] = [drop, dropOriginData, exit, setopt, use];
