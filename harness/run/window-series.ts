/** Most windows a series keeps; past it, the windows double in width (adjacent pairs merge). */
export const MAX_WINDOWS = 3600;

/** What a series needs to know about its windows. */
export interface WindowKind<W> {
  /** A new, empty window following `previous` (null for the first). */
  create(previous: W | null): W;
  /** Folds `later` (the next window in time) into `earlier`. */
  merge(earlier: W, later: W): void;
}

/**
 * Windows of run time, from 0, of `widthMs` each. `at(t)` returns the window holding time t,
 * creating the windows up to it; when that would make more than `MAX_WINDOWS`, the width doubles
 * and adjacent pairs merge, so a run of unknown length keeps a bounded number of windows.
 */
export class WindowSeries<W> {
  readonly windows: W[] = [];

  constructor(
    public widthMs: number,
    private readonly kind: WindowKind<W>,
  ) {}

  at(timeMs: number): W {
    let index = Math.floor(timeMs / this.widthMs);
    while (index >= MAX_WINDOWS) {
      this.#coarsen();
      index = Math.floor(timeMs / this.widthMs);
    }
    while (this.windows.length <= index) this.windows.push(this.kind.create(this.windows.at(-1) ?? null));
    return this.windows[index] as W;
  }

  #coarsen(): void {
    const merged: W[] = [];
    for (let index = 0; index < this.windows.length; index += 2) {
      const earlier = this.windows[index] as W;
      const later = this.windows[index + 1];
      if (later !== undefined) this.kind.merge(earlier, later);
      merged.push(earlier);
    }
    this.windows.splice(0, this.windows.length, ...merged);
    this.widthMs *= 2;
  }
}
