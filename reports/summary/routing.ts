/**
 * How well each router run (and each hybrid whose outer pattern is a router) routed: the
 * classifier's label (the `router.label` fact, what the route was chosen by, cache hits included)
 * against the case's expected label (`workflows.expected`), as a confusion matrix with the routing
 * accuracy — the share on its diagonal — and its 95 % Wilson interval. Labels are compared trimmed
 * and lower-cased, as the `exact-label` scorer does. Files of schema version 5 and older stored
 * neither: they have no routing figures.
 */
import { groupBy } from '../../harness/kernel/keyed.ts';
import { wilsonInterval } from '../../harness/kernel/statistics.ts';
import { hasColumn, type Db } from '../store/schema.ts';
import { formatPercent } from './format.ts';

/** The routing of one router run. */
export interface RunRouting {
  readonly runId: string;
  /** The labels of the matrix's rows and columns, sorted: every expected label and every label routed by. */
  readonly labels: readonly string[];
  /** `matrix[expected][routed]`: workflows of each expected label (row) routed by each label (column), in `labels` order. */
  readonly matrix: readonly (readonly number[])[];
  /** Workflows with an expected label that the classifier labelled (the matrix's total). */
  readonly classified: number;
  /** Those routed by their expected label (the matrix's diagonal). */
  readonly correct: number;
  /** correct ÷ classified; null when none was classified. */
  readonly accuracy: number | null;
  /** 95 % Wilson interval of `accuracy`; null when none was classified. */
  readonly accuracyLo: number | null;
  readonly accuracyHi: number | null;
  /** Workflows with an expected label that got no label (the classifier call failed, or answered none). */
  readonly unclassified: number;
}

const ROUTING = `
SELECT w.run_id,
       lower(trim(json_extract(w.expected, '$.label'))) AS expected,
       lower(trim(json_extract(w.facts, '$."router.label"'))) AS routed,
       count(*) AS n
FROM workflows w JOIN runs r ON r.run_id = w.run_id
WHERE (r.pattern = 'router' OR (r.pattern = 'hybrid' AND json_extract(r.config, '$.patterns.hybrid.pattern') = 'router'))
  AND json_type(w.expected, '$.label') = 'text'
GROUP BY w.run_id, expected, routed
ORDER BY w.run_id, expected, routed`;

interface RoutingRow {
  readonly run_id: string;
  readonly expected: string;
  readonly routed: string | null;
  readonly n: number;
}

/** The routing of every router run whose cases carry an expected label, in run id order. */
export function summariseRouting(db: Db): RunRouting[] {
  if (!hasColumn(db, 'workflows', 'expected')) return [];
  return [...groupBy(db.prepare(ROUTING).all() as RoutingRow[], (row) => row.run_id)].map(([runId, rows]) => runRouting(runId, rows));
}

function runRouting(runId: string, rows: readonly RoutingRow[]): RunRouting {
  const labels = [...new Set(rows.flatMap((row) => (row.routed === null ? [row.expected] : [row.expected, row.routed])))].sort();
  const matrix = labels.map(() => labels.map(() => 0));
  let unclassified = 0;
  for (const row of rows) {
    if (row.routed === null) unclassified += row.n;
    else (matrix[labels.indexOf(row.expected)] as number[])[labels.indexOf(row.routed)] = row.n;
  }
  const classified = rows.reduce((sum, row) => sum + (row.routed === null ? 0 : row.n), 0);
  const correct = labels.reduce((sum, _, index) => sum + (matrix[index]?.[index] ?? 0), 0);
  const interval = wilsonInterval(correct, classified);
  return {
    runId,
    labels,
    matrix,
    classified,
    correct,
    accuracy: classified === 0 ? null : correct / classified,
    accuracyLo: interval?.lo ?? null,
    accuracyHi: interval?.hi ?? null,
    unclassified,
  };
}

/** `accuracy 92.5% [88.0–95.4] of 200 classified · 3 not classified`. */
function formatHeadline(run: RunRouting): string {
  const interval = run.accuracyLo === null || run.accuracyHi === null ? '' : ` [${(run.accuracyLo * 100).toFixed(1)}–${(run.accuracyHi * 100).toFixed(1)}]`;
  const unclassified = run.unclassified === 0 ? '' : ` · ${run.unclassified} not classified`;
  return `accuracy ${formatPercent(run.accuracy)}${interval} of ${run.classified} classified${unclassified}`;
}

/**
 * The routing block printed under the summary table: per router run its accuracy, then its
 * confusion matrix (rows: expected label; columns: the label it was routed by). Empty when no
 * router run has expected labels.
 */
export function formatRoutingBlock(runs: readonly RunRouting[]): string {
  if (runs.length === 0) return '';
  const lines = ['', '', "routing (router runs: the classifier's label against the case's expected label):"];
  for (const run of runs) {
    lines.push(`  ${run.runId}: ${formatHeadline(run)}`);
    const corner = 'expected \\ routed';
    const first = Math.max(corner.length, ...run.labels.map((label) => label.length));
    const widths = run.labels.map((label, column) => Math.max(label.length, ...run.matrix.map((row) => String(row[column] ?? 0).length)));
    lines.push(`    ${corner.padEnd(first)}${run.labels.map((label, column) => `  ${label.padStart(widths[column] as number)}`).join('')}`);
    run.matrix.forEach((row, index) => {
      const cells = row.map((n, column) => `  ${String(n).padStart(widths[column] as number)}`).join('');
      lines.push(`    ${(run.labels[index] as string).padEnd(first)}${cells}`);
    });
  }
  return lines.join('\n');
}
