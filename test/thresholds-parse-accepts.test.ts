import { describe, expect, it } from 'vitest';
import {
  parseThreshold, type DurationQuantity, type ScalarMetricName, type ThresholdMetric, type ThresholdOp, type ThresholdSpec, type ThresholdUnit,
} from '../harness/scenario/thresholds.ts';

type Row = readonly [text: string, expression: string, pattern: ThresholdSpec['pattern'], metric: ThresholdMetric, op: ThresholdOp, limit: number, unit: ThresholdUnit];

const p = (quantity: DurationQuantity, percentile: number): ThresholdMetric => ({ kind: 'percentile', quantity, percentile });
const scalar = (name: ScalarMetricName): ThresholdMetric => ({ kind: 'scalar', name });

/** Text → canonical expression, scope, metric, operator, and the limit in its unit. */
const ACCEPTED: readonly Row[] = [
  ['p95(latency) < 20s', 'p95(latency) < 20s', null, p('latency', 95), '<', 20_000, 'ms'],
  ['  fanout :  p99.9( service ) <= 1.5m ', 'fanout: p99.9(service) <= 1.5m', 'fanout', p('service', 99.9), '<=', 90_000, 'ms'],
  ['p050(latency)<250ms', 'p50(latency) < 250ms', null, p('latency', 50), '<', 250, 'ms'],
  ['p100(queue_wait) < 40us', 'p100(queue_wait) < 40us', null, p('queue_wait', 100), '<', 0.04, 'ms'],
  ['single-agent: mean(latency) > 0s', 'single-agent: mean(latency) > 0s', 'single-agent', { kind: 'mean', quantity: 'latency' }, '>', 0, 'ms'],
  ['max(service) <= 2h', 'max(service) <= 2h', null, { kind: 'max', quantity: 'service' }, '<=', 7_200_000, 'ms'],
  ['router:accuracy>=90%', 'router: accuracy >= 90%', 'router', scalar('accuracy'), '>=', 0.9, 'ratio'],
  ['success_rate > 0.99', 'success_rate > 0.99', null, scalar('success_rate'), '>', 0.99, 'ratio'],
  ['error_rate < 1', 'error_rate < 1', null, scalar('error_rate'), '<', 1, 'ratio'],
  ['dropped_rate < 1 %', 'dropped_rate < 1 %', null, scalar('dropped_rate'), '<', 0.01, 'ratio'],
  ['supervisor: cost_per_workflow < $0.05', 'supervisor: cost_per_workflow < $0.05', 'supervisor', scalar('cost_per_workflow'), '<', 0.05, 'usd'],
  ['cost_per_correct <= 0.1', 'cost_per_correct <= 0.1', null, scalar('cost_per_correct'), '<=', 0.1, 'usd'],
  ['tokens_per_workflow <= 1.5e3', 'tokens_per_workflow <= 1.5e3', null, scalar('tokens_per_workflow'), '<=', 1500, 'count'],
  ['retries_per_workflow < .5', 'retries_per_workflow < .5', null, scalar('retries_per_workflow'), '<', 0.5, 'count'],
  ['sequential: throughput >= 30/s', 'sequential: throughput >= 30/s', 'sequential', scalar('throughput'), '>=', 30, 'per_second'],
  ['throughput > 12.5', 'throughput > 12.5', null, scalar('throughput'), '>', 12.5, 'per_second'],
];

describe('parseThreshold accepts the grammar', () => {
  for (const [text, expression, pattern, metric, op, limit, unit] of ACCEPTED) {
    it(`parses ${JSON.stringify(text)}`, () => {
      expect(parseThreshold(text)).toEqual({ ok: true, threshold: { expression, pattern, metric, metricText: expect.any(String), op, limit, unit } });
    });
  }

  it('names the metric canonically', () => {
    const texts = ['p99.9( service ) < 1s', 'p050(latency) < 1s', 'mean(queue_wait) < 1s', 'accuracy > 0.5'];
    expect(texts.map((text) => {
      const result = parseThreshold(text);
      return result.ok ? result.threshold.metricText : result.message;
    })).toEqual(['p99.9(service)', 'p50(latency)', 'mean(queue_wait)', 'accuracy']);
  });
});
