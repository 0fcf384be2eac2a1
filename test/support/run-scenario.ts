import { compileScenarioText } from '../../harness/run/load-scenario.ts';
import { materialiseCases } from '../../harness/run/cases.ts';
import { closedLoad } from '../../harness/scenario/load-overrides.ts';
import { executeRun, type RunOutcome } from '../../harness/run/runner.ts';
import type { CompiledScenario, PatternName } from '../../harness/scenario/types.ts';
import { VirtualClock } from '../../harness/kernel/virtual-clock.ts';
import { MemorySink } from '../../reports/store/memory-sink.ts';
import type { RecordSink } from '../../reports/store/sink.ts';

/** Compiles inline YAML as if it were `test.yaml`. */
export function scenarioFromYaml(yaml: string): CompiledScenario {
  return compileScenarioText(yaml, 'test.yaml');
}

export interface TestRunOptions {
  readonly pattern?: PatternName;
  readonly seed?: number;
  readonly cases?: number | null;
  readonly repeat?: number;
  /** Closed loop of this many workflows (default: the scenario's load). */
  readonly concurrency?: number;
  readonly sink?: RecordSink;
}

/** Runs one pattern of `scenario` on a fresh virtual clock into a `MemorySink` (or the given sink). */
export async function runOnce(
  scenario: CompiledScenario,
  options: TestRunOptions = {},
): Promise<{ outcome: RunOutcome; sink: MemorySink | null; clock: VirtualClock }> {
  const memory = options.sink === undefined ? new MemorySink() : null;
  const sink = options.sink ?? (memory as MemorySink);
  const clock = new VirtualClock();
  const pattern = options.pattern ?? ([...scenario.patterns.keys()][0] as PatternName);
  const outcome = await executeRun(
    {
      scenario,
      pattern,
      variant: 'base',
      seed: options.seed ?? scenario.seed,
      cases: materialiseCases(scenario, options.cases ?? null),
      repeat: options.repeat ?? 1,
      load: options.concurrency === undefined ? scenario.load : closedLoad(options.concurrency),
    },
    sink,
    clock,
  );
  return { outcome, sink: memory, clock };
}
