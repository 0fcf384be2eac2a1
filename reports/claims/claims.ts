/**
 * The source article's quantitative claims, each with the scenario of `scenarios/article/` that
 * measures it, how one seed's runs give the figure, the inputs that produce it, and — where the
 * article's figure does not follow from its own inputs, or holds only under some — a note saying
 * so. `claims-measure.ts` runs the figures over seeds and gives each a verdict.
 */
import type { RunFigures } from './run-figures.ts';

/** The unit a claim's figure is in (how it is printed). */
export type ClaimUnit = '%' | '×' | 's' | 'tokens';

/** One seed's runs of a claim's scenario: `run(pattern, variant)` is the run of that series. */
export interface SeedRuns {
  run(pattern: string, variant?: string): RunFigures;
}

/** A figure measured beside the claim's own, printed in its note. */
export interface ClaimAside {
  /** What it is, completing "… is {figure}". */
  readonly text: string;
  readonly figure: (runs: SeedRuns) => number;
}

/** One claim of the article. */
export interface Claim {
  readonly id: string;
  /** The claim, in the article's terms. */
  readonly claim: string;
  /** The article's figure as it states it, and the range it allows (an "about" figure in per cent: ± 5 points). */
  readonly article: { readonly text: string; readonly low: number; readonly high: number };
  readonly unit: ClaimUnit;
  /** The scenario file in `scenarios/article/`; null when the lever it needs is not built. */
  readonly scenario: string | null;
  /**
   * One seed's figure: one number, or two for a range claim (its low and high end: the measured
   * p5–p95 of a latency).
   */
  readonly figures: (runs: SeedRuns) => readonly number[];
  /** What the two figures of a range claim are, printed before each. Default `p5`, `p95` (a latency's). */
  readonly labels?: readonly [string, string];
  /** The inputs that produce the measured figure. */
  readonly inputs: string;
  /** Where the article's figure does not follow from its inputs, or holds only under some; null when it does. */
  readonly note: string | null;
  readonly asides?: readonly ClaimAside[];
}

/** "About x %": within 5 percentage points of x. */
const about = (value: number, text: string): Claim['article'] => ({ text, low: value - 5, high: value + 5 });
const between = (low: number, high: number, text: string): Claim['article'] => ({ text, low, high });
/** 1 − a ÷ b, in per cent. */
const reduction = (a: number, b: number): number => (1 - a / b) * 100;

/** The claims, in the article's order. */
export const CLAIMS: readonly Claim[] = [
  {
    id: 'fanout-latency',
    claim: 'A parallel fan-out finishes faster than a 5-step sequential chain',
    article: about(70, '~70 % faster'),
    unit: '%',
    scenario: 'fanout-vs-chain.yaml',
    figures: (runs) => [reduction(runs.run('fanout').meanLatencyMs, runs.run('sequential').meanLatencyMs)],
    inputs: 'five independent LLM calls of 2–5 s (uniform), chained or fanned out and merged by vote, no synthesis call',
    note:
      'Holds when the fan-in adds no LLM call: the mean of the slowest of five 2–5 s calls is 4.5 s against 17.5 s for their sum (74 %). ' +
      'A synthesis call of 2–5 s after the fan-in makes it 8 s, 54 % faster.',
  },
  {
    id: 'chain-latency',
    claim: 'A 4-agent sequential chain takes 12–20 s end to end',
    article: between(12, 20, '12–20 s'),
    unit: 's',
    scenario: 'chain-latency.yaml',
    figures: (runs) => [runs.run('sequential').p5LatencyMs / 1000, runs.run('sequential').p95LatencyMs / 1000],
    inputs: 'four LLM calls of 2–5 s each (uniform), the article’s per-agent figure; measured: p5–p95 of latency',
    note:
      'Does not follow from the article’s own input: four calls of 2–5 s sum to 8–20 s, mostly 11–17 s (p5–p95); ' +
      '20 s needs every call at its slowest. 12–20 s is what four calls of 3–5 s give.',
  },
  {
    id: 'supervisor-tokens',
    claim: 'A supervisor spends 50k–150k tokens per task',
    article: between(50_000, 150_000, '50k–150k'),
    unit: 'tokens',
    scenario: 'supervisor-tokens.yaml',
    figures: (runs) => [runs.run('supervisor').meanTokens],
    inputs: 'four research subtasks (2k-token prompts, ~1.2k-token outputs) under a frontier supervisor that plans, delegates and reviews each result, up to 6 rounds',
    note: null,
  },
  {
    id: 'supervisor-ratio',
    claim: 'A supervisor spends 3–5× the tokens of a static pipeline',
    article: between(3, 5, '3–5×'),
    unit: '×',
    scenario: 'supervisor-tokens.yaml',
    figures: (runs) => [runs.run('supervisor').meanTokens / runs.run('sequential', 'previous-only').meanTokens],
    inputs: 'the same four subtasks as a chain whose steps read the task and the previous step’s output',
    note: 'Depends on what the pipeline passes on: a chain that hands every prior output to each step spends more itself, and the ratio falls.',
    asides: [{ text: 'against a chain passing every prior output on, the ratio', figure: (runs) => runs.run('supervisor').meanTokens / runs.run('sequential').meanTokens }],
  },
  {
    id: 'router-cache',
    claim: 'A 24-hour routing cache cuts LLM calls',
    article: between(30, 50, '30–50 %'),
    unit: '%',
    scenario: 'router-cache.yaml',
    figures: (runs) => [reduction(runs.run('router').agentCallsPerWorkflow, runs.run('router', 'no-cache').agentCallsPerWorkflow)],
    inputs: '1,000 requests of which 300 distinct (a 70 % repeat rate), an LLM classifier then a specialist per request, cache TTL 24 h',
    note:
      'A routing cache saves only the classifier’s call, and only for a request seen before: with one classifier and one specialist call per request, ' +
      'the share of calls saved is about the repeat rate ÷ 2 (a little more here: a request a specialist sends back is classified again, and the cache answers that too). ' +
      '30 % needs a repeat rate near 60 %; 50 % needs every request to repeat.',
  },
  {
    id: 'tiered-models',
    claim: 'Tiered models (small where the step is simple, frontier where it matters) cost less',
    article: between(40, 60, '40–60 % less'),
    unit: '%',
    scenario: 'tiered-models.yaml',
    figures: (runs) => [reduction(runs.run('sequential', 'tiered').meanCostUsd, runs.run('sequential').meanCostUsd)],
    inputs: 'the 4-step legal-review chain on frontier models, against extract and summarise on the mid tier, classify on the small model, risk scoring on the frontier model',
    note:
      'The saving is the share of spend moved off the frontier model: it grows with the steps that move and their share of the tokens. ' +
      'Here the extractor’s long outputs move too; 40–60 % is what moving less of the spend gives.',
    asides: [{ text: 'moving only the classifier and the summariser off the frontier model, the saving', figure: (runs) => reduction(runs.run('sequential', 'tiered-light').meanCostUsd, runs.run('sequential').meanCostUsd) }],
  },
  {
    id: 'batching',
    claim: 'Batching 5–10 items per call cuts the cost per item',
    article: between(60, 80, '60–80 % less'),
    unit: '%',
    scenario: 'batching.yaml',
    labels: ['batches of 5', 'of 10'],
    figures: (runs) => [5, 10].map((size) => reduction(runs.run('single-agent', `batch-${size}`).meanCostUsd, runs.run('single-agent').meanCostUsd)),
    inputs: 'a document classifier on the mid-tier model: a 2,000-token prompt, documents of 1,000 tokens, 30–70-token answers, alone or in batches of 5 and 10',
    note:
      'A batch saves only the shared prompt’s repeats: per item (1 − 1/n) × the prompt’s share of an item’s cost, here 50 % at 5 and 56 % at 10. ' +
      '60–80 % needs a prompt several times an item’s own tokens (with short answers: 3× for 60 % at 5, 8× for 80 % at 10; 1.5–4× as batches grow large).',
    asides: [{ text: 'with a 4,000-token prompt in batches of 10, the saving', figure: (runs) => reduction(runs.run('single-agent', 'long-prompt-batch-10').meanCostUsd, runs.run('single-agent', 'long-prompt').meanCostUsd) }],
  },
  {
    id: 'fanout-throughput',
    claim: 'A parallel fan-out gives more throughput than a sequential chain',
    article: between(3, 5, '3–5×'),
    unit: '×',
    scenario: 'fanout-throughput.yaml',
    figures: (runs) => [runs.run('fanout').throughputPerSecond / runs.run('sequential').throughputPerSecond],
    inputs: 'the five 2–5 s calls, 20 tasks in flight at all times (a closed loop) for 10 minutes, agents without a concurrency limit',
    note:
      'With a fixed number of tasks in flight, throughput = in flight ÷ latency (Little’s law): the gain is the latency ratio. ' +
      'When the agents’ capacity (pools, rate limits) is the bottleneck, both patterns make the same five calls per task and the gain disappears.',
  },
  {
    id: 'context-accuracy',
    claim: 'Past 70 % of the context window, accuracy falls',
    article: between(12, 18, '12–18 % lower'),
    unit: '%',
    scenario: 'context-accuracy.yaml',
    figures: (runs) => [reduction(runs.run('single-agent', 'over-70').accuracy, runs.run('single-agent').accuracy)],
    inputs: 'one agent (skill 0.9, 200k-token window) on documents filling ~50 % of it, against ~80 %',
    note: 'Reproduces the simulator’s input, not an independent test: its penalty past 70 % (15 %) is taken from the article. A run against a real model measures it.',
  },
  {
    id: 'tools-accuracy',
    claim: 'Past 20 tools, an agent’s accuracy falls',
    article: about(71, '94 % → 71 %'),
    unit: '%',
    scenario: 'tools-accuracy.yaml',
    figures: (runs) => [runs.run('single-agent', '25-tools').accuracy * 100],
    inputs: 'one agent of skill 0.94 with 25 tools; measured: its accuracy',
    note: 'Reproduces the simulator’s input, not an independent test: its penalty past 20 tools (× 0.755) is taken from the article. A run against a real model measures it.',
    asides: [{ text: 'with 10 tools, the same agent’s accuracy', figure: (runs) => runs.run('single-agent').accuracy * 100 }],
  },
];
