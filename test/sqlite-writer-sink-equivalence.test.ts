import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenarioFile } from '../harness/scenario-compile.ts';
import { openDatabase } from '../reports/schema.ts';
import type { RecordSink } from '../reports/sink.ts';
import { SqliteSink } from '../reports/sqlite-sink.ts';
import { SqliteWriterSink } from '../reports/sqlite-writer-sink.ts';
import { runOnce } from './support/run-scenario.ts';

const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
const folder = mkdtempSync(join(tmpdir(), 'patternbench-writer-'));

function dump(path: string): Record<string, unknown[]> {
  const db = openDatabase(path, { readonly: true });
  try {
    return {
      runs: db.prepare('SELECT * FROM runs ORDER BY run_id').all(),
      workflows: db.prepare('SELECT * FROM workflows ORDER BY run_id, workflow_id').all(),
      spans: db.prepare('SELECT * FROM spans ORDER BY rowid').all(),
      indexes: db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name").pluck().all(),
    };
  } finally {
    db.close();
  }
}

async function record(sink: RecordSink): Promise<void> {
  await runOnce(scenario, { cases: 150, concurrency: 9, sink });
  await runOnce(scenario, { cases: 40, seed: 3, sink });
  await sink.close();
}

describe('SqliteWriterSink (writes on a second thread)', () => {
  it('writes exactly the rows, in the same order, that the in-thread SqliteSink writes', async () => {
    const direct = join(folder, 'direct.db');
    const threaded = join(folder, 'threaded.db');
    await record(SqliteSink.open(direct));
    // Small batches and a short queue, so the run waits on the writer many times.
    await record(SqliteWriterSink.open(threaded, { batchRows: 37, maxInFlight: 2 }));
    const expected = dump(direct);
    expect(expected['workflows']).toHaveLength(190);
    expect(dump(threaded)).toEqual(expected);
  });

  it('reports backpressure and relieves it without losing rows', async () => {
    const path = join(folder, 'backpressure.db');
    const sink = SqliteWriterSink.open(path, { batchRows: 10, maxInFlight: 3 });
    let backlogged = 0;
    const counting: RecordSink = {
      beginRun: (run) => sink.beginRun(run),
      writeSpan: (span) => sink.writeSpan(span),
      writeWorkflow: (workflow) => sink.writeWorkflow(workflow),
      endRun: (runId, end) => sink.endRun(runId, end),
      backlogged: () => {
        const value = sink.backlogged();
        if (value) backlogged++;
        return value;
      },
      ready: () => sink.ready(),
      flush: () => sink.flush(),
      close: () => sink.close(),
    };
    await runOnce(scenario, { cases: 200, concurrency: 20, sink: counting });
    await sink.flush();
    expect(sink.backlogged()).toBe(false);
    await sink.close();
    expect(backlogged).toBeGreaterThan(0);
    expect(dump(path)['workflows']).toHaveLength(200);
  });

  it('surfaces a write that fails in the writer thread, and refuses records after close', async () => {
    const path = join(folder, 'failure.db');
    const sink = SqliteWriterSink.open(path);
    const span = {
      runId: 'r', traceId: '1'.repeat(32), spanId: '2'.repeat(16), parentSpanId: '', workflowId: 0, name: 'x',
      kind: 'internal', startMs: 0, endMs: 1, status: 'ok', statusMessage: '', attributes: {}, events: [],
    } as const;
    sink.writeSpan(span);
    sink.writeSpan(span);
    await expect(sink.close()).rejects.toMatchObject({ code: 'SINK_FAILED', message: expect.stringContaining('UNIQUE') });
    expect(() => sink.writeSpan(span)).toThrow(expect.objectContaining({ code: 'SINK_CLOSED' }));
  });
});
