import type { RecordSink } from '../../reports/store/sink.ts';

/** Rows of one run numbered 0, 1, 2, … in the order they are written (`events`, `dead_letters`). */
export abstract class NumberedRows {
  #next = 0;

  constructor(
    protected readonly runId: string,
    protected readonly sink: RecordSink,
  ) {}

  /** The number the next row gets (rows numbered so far). */
  get size(): number {
    return this.#next;
  }

  protected nextSeq(): number {
    return this.#next++;
  }
}
