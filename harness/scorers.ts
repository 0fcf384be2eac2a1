import type { Expected, ScorerSpec } from './scenario-types.ts';
import type { AgentOutput } from '../patterns/types.ts';

/** A scorer's verdict on one workflow output. */
export interface Score {
  /** Whether the output counts as right. */
  readonly correct: boolean;
  /** Score in [0, 1] (1 or 0 for exact label). */
  readonly score: number;
  /** Scorer name, for the `gen_ai.evaluation.name` attribute. */
  readonly name: string;
}

/**
 * Judges `output` against the case's `expected` outcome. The same scorers judge simulated and real
 * agents: they read only the output's fields, never how it was produced. Returns null when the
 * expected outcome has nothing this scorer can judge.
 */
export function scoreOutput(spec: ScorerSpec, expected: Expected, output: AgentOutput): Score | null {
  switch (spec.kind) {
    case 'exact-label': {
      if (expected.label === undefined) return null;
      const correct = normaliseLabel(output.label) === normaliseLabel(expected.label);
      return { correct, score: correct ? 1 : 0, name: spec.kind };
    }
  }
}

/** Trims and lower-cases a label so that `High ` and `high` compare equal. */
export function normaliseLabel(label: string | undefined): string | undefined {
  return label?.trim().toLowerCase();
}
