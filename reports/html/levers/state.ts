/**
 * A scenario's state section, as `patternbench run` prints its state block (`summariseState`):
 * each run's strategy with its latency p50/p95, tokens, cost and accuracy per workflow, and what the
 * strategy itself did (the central serialiser's load and queue, the bus's messages and lag,
 * retrieval's queries and misses). The serialiser's queue and the bus's consumer lag over time are
 * lines of the scenario's queue chart (`state:serialiser`, `state:bus`). Every number carries its
 * raw value in `data-value` and its field in `data-field`, so a test can check the page against the file.
 */
import { escapeHtml } from '../page.ts';
import { count, duration, fieldCell, headerRow, scrollTable, seriesLabel, textCell } from '../tables.ts';
import { formatPercent, formatUsd } from '../../summary/format.ts';
import { strategyFigures, type RunState } from '../../summary/levers/state.ts';

const HEADERS: readonly (readonly [string, string])[] = [
  ['run', 'pattern (variant) and seed'],
  ['state', 'how agents share state: central (the orchestrator passes it), bus (a shared log), retrieval (a shared store)'],
  ['p50', 'median workflow latency from the intended start'],
  ['p95', 'p95 workflow latency from the intended start'],
  ['tokens/wf', 'mean input + output tokens per workflow'],
  ['cost/wf', 'mean cost per workflow'],
  ['accuracy', 'share of the arrivals answered right'],
  ['the strategy', 'central: the serialiser’s load ρ (Σ service ÷ arrival period), queue time per workflow and peak queue; bus: messages and time on the bus per workflow, peak consumer lag; retrieval: queries and pieces missed per workflow'],
];

function row(run: RunState): string {
  return [
    `<tr data-run-id="${escapeHtml(run.runId)}">`,
    textCell(`${seriesLabel(run)} · seed ${run.seed}`),
    textCell(run.strategy),
    fieldCell(duration(run.latencyP50Ms), run.latencyP50Ms, 'latency_p50_ms'),
    fieldCell(duration(run.latencyP95Ms), run.latencyP95Ms, 'latency_p95_ms'),
    fieldCell(count(run.meanTokens), run.meanTokens, 'tokens_per_workflow'),
    fieldCell(formatUsd(run.meanCostUsd), run.meanCostUsd, 'cost_per_workflow_usd'),
    fieldCell(formatPercent(run.accuracy), run.accuracy, 'accuracy'),
    textCell(strategyFigures(run)),
    '</tr>',
  ].join('');
}

/** The state section of a scenario's runs (`rows` of that scenario); empty string when it does not set `state:`. */
export function stateTable(rows: readonly RunState[], id: string): string {
  if (rows.length === 0) return '';
  const head = headerRow(HEADERS, (column) => column < 2 || column === HEADERS.length - 1);
  const body = rows.map(row);
  return [
    '<h3>State</h3>',
    '<p class="note">The same pattern on the same cases, its state shared three ways: <code>central</code> serialises each call’s state in and its result out through one serialiser per run (it queues as arrivals near its capacity), ' +
      '<code>bus</code> sends both as messages on a shared log (latency per hop, one consumer per partition, lag under load), <code>retrieval</code> has each call query a store for its top-k chunks instead of reading the state (fewer tokens; a missed piece lowers accuracy). ' +
      'The serialiser’s queue and the bus’s consumer lag over time are the <code>state:serialiser</code> and <code>state:bus</code> lines of the queue chart.</p>',
    scrollTable(id, head, body),
  ].join('\n');
}
