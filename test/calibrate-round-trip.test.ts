import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fitProfiles } from '../harness/ingest/calibrate.ts';
import { calibrationYaml } from '../harness/ingest/calibrate-yaml.ts';
import { AttemptSink } from './support/attempt-sink.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/** The known profile: latency lognormal p50 1 s, p95 3 s; output tokens lognormal p50 300, p95 900; 5 % errors. */
const agent = (overrides: string): string => `
name: calibration-source
agents:
  answerer: { role: answers, model: mid-tier, ${overrides} }
cases:
  generate: { count: 1000, labels: { a: 1 } }
patterns:
  single-agent: { agent: answerer }
`;
const KNOWN =
  'latency: { dist: lognormal, p50: 1s, p95: 3s }, outputTokens: { dist: lognormal, p50: 300, p95: 900 }, ' +
  'faults: { error: 0.05, timeout: 0, rateLimit: 0 }, retry: { attempts: 1 }';

/**
 * 200,000 attempts, ~190,000 of them successful. Relative standard errors (harness/ingest/calibrate.ts):
 * p50 1.05/√n = 0.24 %, p95 1.41/√n = 0.32 % (σ = ln 3 / 1.645 for latency and tokens alike), the
 * error rate √(0.95 / (0.05 · 200,000)) = 0.97 %. The 5 % tolerance is over 5 standard errors for
 * each: a correct fit cannot miss it, and a biased one (say nearest rank off by one bucket of a
 * histogram, or errors counted in the latency) would.
 */
const WORKFLOWS = 200_000;

describe('calibrate', () => {
  it('recovers a simulated profile within 5 %: lognormal latency and output tokens, error rate', async () => {
    const sink = new AttemptSink();
    await runOnce(scenarioFromYaml(agent(KNOWN)), { sink, repeat: WORKFLOWS / 1000, concurrency: 64 });
    expect(sink.attempts).toHaveLength(WORKFLOWS);

    const yaml = calibrationYaml(fitProfiles(sink.attempts), [], { source: 'simulation' });
    const fitted = (parse(yaml) as { agents: Record<string, { latency: Record<string, number>; outputTokens: Record<string, number>; faults: Record<string, number> }> }).agents['answerer'];
    const within = (actual: number | undefined, expected: number): void => expect(Math.abs((actual ?? NaN) / expected - 1)).toBeLessThan(0.05);
    expect(fitted?.latency['dist']).toBe('lognormal');
    within(fitted?.latency['p50'], 1000);
    within(fitted?.latency['p95'], 3000);
    expect(fitted?.outputTokens['dist']).toBe('lognormal');
    within(fitted?.outputTokens['p50'], 300);
    within(fitted?.outputTokens['p95'], 900);
    within(fitted?.faults['error'], 0.05);
    expect(fitted?.faults).toMatchObject({ timeout: 0, rateLimit: 0 });

    // The fitted keys drop into a scenario's agent as they are.
    const { latency, outputTokens, faults } = fitted ?? {};
    const compiled = scenarioFromYaml(agent(`latency: ${JSON.stringify(latency)}, outputTokens: ${JSON.stringify(outputTokens)}, faults: ${JSON.stringify(faults)}`)).agents.get('answerer');
    expect(compiled?.latency).toEqual({ kind: 'lognormal', p50: latency?.['p50'], p95: latency?.['p95'] });
    expect(compiled?.faults.error).toBe(faults?.['error']);
  });
});
