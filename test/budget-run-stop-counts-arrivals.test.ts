// A spent run budget starts no new workflow, but the arrivals it planned were meant to run: they
// are counted, as dropped, so success and accuracy say what share of the planned work was done.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-run-budget-'));
/** One agent, 100 output tokens a call, 1 s: a run budget of 1,000 tokens pays for exactly 10 workflows. */
const scenario = join(folder, 'run-budget.yaml');
writeFileSync(
  scenario,
  `name: run-budget
agents:
  solo: { role: answers, model: mid-tier, promptTokens: 0, outputTokens: 100, latency: 1s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  inline:
    - { inputTokens: 0, expected: { label: ok } }
labels: [ok, other]
patterns:
  single-agent: { agent: solo }
budgets: { run: { tokens: 1000 } }
`,
);

async function summary(args: readonly string[]): Promise<Record<string, number | string>> {
  const io = captureIo();
  const code = await main(['run', scenario, '--db', join(folder, `${args.join('-').replaceAll('/', '')}.db`), '--quiet', '--no-report', '--format', 'json', ...args], io);
  expect(code, io.stderr.join('\n')).toBe(0);
  const [row] = JSON.parse(io.stdout.join('')) as Record<string, number | string>[];
  return row as Record<string, number | string>;
}

describe('a run stopped by its budget', () => {
  it('closed loop: the planned workflows it never started count as dropped arrivals', async () => {
    const row = await summary(['--repeat', '40']);
    expect(row['workflows']).toBe(10);
    expect(row['arrivals']).toBe(40);
    expect(row['dropped']).toBe(30);
    expect(row['successRate']).toBe(10 / 40);
    expect(row['accuracy']).toBe((row['correct'] as number) / 40);
  });

  it('open load: the rest of the arrival schedule counts as dropped, without waiting for it', async () => {
    const row = await summary(['--rate', '10/s', '--duration', '20s', '--arrivals', 'constant']);
    // Arrivals every 100 ms; the budget is spent when the 10th call ends (1.9 s): 19 had started by
    // then, and the 9 in flight were cut. The other 181 planned arrivals never started.
    expect(row['workflows']).toBe(19);
    expect(row['completed']).toBe(10);
    expect(row['arrivals']).toBe(200);
    expect(row['dropped']).toBe(181);
    expect(row['successRate']).toBe(10 / 200);
  });
});
