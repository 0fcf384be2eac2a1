/**
 * The decision a scenario's results support (`decide`, `scenarioDecisions`): the cheapest viable
 * pattern per correct answer, what it trades away, and never a failed pattern named best — in the
 * terminal summary (every format) and the HTML report alike.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { collectReportData } from '../reports/html/data.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { decide, type DecisionCandidate } from '../reports/summary/decision.ts';
import { captureIo } from './support/capture-io.ts';

function candidate(label: string, fields: Partial<DecisionCandidate>): DecisionCandidate {
  return { label, failing: [], costPerCorrectUsd: 0.1, accuracy: 0.9, p95Ms: 1000, successRate: 1, ...fields };
}

describe('decide', () => {
  it('names the cheapest viable pattern per correct answer and what it really trades away', () => {
    const decision = decide(
      [
        candidate('single-agent', { failing: ['success 10.0% < 95.0%'], costPerCorrectUsd: 0.01 }),
        candidate('router', { costPerCorrectUsd: 0.1, accuracy: 0.9, p95Ms: 9000, accuracyInterval: { lo: 0.88, hi: 0.92 } }),
        candidate('supervisor', { costPerCorrectUsd: 0.2, accuracy: 0.95, p95Ms: 6000, accuracyInterval: { lo: 0.93, hi: 0.96 } }),
      ],
      0.95,
    );
    expect(decision).toEqual({
      best: 'router',
      sentence:
        'router is the cheapest per correct answer among the 2 patterns that meet every threshold and complete at least 95.0% of their arrivals: ' +
        '$0.1000, 50% below supervisor ($0.2000). It trades away accuracy (90.0% against 95.0% for supervisor) and p95 latency (9.00s against 6.00s for supervisor). ' +
        'Not viable: single-agent (success 10.0% < 95.0%).',
    });
  });

  it('claims no trade-off the intervals cannot support', () => {
    const decision = decide(
      [
        candidate('router', { costPerCorrectUsd: 0.1, accuracy: 0.9, accuracyInterval: { lo: 0.84, hi: 0.95 } }),
        candidate('supervisor', { costPerCorrectUsd: 0.2, accuracy: 0.92, accuracyInterval: { lo: 0.86, hi: 0.96 } }),
      ],
      0.95,
    );
    expect(decision.sentence).toMatch(/It gives up nothing measured here\.$/);
  });

  it('never names a failed pattern best, even the cheapest', () => {
    const decision = decide(
      [candidate('fanout', { failing: ['success 50.0% < 95.0%'], costPerCorrectUsd: 0.01 }), candidate('router', { failing: ['p95(latency) < 1s failed'] })],
      0.95,
    );
    expect(decision.best).toBeNull();
    expect(decision.sentence).toBe(
      'No pattern is viable: none meets every threshold and completes at least 95.0% of its arrivals. ' +
        'Not viable: fanout (success 50.0% < 95.0%), router (p95(latency) < 1s failed).',
    );
  });

  it('does not claim thresholds were met when none were set', () => {
    expect(decide([candidate('a', {}), candidate('b', { costPerCorrectUsd: 0.2 })], 0.95, false).sentence).toMatch(
      /^a is the cheapest per correct answer among the 2 patterns that complete at least 95\.0% of their arrivals \(no thresholds set\): /,
    );
  });

  it('says when the only viable pattern wins by default, and when two tie after rounding', () => {
    expect(decide([candidate('a', {}), candidate('b', { failing: ['x failed'] })], 0.9).sentence).toBe(
      'a is the only pattern that meets every threshold and completes at least 90.0% of its arrivals, at $0.1000 per correct answer. Not viable: b (x failed).',
    );
    expect(decide([candidate('a', { costPerCorrectUsd: 0.10001 }), candidate('b', { costPerCorrectUsd: 0.1 })], 0.95).sentence).toMatch(
      /^b and a tie on cost per correct answer \(\$0\.1000\)/,
    );
  });
});

const SCENARIO = `name: flaky-choice
minSuccess: 90%
thresholds: ['p95(latency) < 10m']
agents:
  steady: { role: answers, model: mid-tier, skill: 0.9, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  flaky: { role: answers cheaply, model: small-fast, skill: 0.9, faults: { error: 0.5, timeout: 0, rateLimit: 0 }, retry: { attempts: 1 } }
cases:
  generate: { count: 200, labels: { yes: 0.5, no: 0.5 } }
patterns:
  single-agent: { agent: flaky }
  sequential: { steps: [steady] }
`;

describe('scenarioDecisions on a run', () => {
  it('prints the decision last in the terminal, carries it in json, and the report leads with the same sentence', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-decision-'));
    const file = join(folder, 'flaky-choice.yaml');
    writeFileSync(file, SCENARIO);
    const db = join(folder, 'flaky.db');
    const io = captureIo();
    expect(await main(['run', file, '--db', db, '--no-report', '--quiet'], io)).toBe(0);
    const out = io.stdout.join('\n');
    const line = out.slice(out.indexOf('decision ('));
    // The flaky single agent is far cheaper per answer but completes about half of its arrivals.
    expect(line).toMatch(/flaky-choice: sequential is the only pattern that meets every threshold and completes at least 90\.0% of its arrivals, at \$[\d.]+ per correct answer\. Not viable: single-agent \(success [45]\d\.\d% < 90\.0%\)\./);
    const json = captureIo();
    expect(await main(['summary', db, '--format', 'json'], json)).toBe(0);
    const document = JSON.parse(json.stdout.join('\n')) as { decision: { scenario: string; best: string | null; sentence: string }[] };
    expect(document.decision.map((row) => [row.scenario, row.best])).toEqual([['flaky-choice', 'sequential']]);
    const handle = openDatabase(db, { readonly: true });
    try {
      const report = collectReportData(handle).scenarios[0];
      expect(report?.decision.sentence).toBe(document.decision[0]?.sentence);
      expect(report?.matrix.find((row) => row.pattern === 'single-agent')?.best).toEqual([]);
    } finally {
      handle.close();
    }
  });
});
