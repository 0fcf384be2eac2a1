import type { RecordSink } from '../../reports/store/sink.ts';

/** Rows of one run numbered 0, 1, 2, … in the order they are written (`events`, `dead_letters`). */
export abstract class NumberedRows {
  #next: number;

  constructor(
    protected readonly runId: string,
    protected readonly sink: RecordSink,
    /** Number of the first row: 0, or where an interrupted run left off (`--resume`). */
    firstSeq = 0,
  ) {
    this.#next = firstSeq;
  }

  /** The number the next row gets (rows numbered so far, counting any before a resume). */
  get size(): number {
    return this.#next;
  }

  protected nextSeq(): number {
    return this.#next++;
  }
}
