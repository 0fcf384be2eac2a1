/**
 * Custom scorer of `insurance-claim.yaml` (`scoring: { scorer: custom, module: scorers/claim-outcome.ts,
 * export: scoreClaimOutcome }`): a claim is handled right when the decision (approve, deny,
 * investigate) matches and, for an approval, the authorised payout is within 1 % of the truth.
 * The score is 1 − the payout's relative error for a right decision, 0 for a wrong one.
 */
import type { CustomScoreFunction } from '../../harness/scenario/types.ts';

export const scoreClaimOutcome: CustomScoreFunction = (expected, output) => {
  if (output.label === undefined || output.label !== expected.label) return { correct: false, score: 0 };
  if (expected.label !== 'approve' || expected.value === undefined) return { correct: true, score: 1 };
  if (output.value === undefined) return { correct: false, score: 0 };
  const error = Math.abs(output.value - expected.value) / Math.abs(expected.value);
  return { correct: error <= 0.01, score: Math.max(0, 1 - error) };
};
