import { describe, expect, it } from 'vitest';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import { BUILTIN_PROFILES } from '../harness/scenario/model-profiles.ts';
import { ONLY_SEQUENTIAL } from './support/scenario-issues.ts';

const fixture = (name: string) => new URL(`./fixtures/scenarios/${name}`, import.meta.url).pathname;

describe('scenario compiler: defaults', () => {
  it('fills every documented default into a minimal scenario', () => {
    const file = fixture('minimal.yaml');
    const scenario = compileScenarioFile(file, { patterns: ONLY_SEQUENTIAL });
    expect(scenario.name).toBe('minimal');
    expect(scenario.file).toBe(file);
    expect(scenario.description).toBe('');
    expect(scenario.seed).toBe(1);
    const solo = scenario.agents.get('solo');
    expect(solo).toEqual({
      name: 'solo',
      role: 'Answers',
      model: BUILTIN_PROFILES.get('mid-tier'),
      promptTokens: 500,
      outputTokens: { kind: 'fixed', value: 300 },
      maxOutputTokens: 300,
      tools: [],
      toolCalls: { kind: 'fixed', value: 0 },
      toolLatencyMs: { kind: 'lognormal', p50: 150, p95: 600 },
      scope: [],
      skill: 0.9,
      recovery: 0,
      cacheHitRate: 0,
      latency: null,
      faults: BUILTIN_PROFILES.get('mid-tier')?.faults,
      retry: {
        attempts: 3,
        initialBackoffMs: 500,
        multiplier: 2,
        maxBackoffMs: 10_000,
        jitter: 0.2,
        retryOn: ['error', 'timeout', 'rate_limit', 'unavailable', 'preempted', 'contract_violation'],
        honourRetryAfter: true,
      },
      timeoutMs: 120_000,
      pool: null,
      compensation: null,
      endpoint: null,
      breaker: null,
      fallback: null,
      contract: null,
      access: { roles: [], onDenied: null, trust: 'standard', injectionCarry: 0, injectionAction: null },
      needs: [],
      outputs: null,
    });
    expect(scenario.warnings).toEqual([]);
    expect(scenario.cases).toEqual({
      kind: 'inline',
      items: [{ id: 'case-1', inputTokens: 1000, input: {}, expected: { label: 'ok' } }],
    });
    expect(scenario.labels).toEqual(['ok']);
    expect(scenario.patterns.get('sequential')).toEqual({ steps: ['solo'], context: 'accumulate' });
    expect(scenario.accuracy).toEqual({ contextThreshold: 0.7, contextPenalty: 0.15, toolThreshold: 20, toolFactor: 0.755 });
    expect(scenario.hopOverheadMs).toEqual({ kind: 'fixed', value: 0 });
    expect(scenario.scorer).toEqual({ kind: 'exact-label' });
    expect([...scenario.models.keys()]).toEqual([...BUILTIN_PROFILES.keys()]);
    expect(scenario.load).toEqual({ kind: 'closed', concurrency: 1, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs: null, windowMs: null });
    expect(scenario.thresholds).toEqual([]);
    expect(scenario.budgets).toBeNull();
    expect(scenario.workflowTimeoutMs).toBeNull();
    expect(scenario.access).toEqual({ allowedTools: null, onDenied: 'fail', sanitise: false, detection: 0.95 });
    expect(scenario.terminology).toEqual({ glossary: [], drift: 0 });
    expect(scenario.privacy).toBeNull();
    // No data classes, roles or sanitisation: a plain comparison, not audited unless `audit: on`.
    expect(scenario.audit).toBe(false);
  });

  it('compiles explicit settings: durations to milliseconds, faults merged over the profile, labels united', () => {
    const scenario = compileScenarioFile(fixture('full.yaml'), { patterns: ONLY_SEQUENTIAL });
    const extractor = scenario.agents.get('extractor');
    expect(extractor?.promptTokens).toBe(1200);
    expect(extractor?.outputTokens).toEqual({ kind: 'lognormal', p50: 400, p95: 900 });
    expect(extractor?.latency).toEqual({ kind: 'fixed', value: 3000 });
    expect(extractor?.timeoutMs).toBe(60_000);
    expect(extractor?.retry.attempts).toBe(5);
    expect(extractor?.retry.maxBackoffMs).toBe(30_000);
    expect(extractor?.retry.initialBackoffMs).toBe(500);
    expect(extractor?.faults).toEqual({
      error: 0.01,
      // The agent's latency override (3s) also times its provider errors.
      errorAfterMs: { kind: 'fixed', value: 3000 },
      timeout: BUILTIN_PROFILES.get('frontier')?.faults.timeout,
      rateLimit: BUILTIN_PROFILES.get('frontier')?.faults.rateLimit,
      retryAfterMs: { kind: 'fixed', value: 1000 },
      outages: [],
      latencySpikes: [],
      preemption: 0,
      malformedOutput: 0,
    });
    expect(scenario.labels).toEqual(['high', 'low', 'medium']);
    expect(scenario.hopOverheadMs).toEqual({ kind: 'fixed', value: 20 });
    expect(scenario.cases.kind === 'inline' && scenario.cases.items.map((item) => item.id)).toEqual(['c1', 'case-2']);
  });

  it('normalises generator label weights and adds them to the labels', () => {
    const scenario = compileScenarioFile(fixture('suite/b-triage.yaml'), { patterns: ONLY_SEQUENTIAL });
    expect(scenario.cases).toEqual({
      kind: 'generate',
      count: 50,
      labels: { billing: 0.75, bug: 0.25 },
      inputTokens: { kind: 'fixed', value: 1000 },
      findings: null,
      value: null,
      distinct: null,
      injections: 0,
    });
    expect(scenario.labels).toEqual(['billing', 'bug']);
  });
});
