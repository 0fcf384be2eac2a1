import { describe, expect, it } from 'vitest';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { HarnessError } from '../harness/kernel/errors.ts';

const BASE = `name: t
agents:
  a: { role: answers, model: mid-tier }
cases:
  generate: { count: 3, labels: { ok: 1 } }
patterns:
  single-agent: { agent: a }
`;

function error(text: string): HarnessError {
  try {
    compileScenarioText(text, 'bar.yaml');
  } catch (caught) {
    if (caught instanceof HarnessError) return caught;
    throw caught;
  }
  throw new Error('compiled without error');
}

describe('minSuccess', () => {
  it('defaults to 95 %, takes a fraction or a percentage, and a variant may change it', () => {
    expect(compileScenarioText(BASE, 'x.yaml').minSuccess).toBe(0.95);
    const scenario = compileScenarioText(`${BASE}minSuccess: 90%\nvariants:\n  lax: { minSuccess: 0.5 }\n`, 'x.yaml');
    expect(scenario.minSuccess).toBe(0.9);
    expect(scenario.variants.get('lax')?.minSuccess).toBe(0.5);
  });

  it('refuses values outside [0, 1], naming the file, line and field', () => {
    for (const bad of ['minSuccess: 1.5', 'minSuccess: 150%', 'minSuccess: most']) {
      const caught = error(`${BASE}${bad}\n`);
      expect(caught.code).toBe('SCENARIO_INVALID');
      expect(caught.message).toMatch(/^bar\.yaml:8:13 minSuccess: must be/);
    }
  });
});
