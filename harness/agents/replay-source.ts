import type { AttemptResult } from '../pipeline/call.ts';
import { HarnessError } from '../kernel/errors.ts';
import { recordingKey } from './record-key.ts';
import type { AgentOutput } from '../../patterns/types.ts';
import { openResultsReadonly } from '../../reports/store/open-results.ts';

/** One recorded model attempt, ready to replay. */
export interface RecordedAttempt {
  /** How long the agent took, ms (the replay waits as long on the run's clock). */
  readonly latencyMs: number;
  /** A fresh copy of the result the agent returned. */
  result(): AttemptResult;
}

interface RecordingRow {
  readonly run_id: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  readonly case_id: string;
  readonly repeat: number;
  readonly agent: string;
  readonly call_index: number;
  readonly attempt: number;
  readonly latency_ms: number;
  readonly status: 'ok' | 'error';
  readonly error_type: string | null;
  readonly error_message: string | null;
  readonly retry_after_ms: number | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cached_tokens: number;
  readonly output: string | null;
}

interface RecordedRun {
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  readonly attempts: Map<string, RecordedAttempt>;
}

/**
 * The `recordings` of a results file (`run --replay <db>`), read once. A replayed run takes each
 * attempt from the recorded runs of its scenario, preferring the run with the same pattern, then
 * the same variant, then the same seed (the first recorded on a tie). Counts the attempts that had
 * no recording (the replay simulates those: see `ReplayAgent`).
 */
export class ReplaySource {
  readonly path: string;
  readonly #runs: readonly RecordedRun[];
  /** Attempts replayed from a recording, and attempts that had none. */
  replayed = 0;
  missed = 0;

  private constructor(path: string, runs: readonly RecordedRun[]) {
    this.path = path;
    this.#runs = runs;
  }

  /** Reads `path`; `RECORDING_MISSING` when it holds no recordings (a run without `--record`). */
  static open(path: string): ReplaySource {
    const db = openResultsReadonly(path, { name: 'run --replay', relations: ['runs', 'recordings'] });
    let rows: RecordingRow[];
    try {
      rows = db
        .prepare(
          `SELECT r.*, runs.scenario, runs.pattern, runs.variant, runs.seed
           FROM recordings r JOIN runs USING (run_id) ORDER BY runs.rowid, r.rowid`,
        )
        .all() as RecordingRow[];
    } finally {
      db.close();
    }
    if (rows.length === 0) {
      throw new HarnessError('RECORDING_MISSING', `${path} holds no recordings: record a run with \`patternbench run … --record --db ${path}\` first`);
    }
    const runs = new Map<string, RecordedRun>();
    for (const row of rows) {
      let run = runs.get(row.run_id);
      if (run === undefined) {
        run = { scenario: row.scenario, pattern: row.pattern, variant: row.variant, seed: row.seed, attempts: new Map() };
        runs.set(row.run_id, run);
      }
      run.attempts.set(recordingKey(row.case_id, row.repeat, row.agent, row.call_index, row.attempt), recordedAttempt(row));
    }
    return new ReplaySource(path, [...runs.values()]);
  }

  /** Scenario names with recordings. */
  scenarios(): Set<string> {
    return new Set(this.#runs.map((run) => run.scenario));
  }

  /** The attempts a run of `spec` replays, by `recordingKey`. */
  attemptsFor(spec: { readonly pattern: string; readonly variant: string; readonly seed: number; readonly scenario: { readonly name: string } }): ReadonlyMap<string, RecordedAttempt> {
    const rank = (run: RecordedRun): number =>
      (run.pattern === spec.pattern ? 4 : 0) + (run.variant === spec.variant ? 2 : 0) + (run.seed === spec.seed ? 1 : 0);
    const candidates = this.#runs.filter((run) => run.scenario === spec.scenario.name);
    // Stable sort, worst first: a better run's attempts overwrite a worse one's.
    const ordered = candidates.map((run, order) => ({ run, order })).sort((a, b) => rank(a.run) - rank(b.run) || b.order - a.order);
    const attempts = new Map<string, RecordedAttempt>();
    for (const { run } of ordered) for (const [key, attempt] of run.attempts) attempts.set(key, attempt);
    return attempts;
  }
}

function recordedAttempt(row: RecordingRow): RecordedAttempt {
  const usage = { inputTokens: row.input_tokens, outputTokens: row.output_tokens, cachedTokens: row.cached_tokens };
  const latencyMs = row.latency_ms;
  if (row.status === 'ok') {
    const output = row.output ?? 'null';
    return { latencyMs, result: () => ({ status: 'ok', output: JSON.parse(output) as AgentOutput, usage }) };
  }
  const failure: AttemptResult = {
    status: 'error',
    errorType: row.error_type ?? 'error',
    message: row.error_message ?? '',
    usage,
    retryAfterMs: row.retry_after_ms,
  };
  return { latencyMs, result: () => failure };
}
