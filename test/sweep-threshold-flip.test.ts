// Where a pattern stops passing its thresholds: a one-step chain whose agent fails a share e of its
// calls (no retries) completes 1 − e of its orders, so `success_rate > 97.5%` holds up to e = 2.5 %.
// A variant with a breaker and a rule-based fallback completes every order. Swept over e, the chain
// stops being viable between 2 % and 3 %, at its margin's zero — about 2.5 % — and the decision
// (threshold pass) is the breaker variant from there on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { readSweepBoundaries } from '../reports/sweep/page.ts';
import { captureIo } from './support/capture-io.ts';

const SCENARIO = `name: breaker-needed
seed: 9
models:
  steady: { extends: small-fast, faults: { error: 0, timeout: 0, rateLimit: 0 } }
agents:
  credit-check: { role: checks credit, model: steady, promptTokens: 100, outputTokens: 10, skill: 0.99, retry: { attempts: 1 } }
  credit-rules: { role: rule-based limits, model: rule-based, promptTokens: 0, outputTokens: 5, skill: 0.9 }
cases:
  generate: { count: 3000, labels: { approve: 0.85, hold: 0.15 }, inputTokens: 300 }
patterns:
  sequential: { steps: [credit-check] }
load: { concurrency: 20 }
thresholds:
  - success_rate > 97.5%
variants:
  breaker:
    agents:
      credit-check: { breaker: { failures: 3, cooldown: 20s }, fallback: { agent: credit-rules } }
`;

describe('sweep viability', () => {
  it('finds where a pattern stops passing its thresholds, and the decision moves to the one that still does', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-flip-'));
    const file = join(folder, 'breaker-needed.yaml');
    writeFileSync(file, SCENARIO);
    const db = join(folder, 'flip.db');
    const io = captureIo();
    const code = await main(['sweep', file, '--vary', 'agents.credit-check.faults.error=0..0.04:5', '--db', db, '--quiet', '--no-report'], io);
    expect(code, io.stderr.join('\n')).toBe(0);

    const [boundaries] = readSweepBoundaries(db);
    const flips = boundaries?.flips ?? [];
    expect(flips.map((flip) => [flip.candidate, flip.becomes, flip.lower.text, flip.upper.text])).toEqual([['sequential', 'not viable', '0.02', '0.03']]);
    expect(Math.abs(flips[0]!.at - 0.025)).toBeLessThan(0.007);
    expect(flips[0]!.reasons).toEqual(['success_rate > 97.5% failed']);
    // The breaker variant passes everywhere; the plain chain is viable (and ties or wins) only below.
    const decision = boundaries?.points.map((point) => point.measures.threshold_pass.winners.includes('sequential (breaker)'));
    expect(decision).toEqual([true, true, true, true, true]);
    expect(boundaries?.points.map((point) => point.viability['sequential']?.viable)).toEqual([true, true, true, false, false]);
    expect(io.stdout.join('\n')).toMatch(/sequential stops passing above agents\.credit-check\.faults\.error ≈ 0\.0\d+ \(between 0\.02 and 0\.03\): success_rate > 97\.5% failed\./);
  });
});
