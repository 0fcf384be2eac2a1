import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { patternDefinitions } from '../patterns/index.ts';
import { captureIo } from './support/capture-io.ts';
import { issuesOf, yaml } from './support/scenario-issues.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-batch-bad-'));

/** A valid scenario whose line 5 is the extractor's `batch:` (or, with `extra`, line 5 something else and line 6 the batch). */
function withBatch(batch: string, extra: string[] = []): string {
  return yaml(
    'name: bad-batch',
    'agents:',
    '  extractor:',
    '    { role: extracts, model: small-fast,',
    ...extra,
    `      batch: ${batch} }`,
    'cases:',
    '  generate: { count: 5, labels: { a: 1 } }',
    'patterns:',
    '  single-agent: { agent: extractor }',
  );
}

const located = (text: string) => issuesOf(text, patternDefinitions).map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`);

describe('a bad batch: setting', () => {
  it.each([['validate'], ['run']])('a batch size of 0: %s exits 2 at file:line:column and field, and writes nothing', async (command) => {
    const file = join(folder, `size-0-${command}.yaml`);
    const db = join(folder, `size-0-${command}.db`);
    writeFileSync(file, withBatch('{ size: 0, wait: 30s }'));
    const io = captureIo();
    const args = command === 'run' ? ['run', file, '--db', db, '--quiet'] : ['validate', file];
    expect(await main(args, io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(`${file}:5:22 agents.extractor.batch.size: must be at least 1, got number 0`);
    expect(existsSync(db)).toBe(false);
    expect(io.stdout).toEqual([]);
  });

  it('accepts the unbroken scenario (so the cases below fail for their own reason)', () => {
    expect(compileScenarioText(withBatch('{ size: 5, wait: 30s }'), 'good.yaml').agents.get('extractor')?.batch).toEqual({ size: 5, waitMs: 30_000, accuracyLoss: 0, retry: 'batch' });
  });

  it.each([
    ['a negative size', withBatch('{ size: -2 }'), '5:22 agents.extractor.batch.size: must be at least 1, got number -2'],
    ['a fractional size', withBatch('{ size: 2.5 }'), '5:22 agents.extractor.batch.size: must be a whole number, got number 2.5'],
    ['a range for size', withBatch('{ size: "5..10" }'), '5:22 agents.extractor.batch.size: must be a number, got string "5..10"'],
    ['a negative wait', withBatch('{ size: 5, wait: -1 }'), '5:31 agents.extractor.batch.wait: must be at least 0, got number -1'],
    ['an accuracy loss above 1', withBatch('{ size: 5, accuracyLoss: 2 }'), '5:39 agents.extractor.batch.accuracyLoss: must be at most 1, got number 2'],
    ['an unknown retry mode', withBatch('{ size: 5, retry: each }'), '5:32 agents.extractor.batch.retry: must be one of \'batch\', \'item\', got string "each"'],
    ['an agent with tools', withBatch('{ size: 5 }', ['      tools: [lookup],']), "6:7 agents.extractor.batch: an agent with tools cannot batch (each item's tool calls would need turns of their own)"],
  ])('%s is reported at its field', (_, text, message) => {
    expect(located(text)).toEqual([message]);
  });
});
