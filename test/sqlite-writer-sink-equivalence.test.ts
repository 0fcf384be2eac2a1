import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import type { RecordSink } from '../reports/store/sink.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { SqliteWriterSink } from '../reports/store/sqlite-writer-sink.ts';
import { dumpDatabase, LONE_SPAN } from './support/db-dump.ts';
import { runOnce } from './support/run-scenario.ts';

const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
const folder = mkdtempSync(join(tmpdir(), 'patternbench-writer-'));

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
    const expected = dumpDatabase(direct);
    expect(expected['workflows']).toHaveLength(190);
    expect(dumpDatabase(threaded)).toEqual(expected);
  });

  it('reports backpressure and relieves it without losing rows', async () => {
    const path = join(folder, 'backpressure.db');
    const sink = SqliteWriterSink.open(path, { batchRows: 10, maxInFlight: 3 });
    let backlogged = 0;
    const counting: RecordSink = {
      beginRun: (run) => sink.beginRun(run),
      writeSpan: (span) => sink.writeSpan(span),
      writeWorkflow: (workflow) => sink.writeWorkflow(workflow),
      writeAux: (record) => sink.writeAux(record),
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
    expect(dumpDatabase(path)['workflows']).toHaveLength(200);
  });

  it('surfaces a write that fails in the writer thread, and refuses records after close', async () => {
    const path = join(folder, 'failure.db');
    const sink = SqliteWriterSink.open(path);
    sink.writeSpan(LONE_SPAN);
    sink.writeSpan(LONE_SPAN);
    await expect(sink.close()).rejects.toMatchObject({ code: 'SINK_FAILED', message: expect.stringContaining('UNIQUE') });
    expect(() => sink.writeSpan(LONE_SPAN)).toThrow(expect.objectContaining({ code: 'SINK_CLOSED' }));
  });
});
