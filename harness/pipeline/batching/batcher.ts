import { Cancellation, type Clock } from '../../kernel/clock.ts';
import type { BatchPolicy } from '../../scenario/types.ts';

/** Span attributes of a batched attempt (its `chat` span): which batch, of how many items, after what wait. */
export const BATCH_ATTRIBUTES = {
  id: 'patternbench.batch.id',
  size: 'patternbench.batch.size',
  waitMs: 'patternbench.batch.wait_ms',
} as const;

/**
 * What the batcher needs of a call (an `AgentCall`, harness/pipeline/call.ts, which it does not
 * import: the call contract names the run's resources, this among them).
 */
export interface BatchedCall {
  /** The attempt's `chat` span, if any, which gets the batch attributes. */
  readonly attemptSpan: { setAttribute(key: string, value: number): void } | null;
}

/** Sends a batch as one model call: one result per item, in the items' order. */
export type SendBatch<C extends BatchedCall, R> = (items: readonly C[]) => Promise<readonly R[]>;

interface Item {
  readonly call: BatchedCall;
  readonly joinedMs: number;
  readonly settle: (result: unknown) => void;
}

/**
 * One agent's batcher in one run (`RunResources.batcher`): attempts of calls from any workflow join
 * the open batch; it is sent as one model call as soon as `size` items wait, or when its first item
 * has waited `waitMs` (a timer on the run's clock, cancelled when the batch fills first), so no
 * timer outlives the last batch. Batches are numbered from 1 in the order they are sent; each
 * item's attempt span gets the batch's id, size and its own wait, which counts in its latency (the
 * wait is part of the attempt). A sent batch is not cut by one item's deadline or cancellation: the
 * provider answers, and bills, the whole request.
 */
export class Batcher {
  #open: Item[] = [];
  #timer: Cancellation | null = null;
  #sent = 0;

  constructor(
    readonly agent: string,
    private readonly policy: BatchPolicy,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds `call`'s attempt to the open batch; resolves with its share of the batch's result. Every
   * call of one batcher is of one kind and sent the same way (its agent's), so `send` may be that
   * of any of them.
   */
  join<C extends BatchedCall, R>(call: C, send: SendBatch<C, R>): Promise<R> {
    return new Promise<R>((settle) => {
      const open = this.#open;
      open.push({ call, joinedMs: this.clock.now(), settle: settle as (result: unknown) => void });
      if (open.length >= this.policy.size) this.#send(send as SendBatch<BatchedCall, unknown>);
      else if (open.length === 1) {
        const timer = new Cancellation();
        this.#timer = timer;
        void this.clock.sleep(this.policy.waitMs, timer).then((elapsed) => {
          if (elapsed) this.#send(send as SendBatch<BatchedCall, unknown>);
        });
      }
    });
  }

  #send(send: SendBatch<BatchedCall, unknown>): void {
    const items = this.#open;
    this.#open = [];
    this.#timer?.cancel();
    this.#timer = null;
    const id = ++this.#sent;
    const now = this.clock.now();
    for (const item of items) {
      const span = item.call.attemptSpan;
      if (span === null) continue;
      span.setAttribute(BATCH_ATTRIBUTES.id, id);
      span.setAttribute(BATCH_ATTRIBUTES.size, items.length);
      span.setAttribute(BATCH_ATTRIBUTES.waitMs, now - item.joinedMs);
    }
    void send(items.map((item) => item.call)).then((results) => {
      items.forEach((item, index) => item.settle(results[index]));
    });
  }
}
