import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { patternDefinitions } from '../patterns/index.ts';
import { captureIo } from './support/capture-io.ts';
import { issuesOf, yaml } from './support/scenario-issues.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-speculation-bad-'));

/** A chain on lines 1–13 whose line 12, the second step, each case below replaces. */
function chainWith(step: string, outer = ['  sequential:']): string {
  return yaml(
    'name: bad-speculation',
    'agents:',
    '  researcher: { role: researches, model: small-fast }',
    '  drafter: { role: drafts, model: small-fast }',
    '  editor: { role: edits, model: small-fast }',
    'cases:',
    '  generate: { count: 5, labels: { a: 1 } }',
    'patterns:',
    ...outer,
    '    steps:',
    '      - researcher',
    step,
    '      - editor',
  );
}

const located = (text: string) => issuesOf(text, patternDefinitions).map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`);

describe('a speculative step with bad settings', () => {
  it.each([['validate'], ['run']])('speculating on a step that is not upstream: %s exits 2 at file:line:column and field, and writes nothing', async (command) => {
    const file = join(folder, `not-upstream-${command}.yaml`);
    const db = join(folder, `not-upstream-${command}.db`);
    writeFileSync(file, chainWith('      - { agent: drafter, speculate: { on: editor, predictability: 0.8 } }'));
    const io = captureIo();
    const args = command === 'run' ? ['run', file, '--db', db, '--quiet'] : ['validate', file];
    expect(await main(args, io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(
      `${file}:12:44 patterns.sequential.steps[1].speculate.on: 'editor' is not upstream of this step (it runs at or after it): a step speculates on the step right before it ('researcher')`,
    );
    expect(existsSync(db)).toBe(false);
    expect(io.stdout).toEqual([]);
  });

  it('accepts a speculation on the step right before (so the cases below fail for their own reason)', () => {
    const compiled = compileScenarioText(chainWith('      - { agent: drafter, speculate: { on: researcher, predictability: 0.8 } }'), 'good.yaml');
    expect(compiled.patterns.has('sequential')).toBe(true);
  });

  it.each([
    [
      'an unknown step',
      chainWith('      - { agent: drafter, speculate: { on: reseacher, predictability: 0.8 } }'),
      "12:44 patterns.sequential.steps[1].speculate.on: 'reseacher' names no step of this chain: a step speculates on the step right before it ('researcher')",
    ],
    [
      'a predictability above 1',
      chainWith('      - { agent: drafter, speculate: { on: researcher, predictability: 1.5 } }'),
      '12:72 patterns.sequential.steps[1].speculate.predictability: must be at most 1, got number 1.5',
    ],
    [
      'a negative predictability',
      chainWith('      - { agent: drafter, speculate: { on: researcher, predictability: -0.1 } }'),
      '12:72 patterns.sequential.steps[1].speculate.predictability: must be at least 0, got number -0.1',
    ],
    [
      'an unknown way to handle a miss',
      chainWith('      - { agent: drafter, speculate: { on: researcher, predictability: 0.5, onMiss: drop } }'),
      "12:85 patterns.sequential.steps[1].speculate.onMiss: must be one of 'discard', 'cancel', got string \"drop\"",
    ],
    [
      "the step's own agent",
      chainWith('      - { agent: researcher, speculate: { on: researcher, predictability: 0.5 } }'),
      "12:47 patterns.sequential.steps[1].speculate.on: 'researcher' is this step's own agent: a step cannot speculate on a call of its own agent",
    ],
    [
      'the first step',
      chainWith('      - drafter', ['  sequential:']).replace('      - researcher', '      - { agent: researcher, speculate: { on: drafter, predictability: 0.5 } }'),
      "11:47 patterns.sequential.steps[0].speculate.on: 'drafter' is not upstream of this step (it runs at or after it): a step speculates on the step right before it, and the first step has none",
    ],
  ])('%s is located at its field', (_name, text, expected) => {
    expect(located(text)).toEqual([expected]);
  });

  it('an inline pattern of a hybrid is located at its field', () => {
    const text = chainWith("      - { agent: drafter, speculate: { on: 'sequential.steps[0].fanout', predictability: 0.5 } }", ['  hybrid:', '   sequential:']).replace(
      '      - researcher',
      '      - fanout: { workers: [researcher, editor] }',
    );
    expect(located(text)).toEqual([
      "13:44 patterns.hybrid.sequential.steps[1].speculate.on: 'sequential.steps[0].fanout' is an inline pattern: a step speculates on an agent's call",
    ]);
  });

  it('a step further up the chain is located at its field', () => {
    const text = chainWith('      - drafter').replace(
      '      - editor',
      '      - { agent: editor, speculate: { on: researcher, predictability: 0.5 } }',
    );
    expect(located(text)).toEqual([
      "13:43 patterns.sequential.steps[2].speculate.on: 'researcher' is further up the chain: a step speculates on the step right before it ('drafter')",
    ]);
  });
});
