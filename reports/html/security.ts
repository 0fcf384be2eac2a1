/**
 * A scenario's security table, as `patternbench run` prints its security and residency blocks
 * under the summary (issue 7): per run, prompt injections and what they reached
 * (`summariseSecurity`), tool calls RBAC denied per agent and tool, case data sent outside its
 * allowed regions (`residencyFlows`), and the state of the audit trail (`verifyAudit`). Rendered on
 * the server; every number carries its raw value in `data-value` and its field in `data-field`.
 */
import { verifyAudit, type AuditVerification } from '../store/audit-verify.ts';
import { escapeHtml } from './page.ts';
import { byRunId, columnHeaders, numberCells, runCells, table, type Column } from './findings.ts';
import { count, NONE } from './tables.ts';
import type { Db } from '../store/schema.ts';
import { formatPercent } from '../summary/format.ts';
import { residencyFlows, type ResidencyFlow } from '../summary/residency.ts';
import { summariseSecurity, type DeniedTool } from '../summary/security.ts';
import type { SummaryRow } from '../summary/summary.ts';

/** Whether a run's audit chain holds: `unchecked` when an earlier run's chain broke (verification stops there). */
export type AuditStatus = 'ok' | 'broken' | 'unchecked';

/** The security figures of one run, as the table shows them. */
export interface RunSecurityFindings {
  readonly runId: string;
  /** `RunSecurity` figures. */
  readonly injectedCases: number;
  readonly reachedElevated: number;
  /** Share of the run's workflows an injection reached an elevated agent in; null without workflows. */
  readonly reachedOfWorkflows: number | null;
  /** Share of injected cases that reached an elevated agent; null without injected cases. */
  readonly reachedOfInjected: number | null;
  readonly sanitised: number;
  readonly privilegedCalls: number;
  /** Denied tool calls in all. */
  readonly deniedCalls: number;
  readonly denied: readonly DeniedTool[];
  /** Flows of data classes outside their allowed regions, and the agent calls that made them. */
  readonly residency: readonly ResidencyFlow[];
  readonly residencyCalls: number;
  /** Audit rows stored for the run. */
  readonly auditRows: number;
  readonly audit: AuditStatus;
  /** The first problem of the run's chain, when `broken`. */
  readonly auditProblem: string | null;
}

const AUDIT_ROWS = 'SELECT run_id AS runId, count(*) AS rows FROM audit GROUP BY run_id';

function auditStatus(runId: string, verification: AuditVerification): AuditStatus {
  const problem = verification.problem;
  if (problem === null || runId < problem.runId) return 'ok';
  return runId === problem.runId ? 'broken' : 'unchecked';
}

/** The security findings of every run of `summary`, in its order. */
export function securityFindings(db: Db, summary: readonly SummaryRow[]): RunSecurityFindings[] {
  const flows = residencyFlows(db);
  const verification = verifyAudit(db);
  const auditRows = new Map((db.prepare(AUDIT_ROWS).all() as { runId: string; rows: number }[]).map((row) => [row.runId, row.rows]));
  return summariseSecurity(db, summary).map((run) => {
    const residency = flows.filter((flow) => flow.runId === run.runId);
    const audit = auditStatus(run.runId, verification);
    return {
      runId: run.runId,
      injectedCases: run.injectedCases,
      reachedElevated: run.reachedElevated,
      reachedOfWorkflows: run.workflows === 0 ? null : run.reachedElevated / run.workflows,
      reachedOfInjected: run.injectedCases === 0 ? null : run.reachedElevated / run.injectedCases,
      sanitised: run.sanitised,
      privilegedCalls: run.privilegedCalls,
      deniedCalls: run.denied.reduce((sum, item) => sum + item.denied, 0),
      denied: run.denied,
      residency,
      residencyCalls: residency.reduce((sum, flow) => sum + flow.calls, 0),
      auditRows: auditRows.get(run.runId) ?? 0,
      audit,
      auditProblem: audit === 'broken' ? `row ${verification.problem?.seq}: ${verification.problem?.message}` : null,
    };
  });
}

/** True when a run recorded anything the table shows. */
function eventful(run: RunSecurityFindings): boolean {
  return run.injectedCases > 0 || run.deniedCalls > 0 || run.residency.length > 0 || run.auditRows > 0;
}

const COLUMNS: readonly Column<RunSecurityFindings>[] = [
  { header: 'injected', title: 'workflows whose case carried a planted prompt injection', field: 'injectedCases', text: (value) => count(value) },
  {
    header: 'reached elevated',
    title: 'workflows in which an injection reached an agent with elevated permissions (after sanitisation)',
    field: 'reachedElevated',
    text: (value) => count(value),
    bad: (value) => value > 0,
  },
  { header: 'of workflows', title: 'reached elevated ÷ every workflow of the run', field: 'reachedOfWorkflows', text: (value) => formatPercent(value) },
  { header: 'of injected', title: 'reached elevated ÷ injected cases', field: 'reachedOfInjected', text: (value) => formatPercent(value) },
  { header: 'sanitised', title: 'injections the sanitiser stripped', field: 'sanitised', text: (value) => count(value) },
  { header: 'privileged calls', title: 'privileged tool calls injections caused (performed, not denied)', field: 'privilegedCalls', text: (value) => count(value), bad: (value) => value > 0 },
  { header: 'denied calls', title: 'tool calls RBAC refused', field: 'deniedCalls', text: (value) => count(value) },
  {
    header: 'residency calls',
    title: 'agent calls that sent a data class to a model outside the regions allowed for it',
    field: 'residencyCalls',
    text: (value) => count(value),
    bad: (value) => value > 0,
  },
  { header: 'audit rows', title: 'rows of the run’s hash-chained audit trail', field: 'auditRows', text: (value) => count(value) },
];

/** Denied tool calls: one `<span data-agent data-tool data-value>` per agent and tool. */
function deniedCell(denied: readonly DeniedTool[]): string {
  const spans = denied.map(
    (item) => `<span data-agent="${escapeHtml(item.agent)}" data-tool="${escapeHtml(item.tool)}" data-value="${item.denied}">${escapeHtml(`${item.agent} → ${item.tool} × ${item.denied}`)}</span>`,
  );
  return `<td class="text list" data-field="denied">${spans.length === 0 ? NONE : spans.join(', ')}</td>`;
}

/** Residency flows: one `<span data-agent data-class data-region data-value>` per agent, class and region. */
function residencyCell(flows: readonly ResidencyFlow[]): string {
  const spans = flows.map(
    (flow) =>
      `<span data-agent="${escapeHtml(flow.agent)}" data-class="${escapeHtml(flow.dataClass)}" data-region="${escapeHtml(flow.region)}" data-value="${flow.calls}">` +
      `${escapeHtml(`${flow.agent}: ${flow.dataClass} in ${flow.region} (allowed: ${flow.allowed.join(', ')}) × ${flow.calls}`)}</span>`,
  );
  return `<td class="text list" data-field="residency">${spans.length === 0 ? NONE : spans.join(', ')}</td>`;
}

function auditCell(run: RunSecurityFindings): string {
  const text = run.auditRows === 0 && run.audit === 'ok' ? NONE : run.auditProblem ?? run.audit;
  return `<td class="text${run.audit === 'broken' ? ' bad' : ''}" data-field="audit" data-status="${run.audit}">${escapeHtml(text)}</td>`;
}

/**
 * The security table of a scenario's runs (`securityFindings`); empty string when no run recorded
 * an injection, a denied tool call, a residency flow or an audit row.
 */
export function securityTable(runs: readonly RunSecurityFindings[], summary: readonly SummaryRow[], id: string): string {
  if (!runs.some(eventful)) return '';
  const runRows = byRunId(summary);
  const headers = [
    ...columnHeaders(COLUMNS),
    '<th class="text" title="tool calls RBAC refused: agent → tool × calls">denied tools</th>',
    '<th class="text" title="data sent outside its allowed regions: agent: data class in region (allowed regions) × calls">residency flows</th>',
    '<th class="text" title="whether the run’s audit hash chain verifies (patternbench audit verify); runs after a broken chain are unchecked">audit trail</th>',
  ];
  const rows = runs.map((run) => {
    const cells = numberCells(run, COLUMNS).join('');
    return `<tr data-run-id="${escapeHtml(run.runId)}">${runCells(run.runId, runRows)}${cells}${deniedCell(run.denied)}${residencyCell(run.residency)}${auditCell(run)}</tr>`;
  });
  return [
    '<h3>Security</h3>',
    '<p class="note">What each run’s security boundaries met. Injected cases: workflows whose case carried a planted prompt injection; ' +
      'reached elevated: workflows in which one reached an agent with elevated permissions (after sanitisation), as a share of all ' +
      'workflows and of injected cases; privileged calls: privileged tool calls injections caused. Denied tool calls: calls RBAC refused. ' +
      'Residency calls: agent calls that sent a data class to a model outside the regions allowed for it. Audit trail: whether the run’s ' +
      'hash chain verifies (<code>patternbench audit verify</code>); runs after a broken chain are unchecked.</p>',
    table(id, headers, rows),
  ].join('\n');
}
