/**
 * The aggregate functions `agg_metric` names: avg, sum, min, max and set
 * (the last value seen). Every input is read as a float the way DataKit's
 * cast does (ints, floats, bools as 1/0, numeric strings; anything else
 * counts as 0), and every result is a float field.
 */
import { toGoFloat, type Value } from '../lang/values.js';

export type AggFn = 'avg' | 'sum' | 'min' | 'max' | 'set';

export interface Aggregate {
  add(v: Value): void;
  value(): number;
}

class Avg implements Aggregate {
  sum = 0;
  n = 0;
  add(v: Value): void {
    this.sum += toGoFloat(v);
    this.n++;
  }
  value(): number {
    return this.sum / this.n;
  }
}

class Sum implements Aggregate {
  sum = 0;
  add(v: Value): void {
    this.sum += toGoFloat(v);
  }
  value(): number {
    return this.sum;
  }
}

class Min implements Aggregate {
  seen = false;
  min = 0;
  add(v: Value): void {
    const f = toGoFloat(v);
    if (!this.seen || f < this.min) this.min = f;
    this.seen = true;
  }
  value(): number {
    return this.min;
  }
}

class Max implements Aggregate {
  seen = false;
  max = 0;
  add(v: Value): void {
    const f = toGoFloat(v);
    if (!this.seen || f > this.max) this.max = f;
    this.seen = true;
  }
  value(): number {
    return this.max;
  }
}

class Last implements Aggregate {
  last = 0;
  add(v: Value): void {
    this.last = toGoFloat(v);
  }
  value(): number {
    return this.last;
  }
}

/** A new aggregate for `fn`, or null when DataKit does not know the name. */
export function newAggregate(fn: string): Aggregate | null {
  switch (fn) {
    case 'avg':
      return new Avg();
    case 'sum':
      return new Sum();
    case 'min':
      return new Min();
    case 'max':
      return new Max();
    case 'set':
      return new Last();
    default:
      return null;
  }
}
