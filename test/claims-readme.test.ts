import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_FOLDER, DEFAULT_CLAIM_SEEDS, measureArticleClaims } from '../harness/cli/claims.ts';
import { main } from '../harness/cli/main.ts';
import { formatClaims } from '../reports/claims/claims-format.ts';
import type { ClaimResult } from '../reports/claims/claims-measure.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-claims-'));
let results: ClaimResult[] = [];

function result(id: string): ClaimResult {
  const found = results.find((candidate) => candidate.claim.id === id);
  if (found === undefined) throw new Error(`no claim ${id}`);
  return found;
}

/** The q-quantile of the Irwin–Hall distribution (the sum of n uniforms on [0, 1]), by bisection of its exact CDF. */
function irwinHallQuantile(n: number, q: number): number {
  const choose = (k: number): number => (k === 0 ? 1 : (choose(k - 1) * (n - k + 1)) / k);
  const factorial = Array.from({ length: n }, (_value, index) => index + 1).reduce((product, value) => product * value, 1);
  const cdf = (x: number): number => {
    let sum = 0;
    for (let k = 0; k <= Math.floor(x); k++) sum += (-1) ** k * choose(k) * (x - k) ** n;
    return sum / factorial;
  };
  let [lo, hi] = [0, n];
  for (let step = 0; step < 60; step++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe("the article's claims", () => {
  beforeAll(async () => {
    results = (await measureArticleClaims({ folder: ARTICLE_FOLDER, seeds: DEFAULT_CLAIM_SEEDS, db: join(folder, 'claims.db') })) ?? [];
  });

  it("README.md's table is the command's markdown output", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /<!-- claims:begin -->\n([\s\S]*?)\n<!-- claims:end -->/.exec(readme);
    expect(block, 'README.md has a claims block between <!-- claims:begin --> and <!-- claims:end -->').not.toBeNull();
    expect(block?.[1]).toBe(formatClaims(results, 'markdown'));
  });

  it('measures the fan-out against the chain as the closed form says: 1 − E[max of 5 U(2,5)] ÷ E[sum] = 1 − 4.5 ÷ 17.5 (± 1 point)', () => {
    const figure = result('fanout-latency').measured[0];
    expect(figure?.mean).toBeGreaterThan((1 - 4.5 / 17.5) * 100 - 1);
    expect(figure?.mean).toBeLessThan((1 - 4.5 / 17.5) * 100 + 1);
  });

  it("measures the 4-step chain's p5 and p95 as 8 s + 3 s × the Irwin–Hall(4) quantiles (± 0.5 s)", () => {
    const [p5, p95] = result('chain-latency').measured;
    expect(Math.abs((p5?.mean ?? 0) - (8 + 3 * irwinHallQuantile(4, 0.05)))).toBeLessThan(0.5);
    expect(Math.abs((p95?.mean ?? 0) - (8 + 3 * irwinHallQuantile(4, 0.95)))).toBeLessThan(0.5);
    expect(result('chain-latency').verdict).toBe('partly');
  });

  it("measures the fan-out's throughput gain as Little's law says: E[sum] ÷ E[max] = 17.5 ÷ 4.5 (± 0.15: the chain's drain adds up to 3 % to its run time)", () => {
    const figure = result('fanout-throughput').measured[0];
    expect(Math.abs((figure?.mean ?? 0) - 17.5 / 4.5)).toBeLessThan(0.15);
  });

  it('gives every claim a verdict', () => {
    expect(results).toHaveLength(10);
    for (const claim of results) expect(['holds', 'partly', 'does not hold', 'not measured']).toContain(claim.verdict);
  });

  it("measures batching's saving per item as the pricing says: (1 − 1/n) × P·p_in ÷ ((P + I)·p_in + E[O]·p_out), n = 5 and 10 (± 0.5 point)", () => {
    // Mid-tier prices ($0.40 in, $1.60 out per million), P = 2,000 prompt tokens, I = 1,000, E[O] = 50: the prompt is half an item's cost.
    const saving = (n: number, prompt: number) => ((1 - 1 / n) * prompt * 0.4) / ((prompt + 1000) * 0.4 + 50 * 1.6) * 100;
    const batching = result('batching');
    expect(Math.abs((batching.measured[0]?.mean ?? 0) - saving(5, 2000))).toBeLessThan(0.5);
    expect(Math.abs((batching.measured[1]?.mean ?? 0) - saving(10, 2000))).toBeLessThan(0.5);
    expect(Math.abs((batching.asides[0]?.mean ?? 0) - saving(10, 4000))).toBeLessThan(0.5);
    expect(batching.verdict).toBe('does not hold');
  });

  it('refuses a folder without the scenario a claim needs (exit 2, nothing run)', async () => {
    const partial = join(folder, 'partial');
    mkdirSync(partial);
    copyFileSync(join(ARTICLE_FOLDER, 'chain-latency.yaml'), join(partial, 'chain-latency.yaml'));
    writeFileSync(join(partial, 'README'), 'only one claim scenario');
    const io = captureIo();
    expect(await main(['claims', partial, '--db', join(folder, 'partial.db'), '--quiet'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/CLAIM_UNMEASURABLE.*fanout-vs-chain\.yaml/);
  });
});
