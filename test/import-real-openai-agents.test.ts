/**
 * Traces of the OpenAI Agents SDK (`@openai/agents` 0.14, on the `openai` 6 client) under
 * `@arizeai/openinference-instrumentation-openai`, each step an agent `run` inside an OpenInference
 * CHAIN span named for the agent, import to what the provider did. As with OpenInference alone, a
 * call that fails leaves no LLM span: its step span records the exception, and import and
 * calibrate count it as the step's failed attempt.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { expectImportWithUnexportedFailures } from './support/imported-chain.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-real-openai-agents-'));

describe('import of OpenAI Agents SDK traces through OpenInference', () => {
  it('counts workflows, attempts, agent calls, tokens and errors by kind as the provider served them, and calibrates to its rates and latencies', async () => {
    await expectImportWithUnexportedFailures('openai-agents', folder);
  });
});
