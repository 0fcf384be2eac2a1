// `advise` is a gate on the choice itself. `single-agent` (agent solo, cost c_A = 0.7 c_B) against
// `sequential` (agent steady, skill 0.9, cost c_B): per correct answer they cost the same at solo's
// skill s* = 0.9 × 0.7 = 0.63. With solo at 0.85 the single agent stays cheaper under every change
// advise makes (skills −10 points, latencies and prices ×0.5 and ×2 for both models alike, load ×2):
// exit 0. With solo at 0.7, its skill 10 points lower (0.6) is under s*: the choice flips to the
// chain, advise names that change and where the lead changes (about 0.63), and exits 1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { DEFAULT_GATE } from '../harness/cli/advise.ts';
import { adviseVerdict, type Advice } from '../reports/summary/advise-format.ts';
import { readSweepBoundaries } from '../reports/sweep/page.ts';
import { captureIo } from './support/capture-io.ts';

const model = (perMTok: number): string => `{ extends: small-fast, pricing: { inputPerMTok: ${perMTok}, outputPerMTok: 0, cachedInputPerMTok: ${perMTok} }, faults: { error: 0, timeout: 0, rateLimit: 0 } }`;

const scenario = (soloSkill: number): string => `name: advise-gate
seed: 3
models:
  cheap: ${model(0.7)}
  dear: ${model(1)}
agents:
  solo: { role: answers alone, model: cheap, promptTokens: 0, outputTokens: 10, skill: ${soloSkill} }
  steady: { role: answers steadily, model: dear, promptTokens: 0, outputTokens: 10, skill: 0.9 }
cases:
  generate: { count: 1500, labels: { yes: 0.5, no: 0.5 }, inputTokens: 1000 }
patterns:
  single-agent: { agent: solo }
  sequential: { steps: [steady] }
load: { concurrency: 50 }
`;

async function advise(soloSkill: number): Promise<{ code: number; text: string; advice: Advice }> {
  const folder = mkdtempSync(join(tmpdir(), 'patternbench-advise-'));
  const file = join(folder, 'advise-gate.yaml');
  writeFileSync(file, scenario(soloSkill));
  const db = join(folder, 'advise.db');
  const io = captureIo();
  const code = await main(['advise', file, '--db', db, '--quiet', '--no-report'], io);
  // The verdict as data, from the file the command wrote (what `--format json` prints).
  const [boundaries] = readSweepBoundaries(db);
  return { code, text: io.stdout.join('\n'), advice: adviseVerdict(boundaries!, DEFAULT_GATE) };
}

describe('advise', () => {
  it('exits 0 when the choice holds under every change', async () => {
    const { code, text, advice } = await advise(0.85);
    expect(code, text).toBe(0);
    expect(advice.robust).toBe(true);
    const decision = advice.measures.find((measure) => measure.measure === 'threshold_pass');
    expect(decision).toMatchObject({ winners: ['single-agent'], flips: [], gated: true });
    // skills of both agents, latency ×0.5 and ×2, load ×2, prices ×0.5 and ×2.
    expect(decision?.changes).toBe(7);
    expect(text).toContain('threshold pass [gate]: single-agent holds under all 7 changes.');
    expect(text).toContain('robust: threshold_pass holds under every change');
  });

  it('exits 1 naming the change that flips it and where', async () => {
    const { code, text, advice } = await advise(0.7);
    expect(code, text).toBe(1);
    expect(advice.robust).toBe(false);
    const decision = advice.measures.find((measure) => measure.measure === 'threshold_pass');
    expect(decision?.winners).toEqual(['single-agent']);
    expect(decision?.flips.map((flip) => [flip.assumption, flip.from, flip.to, flip.winners])).toEqual([['agents.solo.skill', '0.7', '0.6', ['sequential']]]);
    const cost = advice.measures.find((measure) => measure.measure === 'cost_per_correct');
    const crossing = cost?.flips[0]?.crossing;
    expect(crossing?.below).toBe('sequential');
    expect(crossing?.above).toBe('single-agent');
    // The closed form says 0.63; the interpolation between 0.6 and 0.7 lands near it.
    expect(Math.abs((crossing?.at ?? 0) - 0.63)).toBeLessThan(0.04);
    expect(crossing?.interval.lo ?? 0.6).toBeLessThanOrEqual(0.63);
    expect(crossing?.interval.hi ?? 0.7).toBeGreaterThanOrEqual(0.63);
    expect(text).toMatch(/cost per correct answer: single-agent holds under 6 of 7 changes; the lead changes when agents\.solo\.skill 0\.7 → 0\.6 makes sequential best; it changes at ≈ 0\.6\d/);
    expect(text).toContain('not robust: threshold_pass flips under some change');
  });
});
