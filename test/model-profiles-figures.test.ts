import { describe, expect, it } from 'vitest';
import type { Distribution } from '../harness/kernel/distribution-types.ts';
import { BUILTIN_PROFILES } from '../harness/scenario/model-profiles.ts';

/** The median a distribution is centred on (the figures we check are fixed or lognormal). */
function median(distribution: Distribution): number {
  if (distribution.kind === 'fixed') return distribution.value;
  if (distribution.kind === 'lognormal') return distribution.p50;
  throw new Error(`unexpected ${distribution.kind}`);
}

function expectSane(distribution: Distribution): void {
  if (distribution.kind === 'lognormal') {
    expect(distribution.p50).toBeGreaterThan(0);
    expect(distribution.p95).toBeGreaterThan(distribution.p50);
  } else {
    expect(distribution.kind).toBe('fixed');
    expect(median(distribution)).toBeGreaterThanOrEqual(0);
  }
}

describe('built-in model profiles', () => {
  it('are the five documented ones, each named by its key', () => {
    expect([...BUILTIN_PROFILES.keys()]).toEqual(['frontier', 'mid-tier', 'small-fast', 'bert-classifier', 'rule-based']);
    for (const [name, profile] of BUILTIN_PROFILES) expect(profile.name).toBe(name);
  });

  it.each([...BUILTIN_PROFILES.values()])('$name has positive, consistent figures', (profile) => {
    expectSane(profile.ttftMs);
    expect(median(profile.ttftMs)).toBeGreaterThan(0);
    expectSane(profile.outputTokensPerSecond);
    expect(median(profile.outputTokensPerSecond)).toBeGreaterThan(0);
    expect(profile.prefillTokensPerSecond).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(profile.contextWindow) && profile.contextWindow > 0).toBe(true);
    const { inputPerMTok, outputPerMTok, cachedInputPerMTok } = profile.pricing;
    expect(Math.min(inputPerMTok, outputPerMTok, cachedInputPerMTok)).toBeGreaterThanOrEqual(0);
    expect(cachedInputPerMTok).toBeLessThanOrEqual(inputPerMTok);
    const { error, timeout, rateLimit, retryAfterMs } = profile.faults;
    for (const rate of [error, timeout, rateLimit]) expect(rate >= 0 && rate <= 0.01).toBe(true);
    expect(error + timeout + rateLimit).toBeLessThanOrEqual(1);
    expectSane(retryAfterMs);
    expect(profile.source.length).toBeGreaterThan(20);
    expect(profile.provider).not.toBe('');
    expect(profile.model).not.toBe('');
    expect(profile.region).not.toBe('');
  });

  it('LLMs charge for tokens, output dearer than input; the rule-based profile is free and near-instant', () => {
    for (const profile of BUILTIN_PROFILES.values()) {
      if (profile.kind !== 'llm') continue;
      expect(profile.pricing.inputPerMTok).toBeGreaterThan(0);
      expect(profile.pricing.outputPerMTok).toBeGreaterThan(profile.pricing.inputPerMTok);
      expect(profile.faults.error).toBeGreaterThan(0);
    }
    const rules = BUILTIN_PROFILES.get('rule-based');
    expect(rules).toMatchObject({ provider: 'none', kind: 'rule', pricing: { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 } });
    expect(median(rules?.ttftMs as Distribution)).toBeLessThanOrEqual(1);
    const bert = BUILTIN_PROFILES.get('bert-classifier');
    expect(bert?.kind).toBe('classifier');
    expect(median(bert?.ttftMs as Distribution)).toBeLessThan(100);
    expect(bert?.pricing.inputPerMTok).toBeLessThan(BUILTIN_PROFILES.get('small-fast')?.pricing.inputPerMTok as number);
  });

  it('rank as their names say: frontier slowest to first token and dearest, small-fast quickest and cheapest', () => {
    const [frontier, mid, small] = ['frontier', 'mid-tier', 'small-fast'].map((name) => BUILTIN_PROFILES.get(name));
    expect(median(frontier?.ttftMs as Distribution)).toBeGreaterThan(median(mid?.ttftMs as Distribution));
    expect(median(mid?.ttftMs as Distribution)).toBeGreaterThan(median(small?.ttftMs as Distribution));
    expect(frontier?.pricing.outputPerMTok).toBeGreaterThan(mid?.pricing.outputPerMTok as number);
    expect(mid?.pricing.outputPerMTok).toBeGreaterThan(small?.pricing.outputPerMTok as number);
  });

  it('cannot be changed', () => {
    expect(() => (BUILTIN_PROFILES as Map<string, unknown>).set('mine', {})).toThrow(TypeError);
    expect(BUILTIN_PROFILES.has('mine')).toBe(false);
    expect(() => {
      (BUILTIN_PROFILES.get('frontier')?.pricing as { inputPerMTok: number }).inputPerMTok = 0;
    }).toThrow(TypeError);
  });
});
