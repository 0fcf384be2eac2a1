import { describe, expect, it } from 'vitest';
import { heapFlags, LAUNCHED_ENV, SEMI_SPACE_MIB } from '../harness/cli/launcher.js';

describe('the launcher sizes the young generation for the run', () => {
  it('gives a virtual-time run the large semi-space and a real-time run the small one', () => {
    expect(heapFlags(['run', 'scenarios'], [], {})).toEqual([`--max-semi-space-size=${SEMI_SPACE_MIB.virtual}`]);
    expect(heapFlags(['run', 'scenarios', '--realtime'], [], {})).toEqual([`--max-semi-space-size=${SEMI_SPACE_MIB.realtime}`]);
    expect(SEMI_SPACE_MIB.realtime).toBeLessThan(SEMI_SPACE_MIB.virtual);
  });

  it('runs other commands, the launched child and a user-sized heap in process', () => {
    expect(heapFlags(['validate', 'scenarios'], [], {})).toBeNull();
    expect(heapFlags(['run', 'scenarios'], [], { [LAUNCHED_ENV]: '1' })).toBeNull();
    expect(heapFlags(['run', 'scenarios'], ['--max-semi-space-size=8'], {})).toBeNull();
    expect(heapFlags(['run', 'scenarios'], [], { NODE_OPTIONS: '--max-semi-space-size=8' })).toBeNull();
  });
});
