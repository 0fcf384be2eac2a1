/**
 * What each run's security boundaries met, side by side (issue 7): tool calls RBAC denied, per
 * agent and tool (`tool.denied` events), and prompt injections — cases that carried one, workflows
 * in which one reached an elevated agent, injections the sanitiser stripped, and privileged tool
 * calls they caused (workflow facts `security.*`, harness/pipeline/interceptors/sanitise.ts). SQL over
 * `workflows` and `events`.
 */
import type { Db } from '../store/schema.ts';
import { alignColumns, formatPercent } from './format.ts';
import type { SummaryRow } from './summary.ts';

/** Tool calls RBAC denied to one agent, for one tool. */
export interface DeniedTool {
  readonly agent: string;
  readonly tool: string;
  readonly denied: number;
}

/** The security figures of one run. */
export interface RunSecurity {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly workflows: number;
  /** Workflows whose case carried a planted injection. */
  readonly injectedCases: number;
  /** Workflows in which an injection reached at least one elevated agent call (after sanitisation). */
  readonly reachedElevated: number;
  /** Injections the sanitiser stripped. */
  readonly sanitised: number;
  /** Privileged tool calls injections caused (performed, not denied). */
  readonly privilegedCalls: number;
  /** Denied tool calls, most frequent first. */
  readonly denied: readonly DeniedTool[];
}

const fact = (key: string): string => `coalesce(json_extract(facts, '$."security.${key}"'), 0)`;

/**
 * Per-workflow injection figures of one run. Only workflows whose facts name a security fact can
 * add to them: the others are passed over without parsing their facts (most runs have none).
 */
export const INJECTION_SQL = `SELECT
  sum(${fact('injected_case')}) AS injected,
  sum(${fact('injection_reached')} > 0) AS reached,
  sum(${fact('injection_sanitised')}) AS sanitised,
  sum(${fact('privileged_calls')}) AS privileged
FROM workflows WHERE run_id = ? AND instr(facts, '"security.') > 0`;

/** Denied tool calls of one run, per agent and tool. */
export const DENIED_SQL = `SELECT subject AS agent, json_extract(detail, '$."gen_ai.tool.name"') AS tool, count(*) AS denied
FROM events WHERE run_id = ? AND kind = 'tool.denied'
GROUP BY 1, 2 ORDER BY denied DESC, agent, tool`;

interface InjectionRow {
  injected: number | null;
  reached: number | null;
  sanitised: number | null;
  privileged: number | null;
}

/** The security figures of every run of `summary`, in its order. */
export function summariseSecurity(db: Db, summary: readonly SummaryRow[]): RunSecurity[] {
  const injections = db.prepare(INJECTION_SQL);
  const denials = db.prepare(DENIED_SQL);
  return summary.map((row) => {
    const figures = injections.get(row.runId) as InjectionRow;
    return {
      runId: row.runId,
      scenario: row.scenario,
      pattern: row.pattern,
      variant: row.variant,
      workflows: row.workflows,
      injectedCases: figures.injected ?? 0,
      reachedElevated: figures.reached ?? 0,
      sanitised: figures.sanitised ?? 0,
      privilegedCalls: figures.privileged ?? 0,
      denied: denials.all(row.runId) as DeniedTool[],
    };
  });
}

/** True when a run met an injection or a denied tool call. */
function eventful(run: RunSecurity): boolean {
  return run.injectedCases > 0 || run.denied.length > 0;
}

/**
 * The security block printed under the summary: one row per run (injection rate reaching elevated
 * agents, sanitised, privileged calls caused, denied tool calls), then the denials per agent and
 * tool. Empty when no run met an injection or a denial.
 */
export function formatSecurityBlock(runs: readonly RunSecurity[]): string {
  const shown = runs.filter(eventful);
  if (shown.length === 0) return '';
  const header = ['run', 'injected cases', 'reached elevated', 'of workflows', 'of injected', 'sanitised', 'privileged calls', 'denied tool calls'];
  const rows = shown.map((run) => [
    run.runId,
    String(run.injectedCases),
    String(run.reachedElevated),
    formatPercent(run.workflows === 0 ? null : run.reachedElevated / run.workflows),
    formatPercent(run.injectedCases === 0 ? null : run.reachedElevated / run.injectedCases),
    String(run.sanitised),
    String(run.privilegedCalls),
    String(run.denied.reduce((sum, item) => sum + item.denied, 0)),
  ]);
  const table = alignColumns(header, rows, (column) => column === 0);
  const lines = ['', '', 'security (prompt injections reaching elevated agents, tool calls denied by RBAC):', ...table.map((line) => `  ${line}`)];
  const denied = shown.filter((run) => run.denied.length > 0);
  if (denied.length > 0) {
    lines.push('  denied tool calls (agent → tool × calls):');
    for (const run of denied) {
      lines.push(`    ${run.runId}: ${run.denied.map((item) => `${item.agent} → ${item.tool} × ${item.denied}`).join(', ')}`);
    }
  }
  return lines.join('\n');
}
