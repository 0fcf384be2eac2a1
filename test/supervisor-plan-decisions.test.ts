import { describe, expect, it } from 'vitest';
import { ledgerTokens, limitReached, openCandidates, openSubtask, pendingSubtasks, reviewed } from '../patterns/supervisor-plan.ts';

const spec = { name: 'sizing', worker: 'analyst', scope: ['sizing'], reassignTo: 'senior' };
const output = { agent: 'analyst', tokens: 400 };

describe('supervisor decisions (pure, no clock)', () => {
  it('checks max rounds, then the token budget, then the time bound', () => {
    const limits = { maxRounds: 10, tokenBudget: 50_000, timeBoundMs: 60_000 };
    expect(limitReached(limits, 9, 49_999, 59_999)).toBeNull();
    expect(limitReached(limits, 10, 0, 0)).toBe('max_rounds');
    expect(limitReached(limits, 3, 50_000, 0)).toBe('budget');
    expect(limitReached(limits, 3, 0, 60_000)).toBe('timeout');
    expect(limitReached({ maxRounds: 10, tokenBudget: null, timeBoundMs: null }, 3, 1e9, 1e9)).toBeNull();
  });

  it('reads a ledger of 3,000 tokens growing with results up to 8,000', () => {
    const range = { min: 3000, max: 8000 };
    expect(ledgerTokens(range, 0)).toBe(3000);
    expect(ledgerTokens(range, 2500)).toBe(5500);
    expect(ledgerTokens(range, 90_000)).toBe(8000);
  });

  it('accepts, retries, then reassigns once after retriesBeforeReassign rejected retries', () => {
    let subtask = openSubtask(spec);
    subtask = reviewed(subtask, output, 'reject', 1);
    expect([subtask.worker, subtask.rejections, subtask.reassigned]).toEqual(['analyst', 1, false]);
    subtask = reviewed(subtask, null, 'reject', 1);
    expect([subtask.worker, subtask.rejections, subtask.reassigned]).toEqual(['senior', 0, true]);
    subtask = reviewed(subtask, output, 'reject', 1);
    subtask = reviewed(subtask, output, 'reject', 1);
    expect([subtask.worker, subtask.rejections]).toEqual(['senior', 2]);
    subtask = reviewed(subtask, output, 'accept', 1);
    expect(subtask.accepted).toBe(output);
    expect(pendingSubtasks([subtask])).toEqual([]);
  });

  it('offers as gaps only the follow-ups not yet in the ledger', () => {
    const followUps = [{ name: 'regulation', worker: 'lawyer', scope: ['regulation'] }, spec];
    expect(openCandidates(followUps, [openSubtask(spec)])).toEqual([{ name: 'regulation', scope: ['regulation'] }]);
  });
});
