/**
 * Traces of the official `openai` client under `@traceloop/instrumentation-openai` (GenAI
 * conventions; agents as Traceloop agent spans, `traceloop.span.kind` / `traceloop.entity.name`)
 * import to what the provider did. This instrumentation never ends the span of a call that
 * rejects, so a failed attempt shows only on its agent call, which records the exception: import
 * reads that call as holding an unexported failed attempt, and calibrate counts it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrated, expectImportWithUnexportedFailures } from './support/imported-chain.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-real-traceloop-'));

describe('import of @traceloop/instrumentation-openai traces', () => {
  it('counts workflows, attempts, agent calls, tokens and errors by kind as the provider served them, and calibrates to its rates and latencies', async () => {
    const { traces, agents } = await expectImportWithUnexportedFailures('traceloop', folder);
    // The trace file itself calibrates to the same profiles.
    expect((await calibrated(traces)).agents).toEqual(agents);
  });
});
