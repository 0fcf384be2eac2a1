/**
 * The sink of a resumed run. A run on virtual time is a function of its seed, so `--resume`
 * simulates the interrupted run again from virtual time 0, every workflow as it was first made, and
 * stores only what the results file does not hold: the finished workflows' spans, rows, checkpoints
 * and recordings pass by (the file keeps the ones first written, equal to these), and so do the
 * rows of the audit chain already stored (the `audit` table is append-only). Everything else — the
 * unfinished workflows, and the run's events, dead letters, time series, histograms and span
 * metrics, which harness/run/recovery/resume-cleanup.ts deleted — is written as an uninterrupted
 * run writes it (the span metrics fold every span of the run simulated again, stored or not).
 *
 * The runner puts it between its metrics and the sink, so the metrics still see every workflow.
 */
import { HarnessError } from '../../kernel/errors.ts';
import type { AuxRecord, SpanRecord, WorkflowRecord } from '../../kernel/records.ts';
import type { RunResume } from './resume-state.ts';
import { ForwardingSink } from '../../../reports/store/forwarding-sink.ts';
import type { RecordSink, RunEnd } from '../../../reports/store/sink.ts';

export class ResumeSink extends ForwardingSink {
  /** Hash of the simulated chain's row `resume.audit.rows - 1`; null until it is written. */
  #auditReached: string | null = null;
  /** Set when the simulated audit chain left the stored one: no audit row is stored after it. */
  #auditDiverged = false;

  constructor(
    inner: RecordSink,
    private readonly runId: string,
    private readonly resume: RunResume,
  ) {
    super(inner);
  }

  override writeSpan(span: SpanRecord): void {
    if (!this.resume.finished.has(span.workflowId)) this.inner.writeSpan(span);
  }

  override writeWorkflow(workflow: WorkflowRecord): void {
    if (!this.resume.finished.has(workflow.workflowId)) this.inner.writeWorkflow(workflow);
  }

  override writeAux(record: AuxRecord): void {
    switch (record.table) {
      case 'checkpoints':
      case 'recordings':
        if (this.resume.finished.has(record.row.workflowId)) return;
        break;
      case 'audit': {
        const stored = this.resume.audit;
        if (record.row.seq === stored.rows - 1) {
          this.#auditReached = record.row.hash;
          this.#auditDiverged = record.row.hash !== stored.hash;
        }
        if (record.row.seq < stored.rows || this.#auditDiverged) return;
        break;
      }
      case 'dead_letters': {
        const link = this.resume.deadLetterLinks.get(record.row.seq);
        if (link !== undefined) {
          return this.inner.writeAux({ table: 'dead_letters', row: { ...record.row, replayedRunId: link.runId, replayedWorkflowId: link.workflowId } });
        }
        break;
      }
      default:
        break;
    }
    this.inner.writeAux(record);
  }

  /**
   * Ends the run; `RESUME_MISMATCH` (the run left as it is, `running`) when the simulated audit
   * chain does not pass through the stored one. A run stopped again before reaching the stored
   * rows anchors the stored head: the file holds those rows.
   */
  override endRun(runId: string, end: RunEnd): void {
    const stored = this.resume.audit;
    if (stored.rows > 0 && this.#auditReached === null && end.status !== 'completed') {
      return this.inner.endRun(runId, { ...end, audit: stored });
    }
    if (stored.rows > 0 && (this.#auditReached === null || this.#auditDiverged)) {
      throw new HarnessError(
        'RESUME_MISMATCH',
        `cannot resume ${this.runId}: the run simulated again does not reproduce the ${stored.rows} audit rows the file holds ` +
          '(the scenario or patternbench changed since the run began); run it again into a new file',
      );
    }
    this.inner.endRun(runId, end);
  }
}

/** `sink`, storing only what the file of the resumed run `resume` lacks; `sink` itself for a new run. */
export function resumeSink(sink: RecordSink, runId: string, resume: RunResume | undefined): RecordSink {
  return resume === undefined ? sink : new ResumeSink(sink, runId, resume);
}
