/**
 * With only the model spans of a client that retries (`openai`, maxRetries 2) the provider's
 * failures vanish into successful calls: calibrate cannot see them, and says so, with how to
 * expose them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { chainTruth } from './support/chain-truth.ts';
import { calibrated, importedChain } from './support/imported-chain.ts';
import { runInstrumentedChain } from './support/instrumented-chain.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-hidden-retries-'));

describe('calibrate on client calls that retry inside', () => {
  it('warns that retries may be hidden and how to trace them', async () => {
    const truth = chainTruth(100, 2);
    const traces = join(folder, 'traces.jsonl');
    const run = await runInstrumentedChain({ emitter: 'opentelemetry', workflows: 100, maxRetries: 2, traces });
    expect(run.served).toEqual(truth.all.byFate);
    expect(truth.all.attempts).toBeGreaterThan(300);
    const db = join(folder, 'imported.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);
    // What the provider failed, the traces do not show.
    expect(importedChain(db)).toMatchObject({ modelAttempts: 300, attemptErrors: {} });

    const { notes } = await calibrated(db);
    expect(notes).toContain('hides its retries');
    expect(notes).toContain('@opentelemetry/instrumentation-undici');
  });
});
