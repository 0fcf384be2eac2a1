// What the HTML report includes of a sweep: `withSweepSections` adds the sweep's sections after a
// page's body, their charts after its chart data and their style after its own, and leaves a page
// of a file without a sweep as it was. The report of a sweep's file (its runs named `base@p<n>`)
// is written as for any other file.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import type { ChartSpec } from '../reports/html/chart-spec.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { SWEEP_MEASURES } from '../reports/summary/sweep-measures.ts';
import { SWEEP_STYLE, withSweepSections } from '../reports/sweep/page.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/triage-router.yaml', import.meta.url).pathname;
const page = { title: 't', bodyHtml: '<h1>report</h1>', data: { charts: [{ id: 'own' } as ChartSpec], other: 1 }, script: '', style: 'p {}' };

describe('sweep sections in a report', () => {
  it('are added to a page of a sweep file, and a page of another file is left alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-sections-'));
    const sweep = join(folder, 'sweep.db');
    const run = join(folder, 'run.db');
    const io = captureIo();
    expect(await main(['sweep', scenario, '--vary', 'agents.triage-classifier.skill=0.7,0.9', '--cases', '100', '--db', sweep, '--quiet', '--no-report', '--resamples', '100'], io)).toBe(0);
    expect(await main(['run', scenario, '--cases', '20', '--db', run, '--quiet', '--no-report', '--format', 'json'], io)).toBe(0);

    const db = openDatabase(sweep, { readonly: true });
    const withSweep = withSweepSections(db, page, { resamples: 100 });
    db.close();
    expect(withSweep.bodyHtml.startsWith('<h1>report</h1>\n<section class="sweep" id="sweep-0">')).toBe(true);
    expect((withSweep.data as { charts: ChartSpec[] }).charts.map((chart) => chart.id)).toEqual(['own', ...SWEEP_MEASURES.map((measure) => `sweep-0-${measure.name}`)]);
    expect((withSweep.data as { other: number }).other).toBe(1);
    expect(withSweep.style).toBe(`p {}${SWEEP_STYLE}`);

    const plain = openDatabase(run, { readonly: true });
    expect(withSweepSections(plain, page)).toBe(page);
    plain.close();

    const report = join(folder, 'sweep.html');
    expect(await main(['report', sweep, '--out', report], io)).toBe(0);
    expect(existsSync(report)).toBe(true);
  });
});
