// A worker thread of the open gate (`openResultsDeferred` in reports/store/open-results.ts): opens
// the results file read-only on a connection of its own, runs the page check (page-check.js) and
// posts `{ problem }` (null when sound) or `{ error: { code, message } }` when SQLite cannot read it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { pageProblem } from './page-check.js';

const { path, skipped } = workerData;
try {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    parentPort.postMessage({ problem: pageProblem(db, skipped) });
  } finally {
    db.close();
  }
} catch (error) {
  parentPort.postMessage({ error: { code: typeof error?.code === 'string' ? error.code : '', message: error instanceof Error ? error.message : String(error) } });
}
