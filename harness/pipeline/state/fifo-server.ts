/**
 * One server with a FIFO queue, on the run's timeline but with no clock of its own (pure): a job
 * offered at `arrivalMs` starts when both it and the server are there, in the order jobs were
 * offered, and holds the server for its service time. The central serialiser is one; each bus
 * partition's consumer is one. Departures of a FIFO single server come in order, so the jobs still
 * in the system are a queue of departure times.
 */
export class FifoServer {
  /** When the server is free of every job offered so far. */
  #freeAtMs = 0;
  /** Departure times of the jobs offered, ascending; those before `#head` have left. */
  readonly #departures: number[] = [];
  #head = 0;
  /** Total service time offered so far, ms (utilisation = busy ÷ elapsed). */
  busyMs = 0;

  /** Offers a job; returns how long it waits for the server (ms, ≥ 0) and when it leaves. */
  serve(arrivalMs: number, serviceMs: number): { readonly waitMs: number; readonly doneMs: number } {
    const waitMs = Math.max(0, this.#freeAtMs - arrivalMs);
    const doneMs = arrivalMs + waitMs + serviceMs;
    this.#freeAtMs = doneMs;
    this.busyMs += serviceMs;
    this.#departures.push(doneMs);
    return { waitMs, doneMs };
  }

  /** Jobs offered that have not left by `nowMs` (waiting, in service, or not yet arrived). */
  inSystem(nowMs: number): number {
    const departures = this.#departures;
    while (this.#head < departures.length && (departures[this.#head] as number) <= nowMs) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > departures.length) {
      departures.splice(0, this.#head);
      this.#head = 0;
    }
    return departures.length - this.#head;
  }
}
