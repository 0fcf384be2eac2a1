import type { Clock } from '../kernel/clock.ts';
import { HarnessError } from '../kernel/errors.ts';
import { RecordingAgent } from '../agents/record-agent.ts';
import { ReplayAgent } from '../agents/replay-agent.ts';
import { ReplaySource } from '../agents/replay-source.ts';
import type { RunHooks, RunSpec } from './runner.ts';
import type { CompiledScenario } from '../scenario/types.ts';
import { SimulatedAgent } from '../agents/simulated-agent.ts';

/**
 * The agent hooks of one run for `--record` and `--replay`: replaying answers every agent from
 * `replay` (simulating attempts with no recording); recording wraps every agent the run uses —
 * simulated, real or replayed — in a `RecordingAgent`. Empty when neither is asked for.
 */
export function recordReplayHooks(spec: RunSpec, clock: Clock, record: boolean, replay: ReplaySource | null): Pick<RunHooks, 'agents' | 'wrapAgent'> {
  const hooks: { -readonly [K in 'agents' | 'wrapAgent']?: NonNullable<RunHooks[K]> } = {};
  if (replay !== null) {
    const attempts = replay.attemptsFor(spec);
    const count = (recorded: boolean): void => {
      if (recorded) replay.replayed++;
      else replay.missed++;
    };
    hooks.agents = new Map(
      [...spec.scenario.agents.values()].map((agent) => [agent.name, new ReplayAgent(agent.name, attempts, new SimulatedAgent(agent, spec.scenario, clock), clock, count)]),
    );
  }
  if (record) hooks.wrapAgent = (agent) => new RecordingAgent(agent);
  return hooks;
}

/**
 * The recordings of `path` for `run --replay`, null without the flag. Bad input, before anything
 * is written: a missing or foreign file, a file with no recordings, or none of a scenario to run.
 */
export function openReplay(path: string | null, scenarios: readonly CompiledScenario[]): ReplaySource | null {
  if (path === null) return null;
  const replay = ReplaySource.open(path);
  const recorded = replay.scenarios();
  for (const scenario of scenarios) {
    if (!recorded.has(scenario.name)) {
      throw new HarnessError('RECORDING_MISSING', `${path} holds no recordings of scenario ${scenario.name} (it has: ${[...recorded].join(', ')})`);
    }
  }
  return replay;
}

/** The line `run --replay` prints when some attempts had no recording and were simulated; null otherwise. */
export function replayNotice(replay: ReplaySource | null): string | null {
  if (replay === null || replay.missed === 0) return null;
  const total = replay.missed + replay.replayed;
  return `replay: ${replay.missed} of ${total} model attempts had no recording in ${replay.path} and were simulated`;
}
