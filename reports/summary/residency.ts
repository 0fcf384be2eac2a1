/**
 * Data residency: which agents received case data of a class outside the regions the scenario
 * allows for it (`dataClassRegions:`), e.g. EU customer emails sent to a model hosted in the US.
 * SQL over the `data.access` rows of `audit` (interceptors/pii-mask.ts): each records what one agent
 * call received unmasked, its model's region and the classes that crossed. What an agent receives
 * unmasked is its `needs` with masking on, every classed field with masking off.
 */
import type { Db } from '../store/schema.ts';

/** Calls of one agent in one run that sent one data class outside its allowed regions. */
export interface ResidencyFlow {
  readonly runId: string;
  readonly agent: string;
  readonly dataClass: string;
  /** Region of the agent's model profile. */
  readonly region: string;
  /** Regions the class may go to (`dataClassRegions`). */
  readonly allowed: readonly string[];
  /** Agent calls that received it. */
  readonly calls: number;
}

const CROSSINGS = `SELECT a.run_id, a.actor, json_extract(a.detail, '$.region') AS region, json_extract(a.detail, '$.crossing') AS crossing,
    count(*) AS calls, r.config
  FROM audit a JOIN runs r ON r.run_id = a.run_id
  WHERE a.action = 'data.access' AND json_extract(a.detail, '$.crossing') != ''
  GROUP BY a.run_id, a.actor, region, crossing
  ORDER BY a.run_id, a.actor`;

/** Every flow across a residency boundary, by run and agent. Empty when none (or nothing was audited). */
export function residencyFlows(db: Db): ResidencyFlow[] {
  const rows = db.prepare(CROSSINGS).all() as { run_id: string; actor: string; region: string; crossing: string; calls: number; config: string }[];
  const flows = new Map<string, ResidencyFlow>();
  for (const row of rows) {
    const regions = (JSON.parse(row.config) as { privacy?: { regions?: Record<string, string[]> } | null }).privacy?.regions ?? {};
    for (const dataClass of row.crossing.split(',')) {
      const key = `${row.run_id}\u0000${row.actor}\u0000${dataClass}\u0000${row.region}`;
      const calls = (flows.get(key)?.calls ?? 0) + row.calls;
      flows.set(key, { runId: row.run_id, agent: row.actor, dataClass, region: row.region, allowed: regions[dataClass] ?? [], calls });
    }
  }
  return [...flows.values()];
}

/** The block `run` prints under the summary; '' when no flow crossed a boundary. */
export function formatResidencyBlock(flows: readonly ResidencyFlow[]): string {
  if (flows.length === 0) return '';
  const lines = flows.map(
    (flow) => `  ${flow.runId}: ${flow.agent} received ${flow.dataClass} on a model in ${flow.region} (allowed: ${flow.allowed.join(', ')}) — ${flow.calls} call${flow.calls === 1 ? '' : 's'}`,
  );
  return ['', '', 'data residency (classed case data sent to a model outside its allowed regions):', ...lines].join('\n');
}
