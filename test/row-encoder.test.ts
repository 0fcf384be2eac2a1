import { describe, expect, it } from 'vitest';
import { ColumnKind, columnKinds, Dictionary, RowEncoder } from '../reports/store/row-encoder.ts';

const { Number: NUM, Dictionary: DICT, Value: VALUE } = ColumnKind;

describe('RowEncoder (rows posted to the SQLite writer thread)', () => {
  it('puts numbers and dictionary ids in the Float64Array (null as NaN and 0) and other values in order', () => {
    const dictionary = new Dictionary();
    const encoder = new RowEncoder('t', [NUM, DICT, VALUE, NUM], dictionary);
    encoder.add([1.5, 'ok', 'a1b2', null]);
    encoder.add([null, 'error', null, -0]);
    encoder.add([3, 'ok', '{"k":1}', 7]);
    const encoded = encoder.take();
    expect(encoded?.table).toBe('t');
    expect(encoded?.rows).toBe(3);
    expect(Array.from(encoded?.numbers ?? [])).toEqual([1.5, 1, Number.NaN, Number.NaN, 2, -0, 3, 1, 7]);
    expect(encoded?.values).toEqual(['a1b2', null, '{"k":1}']);
    expect(dictionary.takeUnsent()).toEqual([[1, 'ok'], [2, 'error']]);
  });

  it('sends each dictionary string once, across batches and tables, with stable ids', () => {
    const dictionary = new Dictionary();
    const spans = new RowEncoder('spans', [DICT], dictionary);
    const workflows = new RowEncoder('workflows', [DICT], dictionary);
    spans.add(['run-1']);
    workflows.add(['completed']);
    expect(dictionary.takeUnsent()).toEqual([[1, 'run-1'], [2, 'completed']]);
    spans.take();
    workflows.add(['run-1']);
    workflows.add(['failed']);
    expect(Array.from(workflows.take()?.numbers ?? [])).toEqual([2, 1, 3]);
    expect(dictionary.takeUnsent()).toEqual([[3, 'failed']]);
    expect(dictionary.takeUnsent()).toEqual([]);
  });

  it('starts afresh after take(), grows past its first buffer, and takes nothing when empty', () => {
    const encoder = new RowEncoder('t', [NUM, NUM], new Dictionary());
    expect(encoder.take()).toBeNull();
    for (let row = 0; row < 1000; row++) encoder.add([row, row * 2]);
    const encoded = encoder.take();
    expect(encoded?.rows).toBe(1000);
    expect(encoded?.numbers.length).toBe(2000);
    expect(encoded?.numbers[1998]).toBe(999);
    expect(encoded?.numbers[1999]).toBe(1998);
    expect(encoder.rows).toBe(0);
    encoder.add([5, 6]);
    expect(Array.from(encoder.take()?.numbers ?? [])).toEqual([5, 6]);
  });

  it('refuses a value its column cannot carry, naming the table and column', () => {
    const encoder = new RowEncoder('spans', [NUM, DICT], new Dictionary());
    expect(() => encoder.add(['12', 'x'])).toThrow(expect.objectContaining({ code: 'SINK_FAILED', message: 'spans column 0 takes a number or null, got string' }));
    expect(() => encoder.add([1, 2])).toThrow('spans column 1 takes a string or null, got number');
  });

  it('continues the ids of the strings a file already holds', () => {
    const dictionary = new Dictionary([[1, 'run-1'], [4, 'chat m']]);
    expect(dictionary.id('chat m')).toBe(4);
    expect(dictionary.hasUnsent).toBe(false);
    expect(dictionary.id('invoke_agent a')).toBe(5);
    expect(dictionary.takeUnsent()).toEqual([[5, 'invoke_agent a']]);
  });

  it('stores the repeated span columns as string ids, workflow ones as dictionary strings, ids and JSON as values', () => {
    expect(columnKinds('span_rows', ['run', 'trace_id', 'workflow_id', 'name', 'attributes'])).toEqual([ColumnKind.StringId, VALUE, NUM, ColumnKind.StringId, VALUE]);
    expect(columnKinds('workflows', ['run_id', 'workflow_id', 'case_id', 'output'])).toEqual([DICT, NUM, DICT, VALUE]);
    expect(columnKinds('events', ['run_id', 'seq'])).toEqual([VALUE, VALUE]);
  });
});
