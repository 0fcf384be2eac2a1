// Two patterns whose cost per correct answer is known in closed form: `single-agent` calls `solo`,
// whose skill s is swept, at a fixed cost c_A per workflow; `sequential` calls `steady` (skill 0.9)
// at c_B. Cost per correct answer is c_A ÷ s against c_B ÷ 0.9 — their reciprocals, correct
// answers per dollar (s ÷ c_A against 0.9 ÷ c_B, what the crossing is interpolated in), are linear
// in s — so they cross at s* = 0.9 · c_A / c_B = 0.63. The sweep must find it inside its 95 %
// interval, close to it, and with an interval narrow enough to mean something.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { readSweepBoundaries } from '../reports/sweep/page.ts';
import { captureIo } from './support/capture-io.ts';

/** A model priced `perMTok` for input (output free), with no faults. */
const model = (perMTok: number): string => `{ extends: small-fast, pricing: { inputPerMTok: ${perMTok}, outputPerMTok: 0, cachedInputPerMTok: ${perMTok} }, faults: { error: 0, timeout: 0, rateLimit: 0 } }`;

const SCENARIO = `name: closed-form
seed: 5
models:
  cheap: ${model(0.7)}
  dear: ${model(1)}
agents:
  solo: { role: answers alone, model: cheap, promptTokens: 0, outputTokens: 10, skill: 0.7 }
  steady: { role: answers steadily, model: dear, promptTokens: 0, outputTokens: 10, skill: 0.9 }
cases:
  generate: { count: 2000, labels: { yes: 0.5, no: 0.5 }, inputTokens: 1000 }
patterns:
  single-agent: { agent: solo }
  sequential: { steps: [steady] }
load: { concurrency: 50 }
`;

describe('sweep boundaries', () => {
  it('recover a crossing known in closed form within its 95% interval', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-closed-'));
    const file = join(folder, 'closed-form.yaml');
    writeFileSync(file, SCENARIO);
    const db = join(folder, 'closed.db');
    const io = captureIo();
    const code = await main(['sweep', file, '--vary', 'agents.solo.skill=0.45..0.9:10', '--db', db, '--quiet', '--no-report', '--workers', '2'], io);
    expect(code, io.stderr.join('\n')).toBe(0);

    const [boundaries] = readSweepBoundaries(db);
    // The costs are what the closed form assumes: c_A = 1000 tokens × $0.7/M, c_B = 1000 × $1/M.
    const first = boundaries?.points[0]?.measures.cost_per_workflow.values;
    expect(first?.['single-agent']).toBeCloseTo(0.0007, 12);
    expect(first?.['sequential']).toBeCloseTo(0.001, 12);

    const crossings = boundaries?.crossings.filter((crossing) => crossing.measure === 'cost_per_correct') ?? [];
    expect(crossings).toHaveLength(1);
    const crossing = crossings[0]!;
    expect([crossing.below, crossing.above]).toEqual(['sequential', 'single-agent']);
    const expected = (0.9 * 0.0007) / 0.001; // 0.63
    expect(crossing.interval.lo).not.toBeNull();
    expect(crossing.interval.hi).not.toBeNull();
    expect(crossing.interval.lo!).toBeLessThanOrEqual(expected);
    expect(crossing.interval.hi!).toBeGreaterThanOrEqual(expected);
    // 2,000 cases: the estimate's standard error is about 0.015; 0.04 is well over two of them.
    expect(Math.abs(crossing.at - expected)).toBeLessThan(0.04);
    expect(crossing.interval.hi! - crossing.interval.lo!).toBeLessThan(0.15);
    // Three grid steps (0.15) from the crossing the difference is large against the noise.
    expect(crossing.lower.value).toBeCloseTo(0.6, 10);
    expect(crossing.upper.value).toBeCloseTo(0.65, 10);

    // Accuracy: solo passes steady (0.9) only at the top, where they are equal in expectation.
    const text = io.stdout.join('\n');
    expect(text).toContain('cost per correct answer: sequential is best below agents.solo.skill ≈ 0.6');
    expect(text).toContain('single-agent above it.');
  });
});
