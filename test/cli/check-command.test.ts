import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check-command.js';
import { TESTDATA, workdirWith } from '../config/fixture.js';

function run(opts: Parameters<typeof checkCommand>[0]) {
  let out = '';
  let err = '';
  const code = checkCommand(opts, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err, errLines: err.trimEnd().split('\n') };
}

describe('plkit check', () => {
  it('prints the effective, masked configuration and exits 0 with warnings only', () => {
    const r = run({ workdir: join(TESTDATA, 'datakit-install'), env: {} });
    expect(r.code).toBe(0);
    const cfg = JSON.parse(r.out);
    expect(cfg.httpApi.listen).toBe('localhost:9529');
    expect(cfg.dataway.urls).toEqual(['https://openway.guance.com?token=tkn_2a…0d']);
    expect(r.out).not.toContain('tkn_2af4b19d7e3c4f0a9d1e5b6c7a8f9e0d');
    expect(r.errLines.every((l) => l.startsWith('warning: ') || l.startsWith('plkit check: '))).toBe(true);
    expect(r.errLines.at(-1)).toMatch(/^plkit check: 0 errors, \d+ warnings$/);
  });

  it('reports a logging input whose multiline pattern does not compile', () => {
    const dir = workdirWith({
      'conf.d/datakit.conf': '',
      'conf.d/l.conf':
        "[[inputs.logging]]\nlogfiles = ['a.log']\nenable_multiline = true\nmultiline_match = '(^\\d+'\n",
    });
    const r = run({ workdir: dir, env: {} });
    expect(r.code).toBe(1);
    const errs = r.errLines.filter((l) => l.startsWith('error: '));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain(
      'error: conf.d/l.conf: inputs.logging[0].multiline_match: invalid pattern "(^\\\\d+": ',
    );
  });

  it('prints every error on its own line and exits 1', () => {
    const dir = workdirWith({
      'conf.d/datakit.conf': '[http_api]\nlisten = 9529\n',
      'conf.d/l.conf': '[[inputs.logging]]\nlogfiles = "a.log"\n',
    });
    const r = run({ workdir: dir, env: { ENV_DATAWAY: 'nope' } });
    expect(r.code).toBe(1);
    expect(r.errLines.filter((l) => l.startsWith('error: '))).toEqual([
      'error: conf.d/datakit.conf:2: http_api.listen: expected a string, got 9529',
      'error: conf.d/l.conf:2: inputs.logging[0].logfiles: expected an array of strings, got "a.log"',
      'error: $ENV_DATAWAY (dataway.urls): not a valid URL: "nope" (expected e.g. "http://10.0.0.2:9529")',
    ]);
    expect(r.errLines.at(-1)).toBe('plkit check: 3 errors, 1 warning');
    expect(() => JSON.parse(r.out)).not.toThrow();
  });

  it('takes the workdir from the parent of --config-dir', () => {
    const dir = workdirWith({ 'etc/datakit.conf': '[http_api]\nlisten = "0.0.0.0:9600"\n' });
    const r = run({ configDir: join(dir, 'etc'), env: {} });
    const cfg = JSON.parse(r.out);
    expect(cfg.httpApi.listen).toBe('0.0.0.0:9600');
    expect(cfg.paths.workdir).toBe(resolve(dir));
    expect(cfg.paths.confd).toBe(join(dir, 'etc'));
  });
});
