import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValidate } from '../harness/cli/validate.ts';

const fixtures = new URL('./fixtures/scenarios/', import.meta.url).pathname;

function validate(...paths: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runValidate(paths, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('validate command', () => {
  it('prints ok per valid file and exits 0', () => {
    expect(validate(join(fixtures, 'suite'))).toEqual({
      code: 0,
      out: [
        `ok ${join(fixtures, 'suite', 'a-legal.yml')} (2 agents, 2 cases, patterns: sequential)`,
        `ok ${join(fixtures, 'suite', 'b-triage.yaml')} (1 agent, 50 cases, patterns: sequential)`,
      ],
      err: [],
    });
  });

  it('prints each issue as file:line:column field: message, keeps going, and exits 2', () => {
    const result = validate(join(fixtures, 'invalid-suite', 'one.yaml'), join(fixtures, 'minimal.yaml'));
    expect(result.code).toBe(2);
    expect(result.out).toEqual([`ok ${join(fixtures, 'minimal.yaml')} (1 agent, 1 case, patterns: sequential)`]);
    expect(result.err).toEqual([`${join(fixtures, 'invalid-suite', 'one.yaml')}:6:5 agents.solo.skil: unknown key 'skil' (did you mean 'skill'?)`]);
  });

  it('reports a path that does not exist and exits 2', () => {
    const missing = join(fixtures, 'missing.yaml');
    expect(validate(missing)).toEqual({ code: 2, out: [], err: [`scenario file or folder not found: ${missing}`] });
  });
});
