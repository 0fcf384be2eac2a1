// `run --workers` joins a sliced run's slices as they end (harness/run/slice-join.ts `SliceJoiner`):
// a slice is added once every slice before it has ended, the rest when the pool is done. Whatever
// order the slices end in, and whichever are missing (an interrupted run), the file is the one
// `joinSlices` writes from the same slices at the end — every table as stored, byte for byte —
// including series whose windows widened differently in different slices.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { planRuns } from '../harness/run/matrix.ts';
import { executeRun, runIdOf } from '../harness/run/runner.ts';
import { joinSlices, SliceJoiner, type SliceJoinOptions } from '../harness/run/slice-join.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { slicedChainScenario } from './support/sliced-chain.ts';
import { tableDigests } from './support/table-digests.ts';

const SCENARIO = slicedChainScenario('joiner-chain', 4);
const COUNT = 4;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-slice-joiner-'));
const slices: string[] = [];
let options: SliceJoinOptions;

beforeAll(async () => {
  const scenario = compileScenarioText(SCENARIO, 'joiner-chain.yaml');
  const [spec] = planRuns([scenario], { patterns: null, variants: null, seeds: null, cases: null, repeat: 1, concurrency: null, traces: { mode: 'all' } });
  if (spec === undefined) throw new Error('no run planned');
  options = { runId: runIdOf(spec), count: COUNT, shard: '' };
  for (let index = 1; index <= COUNT; index++) {
    const path = join(folder, `slice-${index}.db`);
    const sink = SqliteSink.open(path, { overwrite: true, indexes: false });
    await executeRun({ ...spec, slice: { index, count: COUNT } }, sink, new VirtualClock(), { checkpoints: false });
    await sink.close();
    slices.push(path);
  }
});

/** The slices' series widths: the case is only a case if they differ. */
function widths(): number[] {
  return slices.map((path) => {
    const db = openDatabase(path, { readonly: true });
    try {
      return db.prepare('SELECT max(window_ms) FROM timeseries').pluck().get() as number;
    } finally {
      db.close();
    }
  });
}

/** Joins with a `SliceJoiner` told of `ended` (positions, in that order), then finished with the ended slices in slice order. */
function joinedAsTheyEnd(name: string, ended: readonly number[]): string {
  const out = join(folder, `${name}.db`);
  const joiner = new SliceJoiner(out, options);
  for (const position of ended) joiner.ended(position, slices[position] as string);
  joiner.finish([...ended].sort((a, b) => a - b).map((position) => slices[position] as string));
  return out;
}

function joinedAtTheEnd(name: string, positions: readonly number[]): string {
  const out = join(folder, `${name}.db`);
  joinSlices(out, positions.map((position) => slices[position] as string), options);
  return out;
}

describe('joining the slices of a run as they end', () => {
  it('writes the file joining them at the end writes, in any order of ending and with slices missing', () => {
    expect(new Set(widths()).size).toBeGreaterThan(1);
    const whole = tableDigests(joinedAtTheEnd('at-end', [0, 1, 2, 3]));
    expect(tableDigests(joinedAsTheyEnd('in-order', [0, 1, 2, 3]))).toEqual(whole);
    expect(tableDigests(joinedAsTheyEnd('out-of-order', [2, 0, 3, 1]))).toEqual(whole);
    // Interrupted: slice 3 never ran (the run is marked so), or only the first did.
    expect(tableDigests(joinedAsTheyEnd('gap', [0, 3, 1]))).toEqual(tableDigests(joinedAtTheEnd('gap-at-end', [0, 1, 3])));
    expect(tableDigests(joinedAsTheyEnd('one', [0]))).toEqual(tableDigests(joinedAtTheEnd('one-at-end', [0])));
    const db = openDatabase(join(folder, 'gap.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT status FROM runs').pluck().get()).toBe('interrupted');
    } finally {
      db.close();
    }
  });
});
