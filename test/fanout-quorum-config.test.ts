import { describe, expect, it } from 'vitest';
import { fanoutConfigSchema } from '../patterns/fanout.ts';

const issues = (config: Record<string, unknown>): string[] => {
  const result = fanoutConfigSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('fan-out quorum configuration', () => {
  it('defaults minSuccesses to the quorum', () => {
    expect(fanoutConfigSchema.parse({ workers: ['a', 'b', 'c'], quorum: 2 })).toMatchObject({ quorum: 2 });
    expect(issues({ workers: ['a', 'b', 'c'], quorum: 2, minSuccesses: 1 })).toEqual([]);
  });

  it('rejects a quorum larger than the number of workers', () => {
    expect(issues({ workers: ['a', 'b', 'c'], quorum: 4 })).toEqual(['quorum: must not exceed the number of workers (3)']);
  });

  it('rejects a minSuccesses above the quorum (the fan-in would fire with too few results)', () => {
    expect(issues({ workers: ['a', 'b', 'c'], quorum: 2, minSuccesses: 3 })).toEqual(['minSuccesses: must not exceed quorum (2): the fan-in fires at the quorum']);
  });
});
