/**
 * Traces of the official `openai` client under `@arizeai/openinference-instrumentation-openai`
 * (OpenInference conventions: `llm.*` attributes, `openinference.span.kind`; agents as AGENT spans
 * with `agent.name` under a CHAIN root)
 * import to what the provider did. This instrumentation never ends the span of a call that
 * rejects, so a failed attempt shows only on its agent call, which records the exception: import
 * reads that call as holding an unexported failed attempt, and calibrate counts it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { expectImportWithUnexportedFailures } from './support/imported-chain.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-real-openinference-'));

describe('import of @arizeai/openinference-instrumentation-openai traces', () => {
  it('counts workflows, attempts, agent calls, tokens and errors by kind as the provider served them, and calibrates to its rates and latencies', async () => {
    await expectImportWithUnexportedFailures('openinference', folder);
  });
});
