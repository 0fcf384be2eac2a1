import type { Attributes } from '../kernel/records.ts';
import type { Expected, ScorerSpec } from '../scenario/types.ts';
import type { AgentOutput } from '../../patterns/types.ts';

/** A scorer's verdict on one workflow output. */
export interface Score {
  /** Whether the output counts as right. */
  readonly correct: boolean;
  /** Score in [0, 1] (1 or 0 for exact label; F1 for set overlap). */
  readonly score: number;
  /** Scorer name, for the `gen_ai.evaluation.name` attribute. */
  readonly name: string;
  /** Extra figures recorded on the evaluation event (precision, recall, error…). */
  readonly details?: Attributes;
}

/**
 * Judges `output` against the case's `expected` outcome. The same scorers judge simulated and real
 * agents: they read only the output's fields, never how it was produced. Returns null when the
 * expected outcome has nothing this scorer can judge.
 *
 * - `exact-label`: right when the labels match (trimmed, case-insensitive).
 * - `set-overlap`: precision, recall and F1 of `output.findings` against `expected.findings`; the
 *   score is F1, right when F1 ≥ `passAt` (default 0.8). Two empty sets score 1.
 * - `numeric-tolerance`: right when |value − expected| ≤ tolerance × |expected| (or ≤ tolerance
 *   when absolute); the score is 1 − relative error, floored at 0.
 * - `custom`: the scenario's own function (`scoring.module` + `scoring.export`), given the expected
 *   outcome and the output's label, findings and value; its score is clamped to [0, 1].
 */
export function scoreOutput(spec: ScorerSpec, expected: Expected, output: AgentOutput): Score | null {
  switch (spec.kind) {
    case 'exact-label': {
      if (expected.label === undefined) return null;
      const correct = normaliseLabel(output.label) === normaliseLabel(expected.label);
      return { correct, score: correct ? 1 : 0, name: spec.kind };
    }
    case 'set-overlap': {
      if (expected.findings === undefined) return null;
      const overlap = setOverlap(expected.findings, output.findings ?? []);
      return {
        correct: overlap.f1 >= spec.passAt,
        score: overlap.f1,
        name: spec.kind,
        details: { 'patternbench.precision': overlap.precision, 'patternbench.recall': overlap.recall },
      };
    }
    case 'numeric-tolerance': {
      if (expected.value === undefined) return null;
      return numericTolerance(expected.value, output.value, spec.tolerance, spec.absolute);
    }
    case 'custom': {
      const { label, findings, value } = output;
      const verdict = spec.score(expected, {
        ...(label !== undefined && { label }),
        ...(findings !== undefined && { findings }),
        ...(value !== undefined && { value }),
      });
      const score = Number.isFinite(verdict.score) ? Math.min(1, Math.max(0, verdict.score)) : 0;
      return { correct: verdict.correct === true, score, name: `custom:${spec.export}` };
    }
  }
}

/** Precision, recall and F1 of a set of findings. */
export interface SetOverlap {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/**
 * Precision (share of reported findings that are expected), recall (share of expected findings
 * reported) and their harmonic mean F1. Findings compare trimmed and case-insensitive; duplicates
 * count once. Nothing expected and nothing reported is a perfect 1/1/1; reporting nothing when
 * something is expected gives precision 1, recall 0, F1 0. Pure.
 */
export function setOverlap(expected: readonly string[], reported: readonly string[]): SetOverlap {
  const truth = new Set(expected.map(normaliseFinding));
  const found = new Set(reported.map(normaliseFinding));
  let hits = 0;
  for (const finding of found) if (truth.has(finding)) hits++;
  const precision = found.size === 0 ? 1 : hits / found.size;
  const recall = truth.size === 0 ? 1 : hits / truth.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * Whether `actual` is within `tolerance` of `expected`: relative (× |expected|) unless `absolute`.
 * A missing or non-finite value is wrong with score 0. The score is 1 − relative error, floored at 0. Pure.
 */
export function numericTolerance(expected: number, actual: number | undefined, tolerance: number, absolute: boolean): Score {
  const name = 'numeric-tolerance';
  if (actual === undefined || !Number.isFinite(actual)) return { correct: false, score: 0, name };
  const error = Math.abs(actual - expected);
  const allowed = absolute ? tolerance : tolerance * Math.abs(expected);
  const relative = expected === 0 ? (error === 0 ? 0 : 1) : error / Math.abs(expected);
  return {
    correct: error <= allowed + 1e-12 * Math.max(1, Math.abs(expected)),
    score: Math.max(0, 1 - relative),
    name,
    details: { 'patternbench.absolute_error': error },
  };
}

/** Trims and lower-cases a label so that `High ` and `high` compare equal. */
export function normaliseLabel(label: string | undefined): string | undefined {
  return label?.trim().toLowerCase();
}

function normaliseFinding(finding: string): string {
  return finding.trim().toLowerCase();
}
