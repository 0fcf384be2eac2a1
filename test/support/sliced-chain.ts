/**
 * The scenario of the sliced-run tests: an open load of ~450 workflows over 30 s through a two-step
 * chain, in 5 ms windows — widened several times over the run's length, and not to the same width
 * in every slice of it.
 */
export function slicedChainScenario(name: string, seed: number): string {
  return `name: ${name}
seed: ${seed}
agents:
  reader: { role: reads the request, model: small-fast, promptTokens: 400, outputTokens: { dist: lognormal, p50: 80, p95: 200 }, skill: 0.9 }
  writer: { role: writes the answer, model: mid-tier, promptTokens: 600, outputTokens: { dist: lognormal, p50: 150, p95: 400 }, skill: 0.95 }
cases:
  generate: { count: 60, labels: { yes: 0.5, no: 0.5 } }
patterns:
  sequential: { steps: [reader, writer] }
load: { arrivals: poisson, rate: 15/s, duration: 30s, window: 5ms }
`;
}
