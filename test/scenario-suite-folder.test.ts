import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatScenarioIssue, HarnessError, ScenarioError } from '../harness/kernel/errors.ts';
import { loadSuite } from '../harness/run/load-scenario.ts';
import { ONLY_SEQUENTIAL } from './support/scenario-issues.ts';

const fixtures = new URL('./fixtures/scenarios/', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'patternbench-suite-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function thrown(run: () => unknown): unknown {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  return caught;
}

describe('loadSuite', () => {
  it('loads every *.yaml and *.yml file of a folder, sorted by file name, ignoring other files', () => {
    const scenarios = loadSuite(join(fixtures, 'suite'), { patterns: ONLY_SEQUENTIAL });
    expect(scenarios.map((scenario) => scenario.name)).toEqual(['legal-review', 'ticket-triage']);
    expect(scenarios.map((scenario) => scenario.file)).toEqual([join(fixtures, 'suite', 'a-legal.yml'), join(fixtures, 'suite', 'b-triage.yaml')]);
  });

  it('loads a single file', () => {
    expect(loadSuite(join(fixtures, 'minimal.yaml'), { patterns: ONLY_SEQUENTIAL }).map((scenario) => scenario.name)).toEqual(['minimal']);
  });

  it('throws one ScenarioError with the issues of every invalid file', () => {
    const error = thrown(() => loadSuite(join(fixtures, 'invalid-suite'), { patterns: ONLY_SEQUENTIAL }));
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).issues.map(formatScenarioIssue)).toEqual([
      `${join(fixtures, 'invalid-suite', 'one.yaml')}:6:5 agents.solo.skil: unknown key 'skil' (did you mean 'skill'?)`,
      `${join(fixtures, 'invalid-suite', 'two.yaml')}:5:12 agents.solo.model: unknown model profile 'gpt-9'; known: bert-classifier, frontier, mid-tier, rule-based, small-fast`,
    ]);
  });

  it('rejects two scenarios with the same name', () => {
    const folder = mkdtempSync(join(scratch, 'twins-'));
    const body = 'agents: {solo: {role: r, model: frontier}}\ncases: {inline: [{expected: {label: a}}]}\npatterns: {sequential: {steps: [solo]}}\n';
    writeFileSync(join(folder, 'a.yaml'), `name: twin\n${body}`);
    writeFileSync(join(folder, 'b.yaml'), `name: twin\n${body}`);
    const error = thrown(() => loadSuite(folder, { patterns: ONLY_SEQUENTIAL }));
    expect((error as ScenarioError).issues.map(formatScenarioIssue)).toEqual([
      `${join(folder, 'b.yaml')}:1:1 name: scenario name 'twin' is already used by ${join(folder, 'a.yaml')}`,
    ]);
  });

  it('a folder without scenario files is SCENARIO_NOT_FOUND', () => {
    const empty = mkdtempSync(join(scratch, 'empty-'));
    writeFileSync(join(empty, 'README.md'), 'no scenarios here');
    const error = thrown(() => loadSuite(empty));
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ code: 'SCENARIO_NOT_FOUND', message: `no scenario files (*.yaml, *.yml) in folder ${empty}` });
  });

  it('a path that does not exist is SCENARIO_NOT_FOUND', () => {
    expect(thrown(() => loadSuite(join(scratch, 'nowhere')))).toMatchObject({ code: 'SCENARIO_NOT_FOUND' });
  });
});
