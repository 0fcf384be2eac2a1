import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { MAX_NESTING_DEPTH } from '../harness/scenario/composition.ts';
import { patternDefinitions } from '../patterns/index.ts';
import { captureIo } from './support/capture-io.ts';
import { issuesOf, yaml } from './support/scenario-issues.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-hybrid-bad-'));

/** A valid hybrid on lines 1–14 whose line 13, the chain's middle step, each case below replaces. */
function hybridWith(step = '        - fanout: { workers: [specialist, specialist] }', outer = ['  hybrid:', '    sequential:', '      steps:']): string {
  return yaml(
    'name: bad-hybrid',
    'agents:',
    '  classifier: { role: classifies, model: small-fast }',
    '  specialist: { role: handles, model: small-fast }',
    '  writer: { role: writes, model: small-fast }',
    'cases:',
    '  generate: { count: 5, labels: { a: 1 } }',
    'patterns:',
    ...outer,
    '        - classifier',
    step,
    '        - writer',
  );
}

/** Every issue of `text`, as `line:column field: message`. */
const located = (text: string) => issuesOf(text, patternDefinitions).map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`);

describe('a hybrid with a bad nested pattern', () => {
  it.each([['validate'], ['run']])('naming an unknown agent: %s exits 2 at file:line:column and field, and writes nothing', async (command) => {
    const file = join(folder, `unknown-agent-${command}.yaml`);
    const db = join(folder, `unknown-agent-${command}.db`);
    writeFileSync(file, hybridWith('        - fanout: { workers: [specialist, auditor] }'));
    const io = captureIo();
    const args = command === 'run' ? ['run', file, '--db', db, '--quiet'] : ['validate', file];
    expect(await main(args, io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(
      `${file}:13:43 patterns.hybrid.sequential.steps[1].fanout.workers[1]: agent 'auditor' is not defined`,
    );
    expect(existsSync(db)).toBe(false);
    expect(io.stdout).toEqual([]);
  });

  it('accepts the unbroken scenario (so the cases below fail for their own reason)', () => {
    expect(compileScenarioText(hybridWith(), 'good.yaml').patterns.has('hybrid')).toBe(true);
  });

  it.each([
    [
      'an unknown pattern, with a suggestion',
      hybridWith('        - fanot: { workers: [specialist] }'),
      "13:11 patterns.hybrid.sequential.steps[1].fanot: unknown pattern 'fanot' (did you mean 'fanout'?); known: fanout, router, sequential, single-agent, supervisor",
    ],
    [
      'a hybrid inside a hybrid',
      hybridWith('        - hybrid: { fanout: { workers: [specialist] } }'),
      "13:11 patterns.hybrid.sequential.steps[1].hybrid: 'hybrid' does not nest: name the pattern itself (sequential, fanout, router, supervisor or single-agent)",
    ],
    [
      'two patterns in one slot',
      hybridWith('        - { fanout: { workers: [specialist] }, router: { classifier: classifier } }'),
      '13:11 patterns.hybrid.sequential.steps[1]: must name exactly one pattern, as in { fanout: { workers: [...] } } (got fanout, router)',
    ],
    [
      "a setting its own pattern's schema refuses",
      hybridWith('        - fanout: { workers: [specialist], quorum: 2 }'),
      '13:52 patterns.hybrid.sequential.steps[1].fanout.quorum: must not exceed the number of workers (1)',
    ],
    [
      'an unknown key in the nested configuration',
      hybridWith('        - fanout: { workers: [specialist], mege: vote }'),
      "13:44 patterns.hybrid.sequential.steps[1].fanout.mege: unknown key 'mege' (did you mean 'merge'?)",
    ],
  ])('%s: one located issue', (_name, text, expected) => {
    expect(located(text)).toEqual([expected]);
  });

  it('refuses an inline pattern under a pure pattern: composing makes a hybrid, its own row', () => {
    const text = hybridWith(undefined, ['  sequential:', '    steps:']);
    expect(located(text)).toEqual([
      "12:11 patterns.sequential.steps[1]: an inline pattern makes a composed pattern: write it under 'patterns.hybrid' (hybrid: { sequential: { … } }), so that it is compared as its own row",
    ]);
  });

  it(`cannot name a cycle (inline patterns name no other pattern), and nests at most ${MAX_NESTING_DEPTH} deep`, () => {
    // Depth d: a chain whose second step is a chain whose second step is … (d levels below the outer).
    const nest = (depth: number): string => (depth === 0 ? 'specialist' : `{ sequential: { steps: [classifier, ${nest(depth - 1)}] } }`);
    const at = (depth: number) => hybridWith(`        - ${nest(depth)}`);
    expect(compileScenarioText(at(MAX_NESTING_DEPTH), 'deep.yaml').patterns.has('hybrid')).toBe(true);
    const [issue, ...others] = located(at(MAX_NESTING_DEPTH + 1));
    expect(others).toEqual([]);
    const path = Array.from({ length: MAX_NESTING_DEPTH }, () => 'sequential.steps[1]').join('.');
    expect(issue).toMatch(
      new RegExp(`^13:\\d+ patterns\\.hybrid\\.sequential\\.steps\\[1\\]\\.${path.replace(/[.[\]]/g, '\\$&')}\\.sequential: patterns nest at most ${MAX_NESTING_DEPTH} deep; this one is ${MAX_NESTING_DEPTH + 1} deep$`),
    );
  });
});
