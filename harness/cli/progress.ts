import cliProgress from 'cli-progress';
import { formatDuration } from '../kernel/duration.ts';
import { RealClock } from '../kernel/real-clock.ts';

/** Where a command writes. Injected so that tests read what the CLI prints. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is an interactive terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: process.stderr.isTTY === true,
  };
}

/**
 * Reports a command's progress: a live bar on a terminal, a line per run started and per run ended
 * otherwise. Runs may be in progress side by side (`run --workers`): each is named by its id.
 */
export interface Progress {
  startRun(runId: string, workflows: number): void;
  /** A workflow ended at `runTimeMs` of its run's clock (simulated time on the virtual clock). */
  workflowDone(runTimeMs: number): void;
  /** `count` workflows ended, the last at `runTimeMs` of its run's clock (a worker's batched report). */
  workflowsDone(count: number, runTimeMs: number): void;
  endRun(runId: string, status: string, workflows: number, agentCalls: number): void;
  stop(): void;
}

/** Progress for `run`: `quiet` prints nothing. */
export function createProgress(io: CliIo, totalWorkflows: number, quiet: boolean): Progress {
  const wall = new RealClock();
  if (quiet) return { startRun() {}, workflowDone() {}, workflowsDone() {}, endRun() {}, stop() {} };
  if (!io.interactive) {
    const runStarts = new Map<string, number>();
    return {
      startRun: (runId, workflows) => {
        runStarts.set(runId, wall.now());
        io.err(`running ${runId}: ${workflows} workflows`);
      },
      workflowDone() {},
      workflowsDone() {},
      endRun: (runId, status, workflows, agentCalls) => {
        const seconds = (wall.now() - (runStarts.get(runId) ?? wall.now())) / 1000;
        runStarts.delete(runId);
        io.err(`${status} ${runId}: ${workflows} workflows, ${agentCalls} agent calls in ${seconds.toFixed(2)}s`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {value}/{total} workflows | {rate} wf/s | sim {sim} | {run} | eta {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalWorkflows, 0, { run: '', sim: '0s', rate: '0' });
  const started = wall.now();
  let done = 0;
  let simMs = 0;
  const advance = (count: number, runTimeMs: number): void => {
    done += count;
    simMs = Math.max(simMs, runTimeMs);
    const seconds = (wall.now() - started) / 1000;
    bar.increment(count, { sim: formatDuration(simMs), rate: seconds > 0 ? Math.round(done / seconds).toLocaleString('en-US') : '0' });
  };
  return {
    startRun: (runId) => bar.update({ run: runId }),
    workflowDone: (runTimeMs) => advance(1, runTimeMs),
    workflowsDone: advance,
    endRun() {
      simMs = 0;
    },
    stop: () => bar.stop(),
  };
}
