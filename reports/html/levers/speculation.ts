/**
 * A scenario's speculation section, as `patternbench run` prints its speculation block
 * (`summariseSpeculation`): per speculative chain step, every run that speculates — hits, misses,
 * latency saved per workflow (the overlap on a hit), tokens and cost thrown away, and mean latency
 * and cost per correct answer against the same seed without speculation. Every number carries its
 * raw value in `data-value` and its field in `data-field`, so a test can check the page against the file.
 */
import { escapeHtml } from '../page.ts';
import { count, duration, fieldCell, headerRow, scrollTable, seriesLabel, textCell } from '../tables.ts';
import { formatUsd } from '../../summary/format.ts';
import type { RunSpeculation } from '../../summary/levers/speculation.ts';

const HEADERS: readonly (readonly [string, string])[] = [
  ['run', 'pattern (variant) and seed'],
  ['hits', 'workflows whose prediction was right: the speculative result was used'],
  ['misses', 'workflows whose prediction was wrong: the speculative call was thrown away and the step ran again on the real input'],
  ['failed', 'the speculative call (or the step it speculated on) failed'],
  ['hit share', 'hits ÷ workflows that reached the step'],
  ['saved/wf', 'latency the step saved per workflow: on a hit, the overlap of the two calls (the shorter of them); nothing on a miss'],
  ['wasted tokens', 'input + output tokens of the speculative calls thrown away (billed)'],
  ['wasted $', 'cost of the speculative calls thrown away'],
  ['waste/correct', 'wasted cost ÷ correct answers of the run'],
  ['mean latency', 'mean workflow latency of the run'],
  ['plain', 'mean workflow latency of the same pattern and seed without speculation (its variant in the title)'],
  ['cost/correct', 'total cost ÷ correct answers of the run'],
  ['plain cost/correct', 'cost per correct answer of the same pattern and seed without speculation'],
];

function row(run: RunSpeculation): string {
  const share = run.workflows > 0 ? run.hits / run.workflows : null;
  return [
    `<tr data-run-id="${escapeHtml(run.runId)}">`,
    textCell(`${seriesLabel(run)} · seed ${run.seed}`),
    fieldCell(count(run.hits), run.hits, 'hits'),
    fieldCell(count(run.misses), run.misses, 'misses'),
    fieldCell(count(run.failed), run.failed, 'failed'),
    fieldCell(share === null ? '–' : `${(share * 100).toFixed(1)} %`, share, 'hit_share'),
    fieldCell(duration(run.savedMsPerWorkflow), run.savedMsPerWorkflow, 'saved_ms_per_workflow'),
    fieldCell(count(run.wastedTokens), run.wastedTokens, 'wasted_tokens'),
    fieldCell(formatUsd(run.wastedCostUsd), run.wastedCostUsd, 'wasted_cost_usd'),
    fieldCell(formatUsd(run.wastedCostPerCorrectUsd), run.wastedCostPerCorrectUsd, 'wasted_cost_per_correct_usd'),
    fieldCell(duration(run.meanLatencyMs), run.meanLatencyMs, 'mean_latency_ms'),
    fieldCell(duration(run.plainMeanLatencyMs), run.plainMeanLatencyMs, 'plain_mean_latency_ms'),
    fieldCell(formatUsd(run.costPerCorrectUsd), run.costPerCorrectUsd, 'cost_per_correct_usd'),
    fieldCell(formatUsd(run.plainCostPerCorrectUsd), run.plainCostPerCorrectUsd, 'plain_cost_per_correct_usd'),
    '</tr>',
  ].join('');
}

/** The speculation section of a scenario's runs (`rows` of that scenario); empty string when none speculates. */
export function speculationTables(rows: readonly RunSpeculation[], id: string): string {
  if (rows.length === 0) return '';
  const steps = [...new Set(rows.map((run) => run.step))];
  const head = headerRow(HEADERS, (column) => column < 1);
  return [
    '<h3>Speculation</h3>',
    '<p class="note">A speculative chain step starts beside the step right before it, on a predicted output of that step. ' +
      'On a hit its result is used and the two calls overlap; on a miss its call is thrown away (billed: waste) and the step runs again on the real output. ' +
      'The answer is the one the chain gives without speculation, so accuracy is unchanged; what changes is latency (lower) and cost (higher by the waste).</p>',
    ...steps.map((step, index) => {
      const group = rows.filter((run) => run.step === step);
      const plain = group.find((run) => run.plainVariant !== null)?.plainVariant ?? null;
      const body = group.map(row);
      const title = `${step}${plain === null ? '' : ` — plain: ${plain}`}`;
      return `<p><strong>${escapeHtml(title)}</strong></p>\n${scrollTable(`${id}-${index}`, head, body)}`;
    }),
  ].join('\n');
}
