import type { CompiledComposition } from './composition.ts';
import type { IssueCollector } from './issues.ts';
import type { PathSegment } from './positions.ts';
import { compileState, stateInputSchema, type CompiledState } from './schema/state.ts';
import type { PatternName } from './types.ts';

const REFUSED = 'sharedState write conflicts apply to state: central or bus; under state: retrieval agents read a shared store and no merge of their writes is modelled';

/**
 * `state:` compiled; undefined when the scenario does not set it. Fan-out `sharedState` write
 * conflicts (patterns/fanout-state.ts) model writes merged by the orchestrator (`central`) or the
 * log (`bus`); under `retrieval` agents read a shared store and nothing merges their writes, so the
 * combination is refused at the fan-out's `sharedState` (`patterns.fanout`, or a fan-out nested
 * in `patterns.hybrid`).
 */
export function compileScenarioState(
  raw: Readonly<Record<string, unknown>>,
  patterns: ReadonlyMap<PatternName, unknown>,
  issues: IssueCollector,
): CompiledState | undefined {
  const written = raw['state'];
  if (written === undefined || written === null) return undefined;
  const input = issues.parse(stateInputSchema, written, ['state']);
  if (input === undefined) return undefined;
  const state = compileState(input);
  if (state.strategy !== 'retrieval') return state;
  if (hasSharedState(patterns.get('fanout'))) issues.add(['patterns', 'fanout', 'sharedState'], REFUSED);
  const hybrid = patterns.get('hybrid') as CompiledComposition | undefined;
  if (hybrid !== undefined) {
    for (const node of compositionNodes(hybrid)) {
      if (node.pattern === 'fanout' && hasSharedState(node.config)) issues.add(['patterns', 'hybrid', ...pathOf(node.name), 'sharedState'], REFUSED);
    }
  }
  return state;
}

function hasSharedState(config: unknown): boolean {
  return typeof config === 'object' && config !== null && (config as { sharedState?: unknown }).sharedState !== undefined;
}

/** `node` and every pattern nested in it. */
function* compositionNodes(node: CompiledComposition): Generator<CompiledComposition> {
  yield node;
  for (const nested of Object.values(node.nested)) yield* compositionNodes(nested);
}

/** `sequential.steps[1].fanout` as path segments: `sequential`, `steps`, 1, `fanout`. */
function pathOf(name: string): PathSegment[] {
  return name.split('.').flatMap((part) => {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (match === null) return [part];
    const indices = [...(match[2] ?? '').matchAll(/\[(\d+)\]/g)].map((index) => Number(index[1]));
    return [match[1] as string, ...indices];
  });
}
