// The SQLite writer thread of `SqliteWriterSink` (reports/sqlite-writer-sink.ts). It owns the only
// write connection to the results file and executes, in order, the messages the simulation thread
// posts: run rows, batches of span and workflow rows (one transaction per batch), run ends, and
// close (build indexes, optimise, close). Every message is answered with `{ seq, error }` so the
// sender can bound the work in flight and surface failures. Plain JavaScript: a worker does not
// inherit the TypeScript loader, and this file needs none of the project's types.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, rowsPerStatement, spanColumns, workflowColumns, insertRunSql, updateRunSql, indexDdl, auxColumns } = workerData;

const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');

function tableWriter(table, columns) {
  const width = columns.length;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const bulk = db.prepare(head + Array.from({ length: rowsPerStatement }, () => tuple).join(', '));
  const single = db.prepare(head + tuple);
  const chunk = rowsPerStatement * width;
  return (values) => {
    let offset = 0;
    for (; offset + chunk <= values.length; offset += chunk) bulk.run(...values.slice(offset, offset + chunk));
    for (; offset < values.length; offset += width) single.run(...values.slice(offset, offset + width));
  };
}

const writeSpans = tableWriter('spans', spanColumns);
const writeWorkflows = tableWriter('workflows', workflowColumns);
const insertRun = db.prepare(insertRunSql);
const updateRun = db.prepare(updateRunSql);
// The other tables (checkpoints, time series, events, …) also go in multi-row statements: a
// checkpoint per agent call made single-row inserts the writer's largest cost.
const auxWriters = new Map(Object.entries(auxColumns).map(([table, columns]) => [table, tableWriter(table, columns)]));
const writeBatch = db.transaction((spans, workflows, aux) => {
  writeSpans(spans);
  writeWorkflows(workflows);
  const byTable = new Map();
  for (const [table, values] of aux) {
    let flat = byTable.get(table);
    if (flat === undefined) byTable.set(table, (flat = []));
    for (const value of values) flat.push(value);
  }
  for (const [table, flat] of byTable) auxWriters.get(table)(flat);
});

parentPort.on('message', (message) => {
  let error = null;
  try {
    switch (message.type) {
      case 'run':
        insertRun.run(...message.values);
        break;
      case 'rows':
        writeBatch(message.spans, message.workflows, message.aux);
        break;
      case 'end': {
        const result = updateRun.run(...message.values);
        if (result.changes === 0) throw new Error(`endRun: no run ${message.values[3]} in this database`);
        break;
      }
      case 'close':
        try {
          db.exec(indexDdl);
          db.pragma('optimize');
        } finally {
          db.close();
        }
        break;
      default:
        throw new Error(`unknown message ${message.type}`);
    }
  } catch (caught) {
    error = { message: caught instanceof Error ? caught.message : String(caught), code: caught?.code ?? null };
  }
  parentPort.postMessage({ seq: message.seq, error });
});
