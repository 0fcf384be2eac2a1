/**
 * Combining the `runs` rows of one run found in several input files — the shards of a run, each
 * file holding the workflows with workflow_id % n = i − 1: pure functions, no database. (Files of
 * `run --shard i/n` hold different cells of the matrix, so their runs never meet here.)
 *
 * A row's `shard` is `''` (the whole run) or `i/n` (the workflows with workflow_id % n = i − 1).
 * A merge of some but not all shards of a run writes the set it holds, `1,2/4`, so merging can be
 * done in steps; once every shard is in, `shard` is `''` again.
 */
import { HarnessError } from '../../../harness/kernel/errors.ts';

/** A `runs` row as stored. */
export interface RunRow {
  readonly run_id: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  readonly epoch_ms: number;
  readonly config: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly status: string;
  readonly virtual_end_ms: number | null;
  readonly clock: string;
  readonly load: string;
  readonly shard: string;
}

/** The shards a row holds: 1-based indices out of `of`. */
export interface ShardSet {
  readonly indices: readonly number[];
  readonly of: number;
}

/** A run row and the input file it came from. */
export interface RunPart {
  readonly row: RunRow;
  readonly input: string;
}

/** Columns that must be equal in every part of a run: the same run, split. */
const SAME_IN_EVERY_SHARD = ['scenario', 'pattern', 'variant', 'seed', 'epoch_ms', 'config', 'clock', 'load'] as const;

/** Run statuses from worst to best: a combined run takes the worst of its parts. */
const STATUS_ORDER = ['failed', 'interrupted', 'running', 'completed'] as const;

/** Parses `runs.shard`: null for `''` (the whole run), else the set. `MERGE_CONFLICT` when malformed. */
export function parseShard(text: string, where: string): ShardSet | null {
  if (text === '') return null;
  const set = shardSetOf(text);
  if (set === null) throw new HarnessError('MERGE_CONFLICT', `${where}: runs.shard ${JSON.stringify(text)} is not 'i/n' (or 'i,j,…/n' ascending)`);
  return set;
}

/** The set a `runs.shard` label `i/n` or `i,j,…/n` (ascending) names; null for any other text, `''` included. */
export function shardSetOf(text: string): ShardSet | null {
  const match = /^(\d+(?:,\d+)*)\/(\d+)$/.exec(text);
  if (match === null) return null;
  const of = Number(match[2]);
  const indices = (match[1] as string).split(',').map(Number);
  const valid = of >= 1 && indices.every((index, position) => index >= 1 && index <= of && (position === 0 || index > (indices[position - 1] as number)));
  return valid ? { indices, of } : null;
}

/** `''` when `set` holds every shard, else `i,j/n`. */
export function formatShard(set: ShardSet): string {
  return set.indices.length === set.of ? '' : `${set.indices.join(',')}/${set.of}`;
}

/**
 * The row of a run made of `parts` (one per input): every part must describe the same run
 * (`SAME_IN_EVERY_SHARD`) and hold distinct shards of the same `n`. Status is `completed` only if
 * every part completed (else the worst: failed, interrupted, running); `started_at` the earliest,
 * `finished_at` the latest (null while a part has none), `virtual_end_ms` the latest.
 * `MERGE_CONFLICT` otherwise, naming the files.
 */
export function combineRunParts(parts: readonly RunPart[]): RunRow {
  const first = parts[0];
  if (first === undefined) throw new HarnessError('USAGE', 'combineRunParts needs at least one part');
  if (parts.length === 1) return first.row;
  const runId = first.row.run_id;
  for (const part of parts.slice(1)) {
    const differing = SAME_IN_EVERY_SHARD.find((column) => part.row[column] !== first.row[column]);
    if (differing !== undefined) {
      throw new HarnessError('MERGE_CONFLICT', `run ${runId} has a different ${differing} in ${first.input} and ${part.input}; shards of one run must share it`);
    }
  }
  const sets = parts.map((part) => {
    const set = parseShard(part.row.shard, part.input);
    if (set === null) throw new HarnessError('MERGE_CONFLICT', `run ${runId} is whole in ${part.input} and also present in another input`);
    return { set, input: part.input };
  });
  const of = sets[0]?.set.of ?? 1;
  const owner = new Map<number, string>();
  for (const { set, input } of sets) {
    if (set.of !== of) throw new HarnessError('MERGE_CONFLICT', `run ${runId}: ${input} is a shard of ${set.of}, another input of ${of}`);
    for (const index of set.indices) {
      const other = owner.get(index);
      if (other !== undefined) throw new HarnessError('MERGE_CONFLICT', `run ${runId}: shard ${index}/${of} is in both ${other} and ${input}`);
      owner.set(index, input);
    }
  }
  const rows = parts.map((part) => part.row);
  const ends = rows.map((row) => row.virtual_end_ms).filter((value): value is number => value !== null);
  const finished = rows.map((row) => row.finished_at);
  return {
    ...first.row,
    started_at: rows.map((row) => row.started_at).sort()[0] as string,
    finished_at: finished.includes(null) ? null : (finished.sort().at(-1) as string),
    status: STATUS_ORDER.find((status) => rows.some((row) => row.status === status)) ?? first.row.status,
    virtual_end_ms: ends.length === 0 ? null : Math.max(...ends),
    shard: formatShard({ indices: [...owner.keys()].sort((a, b) => a - b), of }),
  };
}

/**
 * `merge --shards n`: the runs found whole in one input — the cells of `run --shard i/n` — must be
 * labelled shards of `count` and together hold every shard 1…count, so a pod whose file is missing
 * fails the merge instead of silently leaving its cells out. Runs made of several parts are
 * checked by `combineRunParts`. `MERGE_CONFLICT` naming the first stray run, or the missing shards.
 */
export function checkEveryShard(parts: Iterable<readonly RunPart[]>, count: number): void {
  const present = new Set<number>();
  for (const list of parts) {
    const part = list[0];
    if (part === undefined || list.length > 1) continue;
    const set = parseShard(part.row.shard, part.input);
    if (set === null || set.of !== count) {
      const what = set === null ? 'a whole run, not a shard' : `shard ${part.row.shard}`;
      throw new HarnessError('MERGE_CONFLICT', `--shards ${count}: run ${part.row.run_id} in ${part.input} is ${what}`);
    }
    for (const index of set.indices) present.add(index);
  }
  const missing = Array.from({ length: count }, (_, position) => position + 1).filter((index) => !present.has(index));
  if (missing.length > 0) {
    const labels = missing.slice(0, 10).map((index) => `${index}/${count}`).join(', ') + (missing.length > 10 ? `, … (${missing.length} in all)` : '');
    throw new HarnessError('MERGE_CONFLICT', `--shards ${count}: no input holds shard ${labels}; its file was not written or not given`);
  }
}
