// One writer per results file: a second run on a file being written is refused before it deletes
// or changes anything, and the first run's results come out whole.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { ResultsLock } from '../reports/store/results-lock.ts';
import { captureIo } from './support/capture-io.ts';

const root = new URL('..', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-two-writers-'));
/** Cases of the first writer's runs. */
const FIRST_CASES = 20_000;

describe('two writers on one results file', () => {
  it('the second exits 2 (DATABASE_BUSY), even with --overwrite, and the first completes intact', async () => {
    const db = join(folder, 'shared.db');
    // Long enough (two runs of 20,000 workflows, seconds) that it still holds the file while
    // the second command starts, even on a machine busy with other test files: 4,000 once finished first.
    const first = spawn(process.execPath, ['harness/cli/bin.js', 'run', 'scenarios/legal-review.yaml', '--cases', String(FIRST_CASES), '--db', db, '--no-report'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    first.stderr.setEncoding('utf8');
    const started = new Promise<void>((resolve) => {
      first.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('running legal-review/')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    await started;

    for (const extra of [['--overwrite'], []]) {
      const io = captureIo();
      const code = await main(['run', 'scenarios/legal-review.yaml', '--cases', '3', '--db', db, '--quiet', '--no-report', ...extra].map((arg) => (arg.startsWith('scenarios/') ? join(root, arg) : arg)), io);
      const message = io.stderr.join('\n');
      if (extra.length === 0) {
        // Without --overwrite the file's existence is enough to refuse.
        expect(code).toBe(2);
        expect(message).toMatch(/DATABASE_EXISTS|DATABASE_BUSY/);
      } else {
        expect(code, message).toBe(2);
        expect(message).toContain('error [DATABASE_BUSY]');
        expect(message).toContain(db);
      }
    }

    expect(await exited).toBe(0);
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const runs = sqlite.prepare('SELECT status FROM runs').pluck().all();
    expect(runs.length).toBeGreaterThan(0);
    expect(new Set(runs)).toEqual(new Set(['completed']));
    expect(sqlite.prepare('SELECT count(*) FROM workflows').pluck().get()).toBe(FIRST_CASES * runs.length);
    sqlite.close();
    expect(existsSync(`${db}.lock`)).toBe(false);
  }, 120_000);

  it('a lock left by a writer that died (kill -9) is stale: the next run takes it over', async () => {
    const db = join(folder, 'stale.db');
    // A process id that cannot be alive: above Linux's pid_max (4,194,304).
    writeFileSync(`${db}.lock`, '99999999\n');
    const io = captureIo();
    expect(await main(['run', join(root, 'scenarios/legal-review.yaml'), '--cases', '3', '--db', db, '--quiet', '--no-report'], io)).toBe(0);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('a lock held by a zombie (a writer killed and never reaped, as in a container without init) is stale too', async () => {
    // The background child exits 0.2 s later, when its parent has become `sleep` (exec), which never
    // reaps it: a zombie until `sleep` ends. (Exiting at once, the shell might reap it before exec.)
    const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombiePid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    try {
      for (let tries = 0; !readFileSync(`/proc/${zombiePid}/stat`, 'utf8').includes(') Z '); tries++) {
        expect(tries, 'the child never became a zombie').toBeLessThan(200);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const db = join(folder, 'zombie.db');
      writeFileSync(`${db}.lock`, `${zombiePid}\n`);
      const lock = ResultsLock.acquire(db);
      expect(readFileSync(`${db}.lock`, 'utf8').trim()).toBe(String(process.pid));
      lock.release();
      expect(existsSync(`${db}.lock`)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('a lock held by a live process refuses the second writer', () => {
    const db = join(folder, 'live.db');
    const first = ResultsLock.acquire(db);
    try {
      // This process holds it; a lock file naming another live process (our parent) is busy.
      writeFileSync(`${db}.lock`, `${process.ppid}\n`);
      expect(() => ResultsLock.acquire(db)).toThrow(expect.objectContaining({ code: 'DATABASE_BUSY' }));
    } finally {
      first.release();
    }
  });
});
