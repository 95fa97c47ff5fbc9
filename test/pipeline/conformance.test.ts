/**
 * The golden vectors: every case of `shared/conformance/pipeline/cases.jsonl`
 * (DataKit's own output) run through plkit. Cases whose function is not
 * built yet are listed in `expected-failures.ts` — reported, never skipped
 * silently, and a listed case that starts passing fails the suite so the
 * list shrinks. A pass count per function is printed at the end.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../support/shared.js';
import { type Case, runCase } from './conformance-runner.js';
import { EXPECTED_FAILURES } from './expected-failures.js';

const expectedFail = new Map<string, string>();
for (const g of EXPECTED_FAILURES) for (const id of g.ids) expectedFail.set(id, g.reason);

function loadCases(): Case[] {
  if (SHARED_DIR === null) return [];
  return readFileSync(sharedPath('conformance', 'pipeline', 'cases.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Case);
}

const cases = loadCases();
const perFunc = new Map<string, { pass: number; total: number; expectedFail: number }>();

describe.skipIf(SHARED_DIR === null)(
  `pipeline conformance ${SHARED_DIR === null ? SHARED_MISSING_REASON : ''}`,
  () => {
    afterAll(() => {
      const rows = [...perFunc.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      let pass = 0;
      let total = 0;
      let xfail = 0;
      const cells = rows.map(([f, s]) => {
        pass += s.pass;
        total += s.total;
        xfail += s.expectedFail;
        return `${f} ${s.pass}/${s.total}`;
      });
      const lines: string[] = [];
      for (let i = 0; i < cells.length; i += 6)
        lines.push(
          cells
            .slice(i, i + 6)
            .map((c) => c.padEnd(28))
            .join(''),
        );
      console.log(
        `pipeline conformance: ${pass}/${total} pass, ${xfail} expected failures (see expected-failures.ts)\n${lines.join('\n')}`,
      );
    });

    for (const c of cases) {
      const reason = expectedFail.get(c.id);
      it(`${c.func} ${c.id}${reason === undefined ? '' : ' (expected failure)'}`, () => {
        const o = runCase(c);
        const s = perFunc.get(c.func) ?? { pass: 0, total: 0, expectedFail: 0 };
        s.total++;
        if (o.pass) s.pass++;
        if (reason !== undefined && !o.pass) s.expectedFail++;
        perFunc.set(c.func, s);
        if (reason !== undefined) {
          expect(o.pass, `case now passes; remove it from expected-failures.ts (${reason})`).toBe(false);
        } else {
          expect(o.pass, `${c.id}\n${c.pl}\n${o.detail}`).toBe(true);
        }
      });
    }

    it('lists only known case ids as expected failures', () => {
      const known = new Set(cases.map((c) => c.id));
      const stale = [...expectedFail.keys()].filter((id) => !known.has(id));
      expect(stale).toEqual([]);
    });
  },
);
