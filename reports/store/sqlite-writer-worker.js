// The SQLite writer thread of `SqliteWriterSink` (reports/store/sqlite-writer-sink.ts). It owns the only
// write connection to the results file and executes, in order, the messages the simulation thread
// posts: run rows, batches of span and workflow rows (one transaction per batch), run ends, and
// close (build indexes, optimise, close). Every message is answered with `{ seq, error }` so the
// sender can bound the work in flight and surface failures. Plain JavaScript: a worker does not
// inherit the TypeScript loader, and this file needs none of the project's types.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, rowsPerStatement, spanColumns, workflowColumns, insertRunSql, insertStringSql, updateRunSql, indexDdl, auxColumns, kinds } = workerData;

const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');

// Strings the simulation thread dictionary-encoded for transport (reports/store/row-encoder.ts): id i is
// dictionary[i]. Span strings are not decoded: `span_rows` stores their ids, which are those of the
// file's `strings` table (each batch brings the rows of its new ones).
const dictionary = [null];
const NUMBER = 0;
const DICTIONARY = 1;
const STRING_ID = 3;

// Decodes one table's `EncodedRows` (see reports/store/row-encoder.ts) back into its values, row by row,
// and inserts them: full chunks of `rowsPerStatement` rows by one multi-row statement, the rest one
// row at a time.
function tableWriter(table, columns) {
  const width = columns.length;
  const columnKinds = kinds[table];
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const bulk = db.prepare(head + Array.from({ length: rowsPerStatement }, () => tuple).join(', '));
  const single = db.prepare(head + tuple);
  const chunk = rowsPerStatement * width;
  const args = new Array(chunk);
  return ({ rows, numbers, values }) => {
    let number = 0;
    let value = 0;
    let filled = 0;
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < width; column++) {
        const kind = columnKinds[column];
        if (kind === NUMBER) {
          const x = numbers[number++];
          args[filled++] = x === x ? x : null;
        } else if (kind === DICTIONARY) {
          args[filled++] = dictionary[numbers[number++]];
        } else if (kind === STRING_ID) {
          const id = numbers[number++];
          args[filled++] = id === 0 ? null : id;
        } else {
          args[filled++] = values[value++];
        }
      }
      if (filled === chunk) {
        bulk.run(...args);
        filled = 0;
      }
    }
    for (let offset = 0; offset < filled; offset += width) single.run(...args.slice(offset, offset + width));
  };
}

const writers = new Map(
  [['span_rows', spanColumns], ['workflows', workflowColumns], ...Object.entries(auxColumns)].map(([table, columns]) => [table, tableWriter(table, columns)]),
);
const insertRun = db.prepare(insertRunSql);
const updateRun = db.prepare(updateRunSql);
const insertString = db.prepare(insertStringSql);
const writeBatch = db.transaction((strings, tables) => {
  for (const [id, value] of strings) insertString.run(id, value);
  for (const encoded of tables) writers.get(encoded.table)(encoded);
});

parentPort.on('message', (message) => {
  let error = null;
  try {
    switch (message.type) {
      case 'run':
        insertRun.run(...message.values);
        break;
      case 'rows':
        for (const value of message.dictionary) dictionary.push(value);
        writeBatch(message.strings, message.tables);
        break;
      case 'end': {
        const result = updateRun.run(...message.values);
        if (result.changes === 0) throw new Error(`endRun: no run ${message.values[3]} in this database`);
        break;
      }
      case 'close':
        try {
          // null: a temporary file copied whole into another (SqliteWriterSinkOptions.indexes).
          if (indexDdl !== null) {
            db.exec(indexDdl);
            db.pragma('optimize');
          }
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
