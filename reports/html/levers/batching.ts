/**
 * A scenario's batching section, as `patternbench run` prints its batching block
 * (`summariseBatching`): per batched agent, every run of the scenario — batched or not, under the
 * same arrivals — with its batches, items per batch, mean wait, cost per item (and its saving
 * against the base variant unbatched), cost per workflow and p95 latency. Every number carries its
 * raw value in `data-value` and its field in `data-field`, so a test can check the page against the file.
 */
import { escapeHtml } from '../page.ts';
import { count, duration, fieldCell, headerRow, scrollTable, seriesLabel, textCell } from '../tables.ts';
import { formatUsd } from '../../summary/format.ts';
import { formatBatchPolicy, type RunBatching } from '../../summary/levers/batching.ts';

const HEADERS: readonly (readonly [string, string])[] = [
  ['run', 'pattern (variant) and seed'],
  ['batching', 'the agent’s batch: the largest batch · the longest wait for it to fill; off = each call alone'],
  ['batches', 'batches sent (model calls that carried items), over the kept traces'],
  ['items/batch', 'items per batch, over the kept traces'],
  ['mean wait', 'mean wait of an item for its batch to go out (counted in its latency), over the kept traces'],
  ['cost/item', 'the agent’s billed cost ÷ its calls: its own tokens and an equal share of the batch’s prompt'],
  ['vs base', 'cost per item against the base variant without batching, same pattern and seed'],
  ['cost/wf', 'mean cost per workflow'],
  ['p95', 'p95 workflow latency from the intended start (every workflow meant to run)'],
];

function row(run: RunBatching): string {
  const perBatch = run.batches === null || run.batchedItems === null ? null : run.batchedItems / run.batches;
  const saving = run.savingPerItem === null ? '–' : `${run.savingPerItem >= 0 ? '−' : '+'}${Math.abs(run.savingPerItem * 100).toFixed(1)} %`;
  return [
    `<tr data-run-id="${escapeHtml(run.runId)}">`,
    textCell(`${seriesLabel(run)} · seed ${run.seed}`),
    textCell(formatBatchPolicy(run)),
    fieldCell(count(run.batches), run.batches, 'batches'),
    fieldCell(count(perBatch, 2), perBatch, 'items_per_batch'),
    fieldCell(duration(run.meanWaitMs), run.meanWaitMs, 'mean_wait_ms'),
    fieldCell(formatUsd(run.costPerItemUsd), run.costPerItemUsd, 'cost_per_item_usd'),
    fieldCell(saving, run.savingPerItem, 'saving_per_item'),
    fieldCell(formatUsd(run.costPerWorkflowUsd), run.costPerWorkflowUsd, 'cost_per_workflow_usd'),
    fieldCell(duration(run.latencyP95Ms), run.latencyP95Ms, 'latency_p95_ms'),
    '</tr>',
  ].join('');
}

/** The batching section of a scenario's runs (`rows` of that scenario); empty string when it does not batch. */
export function batchingTables(rows: readonly RunBatching[], id: string): string {
  if (rows.length === 0) return '';
  const agents = [...new Set(rows.map((run) => run.agent))];
  const head = headerRow(HEADERS, (column) => column < 2);
  return [
    '<h3>Batching</h3>',
    '<p class="note">Calls from different workflows to a batched agent go out as one model call: the prompt once + every item’s tokens, the items’ outputs, one call’s latency (longer by its output), after a wait for the batch to fill that counts in each item’s latency. ' +
      'Each run of the scenario under the same arrivals, batched or not: per item, the saving is (1 − 1/n) × the prompt’s share of an item’s cost.</p>',
    ...agents.map((agent, index) => {
      const body = rows.filter((run) => run.agent === agent).map(row);
      return `<p><strong>${escapeHtml(agent)}</strong></p>\n${scrollTable(`${id}-${index}`, head, body)}`;
    }),
  ].join('\n');
}
