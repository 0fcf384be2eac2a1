import type { AgentOutput } from './types.ts';

/** The router settings a decision reads. */
export interface RoutingRules {
  /** Label → specialist agent. */
  readonly routes: Readonly<Record<string, string>>;
  /** Catch-all agent: labels without a route, and low-confidence requests unless escalated. */
  readonly fallback?: string | undefined;
  /** Classifier confidence below which a request is not routed to a specialist. */
  readonly confidenceThreshold: number;
  /** Where a low-confidence request goes: the catch-all or human escalation. */
  readonly lowConfidence: 'fallback' | 'escalate';
  /** Agent standing for human escalation. */
  readonly escalation?: string | undefined;
}

/** Where one request goes. */
export type RouteDecision =
  | { readonly kind: 'route'; readonly agent: string; readonly label: string }
  | { readonly kind: 'fallback'; readonly agent: string; readonly reason: 'no-route' | 'low-confidence' }
  | { readonly kind: 'escalate'; readonly agent: string }
  | { readonly kind: 'unroutable'; readonly label: string | null };

/**
 * Where the classifier's `classification` sends a request (pure):
 * 1. confidence below the threshold → escalation when `lowConfidence: escalate` (or when there is
 *    no catch-all), else the catch-all; with neither, the classification is followed anyway;
 * 2. a label with a route → that specialist;
 * 3. otherwise → the catch-all, or `unroutable` when there is none.
 */
export function decideRoute(rules: RoutingRules, classification: Pick<AgentOutput, 'label' | 'confidence'>): RouteDecision {
  const confidence = classification.confidence ?? 1;
  if (confidence < rules.confidenceThreshold) {
    const escalate = rules.escalation !== undefined && (rules.lowConfidence === 'escalate' || rules.fallback === undefined);
    if (escalate) return { kind: 'escalate', agent: rules.escalation as string };
    if (rules.fallback !== undefined) return { kind: 'fallback', agent: rules.fallback, reason: 'low-confidence' };
  }
  const label = classification.label;
  const agent = label === undefined ? undefined : rules.routes[label];
  if (label !== undefined && agent !== undefined) return { kind: 'route', agent, label };
  if (rules.fallback !== undefined) return { kind: 'fallback', agent: rules.fallback, reason: 'no-route' };
  return { kind: 'unroutable', label: label ?? null };
}

/** The labels a specialist is built for: every label routed to it (pure). */
export function specialistDomain(routes: Readonly<Record<string, string>>, agent: string): string[] {
  return Object.keys(routes).filter((label) => routes[label] === agent);
}

/**
 * The routing-cache key of a request: its `input.text` trimmed, lower-cased, inner whitespace
 * collapsed; a request without text is keyed by its case id (its repeats are the same input). Pure.
 */
export function routingKey(caseId: string, input: Readonly<Record<string, unknown>>): string {
  const text = input['text'];
  if (typeof text !== 'string') return `case:${caseId}`;
  return `text:${text.trim().toLowerCase().replace(/\s+/g, ' ')}`;
}

interface CacheEntry {
  readonly classification: AgentOutput;
  readonly storedAtMs: number;
}

/**
 * Routing decisions cached per normalised input for `ttlMs`, at most `maxEntries` of them (the
 * oldest stored is evicted first). Time is passed in: no clock. Owned by one router executor (one run).
 */
export class RouteCache {
  readonly #entries = new Map<string, CacheEntry>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
  ) {}

  /** The classification stored for `key` if it is younger than the TTL at `nowMs`. */
  get(key: string, nowMs: number): AgentOutput | null {
    const entry = this.#entries.get(key);
    if (entry === undefined) return null;
    if (nowMs - entry.storedAtMs > this.ttlMs) {
      this.#entries.delete(key);
      return null;
    }
    return entry.classification;
  }

  /** Stores (or replaces) the classification of `key` at `nowMs`. */
  set(key: string, classification: AgentOutput, nowMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { classification, storedAtMs: nowMs });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
