/**
 * How rows travel to the SQLite writer thread. Structured-cloning an array of mixed values cost
 * ~1.5 µs per span row to serialise and ~3.8 µs to deserialise (every string is allocated again on
 * the other side), more than inserting the row. So each table's rows are encoded column by column:
 * numbers into a transferable `Float64Array` (null as NaN, which SQLite stores as NULL anyway),
 * repeated strings (run ids, span names, models, statuses…) as dictionary ids, each string sent
 * once, and only the remaining values (span ids, JSON) in a plain array. The span columns the file
 * stores as `strings` ids (schema.ts) are encoded with the file's own ids.
 * `reports/store/sqlite-writer-worker.js` decodes them back into exactly the values given here.
 */
import { HarnessError } from '../../harness/kernel/errors.ts';
import { SPAN_STRING_COLUMNS } from './schema.ts';

/**
 * A column's encoding, as the writer thread reads it: `Number`, a number or null (a `Float64Array`
 * slot, NaN for null); `Dictionary`, a string or null from a small set (its dictionary id, 0 for
 * null), turned back into the string; `StringId`, encoded the same way but stored as the id (a
 * `span_rows` column: the id is that of the file's `strings` table); `Value`, anything else, passed
 * as is.
 */
export const ColumnKind = { Number: 0, Dictionary: 1, Value: 2, StringId: 3 } as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];

/** The rows of one table in one batch, as posted to the writer thread. */
export interface EncodedRows {
  readonly table: string;
  readonly rows: number;
  /** `Number`, `Dictionary` and `StringId` columns, row by row. Its buffer is transferred, not copied. */
  readonly numbers: Float64Array<ArrayBuffer>;
  /** `Value` columns, row by row. */
  readonly values: unknown[];
}

type SqlValue = string | number | null;

/**
 * Strings' ids (from 1), assigned in the order strings are first seen; new entries go out with the
 * next batch. A sink has two: the file's `strings` table (seeded with its rows), and one for
 * transport only.
 */
export class Dictionary {
  readonly #ids = new Map<string, number>();
  #next = 1;
  #unsent: [number, string][] = [];

  /** `known`: the (id, string) pairs already stored. */
  constructor(known: Iterable<readonly [number, string]> = []) {
    for (const [id, value] of known) {
      this.#ids.set(value, id);
      this.#next = Math.max(this.#next, id + 1);
    }
  }

  /** The id of `value`, assigning the next one the first time it is seen. */
  id(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#next++;
      this.#ids.set(value, id);
      this.#unsent.push([id, value]);
    }
    return id;
  }

  /** True when strings were given an id since the last `takeUnsent()`. */
  get hasUnsent(): boolean {
    return this.#unsent.length > 0;
  }

  /** The (id, string) pairs assigned since the last call, in id order. */
  takeUnsent(): [number, string][] {
    const unsent = this.#unsent;
    this.#unsent = [];
    return unsent;
  }
}

/** Encodes the rows of one table, appended one at a time, into `EncodedRows` batches. */
export class RowEncoder {
  readonly #kinds: readonly ColumnKind[];
  readonly #numbersPerRow: number;
  /** Per column, the last dictionary string seen and its id: most columns repeat from row to row. */
  readonly #lastString: (string | null)[];
  readonly #lastId: number[];
  #numbers: Float64Array<ArrayBuffer>;
  #used = 0;
  #values: unknown[] = [];
  #rows = 0;

  constructor(
    readonly table: string,
    kinds: readonly ColumnKind[],
    private readonly dictionary: Dictionary,
  ) {
    this.#kinds = kinds;
    this.#numbersPerRow = kinds.filter((kind) => kind !== ColumnKind.Value).length;
    this.#lastString = kinds.map(() => null);
    this.#lastId = kinds.map(() => 0);
    this.#numbers = new Float64Array(Math.max(1, this.#numbersPerRow) * 256);
  }

  /** Rows appended since the last `take()`. */
  get rows(): number {
    return this.#rows;
  }

  /** Appends a row: `row[i]` is the value of column i. `SINK_FAILED` when a value does not fit its column's kind. */
  add(row: readonly SqlValue[]): void {
    const kinds = this.#kinds;
    if (this.#used + this.#numbersPerRow > this.#numbers.length) this.#grow();
    const numbers = this.#numbers;
    let used = this.#used;
    for (let column = 0; column < kinds.length; column++) {
      const value = row[column] ?? null;
      switch (kinds[column]) {
        case ColumnKind.Number:
          if (typeof value === 'number') numbers[used++] = value;
          else if (value === null) numbers[used++] = Number.NaN;
          else throw this.#misfit(column, value);
          break;
        case ColumnKind.Dictionary:
        case ColumnKind.StringId:
          if (typeof value === 'string') {
            if (value !== this.#lastString[column]) {
              this.#lastString[column] = value;
              this.#lastId[column] = this.dictionary.id(value);
            }
            numbers[used++] = this.#lastId[column] as number;
          } else if (value === null) numbers[used++] = 0;
          else throw this.#misfit(column, value);
          break;
        default:
          this.#values.push(value);
      }
    }
    this.#used = used;
    this.#rows++;
  }

  /** The rows appended since the last call (null when none); the encoder starts afresh. */
  take(): EncodedRows | null {
    if (this.#rows === 0) return null;
    const encoded: EncodedRows = { table: this.table, rows: this.#rows, numbers: this.#numbers.subarray(0, this.#used), values: this.#values };
    this.#numbers = new Float64Array(this.#numbers.length);
    this.#used = 0;
    this.#values = [];
    this.#rows = 0;
    return encoded;
  }

  #grow(): void {
    const larger = new Float64Array(this.#numbers.length * 2);
    larger.set(this.#numbers.subarray(0, this.#used));
    this.#numbers = larger;
  }

  #misfit(column: number, value: unknown): HarnessError {
    const kind = this.#kinds[column] === ColumnKind.Number ? 'a number' : 'a string';
    return new HarnessError('SINK_FAILED', `${this.table} column ${column} takes ${kind} or null, got ${typeof value}`);
  }
}

/** Kinds of `columns` of `table`: the listed numeric, dictionary and string-id columns; every other is a `Value`. */
export function columnKinds(table: string, columns: readonly string[]): ColumnKind[] {
  const numeric = NUMBER_COLUMNS[table] ?? [];
  const repeated = DICTIONARY_COLUMNS[table] ?? [];
  const ids = STRING_ID_COLUMNS[table] ?? [];
  return columns.map((column) =>
    numeric.includes(column)
      ? ColumnKind.Number
      : ids.includes(column)
        ? ColumnKind.StringId
        : repeated.includes(column)
          ? ColumnKind.Dictionary
          : ColumnKind.Value,
  );
}

/** Columns that only ever hold a number or null, of the tables written once per span, call or workflow. */
const NUMBER_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  span_rows: ['workflow_id', 'start_ms', 'end_ms', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_usd'],
  workflows: [
    'workflow_id', 'repeat', 'intended_start_ms', 'start_ms', 'end_ms', 'latency_ms', 'service_ms', 'input_tokens',
    'output_tokens', 'cached_tokens', 'cost_usd', 'agent_calls', 'model_attempts', 'correct', 'score',
  ],
  checkpoints: [
    'workflow_id', 'step', 'time_ms', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_usd', 'agent_calls', 'model_attempts',
    'duration_ms',
  ],
};

/** Columns the file stores as `strings` ids (schema.ts). */
const STRING_ID_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  span_rows: SPAN_STRING_COLUMNS.map(([column]) => column),
};

/** Columns whose strings repeat from row to row (names, statuses, models): dictionary-encoded. */
const DICTIONARY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  workflows: ['run_id', 'case_id', 'status', 'error_type', 'failed_step'],
  checkpoints: ['run_id', 'agent'],
};
