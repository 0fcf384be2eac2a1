/**
 * Traces of the official `openai` client under `@opentelemetry/instrumentation-openai` 0.21 (GenAI
 * conventions, `gen_ai.system`, error classes as `error.type`), with the agents as plain step spans,
 * import to what the provider did, and calibrate to its rates and latencies.
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

const folder = mkdtempSync(join(tmpdir(), 'patternbench-real-otel-'));

describe('import of @opentelemetry/instrumentation-openai traces', () => {
  it('counts workflows, attempts, agent calls, tokens and errors by kind as the provider served them, and calibrates to its rates and latencies', async () => {
    const truth = chainTruth(100, 0);
    const traces = join(folder, 'traces.jsonl');
    const run = await runInstrumentedChain({ emitter: 'opentelemetry', workflows: 100, maxRetries: 0, traces });
    expect(run.served).toEqual(truth.all.byFate);
    const db = join(folder, 'imported.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);

    const ok = truth.all.byFate.ok;
    expect(importedChain(db)).toMatchObject({
      workflows: 100,
      failedWorkflows: truth.failedWorkflows,
      failedSteps: truth.failedSteps,
      modelAttempts: 300,
      agentCalls: 300,
      inputTokens: ok * USAGE.prompt,
      outputTokens: ok * USAGE.completion,
      attemptErrors: { error: truth.all.byFate.error, rate_limit: truth.all.byFate.rate_limit, timeout: truth.all.byFate.timeout },
    });

    const { agents } = await calibrated(db);
    expect(Object.keys(agents).sort()).toEqual([...CHAIN_AGENTS].sort());
    for (const agent of CHAIN_AGENTS) expectFitToTruth(agents[agent], truth.byAgent[agent], run.observedMs[agent]);
  });
});
