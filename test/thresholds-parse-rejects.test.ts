import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../harness/scenario/thresholds.ts';

const METRICS = 'pN(latency), pN(service), pN(queue_wait), mean(…), max(…), accuracy, success_rate, error_rate, dropped_rate, '
  + 'cost_per_workflow, cost_per_correct, tokens_per_workflow, retries_per_workflow, throughput';
const PATTERNS = 'sequential, fanout, router, supervisor, single-agent, hybrid';
const DURATION = 'p95(latency) takes a duration with a unit, e.g. 20s or 250ms';
const RATE = 'accuracy takes a fraction between 0 and 1 or a percentage, e.g. 0.9 or 90%';

/** Text → the exact message: what is wrong, where, and what would be right. */
const REJECTED: readonly (readonly [string, string])[] = [
  ['  ', 'empty threshold; expected [pattern:] metric op value, e.g. "p95(latency) < 20s" or "router: accuracy >= 0.9"'],
  ['p95(latency) 20s', 'no comparison in "p95(latency) 20s"; expected [pattern:] metric op value with op <, <=, > or >=, '
    + 'e.g. "p95(latency) < 20s" or "router: accuracy >= 0.9"'],
  ['p95(latency) = 20s', '"=" is not a comparison; use <, <=, > or >='],
  ['p95(latency) == 20s', '"==" is not a comparison; use <, <=, > or >='],
  ['error_rate != 0', '"!=" is not a comparison; use <, <=, > or >='],
  ['p95(latency) =< 20s', '"=<" is not a comparison; use <, <=, > or >='],
  ['0 < error_rate < 1', 'only one comparison is allowed; found "<" and then "<"'],
  ['routr: accuracy > 0.9', `unknown pattern "routr" before ":"; patterns are ${PATTERNS}`],
  [': accuracy > 0.9', `missing pattern before ":"; patterns are ${PATTERNS}`],
  ['router: < 3', `missing metric before "<"; metrics are ${METRICS}`],
  ['Accuracy > 0.9', `unknown metric "Accuracy"; metrics are ${METRICS}`],
  ['latency < 20s', '"latency" needs a statistic: p95(latency), mean(latency) or max(latency)'],
  ['p95 < 20s', '"p95" needs a quantity: p95(latency), p95(service) or p95(queue_wait)'],
  ['max > 1s', '"max" needs a quantity: max(latency), max(service) or max(queue_wait)'],
  ['p(95) < 500', "write the percentile into the name: p95(latency), not k6's p(95)"],
  ['avg(latency) < 1s', 'unknown statistic "avg" in "avg(latency)"; use pN (e.g. p95, p99.9), mean or max'],
  ['p95(latncy) < 1s', 'unknown quantity "latncy" in "p95(latncy)"; use latency (intended start → end), service (start → end) or queue_wait'],
  ['p0(latency) < 1s', 'percentile p0 is out of range; N must be above 0 and at most 100'],
  ['p100.5(latency) < 1s', 'percentile p100.5 is out of range; N must be above 0 and at most 100'],
  ['p95(latency) <', `missing value after "<" (${DURATION})`],
  ['p95(latency) < 500', `"500" has no unit: ${DURATION}`],
  ['p95(latency) < 3 sec', `"3 sec" is not a duration: ${DURATION}`],
  ['p95(latency) < -1s', `"-1s" is not a duration: ${DURATION}`],
  ['accuracy > 90', `90 is above 1 (write 90% for a percentage): ${RATE}`],
  ['accuracy > 101%', `"101%" is above 100%: ${RATE}`],
  ['accuracy > high', `"high" is not a rate: ${RATE}`],
  ['cost_per_workflow < 5%', '"5%" is a percentage, allowed only for rates (accuracy, success_rate, error_rate, dropped_rate): '
    + 'cost_per_workflow takes US dollars, e.g. 0.05 or $0.05'],
  ['cost_per_workflow < -1', '"-1" is not a non-negative number: cost_per_workflow takes US dollars, e.g. 0.05 or $0.05'],
  ['throughput > 30/min', '"30/min" is not a non-negative number: throughput takes workflows per second, e.g. 30 or 30/s'],
  ['tokens_per_workflow < 1k', '"1k" is not a non-negative number: tokens_per_workflow takes a number, e.g. 1500'],
];

describe('parseThreshold rejects bad thresholds with a precise message', () => {
  for (const [text, message] of REJECTED) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      expect(parseThreshold(text)).toEqual({ ok: false, message });
    });
  }
});
