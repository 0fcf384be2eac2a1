/** The dead-letter queue of a results file (`dead_letters`), read and rendered for `patternbench dlq list`. */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { HarnessError } from '../../harness/kernel/errors.ts';
import type { Db } from '../store/schema.ts';
import { csvCell, markdownCell, SUMMARY_FORMATS, type SummaryFormat } from './format.ts';

/** Kinds of dead letter: a workflow that failed, or a compensation that failed. */
export const DEAD_LETTER_KINDS = ['workflow', 'compensation'] as const;
export type DeadLetterKind = (typeof DEAD_LETTER_KINDS)[number];

/** One dead letter as listed. */
export interface DeadLetterRow {
  readonly runId: string;
  readonly seq: number;
  readonly timeMs: number;
  readonly kind: DeadLetterKind;
  readonly workflowId: number;
  readonly caseId: string;
  readonly repeat: number;
  readonly step: string | null;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly traceId: string;
  /** JSON: the case (workflow), or the side effect to undo (compensation). */
  readonly input: string;
  /** The run and workflow that replayed it (`dlq replay`); null until then. */
  readonly replayedRunId: string | null;
  readonly replayedWorkflowId: number | null;
}

/** Which letters to list; null = all. */
export interface DeadLetterFilter {
  readonly kind: DeadLetterKind | null;
  readonly runId: string | null;
}

/** The dead letters of `db` passing `filter`, by run and queue order. */
export function listDeadLetters(db: Db, filter: DeadLetterFilter): DeadLetterRow[] {
  return db
    .prepare(
      `SELECT run_id AS runId, seq, time_ms AS timeMs, kind, workflow_id AS workflowId, case_id AS caseId, repeat, step,
              error_type AS errorType, error_message AS errorMessage, trace_id AS traceId, input,
              replayed_run_id AS replayedRunId, replayed_workflow_id AS replayedWorkflowId
       FROM dead_letters
       WHERE (? IS NULL OR kind = ?) AND (? IS NULL OR run_id = ?)
       ORDER BY run_id, seq`,
    )
    .all(filter.kind, filter.kind, filter.runId, filter.runId) as DeadLetterRow[];
}

/** Field names of `DeadLetterRow`, in CSV column order. */
export const DEAD_LETTER_FIELDS: readonly (keyof DeadLetterRow)[] = [
  'runId', 'seq', 'timeMs', 'kind', 'workflowId', 'caseId', 'repeat', 'step', 'errorType', 'errorMessage', 'traceId',
  'replayedRunId', 'replayedWorkflowId', 'input',
];

/** The cells of the human-readable formats: everything but the input, the replay as `run#workflow`. */
const COLUMNS: readonly { readonly header: string; readonly cell: (row: DeadLetterRow) => string }[] = [
  { header: 'run', cell: (row) => row.runId },
  { header: 'seq', cell: (row) => String(row.seq) },
  { header: 'time', cell: (row) => formatDuration(row.timeMs) },
  { header: 'kind', cell: (row) => row.kind },
  { header: 'workflow', cell: (row) => String(row.workflowId) },
  { header: 'case', cell: (row) => (row.repeat === 0 ? row.caseId : `${row.caseId}#${row.repeat}`) },
  { header: 'step', cell: (row) => row.step ?? '–' },
  { header: 'error', cell: (row) => row.errorType },
  { header: 'message', cell: (row) => row.errorMessage },
  { header: 'trace', cell: (row) => row.traceId },
  { header: 'replayed by', cell: (row) => (row.replayedRunId === null ? '–' : `${row.replayedRunId}#${row.replayedWorkflowId}`) },
];

/**
 * Renders `rows` in one of the summary's formats: `table` (aligned columns and a count line),
 * `json` (an array, `input` parsed), `csv` (RFC 4180, the `DeadLetterRow` field names as header)
 * or `markdown`. No trailing newline; an empty queue renders as `no dead letters` (table, markdown).
 */
export function formatDeadLetters(rows: readonly DeadLetterRow[], format: SummaryFormat): string {
  switch (format) {
    case 'table':
      return rows.length === 0 ? 'no dead letters' : `${alignedTable(rows)}\n${countLine(rows)}`;
    case 'json':
      return JSON.stringify(rows.map((row) => ({ ...row, input: JSON.parse(row.input) as unknown })), null, 2);
    case 'csv':
      return [DEAD_LETTER_FIELDS.join(','), ...rows.map((row) => DEAD_LETTER_FIELDS.map((field) => csvCell(row[field])).join(','))].join('\r\n');
    case 'markdown':
      return rows.length === 0
        ? 'no dead letters'
        : [
            `| ${COLUMNS.map((column) => column.header).join(' | ')} |`,
            `|${COLUMNS.map(() => ' --- |').join('')}`,
            ...rows.map((row) => `| ${COLUMNS.map((column) => markdownCell(column.cell(row))).join(' | ')} |`),
          ].join('\n');
    default:
      throw new HarnessError('USAGE', `unknown format ${JSON.stringify(format)}; use ${SUMMARY_FORMATS.join(', ')}`);
  }
}

function alignedTable(rows: readonly DeadLetterRow[]): string {
  const lines = [COLUMNS.map((column) => column.header), ...rows.map((row) => COLUMNS.map((column) => column.cell(row)))];
  const widths = COLUMNS.map((_column, index) => Math.max(...lines.map((line) => (line[index] as string).length)));
  const text = lines.map((line) => line.map((cell, index) => cell.padEnd(widths[index] as number)).join('  ').trimEnd());
  return [text[0], '─'.repeat(Math.max(...text.map((line) => (line as string).length))), ...text.slice(1)].join('\n');
}

function countLine(rows: readonly DeadLetterRow[]): string {
  const count = (kind: DeadLetterKind): number => rows.filter((row) => row.kind === kind).length;
  const waiting = rows.filter((row) => row.kind === 'workflow' && row.replayedRunId === null).length;
  return `dead letters: ${rows.length} (${count('workflow')} workflow, ${count('compensation')} compensation); ${waiting} workflow(s) not yet replayed`;
}
