import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runValidate } from '../harness/cli/validate.ts';
import { ScenarioError } from '../harness/kernel/errors.ts';
import { compileScenarioFile, compileScenarioText } from '../harness/run/load-scenario.ts';
import type { CompiledScenario } from '../harness/scenario/types.ts';

/** Line n of the YAML is element n − 1. */
function approvalDesk(outputs: { extractor?: string; validator?: string; approver?: string } = {}, more: readonly string[] = []): string {
  const declare = (name: keyof typeof outputs): string => (outputs[name] === undefined ? '' : `, outputs: ${outputs[name]}`);
  return [
    'name: approval-desk', //                                                                         1
    'agents:', //                                                                                     2
    `  extractor: { role: Extracts the order fields, model: small-fast${declare('extractor')} }`, //   3
    `  validator: { role: Checks the fields against the catalogue, model: small-fast${declare('validator')} }`, // 4
    `  approver: { role: Approves or holds the order, model: mid-tier${declare('approver')} }`, //     5
    'cases:', //                                                                                      6
    '  generate: { count: 20, labels: { approve: 3, hold: 1, reject: 1 } }', //                       7
    'patterns:', //                                                                                   8
    '  fanout:', //                                                                                   9
    '    workers: [extractor, validator, approver]', //                                               10
    '    merge: vote', //                                                                             11
    ...more,
    '',
  ].join('\n');
}

function located(issues: CompiledScenario['warnings']): string[] {
  return issues.map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`);
}

function rejection(text: string): string[] {
  let caught: unknown;
  try {
    compileScenarioText(text, 'desk.yaml');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ScenarioError);
  return located((caught as ScenarioError).issues);
}

const ROLES_WARNING =
  "fanout merges the label of agents with different roles (extractor, validator, approver): each is judged as if it answered the case's label. " +
  'If they answer the same question, declare the same `outputs:` on each; if not, chain them (sequential) or merge only the agents that answer it';

describe('merging the answers of agents that answer different things', () => {
  it('warns, at the first worker whose role differs, when a fan-out votes the case label across different roles', () => {
    const scenario = compileScenarioText(approvalDesk(), 'desk.yaml');
    expect(located(scenario.warnings)).toEqual([`10:26 patterns.fanout.workers[1]: ${ROLES_WARNING}`]);
    expect(scenario.warnings[0]?.file).toBe('desk.yaml');
  });

  it('rejects a merge of agents that declare different outputs, naming both', () => {
    expect(rejection(approvalDesk({ extractor: '[]', validator: '[]', approver: 'label' }))).toEqual([
      "10:37 patterns.fanout.workers[2]: merges agents that declare different outputs: 'extractor' (outputs: []) and 'approver' (outputs: [label]); " +
        'agents whose answers one pattern merges must declare the same outputs',
    ]);
  });

  it('says nothing when every merged agent declares the same outputs (an ensemble of different agents)', () => {
    const scenario = compileScenarioText(approvalDesk({ extractor: 'label', validator: '[label]', approver: '[label]' }), 'desk.yaml');
    expect(scenario.warnings).toEqual([]);
    expect(scenario.agents.get('extractor')?.outputs).toEqual(['label']);
    expect(scenario.agents.get('approver')?.outputs).toEqual(['label']);
  });

  it('says nothing for findings-only cases: findings merge domain by domain, each worker covering its own', () => {
    const text = approvalDesk()
      .replace('labels: { approve: 3, hold: 1, reject: 1 }', 'findings: { pool: [a:x, b:y] }')
      .replace('merge: vote', 'merge: concat');
    expect(compileScenarioText(text, 'desk.yaml').warnings).toEqual([]);
  });

  it("warns for a supervisor whose subtasks' workers have different roles", () => {
    const text = approvalDesk().replace(
      ['  fanout:', '    workers: [extractor, validator, approver]', '    merge: vote'].join('\n'),
      ['  supervisor:', '    supervisor: approver', '    subtasks:', '      - { name: fields, worker: extractor }', '      - { name: check, worker: validator }'].join('\n'),
    );
    expect(located(compileScenarioText(text, 'desk.yaml').warnings)).toEqual([
      '13:32 patterns.supervisor.subtasks[1].worker: supervisor merges the label of agents with different roles (extractor, validator): ' +
        "each is judged as if it answered the case's label. If they answer the same question, declare the same `outputs:` on each; " +
        'if not, chain them (sequential) or merge only the agents that answer it',
    ]);
  });

  it("reports a variant's own warning at the variant, and a warning it shares with the base once", () => {
    const scenario = compileScenarioText(
      approvalDesk({ extractor: 'label', validator: 'label', approver: 'label' }, [
        'variants:', //                                                 12
        '  shared:', //                                                 13
        '    description: the same desk', //                           14
        '  undeclared:', //                                             15
        '    agents: { extractor: { outputs: null }, validator: { outputs: null } }', // 16
      ]),
      'desk.yaml',
    );
    expect(scenario.variants.get('shared')?.warnings).toEqual([]);
    expect(located(scenario.variants.get('undeclared')!.warnings)).toEqual([`15:3 variants.undeclared.patterns.fanout.workers[1]: ${ROLES_WARNING}`]);
    // The scenario as written carries every warning of its file.
    expect(scenario.warnings).toEqual(scenario.variants.get('undeclared')?.warnings);

    const twice = compileScenarioText(approvalDesk({}, ['variants:', '  shared:', '    description: the same desk']), 'desk.yaml');
    expect(located(twice.warnings)).toEqual([`10:26 patterns.fanout.workers[1]: ${ROLES_WARNING}`]);
  });

  it('rejects an unknown output kind', () => {
    expect(rejection(approvalDesk({ approver: 'decision' }))).toEqual([
      `5:76 agents.approver.outputs: must be one of 'label', 'findings', 'value', got string "decision"`,
    ]);
  });
});

describe('validate prints warnings', () => {
  const folder = mkdtempSync(join(tmpdir(), 'patternbench-merge-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('as file:line:column field: warning: message on stderr, and still exits 0', () => {
    const file = join(folder, 'desk.yaml');
    writeFileSync(file, approvalDesk());
    const out: string[] = [];
    const err: string[] = [];
    expect(runValidate([file], { out: (line) => out.push(line), err: (line) => err.push(line) })).toBe(0);
    expect(out).toEqual([`ok ${file} (3 agents, 20 cases, patterns: fanout)`]);
    expect(err).toEqual([`${file}:10:26 patterns.fanout.workers[1]: warning: ${ROLES_WARNING}`]);
  });

  it('no shipped scenario warns', () => {
    const scenarios = new URL('../scenarios/', import.meta.url).pathname;
    const files = readdirSync(scenarios).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) expect([name, compileScenarioFile(join(scenarios, name)).warnings]).toEqual([name, []]);
  });
});
