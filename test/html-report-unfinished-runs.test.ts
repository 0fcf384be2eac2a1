/**
 * `report` on a file whose runs have not all finished — one still being written by a live
 * connection, one interrupted — marks them on the page and warns in the terminal; a file of
 * completed runs gets neither.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-unfinished-'));
const completed = join(folder, 'completed.db');

async function report(db: string): Promise<{ code: number; stdout: string[]; stderr: string[]; html: string }> {
  const io = captureIo();
  const out = db.replace(/\.db$/, '.html');
  const code = await main(['report', db, '--out', out], io);
  return { code, stdout: io.stdout, stderr: io.stderr, html: code === 0 ? readFileSync(out, 'utf8') : '' };
}

describe('report on runs that have not finished', () => {
  beforeAll(async () => {
    expect(await main(['run', scenario, '--cases', '6', '--db', completed, '--quiet', '--no-report', '--format', 'json'], captureIo())).toBe(0);
  });

  it('shows no notice and warns of nothing when every run completed', async () => {
    const result = await report(completed);
    expect(result).toMatchObject({ code: 0, stdout: [join(folder, 'completed.html')], stderr: [] });
    expect(result.html).not.toContain('unfinished-runs');
  });

  it('marks a run still being written and an interrupted one, on the page and in the terminal', async () => {
    const live = join(folder, 'live.db');
    copyFileSync(completed, live);
    // A writer that stays open while the report reads, its changes still in the write-ahead log.
    const writer = new Database(live);
    try {
      const [sequential, single] = writer.prepare('SELECT run_id FROM runs ORDER BY pattern').pluck().all() as [string, string];
      writer.prepare("UPDATE runs SET status = 'running', finished_at = NULL, virtual_end_ms = NULL WHERE run_id = ?").run(sequential);
      writer.prepare('DELETE FROM workflows WHERE run_id = ? AND workflow_id >= 3').run(sequential);
      writer.prepare("UPDATE runs SET status = 'interrupted' WHERE run_id = ?").run(single);
      const result = await report(live);
      const running = `run ${sequential} is still running (or was killed before it finished): its figures cover the 3 workflows written so far`;
      const interrupted = `run ${single} was interrupted after 6 workflows (\`run … --resume\` continues it): its figures cover those only`;
      expect(result).toMatchObject({ code: 0, stdout: [join(folder, 'live.html')], stderr: [`warning: ${live}: ${running}`, `warning: ${live}: ${interrupted}`] });
      const notice = /<div class="unfinished" id="unfinished-runs" role="status">([\s\S]*?)<\/div>/.exec(result.html)?.[1] ?? '';
      expect(notice).toContain('Not every run finished: the figures of these 2 runs are partial.');
      expect(notice).toContain(`<li>${running}</li>`);
      expect(notice).toContain(`<li>${interrupted}</li>`);
      // Above the summary table, where the reader starts.
      expect(result.html.indexOf('id="unfinished-runs"')).toBeLessThan(result.html.indexOf('id="summary-heading"'));
    } finally {
      writer.close();
    }
  });
});
