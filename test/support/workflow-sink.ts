import type { AuxRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import { NullSink } from '../../reports/store/null-sink.ts';

/**
 * A sink that hands each workflow row to a callback and keeps the auxiliary rows (time series,
 * queue series, histograms), but no spans: statistical tests run 100,000s of workflows, whose
 * spans and rows would only cost memory.
 */
export class WorkflowSink extends NullSink {
  readonly aux: AuxRecord[] = [];

  constructor(private readonly onWorkflow: (workflow: WorkflowRecord) => void) {
    super();
  }

  override writeWorkflow(workflow: WorkflowRecord): void {
    this.onWorkflow(workflow);
  }

  override writeAux(record: AuxRecord): void {
    this.aux.push(record);
  }
}
