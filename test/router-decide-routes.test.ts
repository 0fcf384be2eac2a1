import { describe, expect, it } from 'vitest';
import { decideRoute, RouteCache, routingKey, specialistDomain, type RoutingRules } from '../patterns/router-decide.ts';

const rules: RoutingRules = {
  routes: { billing: 'billing-agent', refunds: 'billing-agent', technical: 'tech-agent' },
  fallback: 'general',
  confidenceThreshold: 0.6,
  lowConfidence: 'fallback',
  escalation: 'human',
};

describe('router decisions (pure, no clock)', () => {
  it('routes a confident label to its specialist, an unrouted one to the catch-all', () => {
    expect(decideRoute(rules, { label: 'technical', confidence: 0.9 })).toEqual({ kind: 'route', agent: 'tech-agent', label: 'technical' });
    expect(decideRoute(rules, { label: 'other', confidence: 0.9 })).toEqual({ kind: 'fallback', agent: 'general', reason: 'no-route' });
    expect(decideRoute({ ...rules, fallback: undefined }, { label: 'other', confidence: 0.9 })).toEqual({ kind: 'unroutable', label: 'other' });
  });

  it('sends low confidence to the catch-all, or to a human when told to escalate', () => {
    expect(decideRoute(rules, { label: 'billing', confidence: 0.59 })).toEqual({ kind: 'fallback', agent: 'general', reason: 'low-confidence' });
    expect(decideRoute({ ...rules, lowConfidence: 'escalate' }, { label: 'billing', confidence: 0.59 })).toEqual({ kind: 'escalate', agent: 'human' });
    expect(decideRoute(rules, { label: 'billing', confidence: 0.6 }).kind).toBe('route');
  });

  it("a specialist's domain is every label routed to it", () => {
    expect(specialistDomain(rules.routes, 'billing-agent')).toEqual(['billing', 'refunds']);
  });

  it('keys the cache by normalised text, or by case id without text', () => {
    expect(routingKey('c1', { text: '  Reset   my PASSWORD ' })).toBe(routingKey('c2', { text: 'reset my password' }));
    expect(routingKey('c1', {})).toBe('case:c1');
  });

  it('serves an entry until its TTL has passed, and evicts the oldest beyond maxEntries', () => {
    const cache = new RouteCache(1000, 2);
    const decision = { agent: 'classifier', label: 'billing', tokens: 5 };
    cache.set('x', decision, 0);
    expect(cache.get('x', 1000)).toBe(decision);
    expect(cache.get('x', 1001)).toBeNull();
    cache.set('a', decision, 0);
    cache.set('b', decision, 0);
    cache.set('c', decision, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 0)).toBeNull();
    expect(cache.get('c', 0)).toBe(decision);
  });
});
