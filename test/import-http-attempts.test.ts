/**
 * An `openai` client that retries (maxRetries 2, its default) makes one model span per call; with
 * the HTTP requests traced too (`@opentelemetry/instrumentation-undici` under the official OpenAI
 * instrumentation), import makes each request an attempt: the provider's 429s, 500s and timeouts
 * come back by kind, retries show, and calibrate fits single requests, not calls with their retries.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { chainTruth } from './support/chain-truth.ts';
import { USAGE } from './support/fault-provider.ts';
import { calibrated, expectFitToTruth, importedChain } from './support/imported-chain.ts';
import { CHAIN_AGENTS, runInstrumentedChain } from './support/instrumented-chain.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-http-attempts-'));

describe('import of model spans with traced HTTP requests', () => {
  it('reads each request as a model attempt', async () => {
    const truth = chainTruth(100, 2);
    const traces = join(folder, 'traces.jsonl');
    const run = await runInstrumentedChain({ emitter: 'opentelemetry', workflows: 100, maxRetries: 2, traces, httpSpans: true });
    expect(run.served).toEqual(truth.all.byFate);
    const db = join(folder, 'imported.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);

    const { ok, error, rate_limit: rateLimit, timeout } = truth.all.byFate;
    expect(importedChain(db)).toMatchObject({
      workflows: 100,
      failedWorkflows: 0,
      modelAttempts: truth.all.attempts,
      agentCalls: 300,
      inputTokens: ok * USAGE.prompt,
      outputTokens: ok * USAGE.completion,
      attemptErrors: { error, rate_limit: rateLimit, timeout },
    });
    // Every failed request was retried: one retry each.
    expect(rowsOf(db, "SELECT sum(retries) AS retries FROM span_metrics WHERE operation = 'invoke_agent'")).toEqual([{ retries: error + rateLimit + timeout }]);

    const { agents, notes } = await calibrated(db);
    expect(Object.keys(agents).sort()).toEqual([...CHAIN_AGENTS].sort());
    for (const agent of CHAIN_AGENTS) expectFitToTruth(agents[agent], truth.byAgent[agent], run.observedMs[agent]);
    expect(notes).not.toContain('hide');
  });
});
