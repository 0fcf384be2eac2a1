/**
 * `run --shard-from-env <n>`: the shard a pod of a Kubernetes Indexed Job runs. The Job controller
 * sets `JOB_COMPLETION_INDEX` (0 to completions − 1) in each pod's environment; the pod runs shard
 * index + 1 of n, exactly as `--shard <index + 1>/<n>` would (the README's "Beyond one machine").
 */
import { HarnessError } from '../kernel/errors.ts';

/** The variable a Kubernetes Indexed Job sets in each of its pods: the pod's index, from 0. */
export const SHARD_INDEX_VARIABLE = 'JOB_COMPLETION_INDEX';

/** Most shards `--shard-from-env` takes: Kubernetes caps an Indexed Job's completions at 100,000. */
export const MAX_SHARD_COUNT = 100_000;

/** A shard of the matrix: `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Shard `JOB_COMPLETION_INDEX + 1` of `count`, read from `env`. `USAGE` (exit 2) when the variable
 * is missing, not a whole number, or not below `count` — a Job whose `completions` differs from
 * the shard count would otherwise leave cells unrun or run them twice.
 */
export function shardFromEnv(count: number, env: Readonly<Record<string, string | undefined>>): Shard {
  const text = env[SHARD_INDEX_VARIABLE];
  const range = `0 to ${count - 1}`;
  if (text === undefined || text.trim() === '') {
    throw new HarnessError(
      'USAGE',
      `--shard-from-env ${count}: ${SHARD_INDEX_VARIABLE} is not set (a Kubernetes Indexed Job sets it in each pod; elsewhere set it to ${range}, or use --shard i/${count})`,
    );
  }
  const index = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(index)) throw new HarnessError('USAGE', `--shard-from-env ${count}: ${SHARD_INDEX_VARIABLE} is '${text}', not a whole number from ${range}`);
  if (index >= count) {
    throw new HarnessError(
      'USAGE',
      `--shard-from-env ${count}: ${SHARD_INDEX_VARIABLE} is ${index}, out of range ${range} (the Job's completions must equal the shard count)`,
    );
  }
  return { index: index + 1, count };
}

/** The shard `run` was asked for: `--shard i/n`, or `--shard-from-env n` read from `env`; both at once is `USAGE`. */
export function chosenShard(flags: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): Shard | null {
  const given = flags['shard'] as Shard | undefined;
  const count = flags['shardFromEnv'] as number | undefined;
  if (count === undefined) return given ?? null;
  if (given !== undefined) throw new HarnessError('USAGE', '--shard and --shard-from-env both choose the shard; give one of them');
  return shardFromEnv(count, env);
}
