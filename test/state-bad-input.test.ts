import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { patternDefinitions } from '../patterns/index.ts';
import { captureIo } from './support/capture-io.ts';
import { issuesOf, yaml } from './support/scenario-issues.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-state-bad-'));

/** A valid scenario on lines 1–9 whose line 9, its `state:`, each case below replaces. */
function withState(state: string, fanout = 'fanout: { workers: [a, a] }'): string {
  return yaml(
    'name: bad-state',
    'agents:',
    '  a: { role: answers, model: small-fast }',
    'cases:',
    '  generate: { count: 5, labels: { yes: 1 } }',
    'patterns:',
    '  sequential: { steps: [a, a] }',
    `  ${fanout}`,
    state,
  );
}

const located = (text: string) => issuesOf(text, patternDefinitions).map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`);

describe('a bad state: section', () => {
  it('accepts each strategy, by name or as a map (so the cases below fail for their own reason)', () => {
    for (const state of ['state: central', 'state: bus', 'state: retrieval', 'state: { strategy: bus, messageLatency: { dist: lognormal, p50: 4ms, p95: 20ms }, partitions: 3 }']) {
      expect(compileScenarioText(withState(state), 'good.yaml').state?.strategy).toBe(state.includes('bus') ? 'bus' : state.slice(7));
    }
    expect(compileScenarioText(withState('state: retrieval'), 'good.yaml').state).toMatchObject({ topK: 5, tokensPerChunk: 200, recall: 1, queryLatencyMs: { kind: 'uniform', min: 50, max: 200 } });
  });

  it.each([
    ['an unknown strategy, by name', 'state: blackboard', "9:8 state: must be one of 'central', 'bus', 'retrieval', got string \"blackboard\""],
    ['an unknown strategy, in a map', 'state: { strategy: gossip }', '9:20 state.strategy: must be one of central, bus, retrieval, got string "gossip"'],
    ['a negative message latency', 'state: { strategy: bus, messageLatency: -5 }', '9:41 state.messageLatency: must be at least 0, got number -5'],
    ['a negative query latency', 'state: { strategy: retrieval, queryLatency: { dist: uniform, min: -50, max: 200 } }', '9:67 state.queryLatency.min: must be at least 0, got number -50'],
    ['recall above 1', 'state: { strategy: retrieval, recall: 1.5 }', '9:39 state.recall: must be at most 1, got number 1.5'],
    ['recall below 0', 'state: { strategy: retrieval, recall: -0.1 }', '9:39 state.recall: must be at least 0, got number -0.1'],
    ['topK 0', 'state: { strategy: retrieval, topK: 0 }', '9:37 state.topK: must be at least 1, got number 0'],
    ['a setting of another strategy', 'state: { strategy: central, topK: 3 }', "9:29 state.topK: unknown key 'topK' (allowed: strategy, overheadMsPerKb, bytesPerToken)"],
  ])('%s: located at its line, column and field', (_name, state, expected) => {
    expect(located(withState(state))).toEqual([expected]);
  });

  it('refuses fan-out sharedState under retrieval, where no merge of writes is modelled', () => {
    const text = withState('state: retrieval', "fanout: { workers: [a, a], sharedState: { mode: optimistic, writes: { a: [x] } } }");
    expect(located(text)).toEqual([
      '8:43 patterns.fanout.sharedState: sharedState write conflicts apply to state: central or bus; under state: retrieval agents read a shared store and no merge of their writes is modelled',
    ]);
    expect(compileScenarioText(withState('state: bus', "fanout: { workers: [a, a], sharedState: { mode: optimistic, writes: { a: [x] } } }"), 'good.yaml').state?.strategy).toBe('bus');
  });

  it('refuses sharedState of a fan-out nested in a hybrid under retrieval, at its own field', () => {
    const text = withState('state: retrieval', "hybrid: { sequential: { steps: [a, { fanout: { workers: [a, a], sharedState: { mode: partitioned, writes: { a: [x] } } } }] } }");
    expect(located(text).map((issue) => issue.replace(/: sharedState write.*$/, ''))).toEqual(['8:80 patterns.hybrid.sequential.steps[1].fanout.sharedState']);
  });

  it('a variant switching strategy replaces the base one whole; a bad one is located under the variant', () => {
    const base = withState('state: { strategy: bus, messageLatency: 5ms }');
    const good = compileScenarioText(`${base}variants:\n  rag: { state: { strategy: retrieval, topK: 2 } }\n  by-name: { state: central }\n`, 'good.yaml');
    expect(good.variants.get('rag')?.state).toMatchObject({ strategy: 'retrieval', topK: 2 });
    expect(good.variants.get('by-name')?.state).toMatchObject({ strategy: 'central' });
    expect(located(`${base}variants:\n  rag: { state: { strategy: retrieval, recall: 2 } }\n`)).toEqual(['11:48 variants.rag.state.recall: must be at most 1, got number 2']);
  });

  it.each([['validate'], ['run']])('%s exits 2 at file:line:column and field, and writes nothing', async (command) => {
    const file = join(folder, `recall-${command}.yaml`);
    const db = join(folder, `recall-${command}.db`);
    writeFileSync(file, withState('state: { strategy: retrieval, recall: 1.5 }'));
    const io = captureIo();
    const args = command === 'run' ? ['run', file, '--db', db, '--quiet'] : ['validate', file];
    expect(await main(args, io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(`${file}:9:39 state.recall: must be at most 1, got number 1.5`);
    expect(existsSync(db)).toBe(false);
    expect(io.stdout).toEqual([]);
  });
});
