import { describe, expect, it } from 'vitest';
import { combineRunParts, parseShard, type RunRow } from '../reports/store/merge/merge-runs.ts';

const run: RunRow = {
  run_id: 'r', scenario: 's', pattern: 'fanout', variant: 'base', seed: 1, epoch_ms: 0, config: '{"a":1}',
  started_at: '2025-01-01T10:00:00.000Z', finished_at: '2025-01-01T10:05:00.000Z', status: 'completed',
  virtual_end_ms: 1000, clock: 'virtual', load: '{}', shard: '1/3',
};

describe('combining the runs rows of a run\'s shards', () => {
  it('takes the earliest start, latest finish and end, and the worst status', () => {
    const combined = combineRunParts([
      { input: 'a.db', row: run },
      { input: 'b.db', row: { ...run, shard: '2/3', started_at: '2025-01-01T09:59:00.000Z', virtual_end_ms: 1500, status: 'interrupted' } },
      { input: 'c.db', row: { ...run, shard: '3/3', finished_at: '2025-01-01T10:07:00.000Z', virtual_end_ms: null } },
    ]);
    expect(combined).toEqual({
      ...run, shard: '', status: 'interrupted', started_at: '2025-01-01T09:59:00.000Z', finished_at: '2025-01-01T10:07:00.000Z', virtual_end_ms: 1500,
    });
  });

  it('is completed only when every shard completed, and unfinished while a shard has no finish time', () => {
    const parts = [{ input: 'a.db', row: run }, { input: 'b.db', row: { ...run, shard: '2/3', finished_at: null, status: 'running' } }];
    expect(combineRunParts(parts)).toMatchObject({ status: 'running', finished_at: null, shard: '1,2/3' });
  });

  it('merges in steps: a partial set of shards is written as i,j/n and completes later', () => {
    const partial = combineRunParts([{ input: 'a.db', row: run }, { input: 'c.db', row: { ...run, shard: '3/3' } }]);
    expect(partial.shard).toBe('1,3/3');
    expect(combineRunParts([{ input: 'ac.db', row: partial }, { input: 'b.db', row: { ...run, shard: '2/3' } }]).shard).toBe('');
  });

  it.each([
    [{ config: '{"a":2}' }, /different config in a.db and b.db/],
    [{ seed: 2 }, /different seed/],
    [{ shard: '1/3' }, /shard 1\/3 is in both a.db and b.db/],
    [{ shard: '2/4' }, /b.db is a shard of 4, another input of 3/],
    [{ shard: '' }, /whole in b.db/],
    [{ shard: '2,1/3' }, /not 'i\/n'/],
  ])('refuses shards that are not parts of one run: %j', (change, message) => {
    expect(() => combineRunParts([{ input: 'a.db', row: run }, { input: 'b.db', row: { ...run, ...change } }])).toThrow(message);
  });

  it('parses shard sets', () => {
    expect(parseShard('', 'x')).toBeNull();
    expect(parseShard('2/5', 'x')).toEqual({ indices: [2], of: 5 });
    expect(parseShard('1,4/5', 'x')).toEqual({ indices: [1, 4], of: 5 });
    expect(() => parseShard('6/5', 'x.db')).toThrow(/x.db: runs.shard "6\/5"/);
    expect(() => parseShard('0/5', 'x.db')).toThrow(/not 'i\/n'/);
  });
});
