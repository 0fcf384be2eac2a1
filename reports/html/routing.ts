/**
 * A scenario's routing tables, as `patternbench run` prints its routing block: per router run, the
 * routing accuracy and the confusion matrix of the classifier's label against the case's expected
 * label (`summariseRouting`). Rendered on the server; every count carries its raw value in
 * `data-value` with its cell's `data-expected` and `data-routed` labels, and the accuracy its
 * field in `data-field`, so a reader's tool — or a test — can check the page against the file.
 */
import { escapeHtml } from './page.ts';
import { byRunId, runLabel } from './findings.ts';
import { cell, clipped, count, scrollTable } from './tables.ts';
import { formatAccuracy } from '../summary/format.ts';
import type { RunRouting } from '../summary/routing.ts';
import type { SummaryRow } from '../summary/summary.ts';

/** One run's table: a header row of routed labels, one row per expected label, the diagonal marked. */
function runTable(run: RunRouting, id: string, runs: ReadonlyMap<string, SummaryRow>): string {
  const head = `<tr><th class="text" title="rows: the case’s expected label; columns: the label it was routed by">expected\u00a0\\ routed</th>${run.labels.map((label) => `<th>${escapeHtml(label)}</th>`).join('')}</tr>`;
  const label = runLabel(run.runId, runs);
  const name = label === null ? clipped(run.runId) : `<span title="${escapeHtml(run.runId)}">${escapeHtml(label)}</span>`;
  const rows = run.matrix.map((row, index) => {
    const expected = escapeHtml(run.labels[index] as string);
    const cells = row.map((n, column) => {
      const routed = escapeHtml(run.labels[column] as string);
      return cell(count(n), n, ` data-expected="${expected}" data-routed="${routed}"`, column === index ? 'diagonal' : '');
    });
    return `<tr><th class="text">${expected}</th>${cells.join('')}</tr>`;
  });
  const caption =
    `<p data-run-id="${escapeHtml(run.runId)}"><strong>${name}</strong>: routing accuracy ` +
    `<span data-field="accuracy" data-value="${run.accuracy === null ? '' : String(run.accuracy)}">${escapeHtml(formatAccuracy(run))}</span>` +
    ` of <span data-field="classified" data-value="${run.classified}">${count(run.classified)}</span> classified` +
    (run.unclassified === 0 ? '' : `, <span data-field="unclassified" data-value="${run.unclassified}">${count(run.unclassified)}</span> not classified`) +
    '</p>';
  return `${caption}\n${scrollTable(id, head, rows)}`;
}

/**
 * The routing section of a scenario's router runs; empty string when none has expected labels.
 * A run is named by its pattern and variant from `summary` (its id where `summary` lacks it).
 */
export function routingTables(runs: readonly RunRouting[], id: string, summary: readonly SummaryRow[] = []): string {
  if (runs.length === 0) return '';
  const named = byRunId(summary);
  return [
    '<h3>Routing</h3>',
    '<p class="note">Per router run: how often the classifier’s label (what the request was routed by, routing-cache hits included) ' +
      'matched the case’s expected label, with its 95 % Wilson interval, and the confusion matrix — rows the expected label, columns ' +
      'the label routed by; the diagonal is right.</p>',
    ...runs.map((run, index) => runTable(run, `${id}-${index}`, named)),
  ].join('\n');
}
