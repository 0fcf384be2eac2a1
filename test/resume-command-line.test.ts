import { describe, expect, it } from 'vitest';
import { resumeCommandLine } from '../harness/run/recovery/resume-command.ts';

describe('the command printed to resume an interrupted run', () => {
  it('keeps the scenarios and options, and replaces --db and --overwrite with --resume', () => {
    expect(resumeCommandLine(['run', 'scenarios', '--cases', '50', '--db', 'out/x.db', '--overwrite', '--seed=1,2'], 'out/x.db')).toBe(
      'patternbench run scenarios --cases 50 --seed=1,2 --resume out/x.db',
    );
    expect(resumeCommandLine(['run', 'my suite/a.yaml', '--db=r.db', '--threshold', 'p95(latency) < 2s'], 'r.db')).toBe(
      "patternbench run 'my suite/a.yaml' --threshold 'p95(latency) < 2s' --resume r.db",
    );
    expect(resumeCommandLine(['run', 'a.yaml', '--resume', 'old.db'], 'old.db')).toBe('patternbench run a.yaml --resume old.db');
  });
});
