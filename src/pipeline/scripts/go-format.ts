/**
 * Two Go text layouts the debug API answers with, so DataKit's tools read
 * plkit's answers unchanged: `time.Duration.String()` (`cost`) and
 * `testing.BenchmarkResult.String()` (`benchmark`).
 */

function frac(v: bigint, digits: number): string {
  // v holds `digits` fractional digits; print them without trailing zeros.
  const scale = 10n ** BigInt(digits);
  const whole = v / scale;
  let f = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  if (f !== '') f = `.${f}`;
  return `${whole}${f}`;
}

/** Go's `time.Duration(ns).String()`: `421.705µs`, `2.3ms`, `1m30s`. */
export function goDuration(ns: number | bigint): string {
  let d = typeof ns === 'bigint' ? ns : BigInt(Math.round(ns));
  if (d === 0n) return '0s';
  const neg = d < 0n;
  if (neg) d = -d;
  let out: string;
  if (d < 1000n) out = `${d}ns`;
  else if (d < 1_000_000n) out = `${frac(d, 3)}µs`;
  else if (d < 1_000_000_000n) out = `${frac(d, 6)}ms`;
  else {
    const hours = d / 3_600_000_000_000n;
    const minutes = (d / 60_000_000_000n) % 60n;
    const secNs = d % 60_000_000_000n;
    out = `${frac(secNs, 9)}s`;
    if (hours > 0n || minutes > 0n) out = `${minutes}m${out}`;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return neg ? `-${out}` : out;
}

/** Go's `testing.BenchmarkResult.String()` for N runs at `nsPerOp`. */
export function goBenchmarkResult(n: number, nsPerOp: number): string {
  let out = String(n).padStart(8, ' ');
  if (nsPerOp !== 0) out += `\t${prettyNs(nsPerOp)} ns/op`;
  return out;
}

function prettyNs(x: number): string {
  const y = Math.abs(x);
  let width: number;
  let decimals: number;
  if (y === 0 || y >= 999.95) [width, decimals] = [10, 0];
  else if (y >= 99.995) [width, decimals] = [12, 1];
  else if (y >= 9.9995) [width, decimals] = [13, 2];
  else if (y >= 0.99995) [width, decimals] = [14, 3];
  else if (y >= 0.099995) [width, decimals] = [15, 4];
  else if (y >= 0.0099995) [width, decimals] = [16, 5];
  else if (y >= 0.00099995) [width, decimals] = [17, 6];
  else [width, decimals] = [18, 7];
  return x.toFixed(decimals).padStart(width, ' ');
}
