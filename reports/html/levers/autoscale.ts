/**
 * The report's section on autoscaled pools (harness/pipeline/autoscale/): per run and pool, the
 * replicas requested and ready, the HPA's utilisation metric and the queue at each sync period
 * (`autoscale.sync` events), with the pool's replica-hours, cost and reclaims in the note. Only for
 * scenarios with an autoscaled pool: the section list of any other scenario is unchanged.
 */
import type { Db } from '../../store/schema.ts';
import { colour, section, type ChartSpec, type DatasetSpec, type ReportSection } from '../chart-spec.ts';
import { SCENARIO_RUNS } from '../series.ts';
import { summariseAutoscale } from '../../summary/levers/autoscale.ts';

const SYNCS = `SELECT e.run_id AS runId, e.subject AS pool, e.time_ms AS timeMs, e.detail, r.pattern, r.variant, r.seed
FROM events e JOIN runs r ON r.run_id = e.run_id
WHERE e.${SCENARIO_RUNS} AND e.kind = 'autoscale.sync'
ORDER BY r.pattern, r.variant, r.seed, e.subject, e.time_ms`;

interface SyncRow {
  readonly runId: string;
  readonly pool: string;
  readonly timeMs: number;
  readonly detail: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
}

/** One line per run and pool: its label and its samples (x: virtual seconds). */
interface PoolLine {
  readonly label: string;
  readonly runId: string;
  readonly points: { x: number; requested: number; ready: number; utilisation: number; queued: number }[];
}

function poolLines(rows: readonly SyncRow[]): PoolLine[] {
  const lines = new Map<string, PoolLine>();
  for (const row of rows) {
    const key = `${row.runId}\u0000${row.pool}`;
    let line = lines.get(key);
    if (line === undefined) lines.set(key, (line = { label: `${row.pattern} (${row.variant}, seed ${row.seed}) ${row.pool}`, runId: row.runId, points: [] }));
    const d = JSON.parse(row.detail) as Record<string, number>;
    const get = (name: string): number => d[`patternbench.autoscale.${name}`] ?? 0;
    line.points.push({ x: row.timeMs / 1000, requested: get('requested'), ready: get('ready'), utilisation: get('utilisation'), queued: get('queued') });
  }
  return [...lines.values()];
}

const TIME_X = { title: 'time from the run’s start', format: 'seconds', min: 0 } as const;

function chart(id: string, title: string, datasets: DatasetSpec[], y: ChartSpec['y']): ChartSpec {
  return { id, title, type: 'line', datasets, x: TIME_X, y };
}

/** The autoscaled-pool section of `scenario` (none when its runs had no autoscaled pool); chart ids start with `prefix`. */
export function autoscaleSections(db: Db, scenario: string, prefix: string): ReportSection[] {
  const rows = db.prepare(SYNCS).all(scenario) as SyncRow[];
  if (rows.length === 0) return [];
  const lines = poolLines(rows);
  const step = (line: PoolLine, index: number, label: string, value: (p: PoolLine['points'][number]) => number, dashed = false): DatasetSpec => ({
    label: `${line.label} ${label}`,
    data: line.points.map((p) => ({ x: p.x, y: value(p) })),
    color: colour(index),
    stepped: true,
    pointRadius: 0,
    dashed,
  });
  const runIds = new Set(lines.map((line) => line.runId));
  const figures = summariseAutoscale(db)
    .filter((pool) => runIds.has(pool.runId))
    .map((pool) => `${pool.runId.slice(scenario.length + 1)} ${pool.pool}: ${pool.replicaHours.toFixed(2)} replica-hours, $${pool.costUsd.toFixed(2)}, peak ${pool.peakReplicas}, ${pool.reclaims} reclaims, ${pool.preemptedCalls} preempted calls`);
  return [
    section(
      `${prefix}-autoscale`,
      'Autoscaled pools: replicas, utilisation and queue at each sync',
      'Sampled at each sync period of the pool’s autoscaler. Requested replicas (solid) count those in their cold start; ready ones (dashed) serve. ' +
        'Utilisation is the HPA’s metric over the period before the sync: calls in flight and queued per slot of the requested replicas (above 1 when calls queue). ' +
        `Replica-hours are billed from request to removal and included in cost per workflow. ${figures.join('; ')}.`,
      [
        chart(`${prefix}-autoscale-replicas`, 'Replicas', lines.flatMap((line, index) => [step(line, index, 'requested', (p) => p.requested), step(line, index, 'ready', (p) => p.ready, true)]), { title: 'replicas', format: 'count', min: 0 }),
        chart(`${prefix}-autoscale-utilisation`, 'Utilisation (HPA metric)', lines.map((line, index) => step(line, index, '', (p) => p.utilisation)), { title: 'utilisation', format: 'percent', min: 0 }),
        chart(`${prefix}-autoscale-queue`, 'Calls queued at the pool', lines.map((line, index) => step(line, index, '', (p) => p.queued)), { title: 'calls queued', format: 'count', min: 0 }),
      ],
    ),
  ];
}
